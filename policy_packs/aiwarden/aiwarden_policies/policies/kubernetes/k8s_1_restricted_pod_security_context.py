"""K8S-1: pod templates run with the restricted security context (one message per failed item).

Absent fields are read as the Kubernetes defaults: ``runAsNonRoot`` false (the image's user, often
root), ``allowPrivilegeEscalation`` true, no dropped capabilities, seccomp ``Unconfined``, a writable
root filesystem, no resources. ``runAsNonRoot`` and ``seccompProfile`` may be set on the pod or the
container (the container wins). The seccomp types ``RuntimeDefault`` and ``Localhost`` are accepted,
as in the restricted Pod Security Standard.

The service account token is k8s-1-service-account-token-not-mounted's check: whether a token is
mounted depends on the pod's ServiceAccount too, which only a stack policy sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aiwarden_policies.framework import Resource, Spec, get, resource_policy
from aiwarden_policies.lib.pods import POD_TYPES, containers, pod_spec

SECCOMP_TYPES = ("RuntimeDefault", "Localhost")
ALLOWED_ADDED_CAPABILITIES = frozenset({"NET_BIND_SERVICE"})
RESOURCE_KEYS = ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")

SPEC = Spec(
    control="K8S-1",
    name="k8s-1-restricted-pod-security-context",
    description=(
        "Pod templates (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) run as non-root "
        "(`runAsNonRoot: true`, not `runAsUser: 0`), with `allowPrivilegeEscalation: false`, not privileged, "
        "`capabilities.drop: [ALL]` (only NET_BIND_SERVICE added back), seccomp `RuntimeDefault`, "
        "`readOnlyRootFilesystem: true`, cpu and memory requests and limits, no hostNetwork/hostPID/hostIPC and "
        "no hostPath volumes."
    ),
    remediation_steps=(
        "Set the pod `security_context` (run_as_non_root=True, seccomp_profile type RuntimeDefault) and each "
        "container's `security_context` (allow_privilege_escalation=False, read_only_root_filesystem=True, "
        "capabilities drop ['ALL']), mount an emptyDir for writable paths, set cpu/memory requests and "
        "limits, and remove host namespaces and hostPath volumes."
    ),
    resource_types=POD_TYPES,
)


def _pod_items(spec: Mapping[str, Any]) -> Iterator[str]:
    for key in HOST_NAMESPACES:
        if spec.get(key) is True:
            yield f"{key} is true; must be false"
    for volume in spec.get("volumes") or []:
        if volume.get("hostPath") is not None:
            yield (
                f"volume {volume.get('name')!r} mounts hostPath {get(volume, 'hostPath.path')!r}; "
                "hostPath volumes are not allowed"
            )


def _effective(pod: Mapping[str, Any], container: Mapping[str, Any], key: str) -> tuple[Any, str]:
    """A security context value from the container, else the pod: (value, where it was found)."""
    if key in container:
        return container[key], "container"
    return pod.get(key), "pod"


def _container_items(
    pod_context: Mapping[str, Any], container: Mapping[str, Any], kind: str
) -> Iterator[str]:
    context = container.get("securityContext") or {}
    label = f"{kind[:-1]} {container.get('name')!r}"
    non_root, where = _effective(pod_context, context, "runAsNonRoot")
    if non_root is not True:
        found = (
            "is not set on the pod or container (Kubernetes default: the image's user)"
            if non_root is None
            else f"is {non_root!r} ({where})"
        )
        yield f"{label}: securityContext.runAsNonRoot {found}; must be true"
    user, where = _effective(pod_context, context, "runAsUser")
    if user is not None and float(user) == 0:
        yield f"{label}: securityContext.runAsUser is 0 ({where}); must be a non-root uid"
    escalation = context.get("allowPrivilegeEscalation")
    if escalation is not False:
        found = "is not set (Kubernetes default: true)" if escalation is None else f"is {escalation!r}"
        yield f"{label}: securityContext.allowPrivilegeEscalation {found}; must be false"
    if context.get("privileged") is True:
        yield f"{label}: securityContext.privileged is true; must be false"
    capabilities = context.get("capabilities") or {}
    if "ALL" not in [str(c) for c in capabilities.get("drop") or []]:
        yield f"{label}: securityContext.capabilities.drop is {list(capabilities.get('drop') or [])}; must contain ALL"
    added = sorted(str(c) for c in capabilities.get("add") or [] if str(c) not in ALLOWED_ADDED_CAPABILITIES)
    if added:
        yield f"{label}: securityContext.capabilities.add is {added}; only NET_BIND_SERVICE may be added"
    seccomp, where = _effective(pod_context, context, "seccompProfile")
    seccomp_type = get(seccomp or {}, "type")
    if seccomp_type not in SECCOMP_TYPES:
        found = (
            "is not set on the pod or container (Kubernetes default: Unconfined)"
            if seccomp_type is None
            else f"is {seccomp_type!r} ({where})"
        )
        yield f"{label}: securityContext.seccompProfile.type {found}; must be RuntimeDefault"
    if context.get("readOnlyRootFilesystem") is not True:
        yield f"{label}: securityContext.readOnlyRootFilesystem is not true (Kubernetes default: false); must be true"
    if kind != "ephemeralContainers":  # ephemeral containers take no resources
        resources = container.get("resources") or {}
        missing = [key for key in RESOURCE_KEYS if not get(resources, key)]
        if missing:
            yield (
                f"{label}: resources.{', resources.'.join(missing)} not set; cpu and memory requests and limits "
                "are required"
            )


@resource_policy(SPEC)
def k8s_1_restricted_pod_security_context(r: Resource) -> Iterable[str]:
    spec = pod_spec(r.type, r.props)
    if spec is None:
        return
    items = list(_pod_items(spec))
    pod_context = spec.get("securityContext") or {}
    for kind, container in containers(spec):
        items.extend(_container_items(pod_context, container, kind))
    for item in items:
        yield f"{r.type} {r.name!r}: {item}."
