"""NB-2: SageMaker notebook instances deny root access to notebook users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiwarden_policies.framework import Resource, Spec, resource_policy

NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"

SPEC = Spec(
    control="NB-2",
    name="nb-2-sagemaker-notebook-no-root",
    description=(
        "SageMaker notebook instances set `rootAccess` to Disabled (absent means the AWS default, Enabled: "
        "every notebook user is root on the instance)."
    ),
    remediation_steps=(
        'Set `root_access="Disabled"`; install system packages through the lifecycle configuration, which still '
        "runs as root. In REMEDIATE mode the pack sets `rootAccess` to Disabled: an in-place update (the "
        "notebook is stopped and restarted, not replaced)."
    ),
    resource_types=(NOTEBOOK,),
    security_hub=("SageMaker.3",),
)


def remediate(r: Resource) -> dict[str, Any] | None:
    if r.get("rootAccess") == "Disabled":
        return None
    return r.updated({"rootAccess": "Disabled"})


@resource_policy(SPEC, remediate=remediate)
def nb_2_sagemaker_notebook_no_root(r: Resource) -> Iterable[str]:
    root = r.get("rootAccess")
    if root is None:  # AWS default: Enabled
        yield f"SageMaker notebook instance {r.name!r}: rootAccess is not set (AWS default: Enabled); it must be Disabled."
    elif root != "Disabled":
        yield f"SageMaker notebook instance {r.name!r}: rootAccess is {root!r}; it must be Disabled."
