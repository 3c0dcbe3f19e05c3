"""The shared ``KeyChoice`` on GCP: check an existing key before anything registers, or create a ``Key``.

A CMEK must live in the location of the data it protects, and the service agent that uses it
needs encrypter/decrypter on it before the resource is created (hence ``depends_on``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from components._common import CreateKey, ExistingKey, Grant, Ownership
from components._common.encryption import GCP_KMS_KEY
from components._common.protection import check_create_key
from components.gcp._principals import Member
from components.gcp._project import ServiceAgent
from components.gcp.key import Key, KeyArgs, KeyRole


def key_location(key: str) -> str | None:
    """The location segment of a crypto key id, or None when ``key`` is not a crypto key id."""
    if not re.match(GCP_KMS_KEY, key):
        return None
    return key.split("/")[3]


def check_key_choice(
    choice: CreateKey | ExistingKey, location: str, ownership: Ownership, field_name: str
) -> None:
    """Refuse an existing key that is not a GCP crypto key id or lives outside ``location``, and a key to
    create whose settings production refuses."""
    if isinstance(choice, CreateKey):
        check_create_key(choice, ownership, field_name)
        return
    if isinstance(choice.key, pulumi.Output):  # a key of the same program: its location is not known yet
        return
    found = key_location(choice.key)
    if found is None:
        raise ValueError(
            f"{field_name}: {choice.key!r} is not a Cloud KMS crypto key id; use "
            "`projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>`"
        )
    if found != location.lower():
        raise ValueError(
            f"{field_name}: the key is in location {found!r} but the data is in {location!r}; "
            f"a CMEK must be in the data's location: use a key in {location.lower()!r} or `CreateKey()`"
        )


@dataclass(frozen=True)
class ResolvedKey:
    """The key id to configure, the ``Key`` created (if any) and what must exist before use."""

    id: pulumi.Input[str]
    key: Key | None = None
    depends_on: list[pulumi.Resource] = field(default_factory=list)


def resolve_key(
    name: str,
    choice: CreateKey | ExistingKey,
    *,
    ownership: Ownership,
    location: str,
    project: str | None,
    agents: tuple[ServiceAgent, ...],
    parent: pulumi.Resource,
    after: Sequence[pulumi.Resource] = (),
    access: Mapping[str, Grant[Member, KeyRole]] | None = None,
) -> ResolvedKey:
    """Create ``<name>`` (a ``Key`` that the service ``agents`` and the ``access`` grants may use, its agents made to
    exist first) for ``CreateKey``, its children after ``after`` (the component's enabled APIs); pass an existing key
    through.

    An existing key is the key owner's to grant: its ``agents`` must already exist and hold encrypter/decrypter.
    """
    if isinstance(choice, ExistingKey):
        return ResolvedKey(id=choice.key)
    key = Key(
        name,
        KeyArgs(
            ownership=ownership,
            location=location.lower(),
            project=project,
            settings=choice,
            service_agents=agents,
            access=dict(access or {}),
        ),
        opts=pulumi.ResourceOptions(parent=parent),
        after=after,
    )
    return ResolvedKey(id=key.key_id, key=key, depends_on=[*key.identities, *key.grants.values()])
