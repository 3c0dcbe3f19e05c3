"""VEC-1: Cloud SQL instances (pgvector stores) accept encrypted connections only."""

from __future__ import annotations

from collections.abc import Iterable

from aiwarden_policies.framework import Resource, Spec, resource_policy

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
REQUIRED = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")

SPEC = Spec(
    control="VEC-1",
    name="vec-1-cloudsql-ssl-required",
    description=(
        "A Cloud SQL instance sets settings.ipConfiguration.sslMode to ENCRYPTED_ONLY or "
        "TRUSTED_CLIENT_CERTIFICATE_REQUIRED (GCP default: ALLOW_UNENCRYPTED_AND_ENCRYPTED)."
    ),
    remediation_steps=(
        "Set `settings.ip_configuration.ssl_mode='ENCRYPTED_ONLY'` (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED for "
        "client certificates; SQL Server supports ENCRYPTED_ONLY only) and connect through the Cloud SQL "
        "connectors or Auth Proxy."
    ),
    resource_types=(INSTANCE,),
)


@resource_policy(SPEC)
def vec_1_cloudsql_ssl_required(r: Resource) -> Iterable[str]:
    mode = r.get("settings.ipConfiguration.sslMode")
    if mode is None:
        yield (
            f"{r.type} {r.name!r}: settings.ipConfiguration.sslMode is not set (GCP default: "
            f"ALLOW_UNENCRYPTED_AND_ENCRYPTED); must be one of {', '.join(REQUIRED)}."
        )
    elif mode not in REQUIRED:
        yield f"{r.type} {r.name!r}: settings.ipConfiguration.sslMode is {mode!r}; must be one of {', '.join(REQUIRED)}."
