"""GPU-4: launch template volumes are encrypted, with a customer-managed key for restricted data.

Applied to every launch template (see gpu_1_launch_template_imdsv2). ``ebs.encrypted`` is a string in
pulumi-aws 7 ("true"). A template without EBS block device mappings leaves the root volume to the AMI
snapshot and the account's EBS encryption-by-default setting, which is off unless someone turned it
on: a violation. Restricted or unclassified templates (an unknown classification is treated as
sensitive) also need ``ebs.kmsKeyId``.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

SPEC = Spec(
    control="GPU-4",
    name="gpu-4-launch-template-encrypted-volumes",
    description=(
        'EC2 launch templates define their EBS volumes with blockDeviceMappings[].ebs.encrypted = "true"; '
        "templates of restricted (or unclassified) data also name a customer-managed key in ebs.kmsKeyId."
    ),
    remediation_steps=(
        "Add `block_device_mappings=[aws.ec2.LaunchTemplateBlockDeviceMappingArgs(device_name=<AMI root device>, "
        'ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(encrypted="true", kms_key_id=<CMK ARN>, ...))]` '
        "(encrypted is a string in pulumi-aws 7). Turning on EBS encryption by default for the account is a "
        "good second layer."
    ),
    resource_types=("aws:ec2/launchTemplate:LaunchTemplate",),
)


@resource_policy(SPEC)
def gpu_4_launch_template_encrypted_volumes(r: Resource) -> Iterable[str]:
    needs_cmk = r.classification in (None, "restricted")
    ebs_found = False
    for i, mapping in enumerate(r.get("blockDeviceMappings") or []):
        ebs = mapping.get("ebs")
        if not ebs:
            continue  # instance store / noDevice entries
        ebs_found = True
        encrypted = ebs.get("encrypted")
        if str(encrypted).lower() != "true":
            found = (
                "is not set (AWS default: the snapshot's / account default, unencrypted unless EBS encryption "
                "by default is on)"
                if encrypted is None
                else f"is {encrypted!r}"
            )
            yield f'Launch template {r.name!r}: blockDeviceMappings[{i}].ebs.encrypted {found}; it must be "true".'
        if needs_cmk and not ebs.get("kmsKeyId"):
            yield (
                f"Launch template {r.name!r}: blockDeviceMappings[{i}].ebs.kmsKeyId is not set (AWS default: the "
                f"AWS managed aws/ebs key); data classification {r.classification or 'unset'!r} requires a "
                "customer-managed KMS key."
            )
    if not ebs_found:
        yield (
            f"Launch template {r.name!r}: blockDeviceMappings defines no EBS volume (AWS default: the root volume "
            "follows the AMI snapshot and account default, unencrypted unless EBS encryption by default is on); "
            'it must define the root volume with ebs.encrypted = "true".'
        )
