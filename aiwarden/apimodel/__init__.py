"""Offline API-model validation: what a program registers, checked against the clouds' own API models
before any policy runs, as the provider would check it at ``pulumi up``.

AWS: the botocore service models; Google Cloud: the discovery documents of google-api-python-client;
Kubernetes: kubernetes-validate's strict schemas plus vendored CRD schemas. A Pulumi type maps to its
API input shape through the generated table (``data/table.json``, seeded by ``targets``); constraints
the clouds document only in prose are in ``documented``. An invalid input is an ``ApiModelError``
(exit 2) naming the resource, the property, the rejected value and what the API accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from aiwarden.apimodel import aws, documented, gcp, kubernetes
from aiwarden.apimodel.spec import Rejection, check
from aiwarden.apimodel.table import load
from aiwarden.capture.model import Registration
from aiwarden.errors import AiwardenError


@dataclass(frozen=True)
class Invalid:
    """One input the cloud's API would refuse."""

    type: str
    name: str
    urn: str
    rejection: Rejection
    location: str = ""

    def describe(self) -> str:
        r = self.rejection
        where = f" ({self.location})" if self.location else ""
        return f"{self.type} {self.name!r}{where}: {r.path} = {r.value!r}; the API accepts {r.accepts}"


class ApiModelError(AiwardenError):
    """The program registers inputs the cloud's API would refuse (exit 2)."""

    def __init__(self, invalid: list[Invalid]) -> None:
        lines = [f"  - {i.describe()}" for i in invalid]
        super().__init__(
            f"{len(invalid)} input(s) the cloud API would refuse at `pulumi up` (checked against the API "
            "models before any policy ran):\n"
            + "\n".join(lines)
            + "\nWhat is checked and the model versions: docs/api-models.md.",
        )
        self.invalid = invalid


def covers(type_token: str) -> bool:
    """Whether the type is checked (a table entry, a documented rule, or a Kubernetes schema)."""
    if type_token.startswith("kubernetes:") and not type_token.startswith("kubernetes:index"):
        return kubernetes.covers(type_token)
    return (
        type_token in load()["types"]
        or type_token in load()["unchecked"]
        or type_token in documented.FIELDS
        or type_token in documented.RULES
    )


def rejections(registration: Registration) -> Iterator[Rejection]:
    """What the cloud API would refuse among the inputs of one registration (nothing for types not covered)."""
    token, inputs = registration.type, registration.inputs
    if not registration.custom or token.startswith("pulumi:"):
        return
    if token.startswith("kubernetes:"):
        if kubernetes.covers(token):
            yield from kubernetes.check(token, inputs)
        return
    entry = load()["types"].get(token)
    if entry is not None:
        kind, name = entry["model"].split(":", 1)
        resolve = aws.spec if kind == "aws" else gcp.spec
        for prop, path in entry["properties"].items():
            if prop in inputs:
                yield from check(resolve(name, path), inputs[prop], prop)
    for prop, spec in documented.FIELDS.get(token, {}).items():
        if prop in inputs:
            yield from check(spec, inputs[prop], prop)
    if token in documented.RULES:
        yield from documented.RULES[token][0](inputs)


def validate(registrations: Iterable[Registration], where: dict[str, str] | None = None) -> list[Invalid]:
    """Every input of ``registrations`` the cloud API would refuse, in registration order."""
    found = []
    for registration in registrations:
        for rejection in rejections(registration):
            location = (where or {}).get(registration.urn, "")
            found.append(Invalid(registration.type, registration.name, registration.urn, rejection, location))
    return found
