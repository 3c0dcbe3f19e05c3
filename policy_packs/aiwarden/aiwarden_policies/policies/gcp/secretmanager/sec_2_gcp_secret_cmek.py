"""SEC-2: GCP Secret Manager secrets holding confidential/restricted data use CMEK.

Global secrets: ``replication.auto.customerManagedEncryption.kmsKeyName``, or every
``replication.userManaged.replicas[].customerManagedEncryption.kmsKeyName``. Regional secrets:
``customerManagedEncryption.kmsKeyName``. Absent means Google-managed encryption keys (Google
default). An unclassified secret is treated as sensitive (``Resource.sensitive``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from aiwarden_policies.framework import Resource, Spec, get, resource_policy

SECRET = "gcp:secretmanager/secret:Secret"
REGIONAL_SECRET = "gcp:secretmanager/regionalSecret:RegionalSecret"
CMEK = "customerManagedEncryption.kmsKeyName"
DEFAULT = "Google default: Google-managed encryption keys"

SPEC = Spec(
    control="SEC-2",
    name="sec-2-gcp-secret-cmek",
    description=(
        "GCP Secret Manager secrets (global and regional) of confidential or restricted data are encrypted with a "
        "customer-managed Cloud KMS key (CMEK) in every replica."
    ),
    remediation_steps=(
        "Set `replication.auto.customer_managed_encryption.kms_key_name` (or the key of each "
        "`replication.user_managed.replicas[]`, a key in the replica's location) on `gcp.secretmanager.Secret`, "
        "or `customer_managed_encryption.kms_key_name` on `RegionalSecret`, and grant the Secret Manager service "
        "agent `roles/cloudkms.cryptoKeyEncrypterDecrypter` on the key. Replication cannot change in place: "
        "create a new secret and move the versions."
    ),
    resource_types=(SECRET, REGIONAL_SECRET),
)


def _missing(r: Resource) -> Iterator[str]:
    if r.type == REGIONAL_SECRET:
        if not r.get(CMEK):
            yield f"{CMEK} is not set ({DEFAULT})"
        return
    replication = r.get("replication")
    if not isinstance(replication, Mapping):
        yield f"replication is not set ({DEFAULT})"
        return
    if replication.get("userManaged") is not None:
        for i, replica in enumerate(get(replication, "userManaged.replicas") or []):
            if not get(replica, CMEK):
                yield f"replication.userManaged.replicas[{i}] ({get(replica, 'location', '?')}).{CMEK} is not set ({DEFAULT})"
        return
    if not get(replication, f"auto.{CMEK}"):
        yield f"replication.auto.{CMEK} is not set ({DEFAULT})"


@resource_policy(SPEC)
def sec_2_gcp_secret_cmek(r: Resource) -> Iterable[str]:
    if not r.sensitive:
        return
    classification = r.classification or "unclassified (treated as sensitive)"
    for problem in _missing(r):
        yield f"{r.type} {r.name!r} (data-classification {classification}): {problem}; it must use CMEK."
