"""ModelEndpoint (AWS): a SageMaker endpoint behind a private, IAM-authorized, throttled and logged REST API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import AwsNetwork, ExistingKey, Ownership, PublicAccess
from components.aws import ApiSettings, ModelEndpointArgs
from components.aws.model_endpoint import local_storage
from tests.components.aws_helpers import ACCOUNT, KEY_ARN, ROOT_ARN, policy, run, statements
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    incident_response,
    inputs,
    inventory,
    parent_name,
)
from tests.harness import capture, findings, gate

IMAGE = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fraud/scorer:7.2@sha256:" + "a" * 64
REPOSITORY = f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/fraud/scorer"
VPCE = "vpce-0123456789abcdef0"
APP = f"arn:aws:iam::{ACCOUNT}:role/fraud-app"
BATCH = f"arn:aws:iam::{ACCOUNT}:role/jobs/fraud-batch"
ENDPOINT = "test-test-scorer"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/sagemaker/Endpoints/{ENDPOINT}"
ACCESS_GROUP = "/aiwarden/test/test/scorer/api-access"
REASON = "Calls the feature store API over the VPC, approved by security in SEC-51 until 2026-12"
NETWORK = (
    'network=AwsNetwork(vpc_id="vpc-0123456789abcdef0", '
    'subnet_ids=("subnet-0123456789abcdef0", "subnet-0123456789abcdef1"), '
    'security_group_ids=("sg-0123456789abcdef0",))'
)


def program(*options: str, name: str = "scorer", instance_type: str = "ml.m5.xlarge", api: str = "") -> str:
    """A ModelEndpoint with the default configuration plus ``options`` (keyword arguments of the Args)."""
    settings = api or f'vpc_endpoint_ids={{"main": "{VPCE}"}}'
    extra = "".join(f"    {option},\n" for option in options)
    return (
        f'ModelEndpoint("{name}", ModelEndpointArgs(\n    ownership=o,\n    {NETWORK},\n    image="{IMAGE}",\n'
        f'    instance_type="{instance_type}",\n    api=ApiSettings({settings}),\n{extra}))\n'
    )


DEFAULT = program()
SPEND = """
SpendGuard("spend", SpendGuardArgs(ownership=o, amount=1000, scope_tag="purpose", emails=("ml@example.com",),
    sns_topic_arn="arn:aws:sns:us-east-1:123456789012:ml-cost",
    alarms={"errors": MetricAlarm(namespace="/aws/sagemaker/Endpoints", metric_name="Invocation5XXErrors",
                                  threshold=1, description="scorer 5XX")}))
