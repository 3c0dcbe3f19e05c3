"""GPU-2: launch templates do not give their network interfaces a public IP.

Applied to every launch template (see gpu_1_launch_template_imdsv2). An absent
``associatePublicIpAddress`` follows the subnet's ``mapPublicIpOnLaunch``, which
gpu-2-eks-node-group-private-subnets checks for node groups.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

SPEC = Spec(
    control="GPU-2",
    name="gpu-2-launch-template-no-public-ip",
    description=(
        'EC2 launch templates do not set networkInterfaces[].associatePublicIpAddress = "true": nodes get no '
        "public IP address and stay reachable only inside the VPC."
    ),
    remediation_steps=(
        'Remove `associate_public_ip_address` from the template\'s network interfaces (or set it to "false") '
        "and place the nodes in private subnets that reach AWS services through VPC endpoints or a NAT gateway."
    ),
    resource_types=("aws:ec2/launchTemplate:LaunchTemplate",),
    security_hub=("EC2.25",),
)


@resource_policy(SPEC)
def gpu_2_launch_template_no_public_ip(r: Resource) -> Iterable[str]:
    for i, interface in enumerate(r.get("networkInterfaces") or []):
        value = interface.get("associatePublicIpAddress")
        if value is not None and str(value).lower() == "true":
            yield (
                f"Launch template {r.name!r}: networkInterfaces[{i}].associatePublicIpAddress is {value!r}; it "
                'must be unset or "false" (no public IP on nodes).'
            )
