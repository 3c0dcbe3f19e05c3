"""SUP-3: Kubernetes containers install nothing from untrusted sources when they start.

Scans each container's ``command`` and ``args`` (joined with spaces, so ``["sh", "-c", "curl … | sh"]``
reads as one shell line) of every pod template (``lib.pods``), init containers included.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.pods import POD_TYPES, containers, pod_spec
from aiwarden_policies.lib.scripts import APPROVED, CONFIG, script_problems

SPEC = Spec(
    control="SUP-3",
    name="sup-3-k8s-container-command-installs",
    description=(
        "Container command/args of Kubernetes pod templates do not pipe downloads into a shell (curl | sh), pip "
        f"install from a URL, or point pip at an index host outside the stack's {APPROVED}."
    ),
    remediation_steps=(
        "Install dependencies when the image is built (scanned, pinned by digest), not when the container "
        f"starts; if a start-time install is unavoidable, use the platform's package mirror listed in {APPROVED}."
    ),
    resource_types=POD_TYPES,
    config=CONFIG,
)


@resource_policy(SPEC)
def sup_3_k8s_container_command_installs(r: Resource) -> Iterable[str]:
    kind = r.type.rsplit(":", 1)[-1]
    for container_kind, container in containers(pod_spec(r.type, r.props) or {}):
        line = " ".join(str(part) for key in ("command", "args") for part in container.get(key) or [])
        label = f"{kind} {r.name!r}"
        where = f"{container_kind} {container.get('name')!r} command/args"
        yield from script_problems(label, [(where, line)], r.config)
