"""Hardened AWS twin of the insecure programs: every resource type they misuse, configured so that the
aiwarden pack reports nothing, plus the stack-level companions (budget, anomaly monitor, alarm, trail,
inventory and incident-response manifests)."""

import base64
import json
from collections.abc import Callable

import pulumi
import pulumi_aws as aws

from components._common import AssetRecord, Ownership, export_inventory, record_asset, stamp_ownership

OWNERSHIP = Ownership(
    owner="ml-platform",
    environment="production",
    data_classification="confidential",
    purpose="fraud-scoring",
    contact="ml-platform@example.com",
)
stamp_ownership(OWNERSHIP)

ACCOUNT = "123456789012"
VPC = "vpc-0123456789abcdef0"
VPC_ENDPOINT = "vpce-0123456789abcdef0"
IMAGE = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fraud@sha256:" + "a" * 64
ROTATION_LAMBDA = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:secrets-rotation"
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "caller": "$context.identity.caller",
        "ip": "$context.identity.sourceIp",
    }
)


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def trust(service: str) -> str:
    return document({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": service}})


key = aws.kms.Key("platform-key", description="Platform CMK", enable_key_rotation=True)

# -- network: a private subnet and security groups without world ingress or egress -------------------
subnet = aws.ec2.Subnet("private-a", vpc_id=VPC, cidr_block="10.0.1.0/24", availability_zone="us-east-1a")
model_sg = aws.ec2.SecurityGroup(
    "model-sg", vpc_id=VPC, description="Model containers: no ingress, no egress"
)
notebook_sg = aws.ec2.SecurityGroup(
    "notebook-sg",
    vpc_id=VPC,
    description="Notebooks: HTTPS to the VPC endpoints only",
    egress=[
        aws.ec2.SecurityGroupEgressArgs(
            protocol="tcp", from_port=443, to_port=443, cidr_blocks=["10.0.0.0/16"]
        )
    ],
)


# -- buckets: a locked evidence bucket and a dataset bucket, each with every companion ---------------
def bucket_policy(
    name: str, bucket: aws.s3.Bucket, grants: Callable[[str], list[dict]] | None = None
) -> None:
    """A bucket policy denying every request without TLS, then ``grants`` (statements built from the ARN)."""

    def render(arn: str) -> str:
        deny_http = {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [arn, f"{arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
        return document(deny_http, *(grants(arn) if grants else []))

    aws.s3.BucketPolicy(f"{name}-policy", bucket=bucket.id, policy=bucket.arn.apply(render))


def cloudtrail_delivery(arn: str) -> list[dict]:
    service = {"Service": "cloudtrail.amazonaws.com"}
    return [
        {
            "Sid": "CloudTrailAcl",
            "Effect": "Allow",
            "Principal": service,
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
        },
        {
            "Sid": "CloudTrailWrite",
            "Effect": "Allow",
            "Principal": service,
            "Action": "s3:PutObject",
            "Resource": f"{arn}/AWSLogs/{ACCOUNT}/*",
        },
    ]


def protect_bucket(name: str, bucket: aws.s3.Bucket) -> None:
    aws.s3.BucketPublicAccessBlock(
        f"{name}-pab",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-sse",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="aws:kms", kms_master_key_id=key.arn
                ),
                bucket_key_enabled=True,
            )
        ],
    )
    aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-lifecycle",
        bucket=bucket.id,
        rules=[
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-noncurrent",
                status="Enabled",
                filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(),
                noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=400
                ),
            )
        ],
    )


evidence = aws.s3.Bucket("evidence", object_lock_enabled=True)
protect_bucket("evidence", evidence)
aws.s3.BucketObjectLockConfiguration(
    "evidence-lock",
    bucket=evidence.id,
    rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
        default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(
            mode="COMPLIANCE", days=365
        )
    ),
)
# The evidence bucket's own access logs go to the organization's log-archive account.
aws.s3.BucketLogging(
    "evidence-logging",
    bucket=evidence.id,
    target_bucket="org-log-archive-access-logs",
    target_prefix="evidence/",
)
bucket_policy("evidence", evidence, cloudtrail_delivery)

data = aws.s3.Bucket("training-data")
protect_bucket("training-data", data)
bucket_policy("training-data", data)

