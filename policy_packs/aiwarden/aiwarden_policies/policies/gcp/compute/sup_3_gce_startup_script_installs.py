"""SUP-3: Vertex AI Workbench and Compute Engine startup scripts install nothing from untrusted sources.

Scans Workbench ``gceSetup.metadata`` ``startup-script`` / ``post-startup-script`` and Compute Engine
instances and instance templates (GPU training VMs) ``metadataStartupScript`` and ``metadata``
``startup-script`` / ``user-data`` (cloud-init). Workbench sits here with Compute Engine because a
Workbench instance is a GCE VM with the same startup metadata; a ``post-startup-script`` that is a
``gs://`` path is not read.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.scripts import APPROVED, CONFIG, script_problems

_GCE = ("metadataStartupScript", "metadata.startup-script", "metadata.user-data")
SCRIPT_PATHS: dict[str, tuple[str, ...]] = {
    "gcp:workbench/instance:Instance": (
        "gceSetup.metadata.startup-script",
        "gceSetup.metadata.post-startup-script",
    ),
    "gcp:compute/instance:Instance": _GCE,
    "gcp:compute/instanceTemplate:InstanceTemplate": _GCE,
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": _GCE,
}

SPEC = Spec(
    control="SUP-3",
    name="sup-3-gce-startup-script-installs",
    description=(
        "Workbench instances and Compute Engine instances/templates have no startup script that pipes downloads "
        f"into a shell (curl | sh), pip installs from a URL, or points pip at an index host outside {APPROVED}."
    ),
    remediation_steps=(
        "Use a Workbench / Deep Learning VM image or a custom container with the dependencies baked in (scanned, "
        "pinned by digest); install pinned versions from an Artifact Registry Python repository listed in "
        f"{APPROVED} when a startup install is unavoidable."
    ),
    resource_types=tuple(SCRIPT_PATHS),
    config=CONFIG,
)


@resource_policy(SPEC)
def sup_3_gce_startup_script_installs(r: Resource) -> Iterable[str]:
    label = f"{r.type.split(':')[1].split('/')[0]} {r.type.rsplit(':', 1)[-1]} {r.name!r}"
    yield from script_problems(label, ((p, r.get(p)) for p in SCRIPT_PATHS[r.type]), r.config)
