"""Input shapes shared by every component (defined once, reused identically)."""

from components._common.ownership import Ownership, stamp_ownership

__all__ = ["Ownership", "stamp_ownership"]
