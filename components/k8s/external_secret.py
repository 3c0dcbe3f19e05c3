"""ExternalSecret: sync named cloud secrets into a namespace Secret through the External Secrets Operator.

The Kubernetes program never holds a secret value: it names a secret store and the remote
secrets; the operator reads them with the store's workload identity (control SEC-2).

API version ``external-secrets.io/v1``: served from External Secrets Operator 0.16.2 on; 0.17.0 and
later (1.x, 2.x) no longer serve ``v1beta1``. The fields used here are the same in both versions.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import pulumi
import pulumi_kubernetes as k8s
from pydantic import BaseModel, ConfigDict, Field, field_validator

from components._common import AssetRecord, Ownership, record_asset
from components._common.inventory import SECRET, asset_kind

TYPE = "aiwarden:k8s:ExternalSecret"
KIND = asset_kind(SECRET)
API_VERSION = "external-secrets.io/v1"
#: The Kubernetes kind of the custom resource.
RESOURCE_KIND = "ExternalSecret"

DnsLabel = Annotated[
    str, Field(pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", description="RFC 1123 label (namespaces).")
]
DnsSubdomain = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        max_length=253,
        description="RFC 1123 subdomain (object names).",
    ),
]
SecretKey = Annotated[
    str,
    Field(
        pattern=r"^[-._a-zA-Z0-9]{1,253}$", description="Key in the Kubernetes Secret, e.g. `OPENAI_API_KEY`."
    ),
]


class StoreRef(BaseModel):
    """The `SecretStore` (namespaced) or `ClusterSecretStore` the operator reads through."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: DnsSubdomain
    kind: Literal["SecretStore", "ClusterSecretStore"] = Field(
        default="SecretStore",
        description="SecretStore (default: scoped to the namespace) or ClusterSecretStore.",
    )


class RemoteSecret(BaseModel):
    """A secret in the cloud secret manager, by name (never by value)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    key: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9/_+=.@:-]{0,2047}$",
        description="Name of the cloud secret (GCP secret id, AWS secret name or ARN).",
    )
    version: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_-]{1,128}$", description="Version; default: the store's (latest)."
    )
    property: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_.-]{1,256}$", description="JSON property inside the secret value."
    )


class ExternalSecretArgs(BaseModel):
    """Inputs of ``ExternalSecret``."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(
        description="Owner and classification: labels on the ExternalSecret and the Secret."
    )
    namespace: DnsLabel = Field(description="Namespace of the ExternalSecret and of the Secret it creates.")
    target_secret: DnsSubdomain = Field(
        description="Name of the Kubernetes Secret the operator creates and owns."
    )
    store: StoreRef = Field(description="Secret store to read from.")
    data: dict[SecretKey, RemoteSecret] = Field(
        min_length=1,
        description="Secret key -> remote secret reference. Literal values are refused: only references.",
    )
    refresh_interval: str = Field(
        default="1h",
        pattern=r"^([0-9]+(s|m|h))+$",
        description="How often the operator re-reads the secrets, so rotations propagate (operator default: 1h).",
    )

    @field_validator("data", mode="before")
    @classmethod
    def _no_literal_values(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for key, ref in value.items():
                if isinstance(ref, str | bytes):
                    raise ValueError(
                        f"data[{key!r}] is a literal value: secret values never go into Kubernetes manifests "
                        "(control SEC-2); store it in the cloud secret manager and reference it with "
                        "RemoteSecret(key='<cloud secret name>')"
                    )
        return value


class ExternalSecret(pulumi.ComponentResource):
    """An External Secrets Operator ``ExternalSecret`` that syncs named cloud secrets into one Secret.

    Children: ``external_secret`` (`<name>-external-secret`, a ``CustomResource``
    `external-secrets.io/v1` ``ExternalSecret``). Outputs: ``secretName``, ``namespace``.
    """

    CONTROLS: ClassVar[tuple[str, ...]] = ("SEC-1", "SEC-2", "INV-1")

    def __init__(
        self, name: str, args: ExternalSecretArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        labels = args.ownership.k8s_labels()
        annotations = args.ownership.k8s_annotations()
        self.external_secret = k8s.apiextensions.CustomResource(
            f"{name}-external-secret",
            api_version=API_VERSION,
            kind=RESOURCE_KIND,
            metadata=k8s.meta.v1.ObjectMetaArgs(
                name=args.target_secret,
                namespace=args.namespace,
                labels=labels,
                annotations=annotations or None,
            ),
            spec={
                "refreshInterval": args.refresh_interval,
                "secretStoreRef": {"name": args.store.name, "kind": args.store.kind},
                "target": {
                    "name": args.target_secret,
                    "creationPolicy": "Owner",
                    "template": {
                        "type": "Opaque",
                        "metadata": {"labels": labels, **_if(annotations=annotations)},
                    },
                },
                "data": [_data_entry(secret_key, ref) for secret_key, ref in args.data.items()],
            },
            opts=pulumi.ResourceOptions(parent=self),
        )
        record_asset(
            AssetRecord(
                name=f"{name}-external-secret",
                kind=KIND,
                ownership=args.ownership,
                exposure="private",
                identities=(f"{args.store.kind}/{args.store.name}",),
                credentials_to_revoke=tuple(ref.key for ref in args.data.values()),
                logs_to_preserve=(
                    "Kubernetes audit log (secrets in the namespace)",
                    "Cloud secret manager access logs of the store's identity",
                ),
                containment=f"Delete the ExternalSecret (its Secret {args.namespace}/{args.target_secret} is "
                "garbage-collected), then rotate the referenced cloud secrets.",
            )
        )
        self.register_outputs({"secretName": args.target_secret, "namespace": args.namespace})


def _if(**values: dict[str, str]) -> dict[str, dict[str, str]]:
    """Only the non-empty maps (the operator and the API server treat ``{}`` and absent differently)."""
    return {key: value for key, value in values.items() if value}


def _data_entry(secret_key: str, ref: RemoteSecret) -> dict[str, Any]:
    remote: dict[str, str] = {"key": ref.key}
    if ref.version is not None:
        remote["version"] = ref.version
    if ref.property is not None:
        remote["property"] = ref.property
    return {"secretKey": secret_key, "remoteRef": remote}
