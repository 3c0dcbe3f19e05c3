"""AuditConfig (GCP): Data Access audit logs for the AI services, and a locked sink bucket."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import ValidationError

from components._common import CreateKey, ExistingKey, Ownership
from components.gcp import Retention
from components.gcp.audit_config import REQUIRED_SERVICES, AuditConfigArgs, AuditSink, missing_audit_logs
from tests.components.gcp_helpers import PROJECT_NUMBER, protected, run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

IMPORT = "from components.gcp.audit_config import *\n"
#: Named `logs`: the helpers leave out resources named `audit` (their own stack-level audit config).
DEFAULT = IMPORT + 'AuditConfig("logs", AuditConfigArgs(ownership=o))'
SINK = IMPORT + 'AuditConfig("logs", AuditConfigArgs(ownership=o, sink=AuditSink(location="us-central1")))'
ALL = (
    IMPORT
    + 'AuditConfig("logs", AuditConfigArgs(ownership=sandbox, all_services=True, deletion_protection=False, '
    'sink=AuditSink(location="US", bucket_name="ml-audit-logs", expire_after_retention=False, '
    "retention=Retention(days=30, lock=True, confirm_irreversible_lock=True))))"
)
DATASET = 'LockedBucket("data", LockedBucketArgs(ownership=o, location="us-central1"))\n'
LOG_TYPES = [{"logType": "ADMIN_READ"}, {"logType": "DATA_READ"}, {"logType": "DATA_WRITE"}]
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
KEY = "projects/sec-keys/locations/us-central1/keyRings/r/cryptoKeys/k"


def test_default_children_and_audit_log_configs() -> None:
    c = run(DEFAULT)
    assert children(c) == [
        ("aiwarden:gcp:AuditConfig", "logs"),
        ("gcp:projects/iAMAuditConfig:IAMAuditConfig", "logs-audit-aiplatform"),
        ("gcp:projects/iAMAuditConfig:IAMAuditConfig", "logs-audit-secretmanager"),
        ("gcp:projects/iAMAuditConfig:IAMAuditConfig", "logs-audit-storage"),
    ]
    for service in ("storage", "aiplatform", "secretmanager"):
        assert parent_name(c, f"logs-audit-{service}") == "logs"
        assert inputs(c, f"logs-audit-{service}") == {
            "project": "aiwarden-offline",
            "service": f"{service}.googleapis.com",
            "auditLogConfigs": LOG_TYPES,
        }
        # authoritative per service: destroying this stack (or dropping a service) never turns the logs off
        assert retained(c, f"logs-audit-{service}") and protected(c, f"logs-audit-{service}")
    assert inventory(c) == {}


def retained(c: Any, name: str) -> bool:
    [found] = [r for r in c.resources if r.name == name]
    return bool(found.options.get("retainOnDelete"))


def test_a_stack_that_does_not_own_the_audit_configs_registers_none_and_checks_them() -> None:
    c = run(DEFAULT.replace("ownership=o", "ownership=o, manage_audit_config=False"))
    # the offline project's IAM policy (mocks) has the owning stack's allServices config: the check passes
    assert children(c) == [("aiwarden:gcp:AuditConfig", "logs")]
    # LOG-1 evidence is the owning stack's: a stack with AI assets reports it missing (exempt it in the pack config)
    assert findings(
        gate(run(DATASET + DEFAULT.replace("ownership=o)", "ownership=o, manage_audit_config=False)"))),
        "log-1",
    ) == {("log-1-gcp-data-access-audit", "stack")}


def _policy(*configs: tuple[str, tuple[str, ...]]) -> str:
    return json.dumps(
        {
            "bindings": [{"role": "roles/viewer", "members": ["group:ops@example.com"]}],
            "auditConfigs": [
                {"service": svc, "auditLogConfigs": [{"logType": t} for t in types]} for svc, types in configs
            ],
        }
    )


@pytest.mark.parametrize(
    ("policy", "services", "gaps"),
    [
        (_policy(("allServices", ("ADMIN_READ", "DATA_READ", "DATA_WRITE"))), REQUIRED_SERVICES, []),
        (_policy(("allServices", ("ADMIN_READ", "DATA_READ", "DATA_WRITE"))), ("allServices",), []),
        (
            _policy(
                ("storage.googleapis.com", ("ADMIN_READ", "DATA_READ", "DATA_WRITE")),
                ("aiplatform.googleapis.com", ("DATA_READ",)),
                ("allServices", ("ADMIN_READ",)),
            ),
            REQUIRED_SERVICES,
            [
                "aiplatform.googleapis.com (DATA_WRITE)",
                "secretmanager.googleapis.com (DATA_READ, DATA_WRITE)",
            ],
        ),
        ('{"bindings": []}', ("allServices",), ["allServices (ADMIN_READ, DATA_READ, DATA_WRITE)"]),
        ("", ("storage.googleapis.com",), ["storage.googleapis.com (ADMIN_READ, DATA_READ, DATA_WRITE)"]),
    ],
)
def test_the_check_names_each_service_and_log_type_left_off(
    policy: str, services: tuple[str, ...], gaps: list[str]
) -> None:
    assert missing_audit_logs(policy, services) == gaps


def test_enable_apis_enables_resource_manager_and_the_sink_apis_first() -> None:
    c = run(SINK.replace("ownership=o", "ownership=o, enable_apis=True"))
    apis = {"logs-api-cloudresourcemanager", "logs-api-logging", "logs-api-storage", "logs-api-cloudkms"}
    assert {n for _, n in children(c) if "-api-" in n} == apis
    assert inputs(c, "logs-api-cloudresourcemanager") == {
        "service": "cloudresourcemanager.googleapis.com",
        "disableOnDestroy": False,
    }
    for name in ("logs-audit-storage", "logs-bucket", "logs-sink", "logs-cmek-ring"):
        assert apis <= depends_on(c, name), name


def test_default_meets_log_1_and_has_zero_findings() -> None:
    assert findings(gate(run(DEFAULT))) == set()
    with_dataset = run(DATASET + DEFAULT)
    assert findings(gate(with_dataset), level="mandatory") == set()
    assert findings(gate(run(DATASET)), "log-1") == {("log-1-gcp-data-access-audit", "stack")}


def test_sink_children_and_locked_bucket() -> None:
    c = run(SINK)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:AuditConfig", "logs"),
            ("gcp:projects/iAMAuditConfig:IAMAuditConfig", "logs-audit-aiplatform"),
            ("gcp:projects/iAMAuditConfig:IAMAuditConfig", "logs-audit-secretmanager"),
            ("gcp:projects/iAMAuditConfig:IAMAuditConfig", "logs-audit-storage"),
            ("aiwarden:gcp:Key", "logs-cmek"),
            ("gcp:kms/keyRing:KeyRing", "logs-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "logs-cmek-key"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "logs-cmek-storage-agent"),
            ("gcp:storage/bucket:Bucket", "logs-bucket"),
            ("gcp:logging/projectSink:ProjectSink", "logs-sink"),
            ("gcp:storage/bucketIAMMember:BucketIAMMember", "logs-sink-writer"),
        ]
    )
    key_id = inputs(c, "logs-cmek-storage-agent")["cryptoKeyId"]
    assert inputs(c, "logs-cmek-storage-agent")["member"] == (
        f"serviceAccount:service-{PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com"
    )
    bucket = inputs(c, "logs-bucket")
    assert bucket == {
        "location": "us-central1",
        "publicAccessPrevention": "enforced",
        "uniformBucketLevelAccess": True,
        "encryption": {
            "defaultKmsKeyName": key_id,
            "googleManagedEncryptionEnforcementConfig": {"restrictionMode": "FullyRestricted"},
            "customerSuppliedEncryptionEnforcementConfig": {"restrictionMode": "FullyRestricted"},
        },
        "versioning": {"enabled": False},
        "retentionPolicy": {"retentionPeriod": str(400 * 86400), "isLocked": False},
        "lifecycleRules": [
            {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 1.0}},
            {"action": {"type": "Delete"}, "condition": {"age": 400.0}},
        ],
        "forceDestroy": False,
        "requesterPays": False,
        "deletionPolicy": "PREVENT",
        "labels": OWNERSHIP,
    }
    assert protected(c, "logs-bucket")
    assert "logs-cmek-storage-agent" in depends_on(c, "logs-bucket")
    name = bucket_name(c)
    assert inputs(c, "logs-sink") == {
        "project": "aiwarden-offline",
        "description": "aiwarden logs: every Cloud Audit Logs entry into a locked bucket",
        "destination": f"storage.googleapis.com/{name}",
        "filter": 'logName:"cloudaudit.googleapis.com"',
        "uniqueWriterIdentity": True,
    }
    writer = inputs(c, "logs-sink-writer")
    assert (writer["bucket"], writer["role"]) == (name, "roles/storage.objectCreator")
    # member: the sink's writer identity, known once the sink exists (the offline mocks return none)
    assert set(inventory(c)) == {"logs-cmek-key"}  # the key records itself; the bucket is evidence


def bucket_name(c: Any) -> str:
    [found] = [r for r in c.resources if r.name == "logs-bucket"]
    return str(found.outputs["name"])


def test_sink_has_zero_findings_in_both_modes() -> None:
    assert findings(gate(run(DATASET + SINK)), level="mandatory") == set()
    assert findings(gate(run(DATASET + SINK, preview_mode=True)), level="mandatory") == set()


def test_all_services_locked_sink_outside_production() -> None:
    c = run(ALL)
    assert [n for _, n in children(c) if n.startswith("logs-audit")] == ["logs-audit-all-services"]
    assert inputs(c, "logs-audit-all-services")["service"] == "allServices"
    bucket = inputs(c, "logs-bucket")
    assert (bucket["name"], bucket["location"]) == ("ml-audit-logs", "US")
    assert bucket["retentionPolicy"] == {"retentionPeriod": str(30 * 86400), "isLocked": True}
    assert bucket["lifecycleRules"] == [
        {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 1.0}}
    ]
    assert (bucket["deletionPolicy"], protected(c, "logs-bucket")) == ("DELETE", False)
    # outside production the audit configs may be unprotected, but a destroy still leaves them on
    assert not protected(c, "logs-audit-all-services") and retained(c, "logs-audit-all-services")
    assert inputs(c, "logs-cmek-ring")["location"] == "us"
    assert findings(gate(c, environment="sandbox"), level="mandatory") == set()


def test_existing_key() -> None:
    c = run(
        IMPORT + f'AuditConfig("logs", AuditConfigArgs(ownership=o, sink=AuditSink(location="us-central1", '
        f'kms_key=ExistingKey(key="{KEY}"))))'
    )
    assert not [n for _, n in children(c) if n.startswith("logs-cmek")]
    assert inputs(c, "logs-bucket")["encryption"]["defaultKmsKeyName"] == KEY


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        AuditConfigArgs.model_validate(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"services": ("storage.googleapis.com",)}, ["services", "aiplatform.googleapis.com", "LOG-1"]),
        ({"services": (*REQUIRED_SERVICES, "storage.googleapis.com")}, ["services", "listed twice"]),
        ({"services": (*REQUIRED_SERVICES, "bigquery")}, ["services", "'bigquery' is not a service name"]),
        ({"deletion_protection": False}, ["deletion_protection=False: production data"]),
        (
            {"sink": AuditSink(location="us-central1", kms_key=CreateKey(deletion_window_days=7))},
            ["sink.kms_key"],
        ),
        (
            {"sink": AuditSink(location="us-central1", kms_key=ExistingKey(key="arn:aws:kms:x"))},
            ["sink.kms_key", "not a Cloud KMS crypto key id"],
        ),
        (
            {"sink": AuditSink(location="europe-west1", kms_key=ExistingKey(key=KEY))},
            ["sink.kms_key", "the key is in location 'us-central1'"],
        ),
        (
            {"sink": {"location": "us-central1", "retention": {"days": 30, "lock": True}}},
            ["confirm_irreversible"],
        ),
        ({"sink": {"location": "us central"}}, ["sink.location"]),
        ({"sink": {"location": "US", "bucket_name": "google-logs"}}, ["sink.bucket_name"]),
        ({"project": "Bad_Project"}, ["project"]),
        (
            {"exempted_members": ["user:a@example.com"]},
            ["exempted_members", "Extra inputs are not permitted"],
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({"ownership": OWN, **changes})
    for fragment in fragments:
        assert fragment in text, text


VALID: dict[str, Any] = {
    "ownership": {
        "owner": "ml-platform",
        "environment": "sandbox",
        "data_classification": "confidential",
        "purpose": "training",
    },
    "project": "ml-data-prod",
    "services": [*REQUIRED_SERVICES, "bigquery.googleapis.com"],
    "all_services": False,
    "sink": {
        "location": "us-central1",
        "bucket_name": "ml-audit",
        "kms_key": {"kind": "existing", "key": KEY},
        "retention": {"days": 30, "lock": True, "confirm_irreversible_lock": True},
        "expire_after_retention": False,
    },
    "deletion_protection": False,
}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.text(max_size=30),
    st.sampled_from(["allServices", "storage.googleapis.com", KEY, "US", "x" * 300]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


def test_valid_baseline() -> None:
    assert AuditConfigArgs.model_validate(VALID).audited()[-1] == "bigquery.googleapis.com"
    assert AuditSink(location="US").retention == Retention(days=400)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from([k for k in VALID if k != "ownership"]), value=VALUES)
def test_any_field_value_is_validated_or_refused_with_a_validation_error(field: str, value: Any) -> None:
    try:
        args = AuditConfigArgs.model_validate({**VALID, field: value})
    except ValidationError:
        return
    audited = args.audited()
    assert audited == ("allServices",) or set(REQUIRED_SERVICES) <= set(audited)