"""
OWN = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
RESTRICTED = Ownership(
    owner="ml-platform", environment="production", data_classification="restricted", purpose="training"
)
DEFAULT_CHILDREN = [
    ("aiwarden:aws:Key", "scorer-key"),
    ("aiwarden:aws:ModelEndpoint", "scorer"),
    ("aws:apigateway/account:Account", "scorer-api-account"),
    ("aws:apigateway/deployment:Deployment", "scorer-deployment"),
    ("aws:apigateway/integration:Integration", "scorer-integration"),
    ("aws:apigateway/integrationResponse:IntegrationResponse", "scorer-integration-response-200"),
    ("aws:apigateway/integrationResponse:IntegrationResponse", "scorer-integration-response-400"),
    ("aws:apigateway/integrationResponse:IntegrationResponse", "scorer-integration-response-500"),
    ("aws:apigateway/method:Method", "scorer-method"),
    ("aws:apigateway/methodResponse:MethodResponse", "scorer-response-200"),
    ("aws:apigateway/methodResponse:MethodResponse", "scorer-response-400"),
    ("aws:apigateway/methodResponse:MethodResponse", "scorer-response-500"),
    ("aws:apigateway/methodSettings:MethodSettings", "scorer-method-settings"),
    ("aws:apigateway/resource:Resource", "scorer-resource"),
    ("aws:apigateway/restApi:RestApi", "scorer-api"),
    ("aws:apigateway/restApiPolicy:RestApiPolicy", "scorer-api-policy"),
    ("aws:apigateway/stage:Stage", "scorer-stage"),
    ("aws:apigateway/usagePlan:UsagePlan", "scorer-usage-plan"),
    ("aws:cloudwatch/logGroup:LogGroup", "scorer-access-logs"),
    ("aws:cloudwatch/logGroup:LogGroup", "scorer-endpoint-logs"),
    ("aws:cloudwatch/logGroup:LogGroup", "scorer-execution-logs"),
    ("aws:iam/policy:Policy", "scorer-invoke-policy"),
    ("aws:iam/role:Role", "scorer-api-logging-role"),
    ("aws:iam/role:Role", "scorer-execution-role"),
    ("aws:iam/role:Role", "scorer-integration-role"),
    ("aws:iam/rolePolicy:RolePolicy", "scorer-execution-policy"),
    ("aws:iam/rolePolicy:RolePolicy", "scorer-integration-policy"),
    ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "scorer-api-logging-attachment"),
    ("aws:kms/alias:Alias", "scorer-key-alias"),
    ("aws:kms/key:Key", "scorer-key-cmk"),
    ("aws:sagemaker/endpoint:Endpoint", "scorer-endpoint"),
    ("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "scorer-config"),
    ("aws:sagemaker/model:Model", "scorer-model"),
]


def _out(c: Any, name: str, key: str) -> Any:
    [found] = [r for r in c.resources if r.name == name]
    return found.outputs[key]


def _id(c: Any, name: str) -> str:
    [found] = [r for r in c.resources if r.name == name]
    return found.id


def _component(c: Any, name: str = "scorer") -> dict[str, Any]:
    [found] = [r for r in c.resources if r.name == name and r.type == "aiwarden:aws:ModelEndpoint"]
    return found.outputs


def _added(c: Any) -> list[tuple[str, str]]:
    return sorted(set(children(c)) - set(DEFAULT_CHILDREN))


def _removed(c: Any) -> list[tuple[str, str]]:
    return sorted(set(DEFAULT_CHILDREN) - set(children(c)))


# -- the default configuration --------------------------------------------------------------------------------


def test_default_children() -> None:
    c = run(DEFAULT)
    assert children(c) == DEFAULT_CHILDREN
    assert {
        parent_name(c, n) for _, n in DEFAULT_CHILDREN if not n.startswith("scorer-key") and n != "scorer"
    } == {"scorer"}


def test_default_model_is_isolated_in_the_private_subnets() -> None:
    c = run(DEFAULT)
    assert inputs(c, "scorer-model") == {
        "executionRoleArn": _out(c, "scorer-execution-role", "arn"),
        "primaryContainer": {"image": IMAGE, "mode": "SingleModel"},
        "enableNetworkIsolation": True,
        "vpcConfig": {
            "subnets": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
            "securityGroupIds": ["sg-0123456789abcdef0"],
        },
        "tags": OWNERSHIP,
    }
    assert "scorer-execution-policy" in depends_on(c, "scorer-model")


def test_default_endpoint_configuration_and_endpoint() -> None:
    c = run(DEFAULT)
    key_arn = _out(c, "scorer-key-cmk", "arn")
    assert inputs(c, "scorer-config") == {
        "productionVariants": [
            {
                "variantName": "primary",
                "modelName": _out(c, "scorer-model", "name"),
                "instanceType": "ml.m5.xlarge",
                "initialInstanceCount": 1.0,
                "initialVariantWeight": 1.0,
            }
        ],
        "kmsKeyArn": key_arn,
        "tags": OWNERSHIP,
    }
    assert inputs(c, "scorer-endpoint") == {
        "name": ENDPOINT,
        "endpointConfigName": _out(c, "scorer-config", "name"),
        "tags": OWNERSHIP,
    }
    # SageMaker would create the endpoint's log group itself, unencrypted and never expiring.
    assert "scorer-endpoint-logs" in depends_on(c, "scorer-endpoint")
    assert inputs(c, "scorer-endpoint-logs") == {
        "name": f"/aws/sagemaker/Endpoints/{ENDPOINT}",
        "kmsKeyId": key_arn,
        "retentionInDays": 365.0,
        "deletionProtectionEnabled": True,
        "tags": OWNERSHIP,
    }


def test_default_execution_role_is_limited_to_its_image_logs_and_network() -> None:
    c = run(DEFAULT)
    assert policy(c, "scorer-execution-role", "assumeRolePolicy") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    granted = statements(c, "scorer-execution-policy")
    assert list(granted) == [
        "PullTheModelImage",
        "EcrAuthorizationToken",
        "CreateTheEndpointLogGroup",
        "WriteTheEndpointLogs",
        "PublishEndpointMetrics",
        "ManageVpcInterfaces",
    ]
    assert granted["PullTheModelImage"]["Resource"] == REPOSITORY
    assert granted["PullTheModelImage"]["Action"] == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ]
    assert granted["CreateTheEndpointLogGroup"]["Resource"] == GROUP_ARN
    assert granted["WriteTheEndpointLogs"]["Resource"] == [GROUP_ARN, f"{GROUP_ARN}:log-stream:*"]
    assert granted["PublishEndpointMetrics"]["Condition"] == {
        "StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}
    }
    assert granted["ManageVpcInterfaces"]["Action"][:4] == [
        "ec2:CreateNetworkInterface",
        "ec2:CreateNetworkInterfacePermission",
        "ec2:DeleteNetworkInterface",
        "ec2:DeleteNetworkInterfacePermission",
    ]
    # Nothing of S3, KMS or SageMaker itself without artifacts or data capture.
    actions = json.dumps([s["Action"] for s in granted.values()])
    assert "s3:" not in actions and "kms:" not in actions and "sagemaker:" not in actions


def test_default_key_serves_sagemaker_and_the_log_groups_only() -> None:
    c = run(DEFAULT)
    key = statements(c, "scorer-key-cmk")
    assert list(key) == [
        "AccountAdministration",
        "KeyUsage",
        "GrantsForAwsResources",
        "CloudWatchLogsEncryptsTheEndpointLogs",
    ]
    assert key["KeyUsage"]["Condition"] == {
        "StringEquals": {
            "kms:ViaService": ["sagemaker.us-east-1.amazonaws.com"],
            "kms:CallerAccount": ACCOUNT,
        }
    }
    logs = key["CloudWatchLogsEncryptsTheEndpointLogs"]
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": [
                GROUP_ARN,
                f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{ACCESS_GROUP}",
                f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:API-Gateway-Execution-Logs_*/v1",
            ]
        }
    }


def test_default_api_is_private_to_the_vpc_endpoint() -> None:
    c = run(DEFAULT)
    api = inputs(c, "scorer-api")
    assert api["endpointConfiguration"] == {
        "types": "PRIVATE",
        "vpcEndpointIds": [VPCE],
        "ipAddressType": "dualstack",
    }
    assert api["tags"] == OWNERSHIP
    execution = _out(c, "scorer-api", "executionArn")
    everything = f"{execution}/*"
    assert inputs(c, "scorer-api-policy")["restApiId"] == _id(c, "scorer-api")
    assert policy(c, "scorer-api-policy")["Statement"] == [
        {
            "Sid": "InvokeThroughTheVpcEndpoints",
            "Effect": "Allow",
            "Principal": {"AWS": [ROOT_ARN]},
            "Action": "execute-api:Invoke",
            "Resource": everything,
            "Condition": {"StringEquals": {"aws:SourceVpce": [VPCE]}},
        },
        {
            "Sid": "DenyOtherNetworkPaths",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": everything,
            "Condition": {"StringNotEquals": {"aws:SourceVpce": [VPCE]}},
        },
    ]


def test_default_method_is_iam_authorized_and_invokes_only_this_endpoint() -> None:
    c = run(DEFAULT)
    assert inputs(c, "scorer-resource")["pathPart"] == "invocations"
    method = inputs(c, "scorer-method")
    assert (method["httpMethod"], method["authorization"], method["apiKeyRequired"]) == (
        "POST",
        "AWS_IAM",
        False,
    )
    assert inputs(c, "scorer-integration") == {
        "restApi": _id(c, "scorer-api"),
        "resourceId": _id(c, "scorer-resource"),
        "httpMethod": "POST",
        "type": "AWS",
        "integrationHttpMethod": "POST",
        "uri": f"arn:aws:apigateway:us-east-1:runtime.sagemaker:path/endpoints/{ENDPOINT}/invocations",
        "credentials": _out(c, "scorer-integration-role", "arn"),
        "passthroughBehavior": "WHEN_NO_MATCH",
    }
    assert policy(c, "scorer-integration-role", "assumeRolePolicy")["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    assert policy(c, "scorer-integration-policy")["Statement"] == [
        {
            "Sid": "InvokeThisEndpoint",
            "Effect": "Allow",
            "Action": "sagemaker:InvokeEndpoint",
            "Resource": _out(c, "scorer-endpoint", "arn"),
        }
    ]
    selections = {
        status: inputs(c, f"scorer-integration-response-{status}").get("selectionPattern")
        for status in ("200", "400", "500")
    }
    assert selections == {"200": None, "400": r"4\d{2}", "500": r"5\d{2}"}


def test_default_stage_is_logged_throttled_and_never_logs_payloads() -> None:
    c = run(DEFAULT)
    stage = inputs(c, "scorer-stage")
    assert stage["stageName"] == "v1"
    assert stage["deployment"] == _id(c, "scorer-deployment")
    assert stage["accessLogSettings"]["destinationArn"] == _out(c, "scorer-access-logs", "arn")
    logged = json.loads(stage["accessLogSettings"]["format"])
    assert (logged["requestId"], logged["caller"], logged["userArn"], logged["vpceId"]) == (
        "$context.requestId",
        "$context.identity.caller",
        "$context.identity.userArn",
        "$context.identity.vpceId",
    )
    assert not any("body" in value or "input" in value for value in logged.values())
    assert (stage["cacheClusterEnabled"], stage["xrayTracingEnabled"]) == (False, False)
    # API Gateway refuses access logging until the account names its CloudWatch role.
    assert "scorer-api-account" in depends_on(c, "scorer-stage")
    assert inputs(c, "scorer-method-settings") == {
        "restApi": _id(c, "scorer-api"),
        "stageName": "v1",
        "methodPath": "*/*",
        "settings": {
            "throttlingRateLimit": 50.0,
            "throttlingBurstLimit": 100.0,
            "loggingLevel": "ERROR",
            "dataTraceEnabled": False,
            "metricsEnabled": True,
            "cachingEnabled": False,
        },
    }
    # The execution log group exists (encrypted, retained) before execution logging is turned on.
    assert {"scorer-execution-logs", "scorer-api-account"} <= depends_on(c, "scorer-method-settings")
    key_arn = _out(c, "scorer-key-cmk", "arn")
    for group, name in (
        ("scorer-execution-logs", f"API-Gateway-Execution-Logs_{_id(c, 'scorer-api')}/v1"),
        ("scorer-access-logs", ACCESS_GROUP),
    ):
        assert inputs(c, group) == {
            "name": name,
            "kmsKeyId": key_arn,
            "retentionInDays": 365.0,
            "deletionProtectionEnabled": True,
            "tags": OWNERSHIP,
        }
    plan = inputs(c, "scorer-usage-plan")
    assert plan["apiStages"] == [{"apiId": _id(c, "scorer-api"), "stage": "v1"}]
    assert plan["throttleSettings"] == {"rateLimit": 50.0, "burstLimit": 100.0}
    assert "quotaSettings" not in plan


def test_default_deployment_follows_the_policy_and_the_target() -> None:
    c = run(DEFAULT)
    deployment = inputs(c, "scorer-deployment")
    assert deployment["triggers"] == {
        "policy": inputs(c, "scorer-api-policy")["policy"],
        "integration": inputs(c, "scorer-integration")["uri"],
        "credentials": _out(c, "scorer-integration-role", "arn"),
        "method": "POST /invocations AWS_IAM",
    }
    assert {
        "scorer-api-policy",
        "scorer-method",
        "scorer-integration",
        "scorer-response-200",
        "scorer-integration-response-500",
    } <= depends_on(c, "scorer-deployment")


def test_default_account_logging_role_is_retained() -> None:
    """The CloudWatch role is a region-wide API Gateway setting: destroying it (terraform-provider-aws v6 resets
    it) would stop every API's logs in the region."""
    c = run(DEFAULT)
    assert inputs(c, "scorer-api-account")["cloudwatchRoleArn"] == _out(c, "scorer-api-logging-role", "arn")
    assert inputs(c, "scorer-api-logging-attachment") == {
        "role": _out(c, "scorer-api-logging-role", "name"),
        "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    }
    assert "scorer-api-logging-attachment" in depends_on(c, "scorer-api-account")
    retained = sorted(r.name for r in c.resources if r.options.get("retainOnDelete"))
    assert retained == ["scorer-api-account", "scorer-api-logging-attachment", "scorer-api-logging-role"]


def test_default_outputs_give_the_invoke_url_and_the_caller_policy() -> None:
    c = run(DEFAULT)
    outputs = _component(c)
    api_id = _id(c, "scorer-api")
    method_arn = f"{_out(c, 'scorer-api', 'executionArn')}/v1/POST/invocations"
    assert outputs["invokeUrl"] == f"{_out(c, 'scorer-stage', 'invokeUrl')}/invocations"
    assert json.loads(outputs["invokePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "InvokeTheModelEndpoint",
                "Effect": "Allow",
                "Action": "execute-api:Invoke",
                "Resource": method_arn,
            }
        ],
    }
    assert (outputs["invokePolicyArn"], outputs["endpointName"], outputs["apiId"], outputs["stageName"]) == (
        _out(c, "scorer-invoke-policy", "arn"),
        ENDPOINT,
        api_id,
        "v1",
    )
    assert outputs["endpointArn"] == _out(c, "scorer-endpoint", "arn")
    assert outputs["executionRoleArn"] == _out(c, "scorer-execution-role", "arn")
    assert outputs["kmsKeyArn"] == _out(c, "scorer-key-cmk", "arn")