# -- identities: one dedicated role per workload, least privilege ------------------------------------
model_role = aws.iam.Role("fraud-model-role", assume_role_policy=trust("sagemaker.amazonaws.com"))
aws.iam.RolePolicy(
    "fraud-model-read",
    role=model_role.id,
    policy=data.arn.apply(
        lambda arn: document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{arn}/models/*"})
    ),
)
notebook_role = aws.iam.Role("notebook-role", assume_role_policy=trust("sagemaker.amazonaws.com"))
aws.iam.RolePolicy(
    "notebook-read",
    role=notebook_role.id,
    policy=data.arn.apply(
        lambda arn: document(
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": [arn, f"{arn}/*"]}
        )
    ),
)
node_role = aws.iam.Role("gpu-node-role", assume_role_policy=trust("ec2.amazonaws.com"))
for i, managed in enumerate(
    ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly"]
):
    aws.iam.RolePolicyAttachment(
        f"gpu-node-role-{i}", role=node_role.name, policy_arn=f"arn:aws:iam::aws:policy/{managed}"
    )

# -- secrets: a CMK-encrypted, rotated secret readable by the model role only ------------------------
secret = aws.secretsmanager.Secret("vector-db-credentials", name="fraud/vector-db", kms_key_id=key.arn)
aws.secretsmanager.SecretRotation(
    "vector-db-credentials-rotation",
    secret_id=secret.id,
    rotation_lambda_arn=ROTATION_LAMBDA,
    rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(automatically_after_days=30),
)
aws.iam.RolePolicy(
    "fraud-model-secret",
    role=model_role.id,
    policy=secret.arn.apply(
        lambda arn: document({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": arn})
    ),
)

# -- SageMaker: an isolated model in the VPC, an endpoint that captures requests, a private notebook --
model = aws.sagemaker.Model(
    "fraud-model",
    execution_role_arn=model_role.arn,
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(
        image=IMAGE, environment={"SECRET_ARN": secret.arn, "MAX_BATCH": "16"}
    ),
    vpc_config=aws.sagemaker.ModelVpcConfigArgs(subnets=[subnet.id], security_group_ids=[model_sg.id]),
    enable_network_isolation=True,
)
# ml.g5 has local NVMe storage, encrypted in hardware: AWS refuses kms_key_arn for it (DATA-2 exempts it).
config = aws.sagemaker.EndpointConfiguration(
    "fraud-config",
    production_variants=[
        aws.sagemaker.EndpointConfigurationProductionVariantArgs(
            model_name=model.name, instance_type="ml.g5.xlarge", initial_instance_count=1
        )
    ],
    data_capture_config=aws.sagemaker.EndpointConfigurationDataCaptureConfigArgs(
        enable_capture=True,
        initial_sampling_percentage=100,
        destination_s3_uri=evidence.bucket.apply(lambda b: f"s3://{b}/capture"),
        kms_key_id=key.arn,
        capture_options=[
            aws.sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArgs(capture_mode=mode)
            for mode in ("Input", "Output")
        ],
    ),
)
endpoint = aws.sagemaker.Endpoint("fraud-endpoint", endpoint_config_name=config.name)

AUTOSTOP = (
    "#!/bin/bash\nset -e\n# idle auto-stop: the platform notebook image ships /opt/platform/autostop.py\n"
    "echo '*/5 * * * * /usr/bin/python3 /opt/platform/autostop.py --idle-seconds 3600' | crontab -u ec2-user -\n"
)
lifecycle = aws.sagemaker.NotebookInstanceLifecycleConfiguration(
    "research-setup", name="research-setup", on_start=base64.b64encode(AUTOSTOP.encode()).decode()
)
notebook = aws.sagemaker.NotebookInstance(
    "research",
    instance_type="ml.t3.medium",
    role_arn=notebook_role.arn,
    direct_internet_access="Disabled",
    root_access="Disabled",
    subnet_id=subnet.id,
    security_groups=[notebook_sg.id],
    kms_key_id=key.arn,
    lifecycle_config_name=lifecycle.name,
    instance_metadata_service_configuration=aws.sagemaker.NotebookInstanceInstanceMetadataServiceConfigurationArgs(
        minimum_instance_metadata_service_version="2"
    ),
)

# -- API Gateway: a private REST API, IAM-authorized, throttled, access-logged ------------------------
access_logs = aws.cloudwatch.LogGroup("api-access-logs", retention_in_days=400, kms_key_id=key.arn)
api = aws.apigateway.RestApi(
    "inference-api",
    endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
        types="PRIVATE", vpc_endpoint_ids=[VPC_ENDPOINT]
    ),
)
predict = aws.apigateway.Resource(
    "predict", rest_api=api.id, parent_id=api.root_resource_id, path_part="predict"
)
aws.apigateway.Method(
    "predict-post", rest_api=api.id, resource_id=predict.id, http_method="POST", authorization="AWS_IAM"
)
deployment = aws.apigateway.Deployment("deployment", rest_api=api.id)
stage = aws.apigateway.Stage(
    "prod",
    rest_api=api.id,
    deployment=deployment.id,
    stage_name="prod",
    access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
        destination_arn=access_logs.arn, format=ACCESS_LOG_FORMAT
    ),
)
aws.apigateway.MethodSettings(
    "prod-throttle",
    rest_api=api.id,
    stage_name=stage.stage_name,
    method_path="*/*",
    settings=aws.apigateway.MethodSettingsSettingsArgs(throttling_rate_limit=50, throttling_burst_limit=100),
)

