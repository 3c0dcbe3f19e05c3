"""NB-1: Vertex AI Workbench instances have no public IP and run in a subnet of the platform network."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INSTANCE = "gcp:workbench/instance:Instance"

SPEC = Spec(
    control="NB-1",
    name="nb-1-workbench-no-public-ip",
    description=(
        "Workbench instances set `gceSetup.disablePublicIp` true (absent means the Google default, false: an "
        "external IP), declare no `gceSetup.networkInterfaces[].accessConfigs` (external NAT IPs), and name a "
        "`subnet` of the platform network (absent means the project's default network)."
    ),
    remediation_steps=(
        "Set `gce_setup=gcp.workbench.InstanceGceSetupArgs(disable_public_ip=True, network_interfaces=["
        "gcp.workbench.InstanceGceSetupNetworkInterfaceArgs(network=..., subnet=...)])` without `access_configs`; "
        "reach Google APIs through Private Google Access and the internet (if at all) through Cloud NAT / a proxy."
    ),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def nb_1_workbench_no_public_ip(r: Resource) -> Iterable[str]:
    public_ip = r.get("gceSetup.disablePublicIp")
    if public_ip is None:  # Google default: false (external IP assigned)
        yield (
            f"Workbench instance {r.name!r}: gceSetup.disablePublicIp is not set (Google default: false, an external "
            "IP); it must be true."
        )
    elif public_ip is not True:
        yield f"Workbench instance {r.name!r}: gceSetup.disablePublicIp is {public_ip!r}; it must be true."
    interfaces = list(r.get("gceSetup.networkInterfaces") or [])
    for i, nic in enumerate(interfaces):
        if nic.get("accessConfigs"):
            yield (
                f"Workbench instance {r.name!r}: gceSetup.networkInterfaces[{i}].accessConfigs assigns an external "
                "IP; remove it."
            )
    if not any(nic.get("subnet") for nic in interfaces):
        yield (
            f"Workbench instance {r.name!r}: gceSetup.networkInterfaces[].subnet is not set (Google default: the "
            "project's default network); it must name a private subnet of the platform network."
        )