def test_default_inventory_record() -> None:
    c = run(DEFAULT)
    entry = inventory(c)["scorer"]
    assert (entry["kind"], entry["exposure"]) == ("model-endpoint", "private")
    assert entry["identities"] == [
        _out(c, "scorer-execution-role", "arn"),
        _out(c, "scorer-integration-role", "arn"),
    ]
    ir = incident_response(c)["scorer"]
    assert ir["credentialsToRevoke"] == [_out(c, "scorer-invoke-policy", "arn")]
    assert ir["endpointsToDisable"] == [_component(c)["invokeUrl"], ENDPOINT]
    assert ir["logsToPreserve"] == [
        f"/aws/sagemaker/Endpoints/{ENDPOINT}",
        ACCESS_GROUP,
        f"API-Gateway-Execution-Logs_{_id(c, 'scorer-api')}/v1",
    ]
    assert "scorer-invoke-policy" in ir["containment"]


def test_default_passes_every_mandatory_policy() -> None:
    """With the stack's audit trail and spend guard (no endpoint component creates them), nothing is left."""
    assert findings(gate(run(DEFAULT + SPEND, trail=True))) == set()


def test_default_without_the_stack_companions_misses_only_stack_level_controls() -> None:
    assert findings(gate(run(DEFAULT)), level="mandatory") == {
        ("log-1-cloudtrail-audit-trail", "stack"),
        ("cost-1-budget-with-alerts", "stack"),
        ("cost-2-aws-anomaly-detection", "stack"),
        ("cost-2-usage-alarms", "stack"),
    }


