"""NB-3: Vertex AI Workbench instances shut down when idle."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INSTANCE = "gcp:workbench/instance:Instance"
IDLE_KEY = "idle-timeout-seconds"

SPEC = Spec(
    control="NB-3",
    name="nb-3-workbench-idle-shutdown",
    description=(
        f"Workbench instances set `gceSetup.metadata` `{IDLE_KEY}` to a positive number of seconds (absent means "
        "the Google default for instances created through the API: no idle shutdown)."
    ),
    remediation_steps=(f'Add `"{IDLE_KEY}": "10800"` (or the team\'s idle limit) to `gce_setup.metadata`.'),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def nb_3_workbench_idle_shutdown(r: Resource) -> Iterable[str]:
    value = (r.get("gceSetup.metadata") or {}).get(IDLE_KEY)
    if value is None:
        yield (
            f"Workbench instance {r.name!r}: gceSetup.metadata[{IDLE_KEY!r}] is not set (no idle shutdown); it must "
            "be a positive number of seconds."
        )
        return
    try:
        seconds = float(str(value))
    except ValueError:
        seconds = 0.0
    if seconds <= 0:
        yield (
            f"Workbench instance {r.name!r}: gceSetup.metadata[{IDLE_KEY!r}] is {value!r}; it must be a positive "
            "number of seconds."
        )
