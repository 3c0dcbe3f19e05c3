"""NB-2: Vertex AI Workbench instances run as a dedicated service account, not a default one."""

from __future__ import annotations

import re
from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INSTANCE = "gcp:workbench/instance:Instance"
#: The Compute Engine and App Engine default service accounts (project-wide Editor by default).
DEFAULT_ACCOUNT = re.compile(r"^(\d+-compute@developer|[a-z0-9-]+@appspot)\.gserviceaccount\.com$")

SPEC = Spec(
    control="NB-2",
    name="nb-2-workbench-dedicated-service-account",
    description=(
        "Workbench instances set `gceSetup.serviceAccounts[].email` to a dedicated service account (absent means "
        "the Google default: the Compute Engine default service account, often project Editor), never the "
        "`<number>-compute@developer.gserviceaccount.com` or `<project>@appspot.gserviceaccount.com` account."
    ),
    remediation_steps=(
        "Create a service account per notebook (or per team) with only the roles it needs and set "
        "`gce_setup.service_accounts=[gcp.workbench.InstanceGceSetupServiceAccountArgs(email=sa.email)]`."
    ),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def nb_2_workbench_dedicated_service_account(r: Resource) -> Iterable[str]:
    emails = [str(a.get("email")) for a in r.get("gceSetup.serviceAccounts") or [] if a.get("email")]
    if not emails:  # Google default: the Compute Engine default service account
        yield (
            f"Workbench instance {r.name!r}: gceSetup.serviceAccounts[].email is not set (Google default: the "
            "Compute Engine default service account); it must be a dedicated service account."
        )
    for email in emails:
        if DEFAULT_ACCOUNT.match(email):
            yield (
                f"Workbench instance {r.name!r}: gceSetup.serviceAccounts[].email is the default service account "
                f"{email}; it must be a dedicated service account."
            )
