"""SUP-1: ECR repositories scanned (repository or registry-wide), immutable, KMS; Artifact Registry hardened."""

from __future__ import annotations

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns
from tests.policies.programs import SUP_BASELINE

SCANNING = "sup-1-ecr-image-scanning"
SETTINGS = "sup-1-ecr-repository-settings"
AR = "sup-1-artifact-registry-docker"


def test_compliant_baseline_has_no_sup_finding() -> None:
    c = capture(SUP_BASELINE)
    assert c.error is None
    assert findings(gate(c), "sup-") == set()


def test_repository_without_scan_on_push_and_not_covered() -> None:
    c = set_input(capture(SUP_BASELINE), "models", "imageScanningConfiguration", DELETE)
    report = gate(c)
    assert findings(report, "sup-1") == {(SCANNING, "models")}
    assert message_list(report, SCANNING) == [
        "ECR repository 'models': imageScanningConfiguration.scanOnPush is not set (AWS default: false) and no "
        "registry scanning rule (SCAN_ON_PUSH / CONTINUOUS_SCAN) covers it; images must be scanned."
    ]


def test_registry_scanning_rule_covers_matching_repositories_only() -> None:
    c = set_input(capture(SUP_BASELINE), "registry-scanning", "rules.0.repositoryFilters.0.filter", "models")
    assert findings(gate(c), "sup-1") == {(SCANNING, "mirror")}
    c = set_input(capture(SUP_BASELINE), "registry-scanning", "rules.0.scanFrequency", "MANUAL")
    assert findings(gate(c), "sup-1") == {(SCANNING, "mirror")}
    c = set_input(capture(SUP_BASELINE), "registry-scanning", "rules.0.repositoryFilters.0.filter", "*")
    set_input(c, "models", "imageScanningConfiguration.scanOnPush", False)  # registry-wide scanning wins
    assert findings(gate(c), "sup-1") == set()


def test_missing_registry_scanning_configuration_is_a_violation() -> None:
    c = capture(SUP_BASELINE)
    c.resources = [r for r in c.resources if r.name != "registry-scanning"]
    assert findings(gate(c), "sup-1") == {(SCANNING, "mirror")}


def test_mutable_tags_and_aes256_defaults() -> None:
    c = set_input(capture(SUP_BASELINE), "models", "imageTagMutability", DELETE)
    set_input(c, "models", "encryptionConfigurations", DELETE)
    report = gate(c)
    assert findings(report, "sup-1") == {(SETTINGS, "models")}
    assert message_list(report, SETTINGS) == [
        "ECR repository 'models': encryptionConfigurations is not set (AWS default: AES256); encryptionType must "
        "be KMS.",
        "ECR repository 'models': imageTagMutability is not set (AWS default: MUTABLE); it must be IMMUTABLE.",
    ]
    c = set_input(capture(SUP_BASELINE), "models", "imageTagMutability", "IMMUTABLE_WITH_EXCLUSION")
    assert findings(gate(c), "sup-1") == {(SETTINGS, "models")}
    c = set_input(capture(SUP_BASELINE), "models", "encryptionConfigurations.0.encryptionType", "AES256")
    assert findings(gate(c), "sup-1") == {(SETTINGS, "models")}


def test_remediation_turns_on_scan_on_push_in_place() -> None:
    c = set_input(capture(SUP_BASELINE), "models", "imageScanningConfiguration", DELETE)
    report = gate(c, {SETTINGS: "remediate"})
    [rem] = [r for r in report.remediations if r.resource_name == "models"]
    assert rem.policy == SETTINGS
    assert rem.before == {"imageScanningConfiguration": None}
    assert rem.after == {"imageScanningConfiguration": {"scanOnPush": True}}
    assert findings(report, "sup-1") == set()  # the stack policy sees the remediated repository
    # "mirror" is remediated too: a resource policy cannot see registry scanning; scanOnPush is a no-op there
    assert sorted(r.resource_name for r in report.remediations if r.policy == SETTINGS) == [
        "mirror",
        "models",
    ]


def test_artifact_registry_defaults() -> None:
    c = set_input(capture(SUP_BASELINE), "images", "kmsKeyName", DELETE)
    set_input(c, "images", "dockerConfig", DELETE)
    report = gate(c)
    assert findings(report, "sup-1") == {(AR, "images")}
    assert message_list(report, AR) == [
        "Artifact Registry repository 'images': dockerConfig.immutableTags is not set (Google default: false); it "
        "must be true.",
        "Artifact Registry repository 'images': kmsKeyName is not set (Google default: Google-managed key); it "
        "must name a Cloud KMS key.",
    ]
    c = set_input(
        capture(SUP_BASELINE), "images", "vulnerabilityScanningConfig", {"enablementConfig": "DISABLED"}
    )
    assert findings(gate(c), "sup-1") == {(AR, "images")}
    c = set_input(
        capture(SUP_BASELINE), "images", "vulnerabilityScanningConfig", {"enablementConfig": "INHERITED"}
    )
    assert findings(gate(c), "sup-1") == set()


def test_remote_repository_needs_no_immutable_tags() -> None:
    c = set_input(capture(SUP_BASELINE), "images", "dockerConfig", DELETE)
    set_input(c, "images", "mode", "REMOTE_REPOSITORY")
    assert findings(gate(c), "sup-1") == set()


def test_advisory_in_sandbox_mandatory_in_production() -> None:
    c = set_input(capture(SUP_BASELINE), "models", "imageScanningConfiguration", DELETE)
    set_input(c, "models", "imageTagMutability", "MUTABLE")
    set_input(c, "images", "kmsKeyName", DELETE)
    expected = {(SCANNING, "models"), (SETTINGS, "models"), (AR, "images")}
    assert findings(gate(c, environment="sandbox"), "sup-1", level="advisory") == expected
    assert findings(gate(c), "sup-1", level="mandatory") == expected


def test_unknowns_at_preview_are_reported_not_passed() -> None:
    c = capture(SUP_BASELINE, preview_mode=True)
    set_input(c, "models", "imageScanningConfiguration.scanOnPush", UNKNOWN)
    set_input(c, "models", "imageTagMutability", UNKNOWN)
    set_input(c, "images", "kmsKeyName", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "sup-1") == {
        (SCANNING, "models", "advisory"),
        (SETTINGS, "models", "advisory"),
        (AR, "images", "advisory"),
    }
    assert findings(report, "sup-1") == set()