# -- one option at a time -------------------------------------------------------------------------------------


def test_invoke_grants_name_the_callers_and_get_the_policy() -> None:
    c = run(
        program(
            f'access={{"app": Grant(principal="{APP}", role="invoke"), '
            f'"batch": Grant(principal="{BATCH}", role="invoke")}}'
        )
    )
    assert _added(c) == [
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "scorer-invoke-app"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "scorer-invoke-batch"),
    ]
    assert inputs(c, "scorer-invoke-app") == {
        "role": "fraud-app",
        "policyArn": _out(c, "scorer-invoke-policy", "arn"),
    }
    assert inputs(c, "scorer-invoke-batch")["role"] == "fraud-batch"
    rules = statements(c, "scorer-api-policy")
    assert list(rules) == ["InvokeThroughTheVpcEndpoints", "DenyOtherNetworkPaths", "DenyOtherPrincipals"]
    assert rules["InvokeThroughTheVpcEndpoints"]["Principal"] == {"AWS": [APP, BATCH]}
    assert rules["DenyOtherPrincipals"]["Condition"] == {"ArnNotLike": {"aws:PrincipalArn": [APP, BATCH]}}
    assert inventory(c)["scorer"]["identities"][:2] == [APP, BATCH]
    assert findings(
        gate(run(program(f'access={{"app": Grant(principal="{APP}", role="invoke")}}'), trail=True)),
        level="mandatory",
    ) == findings(gate(run(DEFAULT, trail=True)), level="mandatory")


