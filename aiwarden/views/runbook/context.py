"""What a command needs besides the identifier: the stack, and the asset's cloud, account/project and region.

The account, project and region come from the asset's own identifiers first (an ARN names its region, a
``projects/<p>/...`` id its project), then from the asset's resources, then from the stack's default
provider; what none of them says is a ``<PLACEHOLDER>`` the responder fills in.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field

from aiwarden.views.stack import Resource, StackView

_ARN = re.compile(r"^arn:(aws[\w-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$")
_GCP_PROJECT = re.compile(r"(?:^|/)projects/([a-z][a-z0-9-]{4,28}[a-z0-9])(?:/|$)")
_SA_PROJECT = re.compile(r"@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$")


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @property
    def resource_name(self) -> str:
        """The last segment of the resource part (``role/path/name`` -> ``name``)."""
        return re.split(r"[/:]", self.resource)[-1]


def arn(value: str) -> Arn | None:
    match = _ARN.match(value)
    if match is None:
        return None
    partition, service, region, account, resource = match.groups()
    return Arn(partition, service, region, account or "", resource)


def q(value: str) -> str:
    """A shell word (quoted only when it must be)."""
    return shlex.quote(value)


@dataclass
class Context:
    stack: StackView
    #: The record's name.
    asset: str
    kind: str
    cloud: str
    #: The asset's resource (the record names it) and everything below it.
    own: list[Resource] = field(default_factory=list)
    #: The identities the inventory lists for the asset.
    identities: list[str] = field(default_factory=list)
    region: str = ""
    account: str = ""
    project: str = ""

    @property
    def aws_region(self) -> str:
        return self.region or "<REGION>"

    @property
    def gcp_project(self) -> str:
        return self.project or "<PROJECT>"

    def region_of(self, value: str) -> str:
        parsed = arn(value)
        return parsed.region if parsed and parsed.region else self.aws_region


def _provider_value(stack: StackView, package: str, key: str) -> str:
    for r in stack.resources:
        if r.type == f"pulumi:providers:{package}" and r.str(key):
            return r.str(key)
    return ""


def _own(stack: StackView, main: Resource, others: set[str]) -> list[Resource]:
    """The asset's resources: the one the record names and everything below it; for a custom resource inside a
    component, its siblings too (a bucket's policy, a secret's read policy). What other records name (and the
    component below ``root`` holding it) is theirs, not this asset's."""
    parent = stack.parent_of(main)
    root = parent if main.custom and parent is not None and parent.type.startswith("aiwarden:") else main
    below = stack.children(root)
    claimed: set[str] = set()
    for r in below:
        if r.name not in others or r.urn == main.urn:
            continue
        top = r
        while (above := stack.parent_of(top)) is not None and above.urn != root.urn:
            top = above
        subtree = {top.urn, *(c.urn for c in stack.children(top))}
        if main.urn not in subtree:
            claimed |= subtree
    return [main, *(r for r in below if r.urn not in claimed and r.urn != main.urn)]


def context(
    stack: StackView,
    name: str,
    kind: str,
    identifiers: Iterable[str],
    others: Iterable[str] = (),
    identities: Iterable[str] = (),
) -> Context:
    named = stack.named(name)
    own = _own(stack, named[0], set(others)) if named else []
    values = list(identifiers)
    cloud = named[0].cloud if named else ""
    region = account = project = ""
    for value in values:
        parsed = arn(value)
        if parsed is not None:
            cloud = cloud or "aws"
            region = region or parsed.region
            account = account or (parsed.account if parsed.account != "aws" else "")
        match = _GCP_PROJECT.search(value) or _SA_PROJECT.search(value)
        if match and not project:
            project = match[1]
    for r in own:
        project = project or r.str("project")
        parsed = arn(r.str("arn"))
        if parsed is not None:
            region = region or parsed.region
            account = account or (parsed.account if parsed.account != "aws" else "")
    if not cloud:
        cloud = "gcp" if project else ""
    for r in stack.resources if not account else ():
        parsed = arn(r.str("arn"))
        if parsed is not None and parsed.account.isdigit():
            account = parsed.account
            break
    return Context(
        stack=stack,
        asset=name,
        kind=kind,
        cloud=cloud,
        own=own,
        identities=list(identities),
        region=region or _provider_value(stack, "aws", "region"),
        account=account,
        project=project or _provider_value(stack, "gcp", "project"),
    )