# -- OpenSearch Serverless vector store: CMK, VPC endpoint only, named principals ---------------------
RULES = [{"ResourceType": "collection", "Resource": ["collection/fraud-vectors"]}]
encryption = aws.opensearch.ServerlessSecurityPolicy(
    "vectors-encryption",
    name="fraud-vectors-encryption",
    type="encryption",
    policy=key.arn.apply(lambda arn: json.dumps({"Rules": RULES, "AWSOwnedKey": False, "KmsARN": arn})),
)
network = aws.opensearch.ServerlessSecurityPolicy(
    "vectors-network",
    name="fraud-vectors-network",
    type="network",
    policy=json.dumps([{"Rules": RULES, "AllowFromPublic": False, "SourceVPCEs": [VPC_ENDPOINT]}]),
)
collection = aws.opensearch.ServerlessCollection(
    "fraud-vectors",
    name="fraud-vectors",
    type="VECTORSEARCH",
    opts=pulumi.ResourceOptions(depends_on=[encryption, network]),
)
aws.opensearch.ServerlessAccessPolicy(
    "vectors-access",
    name="fraud-vectors-access",
    type="data",
    policy=model_role.arn.apply(
        lambda arn: json.dumps(
            [
                {
                    "Rules": [
                        {
                            "ResourceType": "index",
                            "Resource": ["index/fraud-vectors/*"],
                            "Permission": ["aoss:ReadDocument", "aoss:DescribeIndex"],
                        }
                    ],
                    "Principal": [arn],
                }
            ]
        )
    ),
)

# -- EKS cluster: private API endpoint, Secrets encrypted with the CMK, audit log kept -----------------
cluster_role = aws.iam.Role("ml-cluster-role", assume_role_policy=trust("eks.amazonaws.com"))
aws.iam.RolePolicyAttachment(
    "ml-cluster-policy", role=cluster_role.name, policy_arn="arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
)
cluster_logs = aws.cloudwatch.LogGroup(  # the group EKS writes to, created first with retention and CMK
    "ml-control-plane-logs", name="/aws/eks/ml/cluster", retention_in_days=400, kms_key_id=key.arn
)
cluster = aws.eks.Cluster(
    "ml",
    name="ml",
    role_arn=cluster_role.arn,
    vpc_config=aws.eks.ClusterVpcConfigArgs(
        subnet_ids=[subnet.id], endpoint_private_access=True, endpoint_public_access=False
    ),
    encryption_config=aws.eks.ClusterEncryptionConfigArgs(
        resources=["secrets"], provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key.arn)
    ),
    enabled_cluster_log_types=["api", "audit", "authenticator"],
    opts=pulumi.ResourceOptions(depends_on=[cluster_logs]),
)

# -- EKS GPU node group: hardened launch template, tainted, capped, private ---------------------------
template = aws.ec2.LaunchTemplate(
    "gpu-lt",
    metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
        http_tokens="required", http_put_response_hop_limit=1
    ),
    block_device_mappings=[
        aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
            device_name="/dev/xvda",
            ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                encrypted="true", volume_size=200, kms_key_id=key.arn
            ),
        )
    ],
)
aws.eks.NodeGroup(
    "gpu-nodes",
    cluster_name=cluster.name,
    node_role_arn=node_role.arn,
    subnet_ids=[subnet.id],
    ami_type="AL2023_x86_64_NVIDIA",
    instance_types=["g5.2xlarge"],
    launch_template=aws.eks.NodeGroupLaunchTemplateArgs(
        id=template.id, version=template.latest_version.apply(str)
    ),
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, min_size=0, max_size=4),
    taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="true", effect="NO_SCHEDULE")],
)

