"""NB-3: SageMaker notebook instances stop when idle (an idle-shutdown lifecycle configuration).

Stack policy: the notebook's ``lifecycleConfigName`` is related to its
``NotebookInstanceLifecycleConfiguration`` (property dependency, else the configuration's name) and
that configuration's ``onStart`` script (base64, as the API takes it) must mention an idle check
(``idle`` / ``autostop`` — the AWS sample auto-stop script). A name that matches no configuration
in the stack cannot be verified and is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.framework import Spec, Stack, reading, stack_policy
from aiwarden_policies.lib.relations import target
from aiwarden_policies.lib.scripts import decode_base64

NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
LIFECYCLE = "aws:sagemaker/notebookInstanceLifecycleConfiguration:NotebookInstanceLifecycleConfiguration"
IDLE_CHECK = re.compile(r"idle|auto-?stop", re.I)

SPEC = Spec(
    control="NB-3",
    name="nb-3-sagemaker-notebook-idle-shutdown",
    description=(
        "SageMaker notebook instances name a lifecycle configuration (`lifecycleConfigName`; absent means no "
        "lifecycle script, the notebook runs until stopped by hand) declared in the stack whose `onStart` script "
        "stops the instance when idle (mentions an idle / autostop check)."
    ),
    remediation_steps=(
        "Declare a `sagemaker.NotebookInstanceLifecycleConfiguration` whose `on_start` (base64) installs the "
        "idle auto-stop script (e.g. aws-samples/amazon-sagemaker-notebook-instance-lifecycle-config-samples "
        "auto-stop-idle) and set the notebook's `lifecycle_config_name` to its name (an in-place update)."
    ),
    resource_types=(NOTEBOOK, LIFECYCLE),
)


def _script(value: Any) -> str:
    text = str(value or "")
    decoded = decode_base64(text)
    return text if decoded is None else decoded  # not base64: read as given


@stack_policy(SPEC)
def nb_3_sagemaker_notebook_idle_shutdown(s: Stack) -> Iterable[tuple[str, str | None]]:
    configs = s.of_type(LIFECYCLE)

    def decide(nb: Any) -> Iterator[str]:
        where = f"SageMaker notebook instance {nb.name!r}"
        config = target(nb, "lifecycleConfigName", configs, ("name",))
        if config is None:
            name = nb.props.get("lifecycleConfigName")
            if not name:
                yield (
                    f"{where}: lifecycleConfigName is not set (AWS default: no lifecycle script, the instance "
                    "runs until stopped); it must name an idle-shutdown lifecycle configuration."
                )
            else:
                yield (
                    f"{where}: lifecycle configuration {name!r} is not declared in this stack, so its idle "
                    "shutdown cannot be verified; declare it in the stack."
                )
            return
        with reading(config):
            script = _script(config.props.get("onStart"))
        if not IDLE_CHECK.search(script):
            yield (
                f"{where}: the onStart script of lifecycle configuration {config.name!r} has no idle check "
                "(idle / autostop); idle notebooks must stop."
            )

    yield from s.each(s.of_type(NOTEBOOK), decide)
