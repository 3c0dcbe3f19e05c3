"""NB-2: Vertex AI Workbench instances deny root, and restrict downloads and the terminal for restricted data.

Restricted data: the instance's `data-classification` label is `restricted`, or missing (an
unclassified notebook is held to the strictest rule; INV-1 reports the missing label).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy, stack_vocabulary

INSTANCE = "gcp:workbench/instance:Instance"
NO_ROOT = "notebook-disable-root"
RESTRICTED_KEYS = ("notebook-disable-downloads", "notebook-disable-terminal")

SPEC = Spec(
    control="NB-2",
    name="nb-2-workbench-no-root",
    description=(
        'Workbench instances set `gceSetup.metadata` `notebook-disable-root` to "true" (absent means the Google '
        "default: users can sudo), and for restricted (or unclassified) data also `notebook-disable-downloads` and "
        '`notebook-disable-terminal` to "true".'
    ),
    remediation_steps=(
        'Add `"notebook-disable-root": "true"` to `gce_setup.metadata`; for restricted data also '
        '`"notebook-disable-downloads": "true"` and `"notebook-disable-terminal": "true"`.'
    ),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def nb_2_workbench_no_root(r: Resource) -> Iterable[str]:
    classification = r.classification
    restricted = classification is None or classification == "restricted"
    keys = (NO_ROOT, *RESTRICTED_KEYS) if restricted else (NO_ROOT,)
    metadata = r.get("gceSetup.metadata") or {}
    for key in keys:
        value = metadata.get(key)
        why = (
            ""
            if key == NO_ROOT
            else f" for {classification or 'unclassified'} data ({stack_vocabulary().keys.data_classification} label)"
        )
        if value is None:
            yield (
                f"Workbench instance {r.name!r}: gceSetup.metadata[{key!r}] is not set (Google default: false); it "
                f'must be "true"{why}.'
            )
        elif str(value).lower() != "true":
            yield f'Workbench instance {r.name!r}: gceSetup.metadata[{key!r}] is {value!r}; it must be "true"{why}.'
