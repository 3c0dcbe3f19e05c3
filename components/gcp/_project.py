"""The project a GCP component deploys into: its id and number, and its Google service agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pulumi_gcp as gcp

ServiceAgent = Literal["storage", "secretmanager", "aiplatform", "pubsub", "cloudsql", "compute"]

#: Google-managed service agents that use a CMEK on a service's behalf (e-mail per project number).
_AGENT_EMAIL: dict[str, str] = {
    "storage": "service-{number}@gs-project-accounts.iam.gserviceaccount.com",
    "secretmanager": "service-{number}@gcp-sa-secretmanager.iam.gserviceaccount.com",
    "aiplatform": "service-{number}@gcp-sa-aiplatform.iam.gserviceaccount.com",
    "pubsub": "service-{number}@gcp-sa-pubsub.iam.gserviceaccount.com",
    "cloudsql": "service-{number}@gcp-sa-cloud-sql.iam.gserviceaccount.com",
    "compute": "service-{number}@compute-system.iam.gserviceaccount.com",
}


@dataclass(frozen=True)
class Project:
    id: str
    number: str

    def agent(self, service: ServiceAgent) -> str:
        """The e-mail of ``service``'s service agent in this project."""
        return _AGENT_EMAIL[service].format(number=self.number)


def lookup(project: str | None) -> Project:
    """The given project, or the provider's project when None (one `organizations.getProject` invoke)."""
    found = gcp.organizations.get_project(project_id=project)
    return Project(id=found.project_id or project or "", number=found.number)
