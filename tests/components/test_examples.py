"""Every example program is its component README's example, and passes the gate."""

from __future__ import annotations

import pytest

from tests.components.helpers import example, readme_example
from tests.harness import findings, gate

#: (example directory, README under ``components/``, findings level that must be empty: None for all levels).
EXAMPLES = [
    ("aws-audit-trail", "aws/audit_trail.md", "mandatory"),
    ("aws-container-registry", "aws/container_registry.md", None),
    ("aws-gpu-node-pool", "aws/gpu_node_pool.md", None),
    ("aws-key", "aws/key.md", "mandatory"),
    ("aws-locked-bucket", "aws/locked_bucket.md", "mandatory"),
    ("aws-model-endpoint", "aws/model_endpoint.md", None),
    ("aws-private-network", "aws/private_network.md", None),
    ("aws-secret-wiring", "aws/secret_wiring.md", "mandatory"),
    ("aws-spend-guard", "aws/spend_guard.md", None),
    ("aws-vector-database", "aws/vector_database.md", "mandatory"),
    ("aws-vector-store", "aws/vector_store.md", "mandatory"),
    ("gcp-audit-config", "gcp/audit_config.md", "mandatory"),
    ("gcp-gpu-node-pool", "gcp/gpu_node_pool.md", None),
    ("gcp-key", "gcp/key.md", "mandatory"),
    ("gcp-locked-bucket", "gcp/locked_bucket.md", "mandatory"),
    ("gcp-pgvector-store", "gcp/pgvector_store.md", "mandatory"),
    ("gcp-secret-wiring", "gcp/secret_wiring.md", "mandatory"),
    ("gcp-spend-guard", "gcp/spend_guard.md", None),
    ("gcp-vector-store", "gcp/vector_store.md", "mandatory"),
    ("k8s-external-secret", "k8s/external_secret.md", "mandatory"),
    ("k8s-gpu-workload-namespace", "k8s/gpu_workload_namespace.md", None),
    ("k8s-inference-service", "k8s/inference_service.md", None),
]


@pytest.mark.parametrize(("directory", "readme", "level"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_is_the_readme_example_and_passes_the_gate(
    directory: str, readme: str, level: str | None
) -> None:
    c, code = example(directory)
    assert code == readme_example(readme)
    assert c.error is None
    assert findings(gate(c), level=level) == set()
