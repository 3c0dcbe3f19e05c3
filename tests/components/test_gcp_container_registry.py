"""ContainerRegistry (GCP): Docker repository with immutable tags, CMEK, scanning, cleanup; remote mirrors."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import Ownership
from components.gcp import ContainerRegistryArgs
from tests.components.gcp_helpers import PROJECT_NUMBER, protected, run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    example,
    incident_response,
    inputs,
    inventory,
    parent_name,
    readme_example,
)
from tests.harness import findings, gate

DEFAULT = 'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, location="us-central1", repository_id="ml"))'
REMOTES = """
registry = ContainerRegistry("images", ContainerRegistryArgs(
    ownership=o, location="us", repository_id="ml", project="ml-images-prod",
    kms_key=ExistingKey(key="projects/sec-keys/locations/us/keyRings/r/cryptoKeys/images"),
    cleanup=Cleanup(delete_untagged_after_days=7, keep_most_recent=3),
    remotes={"dockerhub": RemoteRepository(upstream="docker-hub", credentials=UpstreamCredentials(
                 username="mlplatform", password_secret_version="projects/ml-images-prod/secrets/hub/versions/2")),
             "pypi": RemoteRepository(upstream="pypi")},
    access={"nodes": Grant(principal="serviceAccount:gke-nodes@ml-images-prod.iam.gserviceaccount.com", role="read"),
            "ci": Grant(principal="serviceAccount:builder@ml-images-prod.iam.gserviceaccount.com", role="write")}))
