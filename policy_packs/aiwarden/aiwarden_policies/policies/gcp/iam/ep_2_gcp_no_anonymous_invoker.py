"""EP-2: no anonymous principal may call a model endpoint on GCP (Vertex AI endpoints, Cloud Run services).

Any role bound to ``allUsers`` / ``allAuthenticatedUsers`` on an endpoint or a Cloud Run service is
anonymous access to it (``roles/run.invoker``, ``roles/aiplatform.user``, ...): the binding's role is
reported, not filtered. Every Cloud Run service of the stack is in scope (model servers are deployed
there; the platform is for AI workloads).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.gcp_iam import grants

ANONYMOUS = frozenset({"allUsers", "allAuthenticatedUsers"})
MEMBER_TYPES = (
    "gcp:vertex/aiEndpointIamMember:AiEndpointIamMember",
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    "gcp:cloudrun/iamMember:IamMember",
)
BINDING_TYPES = (
    "gcp:vertex/aiEndpointIamBinding:AiEndpointIamBinding",
    "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    "gcp:cloudrun/iamBinding:IamBinding",
)
POLICY_TYPES = (
    "gcp:vertex/aiEndpointIamPolicy:AiEndpointIamPolicy",
    "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
    "gcp:cloudrun/iamPolicy:IamPolicy",
)

SPEC = Spec(
    control="EP-2",
    name="ep-2-gcp-no-anonymous-invoker",
    description=(
        "IAM members, bindings and policies on Vertex AI endpoints and Cloud Run services (v1 and v2) grant no role "
        "to `allUsers` or `allAuthenticatedUsers`: every caller is a named identity with an IAM-bound invoker role."
    ),
    remediation_steps=(
        "Grant `roles/run.invoker` / `roles/aiplatform.user` to the calling service accounts or groups only; put "
        "public clients behind an authenticating gateway (IAP, API Gateway with JWT) that calls with its own "
        "service account."
    ),
    resource_types=(*MEMBER_TYPES, *BINDING_TYPES, *POLICY_TYPES),
)


@resource_policy(SPEC)
def ep_2_gcp_no_anonymous_invoker(r: Resource) -> Iterable[str]:
    for grant in grants(r.type, r.props):
        for member in grant.members:
            if member in ANONYMOUS:
                yield (
                    f"{r.type.rsplit(':', 1)[-1]} {r.name!r}: grants {grant.role} to {member} (anonymous access to a "
                    "model endpoint); bind named service accounts or groups instead."
                )
