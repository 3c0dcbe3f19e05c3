"""The aiwarden policy pack: every control of the catalog, as CrossGuard policies.

Started by the Pulumi engine (``pulumi preview --policy-pack policy_packs/aiwarden``) or by
``aiwarden check``; both run ``python -m pulumi.policy`` in this folder.
"""

from pulumi_policy import PolicyPack

from aiwarden_policies.registry import as_pulumi_policies

PolicyPack(
    name="aiwarden",
    policies=as_pulumi_policies(),
    description="aiwarden controls for AI workloads on AWS, GCP and Kubernetes.",
    provider="aws,gcp,kubernetes",
    tags=["ai", "security", "aiwarden"],
)
