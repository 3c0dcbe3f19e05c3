"""Every component takes access, network placement, keys and deletion protection the same way (STYLE.md)."""

from __future__ import annotations

import importlib
import pkgutil
import typing
from types import ModuleType
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError

from aiwarden_policies.contract import assets
from components import aws, gcp, k8s
from components._common import AwsNetwork, GcpNetwork, Grant, ServiceAccountRef
from components._common.access import ROLES, Role, only, principals
from components._common.inventory import AssetKind, asset_kind
from components._common.type_names import type_name
from components.aws._identifiers import PrincipalArn


def _modules() -> list[ModuleType]:
    found = []
    for package in (aws, gcp, k8s):
        for info in pkgutil.iter_modules(package.__path__):
            if not info.name.startswith("_") and info.name != "bucket_hardening":
                found.append(importlib.import_module(f"{package.__name__}.{info.name}"))
    return found


MODULES = _modules()
ARGS = [
    (module, getattr(module, name))
    for module in MODULES
    for name in dir(module)
    if name.endswith("Args")
    and isinstance(getattr(module, name), type)
    and issubclass(getattr(module, name), BaseModel)
    and getattr(module, name).__module__ == module.__name__
]
OLD_NAMES = {
    "users",
    "allowed_principals",
    "readers",
    "writers",
    "encrypters",
    "grants",
    "iam_users",
    "accessors",
    "callers",
    "key",
    "protect",
    "private_network",
    "psc_consumers",
    "allowed_projects",
}


def _grant_roles(annotation: Any) -> tuple[str, ...]:
    """The roles of the grants of an ``access: dict[Slug, Grant[...]]`` annotation."""
    grant = get_args(annotation)[1]
    parametrized = next(
        c for c in grant.__mro__ if getattr(c, "__pydantic_generic_metadata__", {}).get("origin") is Grant
    )
    role = parametrized.__pydantic_generic_metadata__["args"][1]
    assert get_origin(role) is Literal
    return get_args(role)


def test_every_component_module_has_a_type_token_and_an_asset_kind() -> None:
    for module in MODULES:
        cloud = module.__name__.split(".")[1]
        assert module.TYPE.startswith(f"aiwarden:{cloud}:"), module.__name__
        assert module.KIND is None or module.KIND in get_args(AssetKind), module.__name__


def test_asset_kinds_are_the_packs_plus_the_supporting_kinds() -> None:
    pack = {getattr(assets, n) for n in dir(assets) if n.isupper() and isinstance(getattr(assets, n), str)}
    assert pack <= set(get_args(AssetKind))
    assert set(get_args(AssetKind)) - pack == {"encryption-key", "secret", "network", "container-registry"}
    with pytest.raises(ValueError, match="not an asset kind"):
        asset_kind("dataset")


@pytest.mark.parametrize(("module", "model"), ARGS, ids=lambda a: getattr(a, "__name__", ""))
def test_one_shape_per_concern(module: ModuleType, model: type[BaseModel]) -> None:
    hints = typing.get_type_hints(model, include_extras=True)
    assert not OLD_NAMES & set(model.model_fields), sorted(OLD_NAMES & set(model.model_fields))
    if "access" in hints:
        annotation = hints["access"]
        assert get_origin(annotation) is dict
        assert type_name(get_args(annotation)[0]) == "Slug"
        roles = _grant_roles(annotation)
        assert roles and set(roles) <= set(get_args(Role)), roles
    if "network" in model.model_fields:
        network = model.model_fields["network"].annotation
        assert network in (AwsNetwork, GcpNetwork, AwsNetwork | None, GcpNetwork | None), network
    if "deletion_protection" in model.model_fields:
        field = model.model_fields["deletion_protection"]
        assert (field.annotation, field.default) == (bool | None, None)
    if "kms_key" in hints:
        assert "CreateKey | ExistingKey" in type_name(hints["kms_key"])


def test_every_role_is_documented() -> None:
    assert set(ROLES) == set(get_args(Role))


def test_a_refused_role_names_the_field_and_the_roles_accepted() -> None:
    from components.aws import LockedBucketArgs

    with pytest.raises(ValidationError) as caught:
        LockedBucketArgs.model_validate(
            {
                "ownership": {
                    "owner": "ml-platform",
                    "environment": "sandbox",
                    "data_classification": "internal",
                    "purpose": "x",
                },
                "access": {"app": {"principal": "arn:aws:iam::123456789012:role/app", "role": "invoke"}},
            }
        )
    assert "access.app.role\n  Input should be 'read' or 'write'" in str(caught.value)


def test_grant_names_and_principals() -> None:
    grant = Grant[PrincipalArn, Literal["read", "write"]]
    assert grant.__name__ == "Grant[PrincipalArn, Literal['read', 'write']]"
    assert Grant[ServiceAccountRef, Literal["admin"]](
        principal=ServiceAccountRef(namespace="ml", name="trainer"), role="admin"
    ).principal.name == ("trainer")
    a, b = "arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"
    access = {
        "a": grant(principal=a, role="read"),
        "b": grant(principal=b, role="write"),
        "b-read": grant(principal=b, role="read"),
    }
    assert principals(access) == [a, b]
    assert principals(access, "read") == [a, b]
    assert only(access, "read", unless=("write",)) == [a]


def test_an_existing_key_is_a_checked_string_or_the_output_of_a_key_of_the_same_program() -> None:
    import pulumi

    from components._common import ExistingKey
    from components.aws import LockedBucketArgs

    ownership = {
        "owner": "ml-platform",
        "environment": "sandbox",
        "data_classification": "internal",
        "purpose": "x",
    }
    arn = pulumi.Output.from_input("arn:aws:kms:us-east-1:123456789012:key/not-checked-at-validation")
    assert ExistingKey(key=arn).key is arn
    assert LockedBucketArgs(ownership=ownership, kms_key=ExistingKey(key=arn)).kms_key == ExistingKey(key=arn)
    with pytest.raises(ValidationError, match="is not a key id"):
        ExistingKey(key="")
    with pytest.raises(ValidationError, match=r"kms_key\.key: 'alias/x' is not an AWS KMS key ARN"):
        LockedBucketArgs(ownership=ownership, kms_key=ExistingKey(key="alias/x"))
