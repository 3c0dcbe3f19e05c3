"""ExternalSecret (Kubernetes): an ESO ExternalSecret that references cloud secrets, never holds values."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from components._common import Ownership
from components.k8s import ExternalSecretArgs
from tests.components.gcp_helpers import K8S_LABELS, run
from tests.components.helpers import (
    children,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import findings, gate

DEFAULT = """
ExternalSecret("llm", ExternalSecretArgs(ownership=o, namespace="rag", target_secret="llm-keys",
                                         store=StoreRef(name="gcp-secret-manager"),
                                         data={"OPENAI_API_KEY": RemoteSecret(key="openai-api-key")}))
"""
OPTIONS = """
o = Ownership(owner="ml-platform", environment="production", data_classification="restricted", purpose="rag",
              contact="ml-platform-oncall@example.com")
ExternalSecret("llm", ExternalSecretArgs(
    ownership=o, namespace="rag", target_secret="llm-keys",
    store=StoreRef(name="aws-secrets", kind="ClusterSecretStore"), refresh_interval="15m",
    data={"OPENAI_API_KEY": RemoteSecret(key="prod/openai", property="api_key", version="AWSCURRENT"),
          "anthropic.key": RemoteSecret(key="arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/anthropic-AbCdEf")}))
"""
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
BASE: dict[str, Any] = {
    "ownership": OWNER,
    "namespace": "rag",
    "target_secret": "llm-keys",
    "store": {"name": "gcp-secret-manager"},
    "data": {"OPENAI_API_KEY": {"key": "openai-api-key"}},
}


def test_default_child_is_an_external_secret_referencing_the_store() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted(
        [
            ("aiwarden:k8s:ExternalSecret", "llm"),
            ("kubernetes:external-secrets.io/v1:ExternalSecret", "llm-external-secret"),
        ]
    )
    assert parent_name(c, "llm-external-secret") == "llm"
    assert inputs(c, "llm-external-secret") == {
        # v1: External Secrets Operator 0.17+ no longer serves v1beta1
        "apiVersion": "external-secrets.io/v1",
        "kind": "ExternalSecret",
        "metadata": {"name": "llm-keys", "namespace": "rag", "labels": K8S_LABELS},
        "spec": {
            "refreshInterval": "1h",
            "secretStoreRef": {"name": "gcp-secret-manager", "kind": "SecretStore"},
            "target": {
                "name": "llm-keys",
                "creationPolicy": "Owner",
                "template": {"type": "Opaque", "metadata": {"labels": K8S_LABELS}},
            },
            "data": [{"secretKey": "OPENAI_API_KEY", "remoteRef": {"key": "openai-api-key"}}],
        },
    }
    assert not [r for r in c.resources if r.type == "kubernetes:core/v1:Secret"]


def _unknown_fields(value: Any, schema: dict[str, Any], path: str = "spec") -> list[str]:
    """Every key of ``value`` the CRD's structural schema does not declare (the API server prunes or refuses them)."""
    if isinstance(value, list):
        return [
            f
            for i, item in enumerate(value)
            for f in _unknown_fields(item, schema.get("items", {}), f"{path}[{i}]")
        ]
    if not isinstance(value, dict) or "properties" not in schema:
        return []
    props = schema["properties"]
    return [f"{path}.{k}" for k in value if k not in props] + [
        f for k, v in value.items() if k in props for f in _unknown_fields(v, props[k], f"{path}.{k}")
    ]


def test_registered_objects_match_the_operators_v1_schema() -> None:
    from aiwarden.apimodel.kubernetes import check, crd

    found = crd("external-secrets.io", "ExternalSecret")
    assert found is not None
    spec_schema = found["versions"]["v1"]["schema"]["properties"]["spec"]
    for program in (DEFAULT, OPTIONS):
        c = run(program)
        [es] = [r for r in c.resources if r.name == "llm-external-secret"]
        assert es.type == "kubernetes:external-secrets.io/v1:ExternalSecret"
        assert list(check(es.type, es.inputs)) == []
        assert _unknown_fields(es.inputs["spec"], spec_schema) == []


def test_default_has_zero_mandatory_findings() -> None:
    assert findings(gate(run(DEFAULT)), level="mandatory") == set()


def test_cluster_store_versions_properties_and_contact_annotation() -> None:
    c = run(OPTIONS)
    resource = inputs(c, "llm-external-secret")
    contact = {"aiwarden.io/contact": "ml-platform-oncall@example.com"}
    assert resource["metadata"]["annotations"] == contact
    assert resource["metadata"]["labels"]["aiwarden.io/data-classification"] == "restricted"
    spec = resource["spec"]
    assert spec["secretStoreRef"] == {"name": "aws-secrets", "kind": "ClusterSecretStore"}
    assert spec["refreshInterval"] == "15m"
    assert spec["target"]["template"]["metadata"]["annotations"] == contact
    assert spec["data"] == [
        {
            "secretKey": "OPENAI_API_KEY",
            "remoteRef": {"key": "prod/openai", "version": "AWSCURRENT", "property": "api_key"},
        },
        {
            "secretKey": "anthropic.key",
            "remoteRef": {
                "key": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/anthropic-AbCdEf"
            },
        },
    ]
    assert findings(gate(c), level="mandatory") == set()


def test_inventory_names_the_store_and_the_secrets_to_rotate() -> None:
    c = run(OPTIONS)
    entry = inventory(c)["llm-external-secret"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == (
        "secret",
        "private",
        ["ClusterSecretStore/aws-secrets"],
    )
    ir = incident_response(c)["llm-external-secret"]
    assert ir["ownerContact"] == "ml-platform-oncall@example.com"
    assert ir["credentialsToRevoke"] == [
        "prod/openai",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/anthropic-AbCdEf",
    ]
    assert "rag/llm-keys" in ir["containment"]


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"data": {"OPENAI_API_KEY": "sk-proj-literal"}}, "data", "literal value"),
        ({"data": {"OPENAI_API_KEY": b"sk-proj-literal"}}, "data", "literal value"),
        (
            {"data": {"OPENAI_API_KEY": {"key": "x", "value": "sk-proj-literal"}}},
            "data.OPENAI_API_KEY.value",
            "Extra inputs are not permitted",
        ),
        ({"data": {}}, "data", "at least 1 item"),
        ({"data": {"bad key!": {"key": "x"}}}, "data.bad key!.[key]", "pattern"),
        ({"data": {"K": {"key": ""}}}, "data.K.key", "pattern"),
        ({"string_data": {"K": "v"}}, "string_data", "Extra inputs are not permitted"),
        ({"namespace": "Rag"}, "namespace", "pattern"),
        ({"target_secret": "llm_keys"}, "target_secret", "pattern"),
        ({"store": {"name": "s", "kind": "Vault"}}, "store.kind", "SecretStore"),
        ({"refresh_interval": "1 hour"}, "refresh_interval", "pattern"),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], field: str, why: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ExternalSecretArgs.model_validate({**BASE, **changes})
    message = str(caught.value)
    assert field in message
    assert why in message
