"""The aiwarden policy pack: every control of the catalog, as CrossGuard policies.

Started by the Pulumi engine (``pulumi preview --policy-pack policy_packs/aiwarden``) or by
``aiwarden check``; both run ``python -m pulumi.policy`` in this folder.
"""

import gc

from pulumi_policy import PolicyPack

from aiwarden_policies.registry import as_pulumi_policies

POLICIES = as_pulumi_policies()
# The SDK rebuilds every resource's properties once per policy (dicts and proxies by the thousand per
# request): with the default thresholds the collector keeps rescanning the pack's long-lived objects.
# Those are frozen out of collection and young collections run less often (AnalyzeStack ~20% faster).
gc.freeze()
gc.set_threshold(50_000, 50, 100)

PolicyPack(
    name="aiwarden",
    policies=POLICIES,
    description="aiwarden controls for AI workloads on AWS, GCP and Kubernetes.",
    provider="aws,gcp,kubernetes",
    tags=["ai", "security", "aiwarden"],
)
