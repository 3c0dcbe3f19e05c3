"""Which NVIDIA GPUs each Compute Engine machine family takes, and how many (GKE GPU node pools).

Sources: Compute Engine "GPU machine types" (https://cloud.google.com/compute/docs/gpus) and
"Accelerator-optimized machine family" (https://cloud.google.com/compute/docs/accelerator-optimized-machines);
GKE "Run GPUs in Standard node pools" (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus).

Accelerator-optimized machine types (A2, A3, G2) come with a fixed GPU model and count: the node pool's
``guest_accelerators`` must name exactly that model and count. N1 machines take T4, V100, P100 or P4
GPUs attached in the counts listed (the vCPU and memory ceilings per GPU count are not checked here:
the API refuses a machine too large for the count). Machine types not in the table (A3 Ultra H200,
A4 B200, A4X GB200, G4 RTX PRO 6000, TPUs) are refused until they are added here with their source.
"""

from __future__ import annotations

#: Accelerator-optimized machine types: (GPU model, GPUs per machine).
FIXED: dict[str, tuple[str, int]] = {
    # A2 Standard: NVIDIA A100 40GB.
    "a2-highgpu-1g": ("nvidia-tesla-a100", 1),
    "a2-highgpu-2g": ("nvidia-tesla-a100", 2),
    "a2-highgpu-4g": ("nvidia-tesla-a100", 4),
    "a2-highgpu-8g": ("nvidia-tesla-a100", 8),
    "a2-megagpu-16g": ("nvidia-tesla-a100", 16),
    # A2 Ultra: NVIDIA A100 80GB.
    "a2-ultragpu-1g": ("nvidia-a100-80gb", 1),
    "a2-ultragpu-2g": ("nvidia-a100-80gb", 2),
    "a2-ultragpu-4g": ("nvidia-a100-80gb", 4),
    "a2-ultragpu-8g": ("nvidia-a100-80gb", 8),
    # A3 High: NVIDIA H100 80GB; A3 Mega: NVIDIA H100 Mega 80GB.
    "a3-highgpu-1g": ("nvidia-h100-80gb", 1),
    "a3-highgpu-2g": ("nvidia-h100-80gb", 2),
    "a3-highgpu-4g": ("nvidia-h100-80gb", 4),
    "a3-highgpu-8g": ("nvidia-h100-80gb", 8),
    "a3-megagpu-8g": ("nvidia-h100-mega-80gb", 8),
    # G2: NVIDIA L4.
    "g2-standard-4": ("nvidia-l4", 1),
    "g2-standard-8": ("nvidia-l4", 1),
    "g2-standard-12": ("nvidia-l4", 1),
    "g2-standard-16": ("nvidia-l4", 1),
    "g2-standard-24": ("nvidia-l4", 2),
    "g2-standard-32": ("nvidia-l4", 1),
    "g2-standard-48": ("nvidia-l4", 4),
    "g2-standard-96": ("nvidia-l4", 8),
}
#: A3 High machine types with fewer than 8 GPUs are offered only as Spot VMs (or flex-start, not offered here).
SPOT_ONLY = frozenset({"a3-highgpu-1g", "a3-highgpu-2g", "a3-highgpu-4g"})
#: N1 machine types (`n1-standard-*`, `n1-highmem-*`, `n1-highcpu-*`): attachable GPU models and counts.
N1: dict[str, tuple[int, ...]] = {
    "nvidia-tesla-t4": (1, 2, 4),
    "nvidia-tesla-v100": (1, 2, 4, 8),
    "nvidia-tesla-p100": (1, 2, 4),
    "nvidia-tesla-p4": (1, 2, 4),
}
N1_PREFIXES = ("n1-standard-", "n1-highmem-", "n1-highcpu-")


def check_accelerator(machine_type: str, accelerator: str, count: int, spot: bool) -> None:
    """Refuse a GPU model or count the machine type does not take, naming the field and the fix."""
    fixed = FIXED.get(machine_type)
    if fixed is not None:
        model, gpus = fixed
        if accelerator != model:
            raise ValueError(
                f"accelerator.type={accelerator!r}: {machine_type} comes with {model} GPUs; use "
                f"accelerator.type={model!r}, or a machine type of the family that carries {accelerator!r}"
            )
        if count != gpus:
            raise ValueError(
                f"accelerator.count={count}: {machine_type} has exactly {gpus} {model} GPU(s); use "
                f"accelerator.count={gpus}, or the {machine_type.rsplit('-', 1)[0]}-* size with {count} GPU(s)"
            )
        if machine_type in SPOT_ONLY and not spot:
            raise ValueError(
                f"machine_type={machine_type!r} is offered only as Spot VMs (A3 High with fewer than 8 GPUs); set "
                "spot=True, or use a3-highgpu-8g"
            )
        return
    if machine_type.startswith(N1_PREFIXES):
        counts = N1.get(accelerator)
        if counts is None:
            raise ValueError(
                f"accelerator.type={accelerator!r}: N1 machines take {', '.join(sorted(N1))}; use one of them, or "
                "an accelerator-optimized machine type (a2-*, a3-*, g2-*) for newer GPUs"
            )
        if count not in counts:
            raise ValueError(
                f"accelerator.count={count}: {accelerator} attaches to N1 machines in counts of "
                f"{', '.join(map(str, counts))}; use one of them"
            )
        return
    families = sorted({m.split("-")[0] for m in FIXED} | {"n1"})
    raise ValueError(
        f"machine_type={machine_type!r} is not a GPU machine type this component knows (families "
        f"{', '.join(families)}: {', '.join(sorted(FIXED))}, n1-standard/highmem/highcpu-* with "
        f"{', '.join(sorted(N1))}); use one of them"
    )
