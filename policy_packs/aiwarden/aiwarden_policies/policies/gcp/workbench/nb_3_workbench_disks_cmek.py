"""NB-3: Vertex AI Workbench boot and data disks are encrypted with a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INSTANCE = "gcp:workbench/instance:Instance"
#: ``dataDisks`` is one object, not a list (pulumi-gcp 10); a Workbench instance always has a data disk.
DISKS = ("bootDisk", "dataDisks")

SPEC = Spec(
    control="NB-3",
    name="nb-3-workbench-disks-cmek",
    description=(
        "Workbench instances set `gceSetup.bootDisk` and `gceSetup.dataDisks` `diskEncryption` to CMEK with a "
        "`kmsKey` (absent means the Google default, GMEK: Google-managed keys)."
    ),
    remediation_steps=(
        'Set `boot_disk` and `data_disks` to `disk_encryption="CMEK", kms_key=<crypto key id>` (a key with '
        "rotation whose Compute Engine service agent has cryptoKeyEncrypterDecrypter); this recreates the instance."
    ),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def nb_3_workbench_disks_cmek(r: Resource) -> Iterable[str]:
    for disk in DISKS:
        encryption = r.get(f"gceSetup.{disk}.diskEncryption")
        if encryption != "CMEK":
            found = "is not set (Google default: GMEK)" if encryption is None else f"is {encryption!r}"
            yield f"Workbench instance {r.name!r}: gceSetup.{disk}.diskEncryption {found}; it must be CMEK."
        elif not r.get(f"gceSetup.{disk}.kmsKey"):
            yield f"Workbench instance {r.name!r}: gceSetup.{disk}.kmsKey is not set; CMEK needs a customer-managed key."
