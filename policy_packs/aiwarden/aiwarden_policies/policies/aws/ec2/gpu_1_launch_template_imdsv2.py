"""GPU-1: launch templates require IMDSv2 with a PUT response hop limit of 1.

Applied to every launch template, not only GPU ones: a template's instance type is often chosen by
the node group that uses it, so GPU-ness is not reliably visible here, and hardened metadata costs
nothing on CPU nodes.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

SPEC = Spec(
    control="GPU-1",
    name="gpu-1-launch-template-imdsv2",
    description=(
        "EC2 launch templates (the nodes of GPU node groups) require IMDSv2 (metadataOptions.httpTokens = "
        "required) with metadataOptions.httpPutResponseHopLimit = 1, so pods cannot reach the node role's "
        "credentials through the instance metadata service; httpEndpoint = disabled is compliant too."
    ),
    remediation_steps=(
        'Set `metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required", '
        "http_put_response_hop_limit=1)` on the launch template (the components' GPU node group does). Pods that "
        "need AWS access get their own identity (EKS Pod Identity / IRSA), never the node's."
    ),
    resource_types=("aws:ec2/launchTemplate:LaunchTemplate",),
    security_hub=("EC2.170",),
)


@resource_policy(SPEC)
def gpu_1_launch_template_imdsv2(r: Resource) -> Iterable[str]:
    endpoint = r.get("metadataOptions.httpEndpoint")
    if str(endpoint).lower() == "disabled":
        return
    tokens = r.get("metadataOptions.httpTokens")
    if tokens is None:
        # AWS default: optional (IMDSv1 allowed) unless the AMI is registered with ImdsSupport v2.0.
        yield (
            f"Launch template {r.name!r}: metadataOptions.httpTokens is not set (AWS default: optional, "
            'IMDSv1 allowed); it must be "required".'
        )
    elif str(tokens).lower() != "required":
        yield f'Launch template {r.name!r}: metadataOptions.httpTokens is {tokens!r}; it must be "required".'
    hops = r.get("metadataOptions.httpPutResponseHopLimit")
    if hops is None:
        # AWS default: 1, but 2 for AMIs registered with ImdsSupport v2.0 (the EKS AL2023 AMIs): not reliable.
        yield (
            f"Launch template {r.name!r}: metadataOptions.httpPutResponseHopLimit is not set (AWS default: 1, "
            "or 2 for AMIs with ImdsSupport v2.0 such as the EKS AL2023 AMIs); it must be 1."
        )
    elif float(hops) != 1:
        yield (
            f"Launch template {r.name!r}: metadataOptions.httpPutResponseHopLimit is {float(hops):g}; it must be "
            "1 (a limit above 1 lets containers reach the node's metadata credentials)."
        )
