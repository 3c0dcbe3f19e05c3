"""SUP-2: SageMaker, Vertex AI and Kubernetes images come from approved registries, pinned by digest."""

from __future__ import annotations

from tests.harness import UNKNOWN, capture, findings, gate, message_list, set_input, unknowns
from tests.policies.programs import SUP_BASELINE

MODEL = "sup-2-sagemaker-model-images"
VERTEX = "sup-2-vertex-container-images"
PODS = "sup-2-k8s-pod-images"
DIGEST = "@sha256:" + "d" * 64


def test_compliant_baseline_has_no_sup2_finding() -> None:
    assert findings(gate(capture(SUP_BASELINE)), "sup-2") == set()


def test_sagemaker_mutable_tag_and_unapproved_registry() -> None:
    ecr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve"
    c = set_input(capture(SUP_BASELINE), "serve", "primaryContainer.image", f"{ecr}:latest")
    report = gate(c)
    assert findings(report, "sup-2") == {(MODEL, "serve")}
    assert message_list(report, MODEL) == [
        f"SageMaker model 'serve': primaryContainer.image image '{ecr}:latest' is not pinned by digest (mutable tag "
        "'latest'); it must end in @sha256:<64 hex>."
    ]
    c = set_input(capture(SUP_BASELINE), "serve", "containers", [{"image": "pytorch/torchserve"}])
    report = gate(c)
    assert findings(report, "sup-2") == {(MODEL, "serve")}
    [message] = message_list(report, MODEL)
    assert (
        "containers[0].image image 'pytorch/torchserve' comes from registry 'docker.io', which is not in "
        in message
    )
    assert "no tag (resolves to the mutable 'latest')" in message


def test_approved_registries_config() -> None:
    c = set_input(
        capture(SUP_BASELINE), "serve", "primaryContainer.image", f"docker.io/pytorch/torchserve{DIGEST}"
    )
    assert findings(gate(c), "sup-2") == {(MODEL, "serve")}
    assert findings(gate(c, {MODEL: {"approvedRegistries": ["docker.io"]}}), "sup-2") == set()
    only_project = {"approvedRegistries": ["us-central1-docker.pkg.dev/aiwarden-offline/*"]}
    assert findings(gate(capture(SUP_BASELINE), {VERTEX: only_project}), "sup-2") == set()
    c = set_input(
        capture(SUP_BASELINE),
        "agent",
        "spec.containerSpec.imageUri",
        f"us-central1-docker.pkg.dev/other-project/images/agent{DIGEST}",
    )
    report = gate(c, {VERTEX: only_project})
    assert findings(report, "sup-2") == {(VERTEX, "agent")}
    assert (
        "comes from registry 'us-central1-docker.pkg.dev', which is not in approvedRegistries"
        in (message_list(report, VERTEX)[0])
    )


def test_vertex_unpinned_image() -> None:
    c = set_input(
        capture(SUP_BASELINE),
        "agent",
        "spec.containerSpec.imageUri",
        "us-central1-docker.pkg.dev/aiwarden-offline/images/agent:v3",
    )
    report = gate(c)
    assert findings(report, "sup-2") == {(VERTEX, "agent")}
    assert message_list(report, VERTEX) == [
        "Vertex AI AiReasoningEngine 'agent': spec.containerSpec.imageUri image "
        "'us-central1-docker.pkg.dev/aiwarden-offline/images/agent:v3' is not pinned by digest (mutable tag 'v3'); "
        "it must end in @sha256:<64 hex>."
    ]


def test_kubernetes_init_container_and_container() -> None:
    c = set_input(
        capture(SUP_BASELINE), "server", "spec.template.spec.initContainers.0.image", "busybox:1.36"
    )
    report = gate(c)
    assert findings(report, "sup-2") == {(PODS, "server")}
    [message] = message_list(report, PODS)
    assert message.startswith(
        "Deployment 'server': initContainers 'fetch-model' image 'busybox:1.36' comes from "
        "registry 'docker.io'"
    )
    c = set_input(
        capture(SUP_BASELINE),
        "server",
        "spec.template.spec.containers.0.image",
        "gcr.io/aiwarden-offline/serve@sha256:abc",
    )
    report = gate(c)
    assert findings(report, "sup-2") == {(PODS, "server")}
    assert "digest 'sha256:abc' is not sha256:<64 hex>" in message_list(report, PODS)[0]


def test_advisory_in_sandbox_mandatory_in_production() -> None:
    c = set_input(capture(SUP_BASELINE), "serve", "primaryContainer.image", "nginx")
    set_input(c, "server", "spec.template.spec.containers.0.image", "nginx")
    expected = {(MODEL, "serve"), (PODS, "server")}
    assert findings(gate(c, environment="sandbox"), "sup-2", level="advisory") == expected
    assert findings(gate(c), "sup-2", level="mandatory") == expected


def test_unknown_images_at_preview_are_reported_not_passed() -> None:
    c = capture(SUP_BASELINE, preview_mode=True)
    set_input(c, "serve", "primaryContainer.image", UNKNOWN)
    set_input(c, "agent", "spec.containerSpec.imageUri", UNKNOWN)
    set_input(c, "server", "spec.template.spec.containers.0.image", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "sup-2") == {
        (MODEL, "serve", "advisory"),
        (VERTEX, "agent", "advisory"),
        (PODS, "server", "advisory"),
    }
    assert findings(report, "sup-2") == set()