def test_compressed_model_artifacts_are_the_only_object_the_role_reads() -> None:
    c = run(
        program(
            f'model_artifacts=ModelArtifacts(s3_uri="s3://ml-models/fraud/7.2/model.tar.gz", kms_key="{KEY_ARN}")'
        )
    )
    assert _added(c) == []
    assert inputs(c, "scorer-model")["primaryContainer"] == {
        "image": IMAGE,
        "mode": "SingleModel",
        "modelDataUrl": "s3://ml-models/fraud/7.2/model.tar.gz",
    }
    granted = statements(c, "scorer-execution-policy")
    assert list(granted)[-2:] == ["ReadTheModelArtifacts", "DecryptTheModelArtifacts"]
    assert granted["ReadTheModelArtifacts"] == {
        "Sid": "ReadTheModelArtifacts",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::ml-models/fraud/7.2/model.tar.gz",
    }
    assert granted["DecryptTheModelArtifacts"] == {
        "Sid": "DecryptTheModelArtifacts",
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": KEY_ARN,
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    }


def test_uncompressed_model_artifacts_are_read_under_their_prefix() -> None:
    c = run(program('model_artifacts=ModelArtifacts(s3_uri="s3://ml-models/llm/7b/")'))
    assert inputs(c, "scorer-model")["primaryContainer"] == {
        "image": IMAGE,
        "mode": "SingleModel",
        "modelDataSource": {
            "s3DataSources": [
                {"s3Uri": "s3://ml-models/llm/7b/", "s3DataType": "S3Prefix", "compressionType": "None"}
            ]
        },
    }
    granted = statements(c, "scorer-execution-policy")
    assert list(granted)[-2:] == ["ReadTheModelArtifacts", "ListTheModelArtifacts"]
    assert granted["ReadTheModelArtifacts"]["Resource"] == "arn:aws:s3:::ml-models/llm/7b/*"
    assert granted["ListTheModelArtifacts"]["Resource"] == "arn:aws:s3:::ml-models"
    assert granted["ListTheModelArtifacts"]["Condition"] == {"StringLike": {"s3:prefix": "llm/7b/*"}}


def test_container_egress_is_asked_for_by_name_and_tagged_for_ep_4() -> None:
    c = run(program(f'container_egress=ContainerEgress(justification="{REASON}")'))
    model = inputs(c, "scorer-model")
    assert model["enableNetworkIsolation"] is False
    assert model["tags"] == {
        **OWNERSHIP,
        "aiwarden-exception": REASON.replace(",", ""),
        "needs-egress": REASON.replace(",", ""),
    }
    assert not findings(gate(c), "ep-4")


def test_network_isolation_off_without_the_tag_is_what_ep_4_reports() -> None:
    from tests.harness import DELETE, set_input

    c = run(program(f'container_egress=ContainerEgress(justification="{REASON}")'))
    set_input(c, "scorer-model", "tags.needs-egress", DELETE)
    assert findings(gate(c), "ep-4") == {("ep-4-sagemaker-model-network-isolation", "scorer-model")}


def test_an_image_built_in_the_program_is_pulled_from_its_own_repository() -> None:
    """An Output image (a digest known at deployment) passes through; the pull grant follows it."""
    built = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/built/scorer@sha256:" + "b" * 64
    c = run(
        f'built = pulumi.Output.from_input("{built}")\n' + DEFAULT.replace(f'image="{IMAGE}"', "image=built")
    )
    assert inputs(c, "scorer-model")["primaryContainer"]["image"] == built
    assert statements(c, "scorer-execution-policy")["PullTheModelImage"]["Resource"] == (
        f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/built/scorer"
    )


def test_nvme_instance_types_take_no_volume_key() -> None:
    """AWS refuses KmsKeyId on instance types with local NVMe storage (encrypted in hardware); DATA-2 exempts them."""
    c = run(program(instance_type="ml.g5.2xlarge"))
    config = inputs(c, "scorer-config")
    assert "kmsKeyArn" not in config
    assert config["productionVariants"][0]["instanceType"] == "ml.g5.2xlarge"
    assert not findings(gate(c), "data-2")
    assert [local_storage(t) for t in ("ml.g5.xlarge", "ml.p4d.24xlarge", "ml.m5d.large", "ml.m5.large")] == [
        True,
        True,
        True,
        False,
    ]


def test_data_capture_goes_to_the_locked_bucket_under_its_key() -> None:
    c = run(
        'captures = LockedBucket("captures", LockedBucketArgs(ownership=o))\n'
        + program("data_capture=DataCapture(bucket=captures, sampling_percentage=20)")
    )
    bucket = _out(c, "captures-bucket", "bucket")
    bucket_key = _out(c, "captures-key-cmk", "arn")
    assert inputs(c, "scorer-config")["dataCaptureConfig"] == {
        "enableCapture": True,
        "initialSamplingPercentage": 20.0,
        "destinationS3Uri": f"s3://{bucket}/data-capture/",
        "kmsKeyId": bucket_key,
        "captureOptions": [{"captureMode": "Input"}, {"captureMode": "Output"}],
        "captureContentTypeHeader": {"jsonContentTypes": ["application/json"]},
    }
    granted = statements(c, "scorer-execution-policy")
    assert granted["WriteDataCapture"]["Action"] == "s3:PutObject"
    assert granted["WriteDataCapture"]["Resource"] == f"arn:aws:s3:::{bucket}/data-capture/*"
    assert granted["EncryptDataCapture"] == {
        "Sid": "EncryptDataCapture",
        "Effect": "Allow",
        "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
        "Resource": bucket_key,
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    }
    assert incident_response(c)["scorer"]["logsToPreserve"][-1] == f"s3://{bucket}/data-capture/"
    assert not findings(gate(c), "log-2-sagemaker")


