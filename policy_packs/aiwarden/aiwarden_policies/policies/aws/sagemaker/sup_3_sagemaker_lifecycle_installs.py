"""SUP-3: SageMaker lifecycle configurations install nothing from untrusted sources.

Scans notebook instance lifecycle configurations (``onCreate`` / ``onStart``) and Studio lifecycle
configurations (``studioLifecycleConfigContent``), all base64, decoded tolerantly (see
``lib.scripts``).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.scripts import APPROVED, CONFIG, script_problems

SCRIPT_PATHS: dict[str, tuple[str, ...]] = {
    "aws:sagemaker/notebookInstanceLifecycleConfiguration:NotebookInstanceLifecycleConfiguration": (
        "onCreate",
        "onStart",
    ),
    "aws:sagemaker/studioLifecycleConfig:StudioLifecycleConfig": ("studioLifecycleConfigContent",),
}

SPEC = Spec(
    control="SUP-3",
    name="sup-3-sagemaker-lifecycle-installs",
    description=(
        "SageMaker notebook and Studio lifecycle configurations do not pipe downloads into a shell (curl | sh), "
        f"pip install from a URL, or point pip at an index host outside the stack's {APPROVED}."
    ),
    remediation_steps=(
        "Ship notebook dependencies in a custom, scanned SageMaker image or a conda environment built in CI; "
        f"when a lifecycle script must install, pin versions from the platform's package mirror and list its host "
        f"in {APPROVED}."
    ),
    resource_types=tuple(SCRIPT_PATHS),
    config=CONFIG,
)


@resource_policy(SPEC)
def sup_3_sagemaker_lifecycle_installs(r: Resource) -> Iterable[str]:
    label = f"SageMaker {r.type.rsplit(':', 1)[-1]} {r.name!r}"
    yield from script_problems(label, ((p, r.get(p)) for p in SCRIPT_PATHS[r.type]), r.config)