# -- supply chain: an immutable, scanned, KMS-encrypted registry --------------------------------------
aws.ecr.Repository(
    "model-images",
    name="ml/model-server",
    image_tag_mutability="IMMUTABLE",
    image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
    encryption_configurations=[
        aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=key.arn)
    ],
)

# -- stack companions: budget, anomaly detection, usage alarm, audit trail ----------------------------
aws.budgets.Budget(
    "ai-budget",
    budget_type="COST",
    limit_amount="20000",
    limit_unit="USD",
    time_unit="MONTHLY",
    cost_filters=[aws.budgets.BudgetCostFilterArgs(name="TagKeyValue", values=["user:owner$ml-platform"])],
    notifications=[
        aws.budgets.BudgetNotificationArgs(
            notification_type=kind,
            comparison_operator="GREATER_THAN",
            threshold=80,
            threshold_type="PERCENTAGE",
            subscriber_email_addresses=["ml-platform@example.com"],
        )
        for kind in ("ACTUAL", "FORECASTED")
    ],
)
monitor = aws.costexplorer.AnomalyMonitor("ai-spend", monitor_type="DIMENSIONAL", monitor_dimension="SERVICE")
aws.costexplorer.AnomalySubscription(
    "ai-spend-alerts",
    frequency="DAILY",
    monitor_arn_lists=[monitor.arn],
    subscribers=[
        aws.costexplorer.AnomalySubscriptionSubscriberArgs(type="EMAIL", address="ml-platform@example.com")
    ],
    threshold_expression=aws.costexplorer.AnomalySubscriptionThresholdExpressionArgs(
        dimension=aws.costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs(
            key="ANOMALY_TOTAL_IMPACT_ABSOLUTE", match_options=["GREATER_THAN_OR_EQUAL"], values=["100"]
        )
    ),
)
aws.cloudwatch.MetricAlarm(
    "endpoint-gpu-idle",
    comparison_operator="LessThanThreshold",
    evaluation_periods=3,
    metric_name="GPUUtilization",
    namespace="/aws/sagemaker/Endpoints",
    dimensions={"EndpointName": endpoint.name, "VariantName": "AllTraffic"},
    period=300,
    statistic="Average",
    threshold=10,
)
aws.cloudtrail.Trail(
    "audit",
    s3_bucket_name=evidence.id,
    is_multi_region_trail=True,
    enable_log_file_validation=True,
    kms_key_id=key.arn,
    event_selectors=[
        aws.cloudtrail.TrailEventSelectorArgs(
            read_write_type="All",
            include_management_events=True,
            data_resources=[
                aws.cloudtrail.TrailEventSelectorDataResourceArgs(
                    type="AWS::S3::Object", values=[data.arn.apply(lambda arn: f"{arn}/")]
                )
            ],
        )
    ],
)

# -- inventory and incident-response manifests --------------------------------------------------------
EVIDENCE = [
    "CloudTrail trail 'audit' in bucket 'evidence'",
    "SageMaker data capture in s3://evidence/capture",
]
for name, kind, identities, endpoints in [
    ("training-data", "dataset-bucket", [], []),
    ("fraud-model", "model", [model_role.arn], []),
    ("fraud-endpoint", "model-endpoint", [model_role.arn], [endpoint.name]),
    ("research", "notebook", [notebook_role.arn], [notebook.name]),
    ("fraud-vectors", "vector-store", [], [collection.collection_endpoint]),
    ("gpu-nodes", "gpu-compute", [node_role.arn], []),
]:
    record_asset(
        AssetRecord(
            name=name,
            kind=kind,
            ownership=OWNERSHIP,
            identities=tuple(identities),
            credentials_to_revoke=tuple(identities),
            buckets_to_inspect=("training-data", "evidence"),
            endpoints_to_disable=tuple(endpoints),
            logs_to_preserve=(*EVIDENCE, "API access logs in log group 'api-access-logs'"),
            request_identifiers=("x-amzn-RequestId", "CloudTrail eventID"),
            containment="Revoke the role's sessions, then disable the endpoint or stop the notebook.",
        )
    )
export_inventory()
