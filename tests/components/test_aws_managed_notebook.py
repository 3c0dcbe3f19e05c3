"""ManagedNotebook (AWS): a SageMaker notebook without internet path or root, IMDSv2 only, a CMK volume, an idle
stop, a least-privilege role; optionally a VpcOnly Studio domain."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from pydantic import ValidationError

from components._common import AwsNetwork, Ownership
from components.aws import ManagedNotebook, ManagedNotebookArgs
from components.aws.managed_notebook import IDLE_CEILING_MINUTES
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, run, statements
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
from tests.harness import findings, gate, message

NET = (
    'network=AwsNetwork(vpc_id="vpc-0123456789abcdef0", '
    'subnet_ids=("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"), '
    'security_group_ids=("sg-0123456789abcdef0",))'
)
DEFAULT = f'ManagedNotebook("research", ManagedNotebookArgs(ownership=o, {NET}))'
ROLE = f"arn:aws:iam::{ACCOUNT}:role/data-scientists"
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:fraud/openai-key-AbCdEf"
MIRROR = "https://pypi.internal.example.com/simple/"
SUP_3 = "sup-3-sagemaker-lifecycle-installs"
APPROVED = {
    SUP_3: {"approvedPackageIndexes": ["pypi.internal.example.com", "*.d.codeartifact.*.amazonaws.com"]}
}
JUSTIFICATION = "Vendor demo for the fraud team, approved in SEC-77 until 2026-01-31"
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="x"
)
NETWORK = AwsNetwork(
    vpc_id="vpc-0123456789abcdef0",
    subnet_ids=("subnet-0123456789abcdef0",),
    security_group_ids=("sg-0123456789abcdef0",),
)


def _notebook(body: str) -> str:
    return f'ManagedNotebook("research", ManagedNotebookArgs(ownership=o, {NET}, {body}))'


def _script(c: Any) -> str:
    return base64.b64decode(inputs(c, "research-lifecycle")["onStart"]).decode()


def test_default_children() -> None:
    c = run(DEFAULT)
    expected = [
        ("aiwarden:aws:Key", "research-key"),
        ("aiwarden:aws:ManagedNotebook", "research"),
        ("aws:iam/policy:Policy", "research-open"),
        ("aws:iam/role:Role", "research-role"),
        ("aws:iam/rolePolicy:RolePolicy", "research-role-access"),
        ("aws:iam/rolePolicy:RolePolicy", "research-role-self-stop"),
        ("aws:kms/alias:Alias", "research-key-alias"),
        ("aws:kms/key:Key", "research-key-cmk"),
        ("aws:sagemaker/notebookInstance:NotebookInstance", "research-notebook"),
        (
            "aws:sagemaker/notebookInstanceLifecycleConfiguration:NotebookInstanceLifecycleConfiguration",
            "research-lifecycle",
        ),
    ]
    assert children(c) == expected
    assert {
        parent_name(c, n)
        for _, n in expected
        if n not in ("research", "research-key-cmk", "research-key-alias")
    } == {"research"}


def test_default_notebook_has_no_internet_path_no_root_and_a_cmk_volume() -> None:
    c = run(DEFAULT)
    notebook = inputs(c, "research-notebook")
    key_arn = notebook["kmsKeyId"]
    assert key_arn.startswith(f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-")
    assert notebook == {
        "instanceType": "ml.t3.medium",
        "volumeSize": 5.0,
        "platformIdentifier": "notebook-al2023-v1",
        "roleArn": notebook["roleArn"],
        "directInternetAccess": "Disabled",
        "rootAccess": "Disabled",
        "instanceMetadataServiceConfiguration": {"minimumInstanceMetadataServiceVersion": "2"},
        "subnetId": "subnet-0123456789abcdef0",
        "securityGroups": ["sg-0123456789abcdef0"],
        "kmsKeyId": key_arn,
        "lifecycleConfigName": notebook["lifecycleConfigName"],
        "tags": OWNERSHIP,
    }
    assert notebook["roleArn"].startswith(f"arn:aws:iam::{ACCOUNT}:role/research-role-")
    assert notebook["lifecycleConfigName"].startswith("research-lifecycle-")
    assert {"research-role-access", "research-key-cmk", "research-lifecycle"} <= depends_on(
        c, "research-notebook"
    )


def test_default_lifecycle_stops_the_idle_notebook_and_downloads_nothing() -> None:
    c = run(DEFAULT)
    script = _script(c)
    assert script.startswith("#!/bin/bash\n")
    assert "ExecStart=$PYTHON /opt/aiwarden/autostop.py 60\n" in script
    assert "OnUnitActiveSec=5min" in script and "systemctl enable --now aiwarden-autostop.timer" in script
    assert "stop_notebook_instance(NotebookInstanceName=" in script
    assert not any(word in script for word in ("curl", "wget", "pip install", "git clone", "http://"))
    assert inputs(c, "research-lifecycle") == {
        "onStart": inputs(c, "research-lifecycle")["onStart"],
        "tags": OWNERSHIP,
    }


def test_default_role_is_dedicated_and_reaches_nothing_but_its_logs() -> None:
    c = run(DEFAULT)
    trust = json.loads(inputs(c, "research-role")["assumeRolePolicy"])
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    assert "managedPolicyArns" not in inputs(c, "research-role")
    group = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/sagemaker/NotebookInstances"
    assert statements(c, "research-role-access") == {
        "NotebookLogs": {
            "Sid": "NotebookLogs",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ],
            "Resource": [group, f"{group}:log-stream:*"],
        }
    }
    notebook_arn = next(r for r in c.resources if r.name == "research-notebook").outputs["arn"]
    assert statements(c, "research-role-self-stop") == {
        "StopWhenIdle": {
            "Sid": "StopWhenIdle",
            "Effect": "Allow",
            "Action": ["sagemaker:DescribeNotebookInstance", "sagemaker:StopNotebookInstance"],
            "Resource": notebook_arn,
        }
    }
    assert "research-notebook" in depends_on(c, "research-role-self-stop")
    assert statements(c, "research-open")["OpenThisNotebook"]["Resource"] == notebook_arn


def test_default_key_is_usable_through_sagemaker_only() -> None:
    policy = statements(run(DEFAULT), "research-key-cmk")
    assert list(policy) == ["AccountAdministration", "KeyUsage", "GrantsForAwsResources"]
    assert policy["KeyUsage"]["Principal"] == {"AWS": [ROOT_ARN]}
    assert policy["KeyUsage"]["Condition"] == {
        "StringEquals": {
            "kms:ViaService": ["sagemaker.us-east-1.amazonaws.com"],
            "kms:CallerAccount": ACCOUNT,
        }
    }


def test_default_inventory_and_incident_response_records() -> None:
    c = run(DEFAULT)
    role_arn = inputs(c, "research-notebook")["roleArn"]
    entry = inventory(c)["research"]
    assert (entry["kind"], entry["exposure"], entry["identities"]) == ("notebook", "private", [role_arn])
    ir = incident_response(c)["research"]
    notebook_name = next(r for r in c.resources if r.name == "research-notebook").outputs["name"]
    assert ir["endpointsToDisable"] == [notebook_name]
    assert ir["credentialsToRevoke"][0] == role_arn
    assert (
        ir["logsToPreserve"][0]
        == f"CloudWatch Logs /aws/sagemaker/NotebookInstances, streams {notebook_name}/*"
    )
    assert "Stop the research notebook" in ir["containment"]


def test_default_misses_only_the_stack_budget() -> None:
    """With the stack's audit trail, the only mandatory gaps are stack-level cost controls (COST-1, COST-2) that the
    platform's SpendGuard provides; the example declares one and passes clean."""
    assert findings(gate(run(DEFAULT, trail=True)), level="mandatory") == {
        ("cost-1-budget-with-alerts", "stack"),
        ("cost-2-aws-anomaly-detection", "stack"),
    }


