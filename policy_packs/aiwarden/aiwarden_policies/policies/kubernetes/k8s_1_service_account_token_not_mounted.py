"""K8S-1: pods get no Kubernetes API token unless they need the API.

A stack policy: whether Kubernetes mounts a service account token into a pod depends on the pod and on
its ServiceAccount. The pod template's ``automountServiceAccountToken`` decides when set; absent, the
ServiceAccount's ``automountServiceAccountToken`` decides (absent there too: true, the Kubernetes
default). The pod's ServiceAccount is the ``kubernetes:core/v1:ServiceAccount`` of the stack whose
``metadata.name`` is the pod's ``serviceAccountName`` (the deprecated ``serviceAccount`` when only that is
set; absent: ``default``) and whose namespace is the workload's (``metadata.namespace``; absent:
``default``), compared by value. A ServiceAccount that is not declared in the stack (the ``default``
account Kubernetes creates in every namespace, or one managed elsewhere) cannot be read: the Kubernetes
default applies, a token is mounted.

A pod template annotated ``aiwarden.io/needs-kube-api`` with a non-blank justification may mount the
token. Values unknown at preview (names, the flag) stop the policy with an advisory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.framework import Spec, Stack, get, stack_policy
from aiwarden_policies.lib.namespaces import namespace
from aiwarden_policies.lib.pods import (
    NEEDS_KUBE_API,
    POD_TYPES,
    SERVICE_ACCOUNT,
    needs_kube_api,
    pod_metadata,
    pod_spec,
    service_account_name,
)

SPEC = Spec(
    control="K8S-1",
    name="k8s-1-service-account-token-not-mounted",
    description=(
        "Pod templates (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) get no service "
        "account token: `automountServiceAccountToken: false` on the pod, or absent on the pod and false on its "
        "`kubernetes:core/v1:ServiceAccount` declared in the stack (same namespace, `serviceAccountName`, absent: "
        f"default). A pod annotated `{NEEDS_KUBE_API}` with a justification may mount it."
    ),
    remediation_steps=(
        "Set `automount_service_account_token=False` on the pod spec, or on the ServiceAccount the pods run as "
        "(`ServiceAccount(metadata={name, namespace}, automount_service_account_token=False)` and "
        f"`service_account_name` on the pod). A pod that calls the Kubernetes API is annotated `{NEEDS_KUBE_API}: "
        "<why>` and gets a dedicated ServiceAccount with a narrow Role."
    ),
    resource_types=(*POD_TYPES, SERVICE_ACCOUNT),
)


def _service_account(accounts: list[PolicyResource], ns: str, name: str) -> PolicyResource | None:
    for account in accounts:
        if get(account.props, "metadata.name") == name and namespace(account.props) == ns:
            return account
    return None


def _problem(spec: Mapping[str, Any], ns: str, accounts: list[PolicyResource]) -> str | None:
    """Why a token is mounted, or None when it is not."""
    own = spec.get("automountServiceAccountToken")
    if own is not None:
        return None if own is False else f"automountServiceAccountToken is {own!r}"
    name = service_account_name(spec)
    account = _service_account(accounts, ns, name)
    if account is None:
        return (
            f"automountServiceAccountToken is not set and its service account {ns}/{name} is not declared in the "
            "stack (Kubernetes default: true)"
        )
    inherited = account.props.get("automountServiceAccountToken")
    if inherited is False:
        return None
    found = "does not set it (Kubernetes default: true)" if inherited is None else f"sets it to {inherited!r}"
    return f"automountServiceAccountToken is not set and its ServiceAccount {account.name!r} ({ns}/{name}) {found}"


@stack_policy(SPEC)
def k8s_1_service_account_token_not_mounted(s: Stack) -> Iterable[tuple[str, str | None]]:
    accounts = s.of_type(SERVICE_ACCOUNT)

    def decide(workload: Any) -> Iterator[str]:
        spec = pod_spec(workload.resource_type, workload.props)
        if spec is None or needs_kube_api(pod_metadata(workload.resource_type, workload.props)):
            return
        problem = _problem(spec, namespace(workload.props), accounts)
        if problem is not None:
            yield (
                f"{workload.resource_type} {workload.name!r}: {problem}; the pod must not mount a service account "
                f"token (set it false on the pod or its ServiceAccount) unless annotated {NEEDS_KUBE_API} with a "
                "justification."
            )

    yield from s.each(s.of_type(*POD_TYPES), decide)
