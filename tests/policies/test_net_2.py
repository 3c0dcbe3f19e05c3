"""NET-2: AI namespaces enforce restricted Pod Security and have a default-deny NetworkPolicy."""

from __future__ import annotations

import pytest

from tests.harness import (
    DELETE,
    UNKNOWN,
    cannot_run,
    capture,
    drop,
    findings,
    gate,
    message,
    resource,
    set_input,
    undecided,
    unknowns,
)

PSS = "net-2-namespace-restricted-pod-security"
DENY = "net-2-namespace-default-deny"

BASELINE = """
import pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
RESTRICTED = {**LABELS, "pod-security.kubernetes.io/enforce": "restricted"}
DENY_ALL = k8s.networking.v1.NetworkPolicySpecArgs(pod_selector=k8s.meta.v1.LabelSelectorArgs(),
                                                   policy_types=["Ingress", "Egress"])
# An auto-named namespace; its policy refers to it through ns.metadata.name (a property dependency).
ml = k8s.core.v1.Namespace("ml", metadata=k8s.meta.v1.ObjectMetaArgs(labels=RESTRICTED))
k8s.networking.v1.NetworkPolicy("ml-deny", metadata=k8s.meta.v1.ObjectMetaArgs(namespace=ml.metadata.name,
                                                                               labels=LABELS), spec=DENY_ALL)
k8s.networking.v1.NetworkPolicy("ml-allow-dns", metadata=k8s.meta.v1.ObjectMetaArgs(
    namespace=ml.metadata.name, labels=LABELS), spec=k8s.networking.v1.NetworkPolicySpecArgs(
    pod_selector=k8s.meta.v1.LabelSelectorArgs(), policy_types=["Egress"],
    egress=[k8s.networking.v1.NetworkPolicyEgressRuleArgs(ports=[k8s.networking.v1.NetworkPolicyPortArgs(
        port=53, protocol="UDP")])]))
# A namespace named explicitly; its policy names it by string (no dependency).
k8s.core.v1.Namespace("serving", metadata=k8s.meta.v1.ObjectMetaArgs(name="serving", labels=RESTRICTED))
k8s.networking.v1.NetworkPolicy("serving-deny", metadata=k8s.meta.v1.ObjectMetaArgs(namespace="serving",
                                                                                    labels=LABELS), spec=DENY_ALL)
# A namespace whose default deny is split in two policies, one per direction (the ingress one leaves
# policyTypes to the Kubernetes default, Ingress).
training = k8s.core.v1.Namespace("training", metadata=k8s.meta.v1.ObjectMetaArgs(labels=RESTRICTED))
k8s.networking.v1.NetworkPolicy("training-deny-ingress", metadata=k8s.meta.v1.ObjectMetaArgs(
    namespace=training.metadata.name, labels=LABELS), spec=k8s.networking.v1.NetworkPolicySpecArgs(
    pod_selector=k8s.meta.v1.LabelSelectorArgs()))
k8s.networking.v1.NetworkPolicy("training-deny-egress", metadata=k8s.meta.v1.ObjectMetaArgs(
    namespace=training.metadata.name, labels=LABELS), spec=k8s.networking.v1.NetworkPolicySpecArgs(
    pod_selector=k8s.meta.v1.LabelSelectorArgs(), policy_types=["Egress"]))
# System namespaces belong to the cluster: out of scope.
k8s.core.v1.Namespace("kube-system", metadata=k8s.meta.v1.ObjectMetaArgs(name="kube-system", labels=LABELS))
"""


def test_compliant_baseline_has_no_net2_finding() -> None:
    assert findings(gate(capture(BASELINE)), "net-2") == set()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (DELETE, "is not set (cluster default: privileged)"),
        ("baseline", "is 'baseline'"),
    ],
)
def test_namespace_must_enforce_restricted(value: object, expected: str) -> None:
    c = set_input(
        capture(BASELINE), "ml", ["metadata", "labels", "pod-security.kubernetes.io/enforce"], value
    )
    report = gate(c)
    assert findings(report, "net-2") == {(PSS, "ml")}
    assert message(report, PSS, "ml") == (
        f"kubernetes:core/v1:Namespace 'ml': label pod-security.kubernetes.io/enforce {expected}; must be 'restricted'."
    )
    violation = next(v for v in report.violations if v.policy == PSS)
    assert (violation.control, violation.severity, violation.enforcement_level) == (
        "NET-2",
        "high",
        "mandatory",
    )


def test_namespace_without_any_network_policy() -> None:
    c = set_input(capture(BASELINE), "serving-deny", "metadata.namespace", "other")
    report = gate(c)
    assert findings(report, "net-2") == {(DENY, "serving")}
    assert message(report, DENY, "serving") == (
        "kubernetes:core/v1:Namespace 'serving' (metadata.name 'serving') has no default deny of Ingress and Egress "
        "(a NetworkPolicy with podSelector {}, Ingress and Egress in policyTypes and no ingress or egress rules)."
    )