def test_production_notebooks_are_protected_and_sandbox_ones_not() -> None:
    c = run(DEFAULT)
    assert [r.name for r in c.resources if r.options.get("protect")] == ["research-notebook"]
    sandbox = run(
        'o = Ownership(owner="ml-platform", environment="sandbox", data_classification="internal", purpose="x")\n'
        + DEFAULT
    )
    assert not any(r.options.get("protect") for r in sandbox.resources)


def test_buckets_scope_the_role_to_named_prefixes_and_keys() -> None:
    c = run(
        _notebook(
            'buckets={"data": NotebookBucket(bucket="fraud-data", prefix="curated/", kms_key="'
            + KEY_ARN
            + '"), '
            '"scratch": NotebookBucket(bucket="fraud-scratch", role="write")}'
        )
    )
    policy = statements(c, "research-role-access")
    assert list(policy) == [
        "NotebookLogs",
        "ListData",
        "ObjectsData",
        "KeyData",
        "ListScratch",
        "ObjectsScratch",
    ]
    assert policy["ListData"]["Condition"] == {"StringLike": {"s3:prefix": ["curated/*"]}}
    assert policy["ObjectsData"] == {
        "Sid": "ObjectsData",
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:GetObjectVersion"],
        "Resource": "arn:aws:s3:::fraud-data/curated/*",
    }
    assert policy["KeyData"] == {
        "Sid": "KeyData",
        "Effect": "Allow",
        "Action": ["kms:Decrypt"],
        "Resource": KEY_ARN,
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    }
    assert "Condition" not in policy["ListScratch"]
    assert policy["ObjectsScratch"]["Action"] == [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
    ]
    assert policy["ObjectsScratch"]["Resource"] == "arn:aws:s3:::fraud-scratch/*"
    assert incident_response(c)["research"]["bucketsToInspect"] == ["fraud-data", "fraud-scratch"]