def test_waf_rate_limits_per_client_and_logs_without_credentials() -> None:
    c = run(program("waf=Waf(rate_limit=1200, window_seconds=60)"))
    assert _added(c) == [
        ("aws:cloudwatch/logGroup:LogGroup", "scorer-waf-logs"),
        ("aws:wafv2/webAcl:WebAcl", "scorer-waf"),
        ("aws:wafv2/webAclAssociation:WebAclAssociation", "scorer-waf-association"),
        ("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "scorer-waf-logging"),
    ]
    acl = inputs(c, "scorer-waf")
    assert (acl["scope"], acl["defaultAction"]) == ("REGIONAL", {"allow": {}})
    [rule] = acl["rules"]
    assert rule["action"] == {"block": {}}
    assert rule["statement"] == {
        "rateBasedStatement": {"limit": 1200.0, "aggregateKeyType": "IP", "evaluationWindowSec": 60.0}
    }
    # Sampled requests keep request headers in the console: off for confidential data.
    assert rule["visibilityConfig"]["sampledRequestsEnabled"] is False
    assert acl["visibilityConfig"]["sampledRequestsEnabled"] is False
    assert inputs(c, "scorer-waf-association") == {
        "resourceArn": _out(c, "scorer-stage", "arn"),
        "webAclArn": _out(c, "scorer-waf", "arn"),
    }
    assert inputs(c, "scorer-waf-logs") == {
        "name": f"aws-waf-logs-{ENDPOINT}",
        "kmsKeyId": _out(c, "scorer-key-cmk", "arn"),
        "retentionInDays": 365.0,
        "deletionProtectionEnabled": True,
        "tags": OWNERSHIP,
    }
    assert inputs(c, "scorer-waf-logging") == {
        "resourceArn": _out(c, "scorer-waf", "arn"),
        "logDestinationConfigs": [_out(c, "scorer-waf-logs", "arn")],
        "redactedFields": [
            {"singleHeader": {"name": "authorization"}},
            {"singleHeader": {"name": "x-amz-security-token"}},
        ],
    }
    logs = statements(c, "scorer-key-cmk")["CloudWatchLogsEncryptsTheEndpointLogs"]["Condition"]["ArnLike"]
    assert logs["kms:EncryptionContext:aws:logs:arn"][-1] == (
        f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:aws-waf-logs-{ENDPOINT}"
    )
    assert not findings(gate(c), "ep-3")


def test_existing_api_logging_role_leaves_the_region_setting_alone() -> None:
    c = run(program("api_logging_role=ExistingApiLoggingRole()"))
    assert _removed(c) == [
        ("aws:apigateway/account:Account", "scorer-api-account"),
        ("aws:iam/role:Role", "scorer-api-logging-role"),
        ("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "scorer-api-logging-attachment"),
    ]
    assert "scorer-api-account" not in depends_on(c, "scorer-stage")


def test_existing_key_replaces_the_created_one_everywhere() -> None:
    c = run(program(f'kms_key=ExistingKey(key="{KEY_ARN}")'))
    assert _removed(c) == [
        ("aiwarden:aws:Key", "scorer-key"),
        ("aws:kms/alias:Alias", "scorer-key-alias"),
        ("aws:kms/key:Key", "scorer-key-cmk"),
    ]
    assert inputs(c, "scorer-config")["kmsKeyArn"] == KEY_ARN
    for group in ("scorer-endpoint-logs", "scorer-access-logs", "scorer-execution-logs"):
        assert inputs(c, group)["kmsKeyId"] == KEY_ARN


def test_api_settings_change_stage_path_throttle_logging_and_quota() -> None:
    c = run(
        program(
            api=f'vpc_endpoint_ids={{"a": "{VPCE}", "b": "vpce-0123456789abcdef1"}}, stage_name="prod", '
            'path="score", rate_limit=20, burst_limit=40, logging_level="INFO", '
            'quota=UsageQuota(limit=100000, period="DAY")'
        )
    )
    assert inputs(c, "scorer-api")["endpointConfiguration"]["vpcEndpointIds"] == [
        VPCE,
        "vpce-0123456789abcdef1",
    ]
    assert statements(c, "scorer-api-policy")["DenyOtherNetworkPaths"]["Condition"] == {
        "StringNotEquals": {"aws:SourceVpce": [VPCE, "vpce-0123456789abcdef1"]}
    }
    assert inputs(c, "scorer-resource")["pathPart"] == "score"
    assert inputs(c, "scorer-stage")["stageName"] == "prod"
    settings = inputs(c, "scorer-method-settings")["settings"]
    assert (settings["throttlingRateLimit"], settings["throttlingBurstLimit"], settings["loggingLevel"]) == (
        20.0,
        40.0,
        "INFO",
    )
    assert settings["dataTraceEnabled"] is False
    plan = inputs(c, "scorer-usage-plan")
    assert plan["quotaSettings"] == {"limit": 100000.0, "period": "DAY"}
    assert plan["throttleSettings"] == {"rateLimit": 20.0, "burstLimit": 40.0}
    assert _component(c)["invokeUrl"].endswith("/prod/score")
    assert inputs(c, "scorer-execution-logs")["name"].endswith("/prod")


def test_endpoint_name_retention_and_protection_options() -> None:
    c = run(program('endpoint_name="fraud-scorer"', "log_retention_days=731", "deletion_protection=False"))
    assert inputs(c, "scorer-endpoint")["name"] == "fraud-scorer"
    assert inputs(c, "scorer-endpoint-logs")["name"] == "/aws/sagemaker/Endpoints/fraud-scorer"
    assert inputs(c, "scorer-integration")["uri"].endswith("/endpoints/fraud-scorer/invocations")
    for group in ("scorer-endpoint-logs", "scorer-access-logs", "scorer-execution-logs"):
        assert (inputs(c, group)["retentionInDays"], inputs(c, group)["deletionProtectionEnabled"]) == (
            731.0,
            False,
        )


def test_public_opt_in_is_recorded_and_remains_an_ep_1_exemption() -> None:
    justification = "Partner scoring from their data centre, approved by security in SEC-77 until 2026-12"
    c = run(
        program(
            api=f'endpoint_type="REGIONAL", public_access=PublicAccess(justification="{justification}", '
            'cidrs=("203.0.113.0/24",))'
        )
    )
    api = inputs(c, "scorer-api")
    assert api["endpointConfiguration"] == {"types": "REGIONAL"}
    assert api["tags"]["aiwarden-exception"] == justification.replace(",", "")
    rules = statements(c, "scorer-api-policy")
    assert list(rules) == ["InvokeFromTheAllowedRanges", "DenyOtherSourceRanges"]
    assert rules["InvokeFromTheAllowedRanges"]["Condition"] == {
        "IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}
    }
    assert rules["DenyOtherSourceRanges"]["Condition"] == {
        "NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}
    }
    assert inventory(c)["scorer"]["exposure"] == "public"
    assert inputs(c, "scorer-method")["authorization"] == "AWS_IAM"
    # Still an EP-1 violation of the pack: exempted per resource in the pack configuration, with the reason.
    assert findings(gate(c), "ep-") == {("ep-1-rest-api-private", "scorer-api")}
    exempt = {
        "ep-1-rest-api-private": {"exemptions": [{"resource": "scorer-api", "justification": justification}]}
    }
    report = gate(c, exempt)
    assert not findings(report, "ep-")
    assert [(e.policy, e.resource_name, e.justification) for e in report.exemptions] == [
        ("ep-1-rest-api-private", "scorer-api", justification)
    ]


def test_public_opt_in_without_ranges_allows_the_internet_with_iam_only() -> None:
    justification = (
        "Mobile clients sign with Cognito identities, approved by security in SEC-78 until 2026-12"
    )
    c = run(program(api=f'endpoint_type="EDGE", public_access=PublicAccess(justification="{justification}")'))
    assert inputs(c, "scorer-api")["endpointConfiguration"] == {"types": "EDGE"}
    assert list(statements(c, "scorer-api-policy")) == ["InvokeFromTheInternet"]
    assert "Condition" not in statements(c, "scorer-api-policy")["InvokeFromTheInternet"]


# -- bad input ------------------------------------------------------------------------------------------------

NET = AwsNetwork(
    vpc_id="vpc-0123456789abcdef0",
    subnet_ids=("subnet-0123456789abcdef0",),
    security_group_ids=("sg-0123456789abcdef0",),
)
BASE: dict[str, Any] = {
    "ownership": OWN,
    "network": NET,
    "image": IMAGE,
    "instance_type": "ml.m5.xlarge",
    "api": {"vpc_endpoint_ids": {"main": VPCE}},
}
PUBLIC = PublicAccess(justification="Partner scoring, approved by security in SEC-77 until 2026-12")


def _refused(changes: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        ModelEndpointArgs.model_validate({**BASE, **changes})
    return str(caught.value)


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        (
            {"api": {"endpoint_type": "REGIONAL"}},
            ["api.endpoint_type='REGIONAL' is public", "public_access="],
        ),
        ({"api": {"endpoint_type": "EDGE"}}, ["api.endpoint_type='EDGE' is public"]),
        (
            {"api": {"vpc_endpoint_ids": {"main": VPCE}, "public_access": PUBLIC}},
            ["api.public_access: a PRIVATE API is not public"],
        ),
        ({"api": {}}, ["api.vpc_endpoint_ids: a PRIVATE API is reachable only through"]),
        (
            {
                "api": {
                    "endpoint_type": "REGIONAL",
                    "public_access": PUBLIC,
                    "vpc_endpoint_ids": {"main": VPCE},
                }
            },
            ["api.vpc_endpoint_ids: API Gateway associates VPC endpoints with PRIVATE APIs only"],
        ),
        (
            {"ownership": RESTRICTED, "api": {"endpoint_type": "REGIONAL", "public_access": PUBLIC}},
            ["api.public_access: a model endpoint serving restricted data in production is never public"],
        ),
        (
            {
                "api": {
                    "endpoint_type": "REGIONAL",
                    "public_access": {**PUBLIC.model_dump(), "cidrs": ("0.0.0.0/0",)},
                }
            },
            ["cidrs: '0.0.0.0/0' is the whole internet"],
        ),
        (
            {"image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fraud/scorer:7.2"},
            ["image", "mutable tag '7.2'"],
        ),
        ({"image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fraud/scorer:latest"}, ["image", "'latest'"]),
        (
            {"image": "gcr.io/ml/scorer@sha256:" + "a" * 64},
            ["image", "SageMaker hosting pulls images from Amazon ECR"],
        ),
        (
            {"access": {"all": {"principal": "*", "role": "invoke"}}},
            ["access.all.principal", "wildcards are refused"],
        ),
        (
            {"access": {"all": {"principal": f"arn:aws:iam::{ACCOUNT}:role/*", "role": "invoke"}}},
            ["access.all.principal", "wildcards are refused"],
        ),
        (
            {"access": {"app": {"principal": APP, "role": "read"}}},
            ["access.app.role", "Input should be 'invoke'"],
        ),
        ({"data_capture": {"bucket": "ml-captures"}}, ["data_capture.bucket", "is not a LockedBucket"]),
        ({"data_capture": {}}, ["data_capture.bucket", "Field required"]),
        ({"container_egress": {}}, ["container_egress.justification", "Field required"]),
        (
            {"container_egress": {"justification": "needs it"}},
            ["container_egress.justification", "at least 20"],
        ),
        ({"enable_network_isolation": False}, ["enable_network_isolation", "Extra inputs are not permitted"]),
        ({"kms_key": None}, ["kms_key"]),
        (
            {"kms_key": ExistingKey(key=f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/ml")},
            ["kms_key.key", "not an AWS KMS key ARN"],
        ),
        ({"kms_key": {"kind": "create", "deletion_window_days": 7}}, ["kms_key.deletion_window_days=7"]),
        ({"model_artifacts": {"s3_uri": "s3://ml-models/*"}}, ["model_artifacts.s3_uri"]),
        (
            {"model_artifacts": {"s3_uri": "https://ml-models.s3.amazonaws.com/m.tar.gz"}},
            ["model_artifacts.s3_uri"],
        ),
        (
            {"model_artifacts": {"s3_uri": "s3://ml-models/m.tar.gz", "kms_key": "alias/ml"}},
            ["model_artifacts.kms_key"],
        ),
        ({"instance_type": "g5.xlarge"}, ["instance_type"]),
        ({"endpoint_name": "fraud_scorer"}, ["endpoint_name", "is not a SageMaker endpoint name"]),
        ({"environment": {"MODEL-ID": "x"}}, ["environment", "is not an environment variable name"]),
        ({"log_retention_days": 42}, ["log_retention_days", "42 is not a CloudWatch Logs retention"]),
        ({"waf": {"rate_limit": 5}}, ["waf.rate_limit"]),
        ({"waf": {"window_seconds": 30}}, ["waf.window_seconds"]),
        (
            {"api": {"vpc_endpoint_ids": {"main": "vpc-123"}}},
            ["api.vpc_endpoint_ids.main", "is not a VPC endpoint id"],
        ),
        ({"api": {"vpc_endpoint_ids": {"main": VPCE}, "rate_limit": 0}}, ["api.rate_limit"]),
        ({"api_logging_role": {"kind": "none"}}, ["api_logging_role"]),
        ({"tags": {"x": "y"}}, ["tags", "Extra inputs are not permitted"]),
    ],
)
def test_bad_input_is_refused_naming_the_field(changes: dict[str, Any], fragments: list[str]) -> None:
    text = _refused(changes)
    for fragment in fragments:
        assert fragment in text, text


def test_api_settings_alone_refuse_a_public_type() -> None:
    with pytest.raises(ValidationError) as caught:
        ApiSettings(endpoint_type="REGIONAL")
    assert "api.endpoint_type='REGIONAL' is public" in str(caught.value)


def test_bad_input_fails_the_program_before_registration() -> None:
    with pytest.raises(AiwardenError) as caught:
        capture(
            "from components._common import AwsNetwork, Ownership\n"
            "from components.aws import ApiSettings, ModelEndpoint, ModelEndpointArgs\n"
            'o = Ownership(owner="ml-platform", environment="production", data_classification="restricted", '
            'purpose="x")\n' + program(api='endpoint_type="EDGE"')
        )
    assert "ValidationError" in caught.value.message
    assert "api.endpoint_type='EDGE' is public" in caught.value.message


def test_a_capture_bucket_without_a_key_is_refused_before_registration() -> None:
    with pytest.raises(AiwardenError) as caught:
        capture(
            "from components._common import AwsNetwork, Ownership\n"
            "from components.aws import ApiSettings, DataCapture, LockedBucket, LockedBucketArgs, ModelEndpoint, "
            "ModelEndpointArgs\n"
            'o = Ownership(owner="ml-platform", environment="production", data_classification="public", '
            'purpose="x")\n'
            'plain = LockedBucket("plain", LockedBucketArgs(ownership=o, kms_key=None))\n'
            + program("data_capture=DataCapture(bucket=plain)")
        )
    assert "DataCapture.bucket" in caught.value.message
    assert "the LockedBucket has no KMS key" in caught.value.message


def test_component_names_sagemaker_cannot_derive_names_from_are_refused() -> None:
    with pytest.raises(AiwardenError) as caught:
        capture(
            "from components._common import AwsNetwork, Ownership\n"
            "from components.aws import ApiSettings, ModelEndpoint, ModelEndpointArgs\n"
            'o = Ownership(owner="ml-platform", environment="production", data_classification="internal", '
            'purpose="x")\n' + program(name="fraud_scorer")
        )
    assert "ModelEndpoint name 'fraud_scorer'" in caught.value.message
