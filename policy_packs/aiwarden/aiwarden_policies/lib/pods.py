"""Kubernetes pod templates: where each workload kind keeps its pod spec, and the service account token.

Whether Kubernetes mounts a service account token into a pod: the pod's
``automountServiceAccountToken`` decides when set; absent, its service account's does (absent there
too: true, the Kubernetes default). The pod's service account is ``serviceAccountName`` (the
deprecated ``serviceAccount`` when only that is set; absent: ``default``) in the pod's namespace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from aiwarden_policies.framework import get

POD_SPEC_PATH: dict[str, str] = {
    "kubernetes:core/v1:Pod": "spec",
    "kubernetes:apps/v1:Deployment": "spec.template.spec",
    "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
    "kubernetes:apps/v1:DaemonSet": "spec.template.spec",
    "kubernetes:apps/v1:ReplicaSet": "spec.template.spec",
    "kubernetes:batch/v1:Job": "spec.template.spec",
    "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.spec",
}
POD_TYPES: tuple[str, ...] = tuple(POD_SPEC_PATH)
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
#: The service account of a pod that names none (Kubernetes creates it in every namespace).
DEFAULT_SERVICE_ACCOUNT = "default"
#: Pod annotation that justifies mounting the service account token (its value says why).
NEEDS_KUBE_API = "aiwarden.io/needs-kube-api"


def pod_spec(type_: str, props: Mapping[str, Any]) -> Mapping[str, Any] | None:
    path = POD_SPEC_PATH.get(type_)
    if path is None:
        return None
    spec = get(props, path)
    return spec if isinstance(spec, Mapping) else None


def pod_metadata(type_: str, props: Mapping[str, Any]) -> Mapping[str, Any]:
    path = POD_SPEC_PATH.get(type_, "spec")
    meta = get(props, path[: -len("spec")] + "metadata") if path != "spec" else get(props, "metadata")
    return meta if isinstance(meta, Mapping) else {}


def containers(spec: Mapping[str, Any], include_init: bool = True) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(kind, container) for containers, initContainers and ephemeralContainers."""
    kinds = ("containers", "initContainers", "ephemeralContainers") if include_init else ("containers",)
    for kind in kinds:
        for c in spec.get(kind) or []:
            if isinstance(c, Mapping):
                yield kind, c


def service_account_name(spec: Mapping[str, Any]) -> str:
    """The service account a pod spec runs as (absent: ``default``)."""
    return str(spec.get("serviceAccountName") or spec.get("serviceAccount") or DEFAULT_SERVICE_ACCOUNT)


def needs_kube_api(metadata: Mapping[str, Any]) -> bool:
    """Whether the pod template carries a non-blank ``aiwarden.io/needs-kube-api`` justification."""
    return bool(str((metadata.get("annotations") or {}).get(NEEDS_KUBE_API) or "").strip())
