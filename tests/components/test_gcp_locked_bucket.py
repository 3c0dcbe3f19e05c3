"""LockedBucket (GCP): private, CMEK, versioned, soft delete, access-logged, grants per named principal."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import Ownership
from components.gcp import LockedBucketArgs
from components.gcp.locked_bucket import kms_location
from tests.components.gcp_helpers import PROJECT_NUMBER, protected, run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

DEFAULT = 'LockedBucket("data", LockedBucketArgs(ownership=o, location="us-central1"))'
OPTIONS = """
LockedBucket("data", LockedBucketArgs(
    ownership=o, location="US", project="ml-data-prod", bucket_name="ml-training-data",
    kms_key=ExistingKey(key="projects/sec-keys/locations/us/keyRings/data/cryptoKeys/training"),
    noncurrent_version_days=30, soft_delete_days=90,
    access_logs=ExistingLogBucket(name="org-access-logs"),
    access={"trainer": Grant(principal="serviceAccount:trainer@ml-data-prod.iam.gserviceaccount.com", role="read"),
            "curators": Grant(principal="group:data-curators@example.com", role="write")}))
"""
SANDBOX = 'LockedBucket("scratch", LockedBucketArgs(ownership=sandbox, location="us-central1", deletion_protection=False))'

EVIDENCE = """
LockedBucket("evidence", LockedBucketArgs(
    ownership=o, location="us-central1",
    retention=Retention(days=400, lock=True, confirm_irreversible_lock=True),
    access_logs=CreateLogBucket(retention=Retention(days=30))))
