"""ContainerRegistry (AWS): immutable tags, a CMK, untagged images expiring, named pullers and pushers,
registry-level continuous scanning; an optional pull-through cache whose repositories get the same settings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import Ownership
from components.aws import ContainerRegistryArgs
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, run, statements
from tests.components.helpers import OWNERSHIP, children, depends_on, incident_response, inputs, inventory
from tests.harness import findings, gate

CI = f"arn:aws:iam::{ACCOUNT}:role/ci"
NODES = f"arn:aws:iam::{ACCOUNT}:role/nodes"
DEFAULT = 'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, repository_name="fraud/scorer"))'
GRANTS = f'access={{"ci": Grant(principal="{CI}", role="write"), "nodes": Grant(principal="{NODES}", role="read")}}'
CACHE = f"""
ContainerRegistry("images", ContainerRegistryArgs(ownership=o, repository_name="fraud/scorer", {GRANTS},
    pull_through_cache=PullThroughCache(upstream_registry_url="public.ecr.aws", repository_prefix="ecr-public")))
"""
REASON = "The nightly tag is moved by the vendor pipeline, approved in SEC-9 until 2026-06"
PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
PUSH = ["ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="x"
)


def _id(c: Any, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return found.id


def test_default_children() -> None:
    assert children(run(DEFAULT)) == [
        ("aiwarden:aws:ContainerRegistry", "images"),
        ("aiwarden:aws:Key", "images-key"),
        ("aws:ecr/lifecyclePolicy:LifecyclePolicy", "images-lifecycle"),
        ("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration", "images-scanning"),
        ("aws:ecr/repository:Repository", "images-repository"),
        ("aws:kms/alias:Alias", "images-key-alias"),
        ("aws:kms/key:Key", "images-key-cmk"),
    ]


def test_default_repository_is_immutable_encrypted_scanned_and_kept() -> None:
    c = run(DEFAULT)
    repository = inputs(c, "images-repository")
    key_arn = repository["encryptionConfigurations"][0]["kmsKey"]
    assert key_arn.startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-")
    assert repository == {
        "name": "fraud/scorer",
        "imageTagMutability": "IMMUTABLE",
        "encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": key_arn}],
        "imageScanningConfiguration": {"scanOnPush": True},
        "forceDelete": False,
        "tags": OWNERSHIP,
    }
    assert [r.name for r in c.resources if r.options.get("protect")] == ["images-repository"]
    assert json.loads(inputs(c, "images-lifecycle")["policy"]) == {
        "rules": [
            {
                "rulePriority": 1,
                "description": "Expire untagged images 14 days after push",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": 14,
                },
                "action": {"type": "expire"},
            }
        ]
    }
    assert inputs(c, "images-lifecycle")["repository"] == "fraud/scorer"
    assert inputs(c, "images-scanning") == {
        "scanType": "ENHANCED",
        "rules": [
            {
                "scanFrequency": "CONTINUOUS_SCAN",
                "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}],
            }
        ],
    }
    key = statements(c, "images-key-cmk")["KeyUsage"]
    assert key["Principal"] == {"AWS": [ROOT_ARN]}
    assert key["Condition"]["StringEquals"]["kms:ViaService"] == ["ecr.us-east-1.amazonaws.com"]


def test_default_inventory_and_outputs() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["images-repository"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == ("container-registry", "private", [])
    assert "Deny ecr:BatchGetImage" in incident_response(c)["images-repository"]["containment"]
    [component] = [r for r in c.resources if r.name == "images"]
    assert component.outputs["repositoryName"] == "fraud/scorer"
    assert (
        component.outputs["kmsKeyArn"]
        == inputs(c, "images-repository")["encryptionConfigurations"][0]["kmsKey"]
    )
    assert component.outputs.get("pullThroughPrefix") is None


def test_default_has_no_finding_at_any_level() -> None:
    assert findings(gate(run(DEFAULT))) == set()


def test_named_principals_pull_and_push_and_nobody_else() -> None:
    c = run(
        f'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, repository_name="fraud/scorer", {GRANTS}))'
    )
    assert inputs(c, "images-policy")["repository"] == "fraud/scorer"
    policy = statements(c, "images-policy")
    assert policy == {
        "NamedPullers": {
            "Sid": "NamedPullers",
            "Effect": "Allow",
            "Principal": {"AWS": [CI, NODES]},
            "Action": PULL,
        },
        "NamedPushers": {
            "Sid": "NamedPushers",
            "Effect": "Allow",
            "Principal": {"AWS": [CI]},
            "Action": PUSH,
        },
        "DenyOtherPrincipals": {
            "Sid": "DenyOtherPrincipals",
            "Effect": "Deny",
            "Principal": "*",
            "Action": PULL + PUSH,
            "Condition": {
                "ArnNotLike": {"aws:PrincipalArn": [CI, NODES, "arn:aws:iam::*:role/aws-service-role/*"]}
            },
        },
        "DenyPushesByReaders": {
            "Sid": "DenyPushesByReaders",
            "Effect": "Deny",
            "Principal": "*",
            "Action": PUSH,
            "Condition": {"ArnLike": {"aws:PrincipalArn": [NODES]}},
        },
    }
    assert inventory(c)["images-repository"]["identities"] == [CI, NODES]
    assert findings(gate(c)) == set()


def test_pull_through_cache_repositories_get_the_same_settings() -> None:
    c = run(CACHE)
    assert sorted(set(children(c)) - set(children(run(DEFAULT)))) == [
        ("aws:ecr/pullThroughCacheRule:PullThroughCacheRule", "images-cache"),
        ("aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", "images-cache-template"),
        ("aws:ecr/repositoryPolicy:RepositoryPolicy", "images-policy"),
        ("aws:iam/role:Role", "images-cache-template-role"),
        ("aws:iam/rolePolicy:RolePolicy", "images-cache-template-access"),
    ]
    assert inputs(c, "images-cache") == {
        "ecrRepositoryPrefix": "ecr-public",
        "upstreamRegistryUrl": "public.ecr.aws",
    }
    key_arn = inputs(c, "images-repository")["encryptionConfigurations"][0]["kmsKey"]
    template = inputs(c, "images-cache-template")
    assert {
        k: template[k] for k in ("prefix", "appliedFors", "imageTagMutability", "encryptionConfigurations")
    } == {
        "prefix": "ecr-public",
        "appliedFors": ["PULL_THROUGH_CACHE"],
        "imageTagMutability": "IMMUTABLE",
        "encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": key_arn}],
    }
    assert template["lifecyclePolicy"] == inputs(c, "images-lifecycle")["policy"]
    assert template["resourceTags"] == OWNERSHIP
    assert template["customRoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/" + _id(c, "images-cache-template-role")
    cached = {s["Sid"]: s for s in json.loads(template["repositoryPolicy"])["Statement"]}
    assert cached["NamedPullers"]["Action"] == [*PULL, "ecr:BatchImportUpstreamImage"]
    assert "images-cache-template-access" in depends_on(c, "images-cache-template")
    [trust] = json.loads(inputs(c, "images-cache-template-role")["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"Service": "ecr.amazonaws.com"}
    role = statements(c, "images-cache-template-access")
    assert role["UseTheRegistryKey"]["Resource"] == key_arn
    assert role["UseTheRegistryKey"]["Action"] == ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"]
    assert role["TagCachedRepositories"]["Action"] == "ecr:TagResource"
    [component] = [r for r in c.resources if r.name == "images"]
    assert component.outputs["pullThroughPrefix"] == "ecr-public"
    assert findings(gate(c)) == set()


def test_narrow_scan_filters_still_cover_the_repository_and_the_cache() -> None:
    c = run(
        'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, repository_name="fraud/scorer", '
        'scanning=CreateScanning(repository_filters=("team-a/*",)), pull_through_cache=PullThroughCache('
        'upstream_registry_url="registry.k8s.io", repository_prefix="k8s")))'
    )
    filters = inputs(c, "images-scanning")["rules"][0]["repositoryFilters"]
    assert [f["filter"] for f in filters] == ["team-a/*", "fraud/scorer", "k8s/*"]
    covered = run(
        'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, repository_name="fraud/scorer", '
        'scanning=CreateScanning(repository_filters=("fraud/*",))))'
    )
    assert [f["filter"] for f in inputs(covered, "images-scanning")["rules"][0]["repositoryFilters"]] == [
        "fraud/*"
    ]


def test_a_second_registry_takes_the_existing_scanning_configuration() -> None:
    c = run(
        DEFAULT
        + '\nContainerRegistry("more", ContainerRegistryArgs(ownership=o, repository_name="fraud/trainer", '
        "scanning=ExistingScanning()))\n"
    )
    assert "more-scanning" not in [n for _, n in children(c)]
    assert inputs(c, "more-repository")["imageScanningConfiguration"] == {"scanOnPush": True}
    assert findings(gate(c)) == set()  # the first one's `*` rule covers it
    with pytest.raises(AiwardenError) as caught:
        run(
            DEFAULT
            + '\nContainerRegistry("more", ContainerRegistryArgs(ownership=o, repository_name="x/y"))\n'
        )
    assert (
        "more: scanning: the registry scanning configuration is one per account and region, and images already "
        "creates it in this program; give this one scanning=ExistingScanning()"
    ) in caught.value.message


def test_opt_outs_are_named_justified_tagged_and_still_reported() -> None:
    c = run(
        'ContainerRegistry("images", ContainerRegistryArgs(ownership=o, repository_name="vendor/nightly", '
        f'mutable_tags=MutableTags(justification="{REASON}"), scanning=ScanningOff(justification="{REASON}"), '
        f'kms_key=ExistingKey(key="{KEY_ARN}"), untagged_image_days=3, deletion_protection=False))'
    )
    assert "images-scanning" not in [n for _, n in children(c)]
    assert "images-key" not in [n for _, n in children(c)]
    repository = inputs(c, "images-repository")
    assert (repository["imageTagMutability"], repository["imageScanningConfiguration"]) == (
        "MUTABLE",
        {"scanOnPush": False},
    )
    assert repository["encryptionConfigurations"] == [{"encryptionType": "KMS", "kmsKey": KEY_ARN}]
    assert repository["tags"]["aiwarden-exception"] == (
        "The nightly tag is moved by the vendor pipeline approved in SEC-9 until 2026-06"
    )
    assert json.loads(inputs(c, "images-lifecycle")["policy"])["rules"][0]["selection"]["countNumber"] == 3
    assert not [r.name for r in c.resources if r.options.get("protect")]
    assert findings(gate(c)) == {
        ("sup-1-ecr-image-scanning", "images-repository"),
        ("sup-1-ecr-repository-settings", "images-repository"),
    }


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        ContainerRegistryArgs.model_validate(data)
    return str(caught.value)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"repository_name": "Fraud/Scorer"}, ["repository_name", "String should match pattern"]),
        ({"repository_name": "x"}, ["repository_name", "at least 2 characters"]),
        ({"mutable_tags": {}}, ["mutable_tags.justification", "Field required"]),
        ({"mutable_tags": {"justification": "ci"}}, ["mutable_tags.justification", "at least 20 characters"]),
        ({"scanning": {"kind": "off"}}, ["scanning.off.justification", "Field required"]),
        ({"scanning": {"kind": "basic"}}, ["scanning", "does not match any of the expected tags"]),
        (
            {"scanning": {"kind": "create", "repository_filters": ["Fraud Team"]}},
            ["scanning.repository_filters[0]: 'Fraud Team' is not a repository filter"],
        ),
        ({"kms_key": None}, ["kms_key"]),
        (
            {"kms_key": {"kind": "existing", "key": "arn:aws:kms:us-east-1:123456789012:alias/x"}},
            ["kms_key.key"],
        ),
        (
            {"access": {"all": {"principal": "*", "role": "read"}}},
            ["access.all.principal", "wildcards are refused"],
        ),
        (
            {"access": {"ci": {"principal": CI, "role": "admin"}}},
            ["access.ci.role", "Input should be 'read' or 'write'"],
        ),
        ({"untagged_image_days": 0}, ["untagged_image_days"]),
        (
            {
                "pull_through_cache": {
                    "upstream_registry_url": "registry-1.docker.io",
                    "repository_prefix": "hub",
                }
            },
            ["credential_arn: registry-1.docker.io is cached only with credentials", "ecr-pullthroughcache/"],
        ),
        (
            {
                "pull_through_cache": {
                    "upstream_registry_url": "ghcr.io",
                    "repository_prefix": "ghcr",
                    "credential_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:github-AbCdEf",
                }
            },
            ["pull_through_cache.credential_arn", "whose name starts with ecr-pullthroughcache/"],
        ),
        (
            {"pull_through_cache": {"upstream_registry_url": "https://quay.io", "repository_prefix": "quay"}},
            ["pull_through_cache.upstream_registry_url"],
        ),
        (
            {"pull_through_cache": {"upstream_registry_url": "quay.io", "repository_prefix": "fraud"}},
            ["pull_through_cache.repository_prefix: 'fraud' would hold the repository 'fraud/scorer'"],
        ),
        ({"force_delete": True}, ["force_delete", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused({"ownership": OWN, "repository_name": "fraud/scorer", **changes})
    for fragment in fragments:
        assert fragment in text, text


def test_docker_hub_with_its_credentials_is_accepted() -> None:
    args = ContainerRegistryArgs.model_validate(
        {
            "ownership": OWN,
            "repository_name": "fraud/scorer",
            "pull_through_cache": {
                "upstream_registry_url": "registry-1.docker.io",
                "repository_prefix": "docker-hub",
                "credential_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf",
            },
        }
    )
    assert args.scan_filters() == ["*"]
