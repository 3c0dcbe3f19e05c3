"""ImageRef: image references pinned by digest, from the stack's approved registries (``aiwarden:approvedRegistries``,
parsed by the pack contract the SUP-2 policies use too)."""

from __future__ import annotations

import contextvars
import json
from typing import Any

import pulumi
import pytest
from pulumi.runtime.config import set_all_config
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from aiwarden.errors import AiwardenError
from aiwarden_policies.contract import images
from components._common.image import ImageRef, approved_registries
from tests.harness import capture

DIGEST = "sha256:" + "0123456789abcdef" * 4
ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud/scorer"
ADAPTER: TypeAdapter[Any] = TypeAdapter(ImageRef)


class Deployment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    image: ImageRef


def _refused(value: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        Deployment(image=value)
    return str(caught.value)


def _with_config(config: dict[str, str], fn: Any) -> Any:
    """Run ``fn`` with this stack config (in a context of its own: the process-wide config stays untouched)."""

    def run() -> Any:
        set_all_config(config)
        return fn()

    return contextvars.copy_context().run(run)


@pytest.mark.parametrize(
    "ref",
    [
        f"{ECR}@{DIGEST}",
        f"{ECR}:1.4.2@{DIGEST}",
        f"us-central1-docker.pkg.dev/ml/images/agent@{DIGEST}",
        f"gcr.io/distroless/python3:nonroot@{DIGEST}",
    ],
)
def test_pinned_references_from_approved_registries_are_accepted(ref: str) -> None:
    assert Deployment(image=ref).image == ref
    assert Deployment(image=f"  {ref} ").image == ref


def test_an_output_passes_through_unchecked() -> None:
    value = pulumi.Output.from_input("built-in-this-program")
    assert Deployment(image=value).image is value


@pytest.mark.parametrize(
    ("ref", "fragments"),
    [
        (
            f"{ECR}:1.4.2",
            [
                "has the mutable tag '1.4.2'",
                f"`crane digest {ECR}:1.4.2`",
                f"`docker buildx imagetools inspect {ECR}:1.4.2`",
                f"use {ECR}@sha256:<digest> (a tag may stay: {ECR}:<tag>@sha256:<digest>)",
            ],
        ),
        (ECR, ["has no tag or digest (Docker pulls 'latest')", f"`crane digest {ECR}`"]),
        (
            f"{ECR}:latest",
            ["the tag 'latest' names whatever was pushed last", f"`crane digest {ECR}:latest`"],
        ),
        (f"{ECR}:latest@{DIGEST}", ["the tag 'latest' names whatever was pushed last; drop it"]),
        (f"{ECR}@sha256:abc", ["digest 'sha256:abc' is not sha256:<64 lowercase hex>"]),
        (f"{ECR}@{DIGEST.upper()}", ["is not sha256:<64 lowercase hex>"]),
        (
            f"pytorch/pytorch@{DIGEST}",
            [
                "comes from registry 'docker.io', which is not one of the stack's approved registries",
                "aiwarden:approvedRegistries",
                "pull-through cache",
            ],
        ),
        (f"quay.io/org/x:1@{DIGEST}", ["comes from registry 'quay.io'"]),
        ("", ["is not an image reference"]),
        ("a b@sha256:x", ["is not an image reference"]),
        (42, ["42 is not an image reference"]),
        (None, ["None is not an image reference"]),
    ],
)
def test_unpinned_or_unapproved_references_are_refused_with_the_fix(ref: Any, fragments: list[str]) -> None:
    text = _refused(ref)
    assert "image" in text
    for fragment in fragments:
        assert fragment in text, text


def test_the_stack_config_names_the_approved_registries() -> None:
    config = {"aiwarden:approvedRegistries": json.dumps(["docker.io/pytorch/*", "*.dkr.ecr.*.amazonaws.com"])}
    assert _with_config(config, approved_registries) == ("docker.io/pytorch/*", "*.dkr.ecr.*.amazonaws.com")
    assert _with_config(config, lambda: Deployment(image=f"pytorch/pytorch:2.3@{DIGEST}")).image.startswith(
        "pytorch/"
    )
    with pytest.raises(ValidationError, match="not one of the stack's approved registries"):
        _with_config(config, lambda: Deployment(image=f"us-docker.pkg.dev/p/r/i@{DIGEST}"))
    assert approved_registries() == images.DEFAULT_REGISTRIES


def test_a_malformed_approved_registries_config_stops_the_program() -> None:
    with pytest.raises(pulumi.RunError) as caught:
        _with_config({"aiwarden:approvedRegistries": json.dumps(["ok.io", "two words"])}, approved_registries)
    assert str(caught.value) == (
        "invalid stack config: aiwarden:approvedRegistries[1]: 'two words' is not a registry pattern (a host or "
        "host/path glob)"
    )
    with pytest.raises(pulumi.RunError, match=r"aiwarden:approvedRegistries: expected a non-empty list"):
        _with_config({"aiwarden:approvedRegistries": "ecr"}, approved_registries)


PROGRAM = f"""
import pulumi
from pydantic import TypeAdapter
from components._common.image import ImageRef
pulumi.export("image", TypeAdapter(ImageRef).validate_python("pytorch/pytorch@{DIGEST}"))
"""


def test_a_program_reads_the_stack_config_and_aiwarden_check_validates_it() -> None:
    c = capture(PROGRAM, {"aiwarden:approvedRegistries": ["docker.io/pytorch/*"]})
    [stack] = [r for r in c.resources if r.type == "pulumi:pulumi:Stack"]
    assert stack.outputs["image"] == f"pytorch/pytorch@{DIGEST}"
    with pytest.raises(AiwardenError) as caught:
        capture(PROGRAM)
    assert "comes from registry 'docker.io'" in caught.value.message
    with pytest.raises(AiwardenError) as caught:
        capture(PROGRAM, {"aiwarden:approvedRegistries": []})
    assert caught.value.message.endswith(
        "Pulumi.test.yaml: aiwarden:approvedRegistries: expected a non-empty list of registry patterns, e.g. "
        "['*.dkr.ecr.*.amazonaws.com'], not '[]'"
    )


def test_the_contract_parses_and_matches_as_the_pack_does() -> None:
    assert images.parse_registries(None) == images.DEFAULT_REGISTRIES
    assert images.split(f"{ECR}:1.4@{DIGEST}") == (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "fraud/scorer",
        "1.4",
        DIGEST,
    )
    assert images.split("pytorch/pytorch:2.3") == ("docker.io", "pytorch/pytorch", "2.3", None)
    assert images.split("localhost:5000/x") == ("localhost:5000", "x", None, None)
    assert images.approved("us-docker.pkg.dev", "p/r", ["*-docker.pkg.dev"])
    assert images.approved("us-docker.pkg.dev", "p/r", ["us-docker.pkg.dev/p/*"])
    assert not images.approved("us-docker.pkg.dev", "q/r", ["us-docker.pkg.dev/p/*"])
    for bad, where in ((json.dumps({"a": 1}), None), (json.dumps([""]), 0), ("not json", None)):
        with pytest.raises(images.RegistriesError) as caught:
            images.parse_registries(bad)
        assert caught.value.index == where