def test_secrets_are_read_by_arn_only() -> None:
    c = run(_notebook(f'secrets={{"openai": NotebookSecret(arn="{SECRET}", kms_key="{KEY_ARN}")}}'))
    policy = statements(c, "research-role-access")
    assert policy["SecretOpenai"] == {
        "Sid": "SecretOpenai",
        "Effect": "Allow",
        "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        "Resource": SECRET,
    }
    assert policy["SecretKeyOpenai"]["Condition"] == {
        "StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}
    }
    assert findings(gate(c), "sec-3") == set()


def test_access_grants_may_open_start_and_stop_this_notebook_only() -> None:
    c = run(_notebook(f'access={{"scientists": Grant(principal="{ROLE}", role="use")}}'))
    assert children(c) == sorted(
        [
            *children(run(DEFAULT)),
            ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "research-open-scientists"),
        ]
    )
    assert inputs(c, "research-open-scientists")["role"] == "data-scientists"
    open_policy = statements(c, "research-open")["OpenThisNotebook"]
    assert open_policy["Action"] == [
        "sagemaker:CreatePresignedNotebookInstanceUrl",
        "sagemaker:DescribeNotebookInstance",
        "sagemaker:StartNotebookInstance",
        "sagemaker:StopNotebookInstance",
    ]
    assert inventory(c)["research"]["identities"][1:] == [ROLE]


def test_pip_mirror_installs_pinned_packages_from_the_mirror_only() -> None:
    c = run(
        _notebook(
            f'package_index=PipIndex(url="{MIRROR}"), packages=("pandas==2.2.3", "scikit-learn==1.5.2")'
        )
    )
    script = _script(c)
    assert f"index-url = {MIRROR}\n" in script
    assert f"pip install --no-input --index-url '{MIRROR}' 'pandas==2.2.3' 'scikit-learn==1.5.2'\n" in script
    assert [line for line in script.splitlines() if "pip install" in line and not line.startswith("#")] == [
        f"pip install --no-input --index-url '{MIRROR}' 'pandas==2.2.3' 'scikit-learn==1.5.2'"
    ]
    assert "nohup sudo -u ec2-user -i /opt/aiwarden/packages.sh" in script
    # SUP-3 sees the mirror's host: it passes once the stack approves it, and not before.
    assert "pypi.internal.example.com" in message(gate(c), SUP_3, "research-lifecycle")
    assert findings(gate(c, pack_config=APPROVED), SUP_3) == set()


