"""GCP names and IAM principals, validated once for every GCP component.

Access is granted to named principals only: ``allUsers``/``allAuthenticatedUsers``, whole
domains, wildcards and the projects' default service accounts (shared by every workload of a
project) are refused with a message that says how to fix the input.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field

PROJECT_ID_PATTERN = r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$"
_SA_EMAIL = re.compile(
    r"^[a-z][a-z0-9-]{4,28}[a-z0-9]@(?P<project>[a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$"
)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_DEFAULT_SA_DOMAINS = ("developer.gserviceaccount.com", "appspot.gserviceaccount.com")
_ANONYMOUS = ("allusers", "allauthenticatedusers")
_MEMBER_KINDS = ("user", "group", "serviceAccount")

ProjectId = Annotated[
    str,
    Field(pattern=PROJECT_ID_PATTERN, description="GCP project id: 6-30 lowercase letters, digits, dashes."),
]
Region = Annotated[
    str, Field(pattern=r"^[a-z]+-[a-z]+[0-9]+$", description="GCP region, e.g. `us-central1`.")
]
Location = Annotated[
    str,
    Field(
        pattern=r"^[a-z]+(-[a-z]+[0-9]+)?$",
        description="GCP location: a region (`us-central1`), `us`, `eu`, ...",
    ),
]
NetworkId = Annotated[
    str,
    Field(
        pattern=r"^projects/[a-z0-9-]+/global/networks/[a-z]([-a-z0-9]{0,61}[a-z0-9])?$",
        description="VPC network, `projects/<project>/global/networks/<network>`.",
    ),
]
SubnetworkId = Annotated[
    str,
    Field(
        pattern=r"^projects/[a-z0-9-]+/regions/[a-z]+-[a-z]+[0-9]+/subnetworks/[a-z]([-a-z0-9]{0,61}[a-z0-9])?$",
        description="VPC subnetwork, `projects/<project>/regions/<region>/subnetworks/<subnetwork>`.",
    ),
]
ChannelId = Annotated[
    str,
    Field(
        pattern=r"^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/notificationChannels/[0-9]+$",
        description="Cloud Monitoring notification channel, `projects/<project>/notificationChannels/<id>`.",
    ),
]
BillingAccountId = Annotated[
    str,
    Field(
        pattern=r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$",
        description="Cloud Billing account id, e.g. `012345-6789AB-CDEF01`.",
    ),
]


def _refuse_broad(value: str) -> None:
    """Anonymous, wildcard and domain-wide principals are never a named principal."""
    lowered = value.lower()
    if lowered in _ANONYMOUS or lowered.endswith(tuple(":" + a for a in _ANONYMOUS)):
        raise ValueError(
            f"{value!r} grants access to anyone on the internet (controls DATA-1, EP-2, SEC-3); "
            "name a `user:`, `group:` or `serviceAccount:` principal instead"
        )
    if "*" in value or lowered.startswith(("domain:", "principalset:")):
        raise ValueError(
            f"{value!r} is a wildcard or a whole set of principals (control SEC-3); "
            "name each `user:`, `group:` or `serviceAccount:` principal instead"
        )


def _refuse_default_service_account(email: str) -> None:
    if email.lower().endswith(_DEFAULT_SA_DOMAINS):
        raise ValueError(
            f"{email!r} is a project's default service account, shared by every workload of the project "
            "(controls NB-2, GPU-3); create a dedicated service account for the workload and name it"
        )


def service_account_project(email: str) -> str:
    """The project that owns a user-managed service account."""
    match = _SA_EMAIL.match(email)
    if match is None:
        raise ValueError(f"{email!r} is not a user-managed service account e-mail")
    return match.group("project")


def member(value: str) -> str:
    """An IAM member naming one principal: `user:`, `group:` or `serviceAccount:` followed by an e-mail."""
    _refuse_broad(value)
    kind, _, email = value.partition(":")
    if kind not in _MEMBER_KINDS or not _EMAIL.match(email):
        raise ValueError(
            f"{value!r} is not an IAM member naming one principal; "
            "use `user:<email>`, `group:<email>` or `serviceAccount:<email>`"
        )
    if kind == "serviceAccount":
        _refuse_default_service_account(email)
    return value


def service_account_member(value: str) -> str:
    """An IAM member naming one user-managed service account: `serviceAccount:<name>@<project>.iam...`."""
    _refuse_broad(value)
    kind, _, email = value.partition(":")
    if kind == "serviceAccount":
        _refuse_default_service_account(email)
    if kind != "serviceAccount" or not _SA_EMAIL.match(email):
        raise ValueError(
            f"{value!r} is not a user-managed service account member (a workload identity is required here); "
            "use `serviceAccount:<name>@<project-id>.iam.gserviceaccount.com`"
        )
    return value


def member_email(value: str) -> str:
    """The e-mail of an IAM member (`serviceAccount:x@p.iam.gserviceaccount.com` -> `x@p.iam...`)."""
    return value.partition(":")[2]


Member = Annotated[
    str,
    AfterValidator(member),
    Field(description="One principal: `user:<email>`, `group:<email>` or `serviceAccount:<email>`."),
]
ServiceAccountMember = Annotated[
    str,
    AfterValidator(service_account_member),
    Field(
        description="One user-managed service account: `serviceAccount:<name>@<project>.iam.gserviceaccount.com`."
    ),
]


def _user_managed(email: str) -> str:
    service_account_member(f"serviceAccount:{email}")
    return email


ServiceAccountEmail = Annotated[
    str,
    AfterValidator(_user_managed),
    Field(description="A user-managed service account e-mail, `<name>@<project>.iam.gserviceaccount.com`."),
]
ACCOUNT_ID_PATTERN = r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$"
AccountId = Annotated[
    str,
    Field(
        pattern=ACCOUNT_ID_PATTERN,
        description="Service account id: 6-30 lowercase letters, digits, dashes, starting with a letter.",
    ),
]


def account_id(choice: Any, name: str, suffix: str, field_name: str) -> str:
    """The id of the service account a ``Create...ServiceAccount`` choice creates: its ``account_id``, else
    ``<name>-<suffix>`` if that is a valid id."""
    if choice.account_id is not None:
        return str(choice.account_id)
    derived = f"{name}-{suffix}"
    if not re.match(ACCOUNT_ID_PATTERN, derived):
        raise ValueError(
            f"{field_name}.account_id: the default {derived!r} (component name + `-{suffix}`) is not a valid service "
            "account id (6-30 lowercase letters, digits, dashes, starting with a letter); set "
            f"{field_name}={type(choice).__name__}(account_id=...)"
        )
    return derived


NetworkTag = Annotated[
    str,
    Field(
        pattern=r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$",
        description="A network tag (RFC 1035 label: lowercase letters, digits, `-`).",
    ),
]
