"""Container image references that components accept (SUP-2): pinned by digest, from an approved registry.

``ImageRef`` is a pydantic type: ``registry/repository@sha256:<64 hex>``, with or without a tag
(``registry/repository:1.4@sha256:...``). A tag alone, no tag (Docker resolves ``latest``) and the tag
``latest`` are refused with the commands that print the digest to pin. The registry must match one of the
stack's approved registries: stack config ``aiwarden:approvedRegistries`` (a list of host or host/path globs,
``aiwarden_policies.contract.images``), else the pack's default (private ECR, Artifact Registry, gcr.io) —
the same parsing and matching as the pack's SUP-2 policies, whose own list is their pack config
``approvedRegistries``.

A ``pulumi.Output`` (the digest of an image built in the same program) cannot be read before registration:
it passes through unvalidated, and SUP-2 checks the value at deployment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import pulumi
from pydantic import PlainValidator, WithJsonSchema

from aiwarden_policies.contract import images
from components._common.ownership import NAMESPACE

#: The reference shape, for JSON schema (host, repository, optional tag, digest).
IMAGE_REF_PATTERN = r"^[^@\s]+@sha256:[0-9a-f]{64}$"
_PIN = (
    "pin it by digest: `crane digest {ref}` or `docker buildx imagetools inspect {ref}` prints the sha256 "
    "digest; then use {name}@sha256:<digest> (a tag may stay: {name}:<tag>@sha256:<digest>)"
)


def approved_registries() -> tuple[str, ...]:
    """The stack's approved registries: stack config ``aiwarden:approvedRegistries``, else the pack's default.

    Malformed: ``pulumi.RunError`` naming the key (a program failure, not a validation error of the field).
    """
    try:
        return images.parse_registries(pulumi.Config(NAMESPACE).get(images.APPROVED))
    except images.RegistriesError as exc:
        raise pulumi.RunError(
            f"invalid stack config: {exc.under(NAMESPACE + ':' + images.APPROVED)}"
        ) from None


def check_image_ref(value: str) -> str:
    """``value`` if it is pinned by digest, without the tag ``latest``, from an approved registry; else
    ``ValueError`` saying how to fix it."""
    ref = value.strip()
    if not ref or any(c.isspace() for c in ref):
        raise ValueError(f"{value!r} is not an image reference; expected registry/repository@sha256:<64 hex>")
    host, repository, tag, digest = images.split(ref)
    name = ref.partition("@")[0]
    if tag is not None:
        name = name[: -(len(tag) + 1)]
    if tag == "latest":
        raise ValueError(
            f"{value!r}: the tag 'latest' names whatever was pushed last; drop it and "
            + _PIN.format(ref=f"{name}:latest", name=name)
        )
    if digest is None:
        found = f"the mutable tag {tag!r}" if tag is not None else "no tag or digest (Docker pulls 'latest')"
        raise ValueError(f"{value!r} has {found}; " + _PIN.format(ref=ref, name=name))
    if not images.DIGEST.match(digest):
        raise ValueError(
            f"{value!r}: digest {digest!r} is not sha256:<64 lowercase hex>; "
            + _PIN.format(ref=name, name=name)
        )
    patterns = approved_registries()
    if not images.approved(host, repository, patterns):
        raise ValueError(
            f"{value!r} comes from registry {host!r}, which is not one of the stack's approved registries "
            f"{list(patterns)} (stack config {NAMESPACE}:{images.APPROVED}); copy the image into an approved "
            "registry (e.g. through an ECR pull-through cache) or approve the registry there"
        )
    return ref


def _validate(value: Any) -> Any:
    if isinstance(value, pulumi.Output):
        return value
    if not isinstance(value, str):
        shown = value if isinstance(value, int | float | bool | None) else type(value).__name__
        raise ValueError(f"{shown!r} is not an image reference; expected registry/repository@sha256:<64 hex>")
    return check_image_ref(value)


if TYPE_CHECKING:
    ImageRef = str | pulumi.Output[str]
else:
    ImageRef = Annotated[
        str | pulumi.Output[str],
        PlainValidator(_validate),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": IMAGE_REF_PATTERN,
                "description": "registry/repository[:tag]@sha256:<64 hex> from an approved registry "
                "(or a pulumi.Output, passed through)",
            }
        ),
    ]