def test_codeartifact_index_uses_a_short_lived_token_and_reads_that_repository_only() -> None:
    c = run(
        _notebook(
            'package_index=CodeArtifactIndex(domain="ml", domain_owner="123456789012", repository="pypi-store"), '
            'packages=("pandas==2.2.3",)'
        )
    )
    script = _script(c)
    host = "ml-123456789012.d.codeartifact.us-east-1.amazonaws.com"
    assert "get_authorization_token(domain='ml', domainOwner='123456789012')" in script
    assert f'--index-url "https://aws:${{TOKEN}}@{host}/pypi/pypi-store/simple/"' in script
    policy = statements(c, "research-role-access")
    assert policy["PackageIndexToken"]["Resource"] == "arn:aws:codeartifact:us-east-1:123456789012:domain/ml"
    assert policy["PackageIndexBearerToken"]["Condition"] == {
        "StringEquals": {"sts:AWSServiceName": "codeartifact.amazonaws.com"}
    }
    assert policy["PackageIndexRead"]["Resource"] == (
        "arn:aws:codeartifact:us-east-1:123456789012:repository/ml/pypi-store"
    )
    assert host in message(gate(c), SUP_3, "research-lifecycle")
    assert findings(gate(c, pack_config=APPROVED), SUP_3) == set()


def test_studio_domain_is_vpc_only_with_the_same_rules() -> None:
    c = run(_notebook("studio=StudioDomain(idle_shutdown_minutes=120)"))
    assert children(c) == sorted(
        [*children(run(DEFAULT)), ("aws:sagemaker/domain:Domain", "research-domain")]
    )
    domain = inputs(c, "research-domain")
    idle = {
        "lifecycleManagement": "ENABLED",
        "idleTimeoutInMinutes": 120.0,
        "minIdleTimeoutInMinutes": 60.0,
        "maxIdleTimeoutInMinutes": 120.0,
    }
    assert domain == {
        "domainName": "research",
        "authMode": "IAM",
        "vpcId": "vpc-0123456789abcdef0",
        "subnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
        "appNetworkAccessType": "VpcOnly",
        "kmsKeyId": inputs(c, "research-notebook")["kmsKeyId"],
        "tagPropagation": "ENABLED",
        "retentionPolicy": {"homeEfsFileSystem": "Retain"},
        "domainSettings": {
            "securityGroupIds": ["sg-0123456789abcdef0"],
            "executionRoleIdentityConfig": "USER_PROFILE_NAME",
            "dockerSettings": {"enableDockerAccess": "DISABLED"},
        },
        "defaultUserSettings": {
            "executionRole": inputs(c, "research-notebook")["roleArn"],
            "securityGroups": ["sg-0123456789abcdef0"],
            "studioWebPortal": "ENABLED",
            "defaultLandingUri": "studio::",
            "jupyterLabAppSettings": {"appLifecycleManagement": {"idleSettings": idle}},
            "codeEditorAppSettings": {"appLifecycleManagement": {"idleSettings": idle}},
        },
        "tags": OWNERSHIP,
    }
    trust = json.loads(inputs(c, "research-role")["assumeRolePolicy"])["Statement"][0]
    assert trust["Action"] == ["sts:AssumeRole", "sts:SetSourceIdentity"]
    key = statements(c, "research-key-cmk")["KeyUsage"]["Condition"]["StringEquals"]["kms:ViaService"]
    assert key == ["sagemaker.us-east-1.amazonaws.com", "elasticfilesystem.us-east-1.amazonaws.com"]
    assert findings(gate(c, pack_config=APPROVED), "nb-") == set()
    assert "research-domain" in {r.name for r in c.resources if r.options.get("protect")}


def test_direct_internet_is_an_opt_in_that_nb1_reports_until_exempted() -> None:
    c = run(_notebook(f'direct_internet=PublicAccess(justification="{JUSTIFICATION}")'))
    notebook = inputs(c, "research-notebook")
    assert notebook["directInternetAccess"] == "Enabled"
    assert (
        notebook["tags"]["aiwarden-exception"]
        == "Vendor demo for the fraud team approved in SEC-77 until 2026-01-31"
    )
    assert inventory(c)["research"]["exposure"] == "public"
    nb1 = "nb-1-sagemaker-notebook-no-direct-internet"
    assert findings(gate(c), "nb-") == {(nb1, "research-notebook")}
    exempt = {nb1: {"exemptions": [{"resource": "research-notebook", "justification": JUSTIFICATION}]}}
    report = gate(c, pack_config=exempt)
    assert findings(report, "nb-") == set()
    assert [(e.policy, e.resource_name) for e in report.exemptions] == [(nb1, "research-notebook")]