ML = "kubernetes:core/v1:Namespace 'ml' (metadata.name 'ml-5d58d41')"
ML_POLICIES = "its policies 'ml-allow-dns', 'ml-deny'"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            "spec.policyTypes",
            ["Ingress"],
            f"{ML} has no default deny of Egress (a NetworkPolicy with podSelector {{}}, Egress in policyTypes and "
            f"no egress rules) ({ML_POLICIES} do not deny Egress to every pod).",
        ),
        (  # absent: the Kubernetes default, Ingress only (no egress rules)
            "spec.policyTypes",
            DELETE,
            f"{ML} has no default deny of Egress (a NetworkPolicy with podSelector {{}}, Egress in policyTypes and "
            f"no egress rules) ({ML_POLICIES} do not deny Egress to every pod).",
        ),
        (
            "spec.podSelector",
            {"matchLabels": {"app": "model"}},
            f"{ML} has no default deny of Ingress and Egress (a NetworkPolicy with podSelector {{}}, Ingress and "
            f"Egress in policyTypes and no ingress or egress rules) ({ML_POLICIES} do not deny Ingress and Egress "
            "to every pod).",
        ),
        (
            "spec.ingress",
            [{}],
            f"{ML} has no default deny of Ingress (a NetworkPolicy with podSelector {{}}, Ingress in policyTypes and "
            f"no ingress rules) ({ML_POLICIES} do not deny Ingress to every pod).",
        ),
    ],
)
def test_policy_that_is_not_a_default_deny(path: str, value: object, expected: str) -> None:
    report = gate(set_input(capture(BASELINE), "ml-deny", path, value))
    assert findings(report, "net-2") == {(DENY, "ml")}
    assert message(report, DENY, "ml") == expected


@pytest.mark.parametrize(
    ("dropped", "missing"), [("training-deny-ingress", "Ingress"), ("training-deny-egress", "Egress")]
)
def test_split_default_deny_needs_both_directions(dropped: str, missing: str) -> None:
    report = gate(drop(capture(BASELINE), dropped))
    assert findings(report, "net-2") == {(DENY, "training")}
    assert f"has no default deny of {missing} (" in message(report, DENY, "training")


def test_split_default_deny_with_rules_is_not_a_deny() -> None:
    c = set_input(capture(BASELINE), "training-deny-egress", "spec.egress", [{"ports": [{"port": 53}]}])
    report = gate(c)
    assert findings(report, "net-2") == {(DENY, "training")}
    assert "has no default deny of Egress (" in message(report, DENY, "training")
    c = set_input(capture(BASELINE), "training-deny-ingress", "spec.policyTypes", ["Egress"])
    assert findings(gate(c), "net-2") == {(DENY, "training")}


def test_policy_in_the_default_namespace_does_not_count() -> None:
    c = set_input(capture(BASELINE), "serving-deny", "metadata.namespace", DELETE)
    assert findings(gate(c), "net-2") == {(DENY, "serving")}


def test_system_namespace_is_skipped() -> None:
    c = set_input(capture(BASELINE), "serving", "metadata.name", "kube-public")
    set_input(c, "serving", ["metadata", "labels", "pod-security.kubernetes.io/enforce"], "privileged")
    assert findings(gate(c), "net-2") == set()


def test_sandbox_is_advisory() -> None:
    c = set_input(
        capture(BASELINE), "ml", ["metadata", "labels", "pod-security.kubernetes.io/enforce"], DELETE
    )
    set_input(c, "serving-deny", "metadata.namespace", "other")
    report = gate(c, environment="sandbox")
    assert findings(report, "net-2", level="advisory") == {(PSS, "ml"), (DENY, "serving")}
    assert findings(report, "net-2", level="mandatory") == set()


def test_exemption_of_a_namespace() -> None:
    c = set_input(capture(BASELINE), "serving-deny", "metadata.namespace", "other")
    reason = "Serving namespace migrates to Cilium policies in PLAT-77, due 2026-03-01."
    report = gate(c, {DENY: {"exemptions": [{"resource": "serving", "justification": reason}]}})
    assert findings(report, "net-2") == set()


def test_relation_by_dependency_at_preview() -> None:
    report = gate(capture(BASELINE, preview_mode=True))
    assert findings(report, "net-2") == set()
    assert [v for v in report.violations if v.policy.startswith("net-2")] == []


def test_unknown_labels_and_policy_types_at_preview() -> None:
    c = set_input(capture(BASELINE, preview_mode=True), "ml", "metadata.labels", UNKNOWN)
    set_input(c, "ml-deny", "spec.policyTypes", UNKNOWN)
    report = gate(c)
    # the stack policy names the namespace it could not decide
    assert unknowns(report, "net-2") == {(PSS, "ml", "advisory"), (DENY, "ml", "advisory")}
    assert findings(report, "net-2") == set()


def test_preview_decides_every_namespace_it_can() -> None:
    # `ml`'s deny policy has policy types unknown at preview: `ml` waits; `serving`, without any policy, is reported.
    c = drop(capture(BASELINE, preview_mode=True), "serving-deny")
    set_input(c, "ml-deny", "spec.policyTypes", UNKNOWN)
    report = gate(c)
    assert findings(report, "net-2") == {(DENY, "serving")}
    assert message(report, DENY, "serving") == (
        "kubernetes:core/v1:Namespace 'serving' (metadata.name 'serving') has no default deny of Ingress and Egress "
        "(a NetworkPolicy with podSelector {}, Ingress and Egress in policyTypes and no ingress or egress rules)."
    )
    assert undecided(report, DENY) == {
        "ml": (
            resource(c, "ml").urn,
            cannot_run(DENY)
            + "NetworkPolicy 'ml-deny': string value at .spec.policyTypes can't be known during "
            "preview",
        )
    }
