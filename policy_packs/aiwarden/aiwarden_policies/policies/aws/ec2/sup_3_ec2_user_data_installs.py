"""SUP-3: EC2 user data installs nothing from untrusted sources at boot.

Scans launch template ``userData`` (base64, as AWS requires) and instance ``userData`` (plain text)
/ ``userDataBase64``, decoded tolerantly (see ``lib.scripts``).
"""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy
from aiwarden_policies.lib.scripts import APPROVED, CONFIG, script_problems

SCRIPT_PATHS: dict[str, tuple[str, ...]] = {
    "aws:ec2/launchTemplate:LaunchTemplate": ("userData",),
    "aws:ec2/instance:Instance": ("userData", "userDataBase64"),
}

SPEC = Spec(
    control="SUP-3",
    name="sup-3-ec2-user-data-installs",
    description=(
        "EC2 launch template and instance user data do not pipe downloads into a shell (curl | sh), pip install "
        f"from a URL, or point pip at an index host outside the stack's {APPROVED}."
    ),
    remediation_steps=(
        "Bake packages into the AMI or container image (scanned, pinned by digest); if a boot-time install is "
        f"unavoidable, install pinned versions from the platform's package mirror and list its host in {APPROVED}."
    ),
    resource_types=tuple(SCRIPT_PATHS),
    config=CONFIG,
)


@resource_policy(SPEC)
def sup_3_ec2_user_data_installs(r: Resource) -> Iterable[str]:
    label = f"{r.type.rsplit(':', 1)[-1]} {r.name!r}"
    yield from script_problems(label, ((p, r.get(p)) for p in SCRIPT_PATHS[r.type]), r.config)