def test_existing_key_creates_no_key() -> None:
    c = run(_notebook(f'kms_key=ExistingKey(key="{KEY_ARN}")'))
    assert not [n for _, n in children(c) if n.startswith("research-key")]
    assert inputs(c, "research-notebook")["kmsKeyId"] == KEY_ARN


def _args(**fields: Any) -> ManagedNotebookArgs:
    return ManagedNotebookArgs(ownership=fields.pop("ownership", OWN), network=NETWORK, **fields)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"root_access": "Enabled"}, "root_access: root access is always Disabled"),
        ({"direct_internet_access": "Enabled"}, "direct_internet=PublicAccess(justification=...)"),
        ({"instance_metadata_service_configuration": {}}, "IMDSv2 is always required"),
        ({"role_arn": ROLE}, "role_arn: the component creates the notebook's own least-privilege role"),
        ({"idle_shutdown_minutes": IDLE_CEILING_MINUTES + 1}, "above the ceiling of 240 minutes"),
        ({"idle_shutdown_minutes": 5}, "greater than or equal to 10"),
        ({"studio": {"idle_shutdown_minutes": 241}}, "studio.idle_shutdown_minutes=241: above the ceiling"),
        ({"studio": {"idle_shutdown_minutes": 30}}, "greater than or equal to 60"),
        ({"packages": ("pandas==2.2.3",)}, "packages: installs come only from the package mirror"),
        (
            {"package_index": {"kind": "pip", "url": MIRROR}, "packages": ("pandas>=2",)},
            "'pandas>=2' is not a pinned requirement",
        ),
        (
            {"package_index": {"kind": "pip", "url": "http://pypi.internal/simple/"}},
            "is not an HTTPS index URL",
        ),
        ({"package_index": {"kind": "pip", "url": "https://u:p@pypi.internal/simple/"}}, "no credentials"),
        (
            {"direct_internet": {"justification": JUSTIFICATION, "cidrs": ("10.0.0.0/8",)}},
            "takes no source ranges",
        ),
        ({"buckets": {"all": {"bucket": "*"}}}, "wildcards are refused"),
        (
            {"secrets": {"all": {"arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:*"}}},
            "wildcards",
        ),
        ({"platform_identifier": "notebook-al2-v3"}, "notebook-al2023-v1"),
        ({"deletion_protection": False}, "production data and keys keep deletion protection"),
        ({"access": {"all": {"principal": "*", "role": "use"}}}, "wildcards are refused"),
        ({"access": {"x": {"principal": ROLE, "role": "admin"}}}, "'use'"),
    ],
)
def test_bad_input_is_refused_before_registration(fields: dict[str, Any], expected: str) -> None:
    with pytest.raises(ValidationError, match=None) as raised:
        _args(**fields)
    assert expected in str(raised.value)


def test_direct_internet_is_never_for_restricted_production_data() -> None:
    restricted = OWN.model_copy(update={"data_classification": "restricted"})
    with pytest.raises(ValidationError) as raised:
        _args(ownership=restricted, direct_internet={"justification": JUSTIFICATION})
    assert "restricted production data never has direct internet access" in str(raised.value)
    sandbox = OWN.model_copy(update={"environment": "sandbox", "data_classification": "restricted"})
    assert _args(ownership=sandbox, direct_internet={"justification": JUSTIFICATION}).direct_internet


def test_a_name_too_long_for_sagemaker_is_refused_before_registration() -> None:
    with pytest.raises(ValueError, match="46 characters at most"):
        ManagedNotebook("n" * 47, _args())


def test_example_is_the_readme_example_and_passes_the_gate() -> None:
    c, code = example("aws-managed-notebook")
    assert code == readme_example("aws/managed_notebook.md")
    assert c.error is None
    assert findings(gate(c), level="mandatory") == set()
    assert findings(gate(c)) == set()
