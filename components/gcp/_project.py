"""The project a GCP component deploys into: its id and number, its Google service agents, its APIs.

On a fresh project neither the APIs nor the service agents exist yet. ``enable_apis`` enables the APIs
a component uses (``gcp.projects.Service``, never disabled on destroy), and ``service_agent`` makes a
service agent exist before anything grants it a role: ``gcp.projects.ServiceIdentity`` (the Service
Usage ``generateServiceIdentity`` call) for the services that support it, the
``storage.getProjectServiceAccount`` data source for Cloud Storage (its API creates the agent on
first read). The agents' e-mails keep their documented per-project-number format, so grants are known
at preview; the grants depend on the resource that creates the agent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pulumi
import pulumi_gcp as gcp
from pydantic import Field

from components._common.per_program import once_per_program

ServiceAgent = Literal[
    "storage", "secretmanager", "aiplatform", "pubsub", "cloudsql", "compute", "artifactregistry", "notebooks"
]

#: Google-managed service agents that use a CMEK on a service's behalf (e-mail per project number).
_AGENT_EMAIL: dict[str, str] = {
    "storage": "service-{number}@gs-project-accounts.iam.gserviceaccount.com",
    "secretmanager": "service-{number}@gcp-sa-secretmanager.iam.gserviceaccount.com",
    "aiplatform": "service-{number}@gcp-sa-aiplatform.iam.gserviceaccount.com",
    "pubsub": "service-{number}@gcp-sa-pubsub.iam.gserviceaccount.com",
    "cloudsql": "service-{number}@gcp-sa-cloud-sql.iam.gserviceaccount.com",
    "compute": "service-{number}@compute-system.iam.gserviceaccount.com",
    "artifactregistry": "service-{number}@gcp-sa-artifactregistry.iam.gserviceaccount.com",
    "notebooks": "service-{number}@gcp-sa-notebooks.iam.gserviceaccount.com",
}


#: The API of each service agent's service: the agent exists once that API is enabled (and its identity generated).
AGENT_API: dict[str, str] = {
    "storage": "storage.googleapis.com",
    "secretmanager": "secretmanager.googleapis.com",
    "aiplatform": "aiplatform.googleapis.com",
    "pubsub": "pubsub.googleapis.com",
    "cloudsql": "sqladmin.googleapis.com",
    "compute": "compute.googleapis.com",
    "artifactregistry": "artifactregistry.googleapis.com",
    "notebooks": "notebooks.googleapis.com",
}
#: Agents created with ``gcp.projects.ServiceIdentity``; Cloud Storage's comes from its data source, and the
#: Compute Engine agent is created when the Compute Engine API is enabled.
_IDENTITY_AGENTS = frozenset(
    {"secretmanager", "aiplatform", "pubsub", "cloudsql", "artifactregistry", "notebooks"}
)
KMS_API = "cloudkms.googleapis.com"


@dataclass(frozen=True)
class Project:
    id: str
    number: str

    def agent(self, service: ServiceAgent) -> str:
        """The e-mail of ``service``'s service agent in this project."""
        return _AGENT_EMAIL[service].format(number=self.number)


def lookup(project: str | None) -> Project:
    """The given project, or the provider's project when None (one `organizations.getProject` invoke per project
    per program)."""

    def get() -> Project:
        found = gcp.organizations.get_project(project_id=project)
        return Project(id=found.project_id or project or "", number=found.number)

    return once_per_program(("gcp:organizations/getProject", project), get)


def enable_apis_field(*apis: str) -> Any:
    """The ``enable_apis`` field of a GCP component that uses ``apis``: the same shape and wording everywhere."""
    return Field(
        default=False,
        description=f"Enable {', '.join(f'`{a}`' for a in apis)} first (`gcp.projects.Service` per API, "
        "`disable_on_destroy=False`: a destroy never turns an API off for the project's other users); every "
        "child waits for them. Default false: APIs are a project prerequisite (enabling one needs "
        "`serviceusage.services.enable` and changes the whole project); the platform program sets true.",
    )


def enable_apis(
    name: str, apis: Iterable[str], project: str | None, parent: pulumi.Resource
) -> list[gcp.projects.Service]:
    """``<name>-api-<service>``: one ``gcp.projects.Service`` per API, enabled and left enabled on destroy."""
    return [
        gcp.projects.Service(
            f"{name}-api-{api.split('.')[0]}",
            project=project,
            service=api,
            disable_on_destroy=False,
            opts=pulumi.ResourceOptions(parent=parent),
        )
        for api in dict.fromkeys(apis)
    ]


@dataclass(frozen=True)
class Agent:
    """A service agent: its IAM member, and what must exist before a role is granted to it."""

    member: str
    depends_on: list[pulumi.Resource] = field(default_factory=list)


def service_agent(
    name: str,
    agent: ServiceAgent,
    project: Project,
    project_arg: str | None,
    parent: pulumi.Resource,
    after: Sequence[pulumi.Resource] = (),
) -> Agent:
    """Make ``agent`` exist in the project: ``<name>-<agent>-identity`` (``gcp.projects.ServiceIdentity``, after
    ``after``) for the services that support it; the Cloud Storage agent through its data source (an invoke that
    creates it on first read, run at preview too)."""
    if agent == "storage":
        token = "gcp:storage/getProjectServiceAccount:getProjectServiceAccount"

        def storage_agent() -> str:
            found = gcp.storage.get_project_service_account(
                project=project_arg, opts=pulumi.InvokeOptions(parent=parent)
            )
            return found.email_address

        email = once_per_program((token, project_arg, parent.get_provider(token)), storage_agent)
        return Agent(member=f"serviceAccount:{email}")
    member = f"serviceAccount:{project.agent(agent)}"
    if agent not in _IDENTITY_AGENTS:
        return Agent(member=member)
    identity = gcp.projects.ServiceIdentity(
        f"{name}-{agent}-identity",
        project=project_arg,
        service=AGENT_API[agent],
        opts=pulumi.ResourceOptions(parent=parent, depends_on=list(after)),
    )
    return Agent(member=member, depends_on=[identity])
