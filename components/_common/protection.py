"""Deletion protection and key destruction windows, the same on every cloud (control IR-2).

Every component that holds data or keys takes ``deletion_protection: bool | None`` (``None``: the
component's hardened default, which its field description states) and resolves it with
``deletion_protected``. What production refuses whatever the caller asks is checked here, before
registration: ``check_deletion_protection`` (the components whose default is "always on") and
``check_create_key`` (a key's destroy-scheduled window).
"""

from __future__ import annotations

from components._common.encryption import CreateKey
from components._common.ownership import Ownership

#: Production keys keep destroyed versions restorable this long (the GCP default).
PRODUCTION_DESTROY_WINDOW_DAYS = 30


def deletion_protected(choice: bool | None, default: bool) -> bool:
    """The protection a component applies: the caller's explicit choice, else the component's default."""
    return default if choice is None else choice


def check_create_key(settings: CreateKey, ownership: Ownership, field_name: str) -> None:
    """Refuse a destroy-scheduled window shorter than the production minimum for production data."""
    if (
        ownership.environment == "production"
        and settings.deletion_window_days < PRODUCTION_DESTROY_WINDOW_DAYS
    ):
        raise ValueError(
            f"{field_name}.deletion_window_days={settings.deletion_window_days}: production keys keep destroyed "
            f"versions restorable for {PRODUCTION_DESTROY_WINDOW_DAYS} days (control IR-2); "
            f"use deletion_window_days={PRODUCTION_DESTROY_WINDOW_DAYS} (the default)"
        )


def check_deletion_protection(choice: bool | None, ownership: Ownership) -> None:
    """Refuse turning deletion protection off for production data."""
    if ownership.environment == "production" and choice is False:
        raise ValueError(
            "deletion_protection=False: production data and keys keep deletion protection (control IR-2); "
            "leave the default (None: on), or use a sandbox/staging ownership for disposable resources"
        )
