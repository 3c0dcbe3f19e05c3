"""The inventory vocabulary shared by components and policies (control INV-1).

One definition: the components render it as tags/labels, the policies check it.
Dependency-free on purpose (imported by the policy pack process).
"""

from __future__ import annotations

import re

#: Metadata keys every AI resource carries, as AWS tag keys / GCP label keys /
#: Kubernetes label keys (Kubernetes keys are prefixed, see ``K8S_LABEL_PREFIX``).
OWNER = "owner"
ENVIRONMENT = "environment"
DATA_CLASSIFICATION = "data-classification"
PURPOSE = "purpose"
COST_CENTER = "cost-center"
CONTACT = "contact"
#: Set by a component when an insecure option was chosen by name; its value is the justification.
EXCEPTION = "aiwarden-exception"

REQUIRED_KEYS: tuple[str, ...] = (OWNER, ENVIRONMENT, DATA_CLASSIFICATION, PURPOSE)
OPTIONAL_KEYS: tuple[str, ...] = (COST_CENTER, CONTACT)

#: Tag a secret carries when its kind cannot be rotated (SEC-2), with the value ``ROTATION_NOT_SUPPORTED``:
#: the documented, reviewable opt-out from rotation.
ROTATION_TAG = "rotation"
ROTATION_NOT_SUPPORTED = "not-supported"

#: Kubernetes label keys live under this prefix (``aiwarden.io/owner``).
K8S_LABEL_PREFIX = "aiwarden.io/"

CLASSIFICATIONS: tuple[str, ...] = ("public", "internal", "confidential", "restricted")
SENSITIVE_CLASSIFICATIONS: frozenset[str] = frozenset({"confidential", "restricted"})

ENVIRONMENTS: tuple[str, ...] = ("production", "staging", "sandbox")
#: Documented aliases (controls.yaml: "or a documented alias").
ENVIRONMENT_ALIASES: dict[str, str] = {
    "prod": "production",
    "prd": "production",
    "stage": "staging",
    "stg": "staging",
    "dev": "sandbox",
    "development": "sandbox",
    "experiment": "sandbox",
    "experimentation": "sandbox",
    "sbx": "sandbox",
}

#: Enforcement columns of the control catalog: which environments use the ``sandbox`` column.
SANDBOX_ENVIRONMENTS: frozenset[str] = frozenset({"sandbox"})

#: GCP label rules: keys start with a lowercase letter; keys and values are at most
#: 63 characters of lowercase letters, digits, underscores and dashes.
GCP_LABEL_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
GCP_LABEL_VALUE_RE = re.compile(r"^[a-z0-9_-]{0,63}$")
#: Kubernetes label values: at most 63 characters, alphanumeric at both ends.
K8S_LABEL_VALUE_RE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")


def canonical_environment(value: str | None) -> str | None:
    """Return the catalog environment for ``value`` (aliases folded), or None if unknown."""
    if value is None:
        return None
    v = value.strip().lower()
    if v in ENVIRONMENTS:
        return v
    return ENVIRONMENT_ALIASES.get(v)


def gcp_label_value(value: str) -> str:
    """Fold a free-text value into a valid GCP label value (lowercase, allowed characters, 63 max)."""
    folded = re.sub(r"[^a-z0-9_-]", "_", value.strip().lower())
    return folded[:63]
