"""Which resources of the stack a resource's input points at (stack policies).

A property dependency says it for certain, even at preview: the engine records which resources an
input was computed from. Without one, the input's value is compared with the candidates' outputs;
that value is read only then, so a value unknown at preview raises inside the SDK and the calling
policy reports that it cannot decide yet instead of passing. A candidate whose output is unknown
stops the match only when no candidate with a known output matches (``Unknown`` names it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.values import is_list, items
from aiwarden_policies.framework import Unknown, reading


def dependencies(resource: PolicyResource, prop: str, *types: str) -> list[PolicyResource]:
    """The resources (of ``types``, when given) that ``resource``'s input ``prop`` depends on."""
    return [
        d for d in resource.property_dependencies.get(prop) or [] if not types or d.resource_type in types
    ]


def referenced(
    resource: PolicyResource,
    prop: str,
    candidates: Iterable[PolicyResource],
    keys: tuple[str, ...] = (),
    *,
    transform: Callable[[str], str] | None = None,
    known_only: bool = False,
) -> list[PolicyResource]:
    """The ``candidates`` that ``resource``'s input ``prop`` points at.

    Its property dependencies on candidates decide. Without one, and with ``keys``, its value does (each
    element of a list value, after ``transform``): the candidates whose output ``keys[0]`` equals it, else
    ``keys[1]``, ... (put the key that is known earliest first: a name before an id or ARN).
    ``known_only``: a candidate whose key is unknown at preview does not match instead of stopping the
    policy (right for ids: a literal read elsewhere cannot name a resource this program has not created).
    """
    pool = list(candidates)
    by_urn = {c.urn: c for c in pool}
    found = [by_urn[d.urn] for d in dependencies(resource, prop) if d.urn in by_urn]
    if found or not keys:
        return found
    value = resource.props.get(prop)
    if not value:
        return []
    values = items(value) if is_list(value) else [value]
    wanted = [w for w in (transform(str(v)) if transform else v for v in values) if w]
    for key in keys:
        matches: list[PolicyResource] = []
        unknown: Unknown | None = None
        for c in pool:
            try:
                with reading(c):
                    output = c.props.get(key)
            except Unknown as e:
                if not known_only:
                    unknown = unknown or e
                continue
            if output in wanted:
                matches.append(c)
        if matches:
            return matches
        if unknown is not None:
            raise unknown  # it may be the candidate named
    return []


def target(
    resource: PolicyResource,
    prop: str,
    candidates: Iterable[PolicyResource],
    keys: tuple[str, ...] = (),
    *,
    transform: Callable[[str], str] | None = None,
    known_only: bool = False,
) -> PolicyResource | None:
    """The first of ``referenced``: the candidate an input that names one resource points at, or None."""
    found = referenced(resource, prop, candidates, keys, transform=transform, known_only=known_only)
    return found[0] if found else None


def is_set(resource: PolicyResource, prop: str) -> bool:
    """Whether a top-level input holds a value: a resource reference (property dependency, known at preview)
    or a non-empty known value (an unknown value raises inside the SDK)."""
    if resource.property_dependencies.get(prop):
        return True
    return bool(resource.props.get(prop))
