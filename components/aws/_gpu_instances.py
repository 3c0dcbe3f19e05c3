"""NVIDIA GPU instance types a ``GpuNodePool`` accepts, and how many GPUs each brings.

One table: instance family -> {size: NVIDIA GPUs per instance}. Only x86_64 families that both EKS-optimized
NVIDIA AMI types (``AL2023_x86_64_NVIDIA``, ``BOTTLEROCKET_x86_64_NVIDIA``) support are listed; every type is
in botocore's ``ec2`` ``InstanceType`` enum (a test checks it).

Sources:

- GPUs per instance: Amazon EC2 Instance Types guide, "Accelerated computing instances" (accelerator
  specifications), https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html, and the family pages
  (https://aws.amazon.com/ec2/instance-types/g6e/, .../p5/).
- Families the EKS NVIDIA AMIs support: Amazon EKS User Guide, "Use EKS-optimized accelerated AMIs for GPU
  instances", https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html.

Left out on purpose: fractional-GPU families (``g6f``, ``gr6f``: a GPU partition, not a GPU), ``g7e`` (needs NVIDIA
driver 595; the EKS Bottlerocket NVIDIA AMIs ship 580), ``p3``/``p3dn`` (previous generation), Arm ``g5g`` (the
``*_ARM_64_NVIDIA`` AMI types), and Inferentia/Trainium (Neuron AMIs, ``aws.amazon.com/neuron``).
"""

from __future__ import annotations

#: family -> size -> NVIDIA GPUs per instance.
GPU_INSTANCES: dict[str, dict[str, int]] = {
    # NVIDIA T4
    "g4dn": {
        "xlarge": 1,
        "2xlarge": 1,
        "4xlarge": 1,
        "8xlarge": 1,
        "16xlarge": 1,
        "12xlarge": 4,
        "metal": 8,
    },
    # NVIDIA A10G
    "g5": {
        "xlarge": 1,
        "2xlarge": 1,
        "4xlarge": 1,
        "8xlarge": 1,
        "16xlarge": 1,
        "12xlarge": 4,
        "24xlarge": 4,
        "48xlarge": 8,
    },
    # NVIDIA L4
    "g6": {
        "xlarge": 1,
        "2xlarge": 1,
        "4xlarge": 1,
        "8xlarge": 1,
        "16xlarge": 1,
        "12xlarge": 4,
        "24xlarge": 4,
        "48xlarge": 8,
    },
    "gr6": {"4xlarge": 1, "8xlarge": 1},
    # NVIDIA L40S
    "g6e": {
        "xlarge": 1,
        "2xlarge": 1,
        "4xlarge": 1,
        "8xlarge": 1,
        "16xlarge": 1,
        "12xlarge": 4,
        "24xlarge": 4,
        "48xlarge": 8,
    },
    # NVIDIA A100 40 GB / 80 GB
    "p4d": {"24xlarge": 8},
    "p4de": {"24xlarge": 8},
    # NVIDIA H100, H200
    "p5": {"4xlarge": 1, "48xlarge": 8},
    "p5e": {"48xlarge": 8},
    "p5en": {"48xlarge": 8},
    # NVIDIA B200, B300
    "p6-b200": {"48xlarge": 8},
    "p6-b300": {"48xlarge": 8},
}


def gpus(instance_type: str) -> int | None:
    """NVIDIA GPUs of ``instance_type`` (``g6e.12xlarge`` -> 4), or None when the table does not list it."""
    family, _, size = instance_type.partition(".")
    return GPU_INSTANCES.get(family, {}).get(size)


def unknown_type_error(field: str, instance_type: str) -> str:
    """Why ``instance_type`` is refused, and which types its family (or the table) offers."""
    family, _, size = instance_type.partition(".")
    sizes = GPU_INSTANCES.get(family)
    if sizes is None:
        return (
            f"{field}: {instance_type!r} is not an NVIDIA GPU instance type of a family the EKS NVIDIA AMIs support; "
            f"use one of the families {', '.join(sorted(GPU_INSTANCES))} (e.g. g6e.xlarge, p5.48xlarge)"
        )
    return f"{field}: {family} has no size {size!r}; use one of " + ", ".join(
        f"{family}.{s} ({n} GPU{'s' if n > 1 else ''})" for s, n in sizes.items()
    )
