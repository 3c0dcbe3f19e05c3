"""Values worked out once per Pulumi program: an invoke's answer, a provider's account.

A lookup that every component of a program would repeat (``organizations.getProject``, the caller identity of
a provider) is an RPC and, synchronous, a turn of the event loop over every pending Output of the program. Its
answer does not change while the program runs, so it is kept for the program (keyed by the program's root
stack resource: a test session running many programs in one process never sees another program's answer).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pulumi

T = TypeVar("T")

_CACHES: weakref.WeakKeyDictionary[pulumi.Resource, dict[Hashable, Any]] = weakref.WeakKeyDictionary()


def once_per_program(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` the first time ``key`` is asked for in this program, the same value afterwards; outside a
    program (no root stack resource) every call computes."""
    root = pulumi.runtime.get_root_resource()
    if root is None:
        return compute()
    cache = _CACHES.setdefault(root, {})
    if key not in cache:
        cache[key] = compute()
    value: T = cache[key]
    return value