"""
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
LOCKED_DOWN = {
    "publicAccessPrevention": "enforced",
    "uniformBucketLevelAccess": True,
    "forceDestroy": False,
    "requesterPays": False,
    "labels": OWNERSHIP,
}


def _assert_locked_down(bucket: dict[str, Any], key_id: str) -> None:
    assert {k: bucket[k] for k in LOCKED_DOWN} == LOCKED_DOWN
    # only the CMEK: objects under Google-managed or customer-supplied encryption are refused
    assert bucket["encryption"] == {
        "defaultKmsKeyName": key_id,
        "googleManagedEncryptionEnforcementConfig": {"restrictionMode": "FullyRestricted"},
        "customerSuppliedEncryptionEnforcementConfig": {"restrictionMode": "FullyRestricted"},
    }


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT, audit=True)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:LockedBucket", "data"),
            ("aiwarden:gcp:Key", "data-cmek"),
            ("gcp:kms/keyRing:KeyRing", "data-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "data-cmek-key"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "data-cmek-storage-agent"),
            ("gcp:storage/bucket:Bucket", "data-logs"),
            ("gcp:storage/bucketIAMMember:BucketIAMMember", "data-logs-writer"),
            ("gcp:storage/bucket:Bucket", "data-bucket"),
        ]
    )
    assert {parent_name(c, n) for n in ("data-cmek", "data-logs", "data-logs-writer", "data-bucket")} == {
        "data"
    }
    key_id = inputs(c, "data-cmek-storage-agent")["cryptoKeyId"]
    assert inputs(c, "data-cmek-storage-agent")["member"] == (
        f"serviceAccount:service-{PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com"
    )
    assert inputs(c, "data-cmek-ring")["location"] == "us-central1"

    bucket = inputs(c, "data-bucket")
    _assert_locked_down(bucket, key_id)
    assert bucket["location"] == "us-central1"
    assert bucket["versioning"] == {"enabled": True}
    assert "retentionPolicy" not in bucket
    assert bucket["softDeletePolicy"] == {"retentionDurationSeconds": 30 * 86400.0}
    assert bucket["lifecycleRules"] == [
        {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 90.0}}
    ]
    assert bucket["logging"] == {
        "logBucket": inputs(c, "data-logs-writer")["bucket"],
        "logObjectPrefix": "data",
    }
    assert bucket["deletionPolicy"] == "PREVENT"
    assert protected(c, "data-bucket") and protected(c, "data-logs")  # Pulumi protect (IR-2: restricted data)
    assert "name" not in bucket  # auto-named
    # the service agent can use the key before the bucket exists
    assert {"data-cmek-storage-agent", "data-cmek-key", "data-logs"} <= depends_on(c, "data-bucket")

    logs = inputs(c, "data-logs")
    _assert_locked_down(logs, key_id)
    assert "logging" not in logs
    assert logs["retentionPolicy"] == {"retentionPeriod": str(365 * 86400), "isLocked": False}
    assert logs["versioning"] == {"enabled": False}  # Cloud Storage: retention and versioning are exclusive
    # usage logs are deleted once their retention has passed (provider default: kept forever)
    assert logs["lifecycleRules"] == [
        {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 90.0}},
        {"action": {"type": "Delete"}, "condition": {"age": 365.0}},
    ]
    assert "data-cmek-storage-agent" in depends_on(c, "data-logs")
    assert inputs(c, "data-logs-writer") == {
        "bucket": inputs(c, "data-logs-writer")["bucket"],
        "role": "roles/storage.objectCreator",
        "member": "group:cloud-storage-analytics@google.com",
    }
    assert inputs(c, "data-logs-writer")["bucket"].startswith("data-logs-")


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT, audit=True)), level="mandatory") == set()


def test_existing_key_existing_log_bucket_and_named_grants() -> None:
    c = run(OPTIONS, audit=True)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:LockedBucket", "data"),
            ("gcp:storage/bucket:Bucket", "data-bucket"),
            ("gcp:storage/bucketIAMMember:BucketIAMMember", "data-grant-trainer"),
            ("gcp:storage/bucketIAMMember:BucketIAMMember", "data-grant-curators"),
        ]
    )
    bucket = inputs(c, "data-bucket")
    _assert_locked_down(bucket, "projects/sec-keys/locations/us/keyRings/data/cryptoKeys/training")
    assert (bucket["name"], bucket["location"], bucket["project"]) == (
        "ml-training-data",
        "US",
        "ml-data-prod",
    )
    assert bucket["logging"] == {"logBucket": "org-access-logs", "logObjectPrefix": "data"}
    assert bucket["softDeletePolicy"] == {"retentionDurationSeconds": 90 * 86400.0}
    assert bucket["lifecycleRules"][0]["condition"] == {"daysSinceNoncurrentTime": 30.0}
    assert bucket["deletionPolicy"] == "PREVENT"
    assert protected(c, "data-bucket")
    assert inputs(c, "data-grant-trainer") == {
        "bucket": "ml-training-data",
        "role": "roles/storage.objectViewer",
        "member": "serviceAccount:trainer@ml-data-prod.iam.gserviceaccount.com",
    }
    assert inputs(c, "data-grant-curators") == {
        "bucket": "ml-training-data",
        "role": "roles/storage.objectUser",
        "member": "group:data-curators@example.com",
    }
    assert findings(gate(c), level="mandatory") == set()


def test_retention_replaces_versioning_and_locks_only_when_confirmed() -> None:
    c = run(EVIDENCE, audit=True)
    bucket = inputs(c, "evidence-bucket")
    assert bucket["retentionPolicy"] == {"retentionPeriod": str(400 * 86400), "isLocked": True}
    assert bucket["versioning"] == {"enabled": False}
    assert inputs(c, "evidence-logs")["retentionPolicy"] == {
        "retentionPeriod": str(30 * 86400),
        "isLocked": False,
    }


def test_log_bucket_expiry_follows_its_retention_and_can_be_turned_off() -> None:
    c = run(EVIDENCE, audit=True)
    assert inputs(c, "evidence-logs")["lifecycleRules"] == [
        {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 90.0}},
        {"action": {"type": "Delete"}, "condition": {"age": 30.0}},
    ]
    # the data bucket never expires by age
    assert inputs(c, "evidence-bucket")["lifecycleRules"] == [
        {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 90.0}}
    ]
    kept = run(
        DEFAULT.replace(
            'location="us-central1"',
            'location="us-central1", access_logs=CreateLogBucket(expire_after_retention=False)',
        ),
        audit=True,
    )
    assert inputs(kept, "data-logs")["lifecycleRules"] == [
        {"action": {"type": "Delete"}, "condition": {"daysSinceNoncurrentTime": 90.0}}
    ]


def test_enable_apis_enables_storage_and_kms_before_every_child() -> None:
    c = run(DEFAULT.replace('location="us-central1"', 'location="us-central1", enable_apis=True'), audit=True)
    apis = {"data-api-storage", "data-api-cloudkms"}
    assert {n for _, n in children(c) if "-api-" in n} == apis
    assert inputs(c, "data-api-storage") == {"service": "storage.googleapis.com", "disableOnDestroy": False}
    assert inputs(c, "data-api-cloudkms") == {"service": "cloudkms.googleapis.com", "disableOnDestroy": False}
    for name in ("data-cmek-ring", "data-cmek-storage-agent", "data-logs", "data-bucket"):
        assert apis <= depends_on(c, name), name
    assert findings(gate(c), level="mandatory") == set()
    # an existing key: only the Cloud Storage API
    existing = run(
        OPTIONS.replace("soft_delete_days=90,", "soft_delete_days=90, enable_apis=True,"), audit=True
    )
    assert [n for _, n in children(existing) if "-api-" in n] == ["data-api-storage"]


def test_inventory_records_the_bucket_not_its_log_bucket() -> None:
    # existing key: no key record; the log bucket is an evidence store, not an AI asset (INV-2)
    c = run(OPTIONS.replace('access_logs=ExistingLogBucket(name="org-access-logs"),', ""))
    entries = inventory(c)
    assert set(entries) == {"data-bucket"}
    assert entries["data-bucket"]["kind"] == "dataset-bucket"
    assert entries["data-bucket"]["exposure"] == "private"
    assert entries["data-bucket"]["identities"] == [
        "serviceAccount:trainer@ml-data-prod.iam.gserviceaccount.com",
        "group:data-curators@example.com",
    ]
    ir = incident_response(c)
    log_bucket = inputs(c, "data-bucket")["logging"]["logBucket"]
    assert ir["data-bucket"]["bucketsToInspect"] == ["ml-training-data"]
    assert ir["data-bucket"]["logsToPreserve"][0] == f"gs://{log_bucket}/data"
    assert ir["data-bucket"]["credentialsToRevoke"] == entries["data-bucket"]["identities"]
    assert log_bucket.startswith("data-logs-")


def test_deletion_protection_can_be_turned_off_outside_production() -> None:
    c = run(SANDBOX, audit=True)
    for name in ("scratch-bucket", "scratch-logs"):
        assert inputs(c, name)["deletionPolicy"] == "DELETE"
        assert not protected(c, name)
        assert inputs(c, name)["forceDestroy"] is False
    assert findings(gate(c, environment="sandbox"), level="mandatory") == set()


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        (
            {"access": {"web": {"principal": "allUsers", "role": "read"}}},
            "access.web.principal",
            "anyone on the internet",
        ),
        (
            {"access": {"web": {"principal": "allAuthenticatedUsers", "role": "read"}}},
            "access.web.principal",
            "anyone on the internet",
        ),
        (
            {"access": {"corp": {"principal": "domain:example.com", "role": "read"}}},
            "access.corp.principal",
            "whole set of principals",
        ),
        (
            {"access": {"x": {"principal": "user:*@example.com", "role": "read"}}},
            "access.x.principal",
            "wildcard",
        ),
        (
            {"access": {"x": {"principal": "user:bob@example.com", "role": "admin"}}},
            "access.x.role",
            "Input should be 'read' or 'write'",
        ),
        ({"access": {"x": {"principal": "user:bob@example.com"}}}, "access.x.role", "Field required"),
        ({"retention": {"days": 30, "lock": True}}, "retention", "confirm_irreversible_lock"),
        (
            {"access_logs": {"kind": "create", "retention": {"days": 30, "lock": True}}},
            "access_logs.create.retention",
            "confirm_irreversible_lock",
        ),
        ({"retention": {"days": 0}}, "retention.days", "greater than or equal to 1"),
        (
            {"kms_key": {"kind": "existing", "key": "arn:aws:kms:us-east-1:123456789012:key/abc"}},
            "kms_key",
            "not a Cloud KMS crypto key id",
        ),
        (
            {
                "kms_key": {
                    "kind": "existing",
                    "key": "projects/sec-keys/locations/europe-west4/keyRings/r/cryptoKeys/k",
                }
            },
            "kms_key",
            "must be in the data's location",
        ),
        ({"kms_key": None}, "kms_key", "Input should be"),
        (
            {"kms_key": {"kind": "create", "deletion_window_days": 7}},
            "kms_key.deletion_window_days=7",
            "(control IR-2)",
        ),
        ({"bucket_name": "Bad Name"}, "bucket_name", "pattern"),
        ({"bucket_name": "google-data"}, "bucket_name", "`goog`"),
        ({"access_logs": {"kind": "existing", "name": "x"}}, "access_logs.existing.name", "pattern"),
        ({"soft_delete_days": 0}, "soft_delete_days", "greater than or equal to 7"),
        ({"location": "us central"}, "location", "pattern"),
        ({"force_destroy": True}, "force_destroy", "Extra inputs are not permitted"),
        (
            {"deletion_protection": False},
            "deletion_protection=False",
            "production data and keys keep deletion",
        ),
        (
            {"public_access_prevention": "inherited"},
            "public_access_prevention",
            "Extra inputs are not permitted",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        LockedBucketArgs.model_validate({"ownership": OWNER, "location": "us-central1", **changes})
    message = str(caught.value)
    assert field in message
    assert why in message


def test_dual_and_multi_region_buckets_take_keys_of_their_multi_region() -> None:
    assert [kms_location(x) for x in ("US", "NAM4", "EUR4", "us-central1")] == [
        "us",
        "us",
        "eu",
        "us-central1",
    ]
    args = LockedBucketArgs.model_validate(
        {
            "ownership": OWNER,
            "location": "NAM4",
            "kms_key": {"kind": "existing", "key": "projects/sec-keys/locations/us/keyRings/r/cryptoKeys/k"},
        }
    )
    assert args.location == "NAM4"


def test_refused_input_fails_the_program_naming_the_field() -> None:
    with pytest.raises(AiwardenError) as caught:
        run(
            'LockedBucket("data", LockedBucketArgs(ownership=o, location="US", access={"w": Grant('
            'principal="allUsers", role="read")}))'
        )
    assert "access.w.principal" in caught.value.message
    assert "'allUsers' grants access to anyone" in caught.value.message