pulumi.export("host", registry.registry_host)
"""
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
KEY = "projects/sec-keys/locations/us/keyRings/r/cryptoKeys/images"
WHY = "vendor base image re-tags nightly, approved by security until 2026-12"
HARDENED = {
    "format": "DOCKER",
    "mode": "STANDARD_REPOSITORY",
    "dockerConfig": {"immutableTags": True},
    "vulnerabilityScanningConfig": {"enablementConfig": "INHERITED"},
    "cleanupPolicyDryRun": False,
    "deletionPolicy": "PREVENT",
    "labels": OWNERSHIP,
}


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:ContainerRegistry", "images"),
            ("aiwarden:gcp:Key", "images-cmek"),
            ("gcp:kms/keyRing:KeyRing", "images-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "images-cmek-key"),
            ("gcp:projects/serviceIdentity:ServiceIdentity", "images-cmek-artifactregistry-identity"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "images-cmek-artifactregistry-agent"),
            ("gcp:artifactregistry/repository:Repository", "images-repository"),
        ]
    )
    # the Artifact Registry service agent is made to exist before the key is granted to it
    assert inputs(c, "images-cmek-artifactregistry-identity") == {
        "service": "artifactregistry.googleapis.com"
    }
    assert "images-cmek-artifactregistry-identity" in depends_on(c, "images-cmek-artifactregistry-agent")
    assert {parent_name(c, n) for n in ("images-cmek", "images-repository")} == {"images"}
    agent = inputs(c, "images-cmek-artifactregistry-agent")
    assert (
        agent["member"]
        == f"serviceAccount:service-{PROJECT_NUMBER}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
    )
    assert agent["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
    assert inputs(c, "images-cmek-ring")["location"] == "us-central1"
    repository = inputs(c, "images-repository")
    assert {k: repository[k] for k in HARDENED} == HARDENED
    assert (repository["repositoryId"], repository["location"]) == ("ml", "us-central1")
    assert repository["kmsKeyName"] == agent["cryptoKeyId"]
    assert repository["cleanupPolicies"] == [
        {
            "id": "delete-untagged",
            "action": "DELETE",
            "condition": {"tagState": "UNTAGGED", "olderThan": f"{30 * 86400}s"},
        },
        {"id": "keep-most-recent", "action": "KEEP", "mostRecentVersions": {"keepCount": 10.0}},
    ]
    assert repository["description"] == "aiwarden ContainerRegistry: Docker repository"
    assert protected(c, "images-repository")
    # the service agent can use the key before the repository is created with it
    assert {"images-cmek-artifactregistry-agent", "images-cmek-key"} <= depends_on(c, "images-repository")


def test_default_passes_every_policy() -> None:
    report = gate(run(DEFAULT))
    assert findings(report) == set()
    assert report.undecided == []


def test_remote_repositories_existing_key_and_named_grants() -> None:
    c = run(REMOTES)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:ContainerRegistry", "images"),
            ("gcp:artifactregistry/repository:Repository", "images-repository"),
            ("gcp:artifactregistry/repository:Repository", "images-remote-dockerhub"),
            ("gcp:artifactregistry/repository:Repository", "images-remote-pypi"),
            ("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "images-grant-nodes"),
            ("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "images-grant-ci"),
            (
                "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
                "images-remote-dockerhub-grant-nodes",
            ),
            (
                "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
                "images-remote-dockerhub-grant-ci",
            ),
            (
                "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
                "images-remote-pypi-grant-nodes",
            ),
            ("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "images-remote-pypi-grant-ci"),
        ]
    )
    repository = inputs(c, "images-repository")
    assert (repository["kmsKeyName"], repository["project"], repository["location"]) == (
        KEY,
        "ml-images-prod",
        "us",
    )
    assert repository["cleanupPolicies"][0]["condition"]["olderThan"] == f"{7 * 86400}s"
    assert repository["cleanupPolicies"][1]["mostRecentVersions"] == {"keepCount": 3.0}
    docker = inputs(c, "images-remote-dockerhub")
    assert {
        k: docker[k] for k in ("format", "mode", "kmsKeyName", "vulnerabilityScanningConfig", "labels")
    } == {
        "format": "DOCKER",
        "mode": "REMOTE_REPOSITORY",
        "kmsKeyName": KEY,
        "vulnerabilityScanningConfig": {"enablementConfig": "INHERITED"},
        "labels": OWNERSHIP,
    }
    assert docker["repositoryId"] == "ml-dockerhub"
    assert docker["remoteRepositoryConfig"] == {
        "description": "docker-hub through Artifact Registry",
        "dockerRepository": {"publicRepository": "DOCKER_HUB"},
        "upstreamCredentials": {
            "usernamePasswordCredentials": {
                "username": "mlplatform",
                "passwordSecretVersion": "projects/ml-images-prod/secrets/hub/versions/2",
            }
        },
    }
    assert "dockerConfig" not in docker and "cleanupPolicies" not in docker
    pypi = inputs(c, "images-remote-pypi")
    assert (pypi["format"], pypi["mode"], pypi["repositoryId"]) == ("PYTHON", "REMOTE_REPOSITORY", "ml-pypi")
    assert pypi["remoteRepositoryConfig"] == {
        "description": "pypi through Artifact Registry",
        "pythonRepository": {"publicRepository": "PYPI"},
    }
    # Python repositories are not scanned unless asked: the component asks
    assert pypi["vulnerabilityScanningConfig"] == {"enablementConfig": "INHERITED"}
    for name in ("images-repository", "images-remote-dockerhub", "images-remote-pypi"):
        assert protected(c, name) and inputs(c, name)["deletionPolicy"] == "PREVENT"
    nodes = "serviceAccount:gke-nodes@ml-images-prod.iam.gserviceaccount.com"
    ci = "serviceAccount:builder@ml-images-prod.iam.gserviceaccount.com"
    expected = {
        "images-grant-nodes": ("ml", "roles/artifactregistry.reader", nodes),
        "images-grant-ci": ("ml", "roles/artifactregistry.writer", ci),
        "images-remote-dockerhub-grant-nodes": ("ml-dockerhub", "roles/artifactregistry.reader", nodes),
        "images-remote-dockerhub-grant-ci": ("ml-dockerhub", "roles/artifactregistry.reader", ci),
        "images-remote-pypi-grant-nodes": ("ml-pypi", "roles/artifactregistry.reader", nodes),
        "images-remote-pypi-grant-ci": ("ml-pypi", "roles/artifactregistry.reader", ci),
    }
    for name, (repository_id, role, member) in expected.items():
        assert inputs(c, name) == {
            "project": "ml-images-prod",
            "location": "us",
            "repository": repository_id,
            "role": role,
            "member": member,
        }
    assert c.outputs["host"] == "us-docker.pkg.dev"
    assert findings(gate(c)) == set()


def test_opt_outs_are_named_justified_labelled_and_still_flagged() -> None:
    c = run(
        f"""
ContainerRegistry("images", ContainerRegistryArgs(
    ownership=o, location="us-central1", repository_id="ml", cleanup=None,
    remotes={{"dockerhub": RemoteRepository(upstream="docker-hub")}},
    mutable_tags=MutableTags(justification="{WHY}"), scanning_off=ScanningOff(justification="{WHY}")))
"""
    )
    repository = inputs(c, "images-repository")
    assert repository["dockerConfig"] == {"immutableTags": False}
    assert repository["vulnerabilityScanningConfig"] == {"enablementConfig": "DISABLED"}
    assert repository["labels"] == {**OWNERSHIP, "aiwarden-exception": "mutable-tags_scanning-off"}
    assert repository["description"] == (
        f"aiwarden ContainerRegistry: Docker repository. Exception mutable-tags: {WHY}. Exception scanning-off: {WHY}"
    )
    assert repository["cleanupPolicies"] == []
    assert inputs(c, "images-remote-dockerhub")["vulnerabilityScanningConfig"] == {
        "enablementConfig": "DISABLED"
    }
    # the pack's SUP-1 still flags both repositories: exceptions go through its configuration, by resource name
    assert findings(gate(c), level="mandatory") == {
        ("sup-1-artifact-registry-docker", "images-repository"),
        ("sup-1-artifact-registry-docker", "images-remote-dockerhub"),
    }


def test_enable_apis_enables_registry_scanning_and_kms_first() -> None:
    c = run(
        'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, location="us-central1", repository_id="ml", '
        'enable_apis=True, access={"n": Grant(principal="user:ana@example.com", role="read")}))'
    )
    apis = {
        "images-api-artifactregistry": "artifactregistry.googleapis.com",
        "images-api-containerscanning": "containerscanning.googleapis.com",
        "images-api-cloudkms": "cloudkms.googleapis.com",
    }
    for name, service in apis.items():
        assert inputs(c, name) == {"service": service, "disableOnDestroy": False}
    for name in (
        "images-cmek-ring",
        "images-cmek-artifactregistry-identity",
        "images-repository",
        "images-grant-n",
    ):
        assert set(apis) <= depends_on(c, name), name
    # no scanning, existing key: only the Artifact Registry API
    c = run(
        f'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, location="us", repository_id="ml", '
        f'enable_apis=True, kms_key=ExistingKey(key="{KEY}"), scanning_off=ScanningOff(justification="{WHY}")))'
    )
    assert [n for t, n in children(c) if t == "gcp:projects/service:Service"] == [
        "images-api-artifactregistry"
    ]


def test_deletion_protection_can_be_turned_off_outside_production() -> None:
    c = run(
        'ContainerRegistry("scratch", ContainerRegistryArgs(ownership=sandbox, location="us-central1", '
        'repository_id="scratch", deletion_protection=False))'
    )
    assert inputs(c, "scratch-repository")["deletionPolicy"] == "DELETE"
    assert not protected(c, "scratch-repository")


def test_inventory_record() -> None:
    c = run(REMOTES)
    entries = inventory(c)
    assert set(entries) == {"images-repository"}
    assert entries["images-repository"]["kind"] == "container-registry"
    assert entries["images-repository"]["exposure"] == "private"
    assert entries["images-repository"]["identities"] == [
        "serviceAccount:gke-nodes@ml-images-prod.iam.gserviceaccount.com",
        "serviceAccount:builder@ml-images-prod.iam.gserviceaccount.com",
    ]
    ir = incident_response(c)["images-repository"]
    assert ir["credentialsToRevoke"] == entries["images-repository"]["identities"]
    assert "disable the CMEK key version" in ir["containment"]


BASE: dict[str, Any] = {"ownership": OWNER, "location": "us-central1", "repository_id": "ml"}


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"immutable_tags": False}, "immutable_tags", "mutable_tags=MutableTags(justification=...)"),
        (
            {"docker_config": {"immutable_tags": False}},
            "docker_config",
            "mutable_tags=MutableTags(justification=...)",
        ),
        (
            {"vulnerability_scanning": False},
            "vulnerability_scanning",
            "scanning_off=ScanningOff(justification=...)",
        ),
        (
            {"vulnerability_scanning_config": {"enablement_config": "DISABLED"}},
            "vulnerability_scanning_config",
            "scanning_off=ScanningOff(justification=...)",
        ),
        ({"kms_key_name": KEY}, "kms_key_name", "kms_key=ExistingKey(key=...)"),
        ({"mutable_tags": {}}, "mutable_tags.justification", "Field required"),
        (
            {"mutable_tags": {"justification": "because"}},
            "mutable_tags.justification",
            "at least 20 characters",
        ),
        ({"scanning_off": {"justification": "x"}}, "scanning_off.justification", "at least 20 characters"),
        (
            {"access": {"web": {"principal": "allUsers", "role": "read"}}},
            "access.web.principal",
            "anyone on the internet",
        ),
        (
            {"access": {"corp": {"principal": "domain:example.com", "role": "read"}}},
            "access.corp.principal",
            "whole set of principals",
        ),
        (
            {
                "access": {
                    "x": {
                        "principal": "serviceAccount:123-compute@developer.gserviceaccount.com",
                        "role": "read",
                    }
                }
            },
            "access.x.principal",
            "default service account",
        ),
        (
            {"access": {"x": {"principal": "user:bob@example.com", "role": "admin"}}},
            "access.x.role",
            "Input should be 'read' or 'write'",
        ),
        (
            {
                "kms_key": {
                    "kind": "existing",
                    "key": "projects/sec-keys/locations/us/keyRings/r/cryptoKeys/k",
                }
            },
            "kms_key",
            "must be in the data's location",
        ),
        (
            {"kms_key": {"kind": "create", "deletion_window_days": 7}},
            "kms_key.deletion_window_days=7",
            "IR-2",
        ),
        (
            {"deletion_protection": False},
            "deletion_protection=False",
            "production data and keys keep deletion",
        ),
        ({"repository_id": "ML_images"}, "repository_id", "pattern"),
        ({"remotes": {"hub": {"upstream": "quay"}}}, "remotes.hub.upstream", "'docker-hub' or 'pypi'"),
        (
            {"repository_id": "r" * 60, "remotes": {"dockerhub": {"upstream": "docker-hub"}}},
            "remotes.dockerhub",
            "shorten repository_id or the key",
        ),
        (
            {
                "remotes": {
                    "hub": {
                        "upstream": "docker-hub",
                        "credentials": {"username": "u", "password_secret_version": "pw"},
                    }
                }
            },
            "remotes.hub.credentials.password_secret_version",
            "pattern",
        ),
        (
            {"cleanup": {"delete_untagged_after_days": 0}},
            "cleanup.delete_untagged_after_days",
            "greater than or equal to 1",
        ),
        ({"cleanup": {"keep_most_recent": 0}}, "cleanup.keep_most_recent", "greater than or equal to 1"),
        ({"location": "US Central"}, "location", "pattern"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_the_fix(
    changes: dict[str, Any], field: str, why: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ContainerRegistryArgs.model_validate({**BASE, **changes})
    message = str(caught.value)
    assert field in message
    assert why in message


def test_multi_region_repositories_take_a_key_of_their_multi_region() -> None:
    args = ContainerRegistryArgs.model_validate(
        {**BASE, "location": "us", "kms_key": {"kind": "existing", "key": KEY}}
    )
    assert args.location == "us"


def test_refused_input_fails_the_program_naming_the_field() -> None:
    with pytest.raises(AiwardenError) as caught:
        run(
            'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, location="us", repository_id="ml", '
            "immutable_tags=False))"
        )
    assert "immutable_tags: tags are immutable (control SUP-1)" in caught.value.message


def test_example_is_the_readme_example_and_passes_the_gate() -> None:
    c, code = example("gcp-container-registry")
    assert code == readme_example("gcp/container_registry.md")
    assert c.error is None
    report = gate(c)
    assert findings(report) == set()
    assert report.undecided == []
