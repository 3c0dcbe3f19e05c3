"""Compliant programs shared by the policy tests of several controls, and helpers to build their inputs.

Each program is the baseline of its controls' tests: a test captures it, makes one change, and asserts
the exact findings.

- ``AWS_STACK`` / ``GCP_STACK``: a compliant AWS stack and a compliant GCP stack with every stack-level
  companion (INV-2, IR-1, COST-1, COST-2, LOG-1, IR-2), exporting the ``inventory`` and
  ``incidentResponse`` manifests.
- ``GPU_BASELINE``: the GPU platform (EKS node group, GKE cluster and node pool, Kubernetes GPU namespace),
  GPU-1..5; its GKE cluster also meets K8S-2.
- ``SUP_BASELINE``: the supply chain (registries, model images, start-up scripts), SUP-1..3.
"""

from __future__ import annotations

import base64
from typing import Any

from aiwarden.capture.model import Capture
from tests.harness import exports

_MANIFEST = """
def manifest(assets, identities, contact):
    inventory, incident = [], []
    for name, kind in assets:
        data = kind == "dataset-bucket"
        inventory.append({"name": name, "kind": kind, "owner": "ml-platform", "environment": "production",
                          "dataClassification": "confidential", "exposure": "private",
                          "identities": [] if data else identities, "purpose": "fraud-scoring"})
        incident.append({"name": name, "ownerContact": contact, "credentialsToRevoke": identities,
                         "bucketsToInspect": [name] if data else [], "endpointsToDisable": [] if data else [name],
                         "logsToPreserve": ["audit trail", "access logs"], "requestIdentifiers": ["x-amzn-RequestId"]})
    pulumi.export("inventory", inventory)
    pulumi.export("incidentResponse", incident)
"""

AWS_STACK = (
    """
import json
import pulumi
import pulumi_aws as aws

TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "fraud-scoring", "cost-center": "cc-42"}
"""
    + _MANIFEST
    + """
role = aws.iam.Role("role", assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": []}), tags=TAGS)
key = aws.kms.Key("key", enable_key_rotation=True, tags=TAGS)
logs = aws.s3.Bucket("logs", object_lock_enabled=True, tags=TAGS)
aws.s3.BucketObjectLockConfiguration("logs-lock", bucket=logs.id, rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
    default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(mode="GOVERNANCE", days=365)))
data = aws.s3.Bucket("data", tags=TAGS)
aws.s3.BucketLogging("data-logging", bucket=data.id, target_bucket=logs.id, target_prefix="data/")
model = aws.sagemaker.Model("model", execution_role_arn=role.arn, tags=TAGS,
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"))
config = aws.sagemaker.EndpointConfiguration("endpoint-config", tags=TAGS,
    production_variants=[aws.sagemaker.EndpointConfigurationProductionVariantArgs(
        model_name=model.name, instance_type="ml.g5.xlarge", initial_instance_count=1)],
    data_capture_config=aws.sagemaker.EndpointConfigurationDataCaptureConfigArgs(
        enable_capture=True, initial_sampling_percentage=100,
        destination_s3_uri=data.bucket.apply(lambda b: f"s3://{b}/capture"),
        capture_options=[aws.sagemaker.EndpointConfigurationDataCaptureConfigCaptureOptionArgs(
            capture_mode="InputAndOutput")]))
aws.sagemaker.Endpoint("endpoint", endpoint_config_name=config.name, tags=TAGS)
aws.eks.NodeGroup("gpu", cluster_name="ml", node_role_arn=role.arn, subnet_ids=["subnet-1"],
    ami_type="AL2023_x86_64_NVIDIA", instance_types=["g5.xlarge"], tags=TAGS,
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, max_size=2, min_size=0))
aws.bedrock.AgentAgent("agent", agent_name="fraud-agent", agent_resource_role_arn=role.arn,
    foundation_model="anthropic.claude-3-haiku-20240307-v1:0", tags=TAGS)
aws.bedrockmodel.InvocationLoggingConfiguration("bedrock-logging",
    logging_config=aws.bedrockmodel.InvocationLoggingConfigurationLoggingConfigArgs(
        text_data_delivery_enabled=True,
        s3_config=aws.bedrockmodel.InvocationLoggingConfigurationLoggingConfigS3ConfigArgs(bucket_name=logs.id)))
aws.rds.Instance("db", engine="postgres", instance_class="db.t4g.micro", allocated_storage=20, username="app",
    manage_master_user_password=True, storage_encrypted=True, deletion_protection=True, tags=TAGS)
aws.budgets.Budget("budget", budget_type="COST", limit_amount="1000", limit_unit="USD", time_unit="MONTHLY", tags=TAGS,
    cost_filters=[aws.budgets.BudgetCostFilterArgs(name="TagKeyValue", values=["user:owner$ml-platform"])],
    notifications=[aws.budgets.BudgetNotificationArgs(
        notification_type=kind, comparison_operator="GREATER_THAN", threshold=80, threshold_type="PERCENTAGE",
        subscriber_email_addresses=["ml-platform@example.com"]) for kind in ("ACTUAL", "FORECASTED")])
monitor = aws.costexplorer.AnomalyMonitor("monitor", monitor_type="DIMENSIONAL", monitor_dimension="SERVICE", tags=TAGS)
aws.costexplorer.AnomalySubscription("anomaly", frequency="DAILY", monitor_arn_lists=[monitor.arn], tags=TAGS,
    subscribers=[aws.costexplorer.AnomalySubscriptionSubscriberArgs(type="EMAIL", address="ml-platform@example.com")],
    threshold_expression=aws.costexplorer.AnomalySubscriptionThresholdExpressionArgs(
        dimension=aws.costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs(
            key="ANOMALY_TOTAL_IMPACT_ABSOLUTE", match_options=["GREATER_THAN_OR_EQUAL"], values=["100"])))
aws.cloudwatch.MetricAlarm("gpu-idle", comparison_operator="LessThanThreshold", evaluation_periods=3,
    metric_name="GPUUtilization", namespace="/aws/sagemaker/Endpoints", period=300, statistic="Average",
    threshold=10, tags=TAGS)
aws.cloudtrail.Trail("trail", s3_bucket_name=logs.id, is_multi_region_trail=True, enable_log_file_validation=True,
    kms_key_id=key.arn, tags=TAGS,
    event_selectors=[aws.cloudtrail.TrailEventSelectorArgs(
        read_write_type="All", include_management_events=True,
        data_resources=[aws.cloudtrail.TrailEventSelectorDataResourceArgs(
            type="AWS::S3::Object", values=[data.arn.apply(lambda a: f"{a}/")])])])
manifest([("data", "dataset-bucket"), ("model", "model"), ("endpoint", "model-endpoint"), ("gpu", "gpu-compute"),
          ("agent", "agent")], [role.arn], "ml-platform@example.com")
"""
)

GCP_STACK = (
    """
import pulumi
import pulumi_gcp as gcp

LABELS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
          "purpose": "fraud-scoring"}
"""
    + _MANIFEST
    + """
sa = gcp.serviceaccount.Account("sa", account_id="inference")
logs = gcp.storage.Bucket("gcs-logs", location="US", labels=LABELS,
    retention_policy=gcp.storage.BucketRetentionPolicyArgs(retention_period="31536000"))
gcp.storage.Bucket("gcs-data", location="US", labels=LABELS, logging=gcp.storage.BucketLoggingArgs(log_bucket=logs.name))
gcp.logging.ProjectSink("audit-sink", destination=logs.name.apply(lambda n: f"storage.googleapis.com/{n}"),
    filter="logName:cloudaudit.googleapis.com")
gcp.kms.CryptoKey("gcp-key", key_ring="projects/aiwarden-offline/locations/us/keyRings/ml", labels=LABELS,
    rotation_period="7776000s")
gcp.vertex.AiEndpoint("vertex", name="1234567890", location="us-central1", display_name="fraud", labels=LABELS,
    network="projects/123456789012/global/networks/ml")
gcp.container.NodePool("gpu-pool", cluster="ml", location="us-central1", node_count=1,
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="g2-standard-8", resource_labels=LABELS, service_account=sa.email,
        guest_accelerators=[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-l4", count=1)]))
gcp.sql.DatabaseInstance("sql", database_version="POSTGRES_16", region="us-central1",
    settings=gcp.sql.DatabaseInstanceSettingsArgs(tier="db-custom-1-3840", edition="ENTERPRISE", user_labels=LABELS))
topic = gcp.pubsub.Topic("budget-alerts", labels=LABELS)
gcp.billing.Budget("gcp-budget", billing_account="000000-000000-000000", display_name="fraud-scoring",
    amount=gcp.billing.BudgetAmountArgs(specified_amount=gcp.billing.BudgetAmountSpecifiedAmountArgs(
        currency_code="USD", units="1000")),
    budget_filter=gcp.billing.BudgetBudgetFilterArgs(labels={"owner": "ml-platform"}),
    threshold_rules=[gcp.billing.BudgetThresholdRuleArgs(threshold_percent=0.8),
                     gcp.billing.BudgetThresholdRuleArgs(threshold_percent=1.0, spend_basis="FORECASTED_SPEND")],
    all_updates_rule=gcp.billing.BudgetAllUpdatesRuleArgs(pubsub_topic=topic.id))
for service in ("storage", "aiplatform", "secretmanager"):
    gcp.projects.IAMAuditConfig(f"audit-{service}", project="aiwarden-offline", service=f"{service}.googleapis.com",
        audit_log_configs=[gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=t) for t in ("DATA_READ", "DATA_WRITE")])
gcp.monitoring.AlertPolicy("gpu-idle", display_name="gpu idle", combiner="OR",
    conditions=[gcp.monitoring.AlertPolicyConditionArgs(display_name="duty cycle",
        condition_threshold=gcp.monitoring.AlertPolicyConditionConditionThresholdArgs(
            filter='metric.type="kubernetes.io/container/accelerator/duty_cycle"', comparison="COMPARISON_LT",
            duration="600s", threshold_value=10))])
manifest([("gcs-data", "dataset-bucket"), ("vertex", "model-endpoint"), ("gpu-pool", "gpu-compute")], [sa.email],
         "ml-platform@example.com")
"""
)


GPU_BASELINE = """
import json
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
K8S_LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}

# AWS: GPU node group on a hardened launch template, dedicated node role, private subnet
role = aws.iam.Role("gpu-node-role", tags=TAGS, assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
for i, policy in enumerate(["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"]):
    aws.iam.RolePolicyAttachment(f"gpu-node-role-{i}", role=role.name, policy_arn=f"arn:aws:iam::aws:policy/{policy}")
subnet = aws.ec2.Subnet("private-a", vpc_id="vpc-0123456789abcdef0", cidr_block="10.0.1.0/24", tags=TAGS)
lt = aws.ec2.LaunchTemplate("gpu-lt", tags=TAGS,
    metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required", http_put_response_hop_limit=1),
    block_device_mappings=[aws.ec2.LaunchTemplateBlockDeviceMappingArgs(device_name="/dev/xvda",
        ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(encrypted="true", volume_size=200,
            kms_key_id="arn:aws:kms:us-east-1:123456789012:key/0123abcd-0000-0000-0000-000000000000"))])
aws.eks.NodeGroup("gpu-ng", cluster_name="ai", node_role_arn=role.arn, subnet_ids=[subnet.id], tags=TAGS,
    ami_type="AL2023_x86_64_NVIDIA", instance_types=["g5.2xlarge"],
    launch_template=aws.eks.NodeGroupLaunchTemplateArgs(id=lt.id, version="1"),
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, min_size=0, max_size=4),
    taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="true", effect="NO_SCHEDULE")])

# GCP: private GKE cluster (private nodes and endpoint, CMEK Secrets) without default pool, hardened GPU node pool
# with a dedicated service account
sa = gcp.serviceaccount.Account("gpu-nodes", account_id="gpu-nodes")
gcp.projects.IAMMember("gpu-nodes-role", project="aiwarden-offline", role="roles/container.defaultNodeServiceAccount",
                       member=sa.member)
cluster = gcp.container.Cluster("ai", location="us-central1", remove_default_node_pool=True, initial_node_count=1,
    resource_labels=TAGS, deletion_protection=False,
    private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True,
        enable_private_endpoint=True, master_ipv4_cidr_block="172.16.0.0/28"),
    database_encryption=gcp.container.ClusterDatabaseEncryptionArgs(state="ENCRYPTED",
        key_name="projects/aiwarden-offline/locations/us-central1/keyRings/ai/cryptoKeys/gke-secrets"),
    workload_identity_config=gcp.container.ClusterWorkloadIdentityConfigArgs(workload_pool="aiwarden-offline.svc.id.goog"))
gcp.container.NodePool("gpu-pool", cluster=cluster.name, location="us-central1", node_locations=["us-central1-a"],
    autoscaling=gcp.container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=4),
    management=gcp.container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="g2-standard-8", service_account=sa.email, resource_labels=TAGS,
        oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
        guest_accelerators=[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-l4", count=1)],
        workload_metadata_config=gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs(mode="GKE_METADATA"),
        shielded_instance_config=gcp.container.NodePoolNodeConfigShieldedInstanceConfigArgs(
            enable_secure_boot=True, enable_integrity_monitoring=True),
        taints=[gcp.container.NodePoolNodeConfigTaintArgs(key="nvidia.com/gpu", value="present",
                                                          effect="NO_SCHEDULE")]))

# Kubernetes: a GPU training job in a namespace with a GPU quota
ns = k8s.core.v1.Namespace("ml", metadata={"labels": K8S_LABELS})
k8s.core.v1.ResourceQuota("ml-gpus", metadata={"namespace": ns.metadata.name, "labels": K8S_LABELS},
                          spec={"hard": {"requests.nvidia.com/gpu": "8"}})
k8s.batch.v1.Job("train", metadata={"namespace": ns.metadata.name, "labels": K8S_LABELS}, spec={"template": {"spec": {
    "restartPolicy": "Never",
    "containers": [{"name": "train", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/train@sha256:" + "a" * 64,
                    "command": ["python", "train.py"], "resources": {"limits": {"nvidia.com/gpu": "1"}}}]}}})
"""


SUP_BASELINE = """
import base64, json
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "inference"}
K8S_LABELS = {f"aiwarden.io/{k}": v for k, v in TAGS.items()}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/serve@sha256:" + "b" * 64
KMS = "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0000-0000-0000-000000000000"
b64 = lambda text: base64.b64encode(text.encode()).decode()

# Registries: one repository scanned on push, one covered by registry-wide enhanced scanning
aws.ecr.Repository("models", name="models", image_tag_mutability="IMMUTABLE", tags=TAGS,
    image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
    encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=KMS)])
aws.ecr.Repository("mirror", name="mirror/pytorch", image_tag_mutability="IMMUTABLE", tags=TAGS,
    encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=KMS)])
aws.ecr.RegistryScanningConfiguration("registry-scanning", scan_type="ENHANCED", rules=[
    aws.ecr.RegistryScanningConfigurationRuleArgs(scan_frequency="CONTINUOUS_SCAN", repository_filters=[
        aws.ecr.RegistryScanningConfigurationRuleRepositoryFilterArgs(filter="mirror/*", filter_type="WILDCARD")])])
gcp.artifactregistry.Repository("images", format="DOCKER", location="us-central1", repository_id="images",
    labels=TAGS, kms_key_name="projects/aiwarden-offline/locations/us-central1/keyRings/ai/cryptoKeys/images",
    docker_config=gcp.artifactregistry.RepositoryDockerConfigArgs(immutable_tags=True))
gcp.artifactregistry.Repository("wheels", format="PYTHON", location="us-central1", repository_id="wheels",
    labels=TAGS)  # not a container registry: out of SUP-1 scope

# Workloads: pinned images from approved registries
role = aws.iam.Role("serve-role", tags=TAGS, assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
aws.sagemaker.Model("serve", execution_role_arn=role.arn, tags=TAGS,
    primary_container=aws.sagemaker.ModelPrimaryContainerArgs(image=IMAGE))
gcp.vertex.AiReasoningEngine("agent", display_name="agent", region="us-central1", labels=TAGS,
    spec=gcp.vertex.AiReasoningEngineSpecArgs(container_spec=gcp.vertex.AiReasoningEngineSpecContainerSpecArgs(
        image_uri="us-central1-docker.pkg.dev/aiwarden-offline/images/agent@sha256:" + "c" * 64)))
k8s.apps.v1.Deployment("server", metadata={"labels": K8S_LABELS}, spec={
    "selector": {"matchLabels": {"app": "serve"}},
    "template": {"metadata": {"labels": {"app": "serve"}}, "spec": {
        "initContainers": [{"name": "fetch-model", "image": IMAGE, "command": ["python", "-m", "fetch"]}],
        "containers": [{"name": "serve", "image": IMAGE, "command": ["python", "-m", "serve"],
                        "args": ["--port", "8080"]}]}}})

# Start-up scripts that install nothing dynamically (pinned packages from the default index only)
aws.ec2.LaunchTemplate("workers", tags=TAGS, user_data=b64("#!/bin/bash\\nset -e\\n"
    "TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60')\\n"
    "/etc/eks/bootstrap.sh ai\\n"))
aws.ec2.Instance("trainer", ami="ami-0123456789abcdef0", instance_type="g5.xlarge", tags=TAGS,
                 user_data="#!/bin/bash\\npip install torch==2.3.1\\n")
aws.sagemaker.NotebookInstanceLifecycleConfiguration("notebook-lc", tags=TAGS,
    on_start=b64("#!/bin/bash\\nsudo -u ec2-user -i pip install pandas==2.2.2\\n"))
aws.sagemaker.StudioLifecycleConfig("studio-lc", studio_lifecycle_config_name="studio-lc", tags=TAGS,
    studio_lifecycle_config_app_type="JupyterLab", studio_lifecycle_config_content=b64("#!/bin/bash\\necho ready\\n"))
gcp.workbench.Instance("workbench", location="us-central1-a", labels=TAGS,
    gce_setup=gcp.workbench.InstanceGceSetupArgs(machine_type="n1-standard-4",
        metadata={"post-startup-script": "gs://aiwarden-offline-setup/notebook.sh"}))
gcp.compute.Instance("gce-trainer", machine_type="g2-standard-8", zone="us-central1-a", labels=TAGS,
    boot_disk=gcp.compute.InstanceBootDiskArgs(initialize_params=gcp.compute.InstanceBootDiskInitializeParamsArgs(
        image="projects/cos-cloud/global/images/family/cos-stable")),
    network_interfaces=[gcp.compute.InstanceNetworkInterfaceArgs(subnetwork="private")],
    metadata_startup_script="#!/bin/bash\\necho ready\\n")
"""


def entry(c: Capture, output: str, name: str) -> dict[str, Any]:
    """The entry of a manifest stack output (``inventory``, ``incidentResponse``) naming ``name``, editable."""
    [found] = [e for e in exports(c)[output] if e["name"] == name]
    return found


def b64(text: str) -> str:
    """``text`` base64-encoded, as user data and lifecycle scripts are given."""
    return base64.b64encode(text.encode()).decode()


#: A compliant AWS stack whose only AI is Bedrock usage (INV-2, IR-1, LOG-1): roles allowed to invoke models
#: (inline policy, RolePolicy, customer-managed policy attachment), a user policy for a user outside the stack,
#: an API forwarding to bedrock-runtime and a knowledge base; plus a role that reads S3 only and an
#: administrator role, which are not Bedrock usage.
BEDROCK_STACK = (
    """
import json
import pulumi
import pulumi_aws as aws

TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "support-chat", "cost-center": "cc-42"}
"""
    + _MANIFEST
    + """
def doc(*actions):
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": list(actions), "Resource": "*"}]})


trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"Service": "lambda.amazonaws.com"}}]})
key = aws.kms.Key("key", enable_key_rotation=True, tags=TAGS)
logs = aws.s3.Bucket("logs", object_lock_enabled=True, tags=TAGS)
aws.s3.BucketObjectLockConfiguration("logs-lock", bucket=logs.id, rule=aws.s3.BucketObjectLockConfigurationRuleArgs(
    default_retention=aws.s3.BucketObjectLockConfigurationRuleDefaultRetentionArgs(mode="GOVERNANCE", days=365)))
aws.cloudtrail.Trail("trail", s3_bucket_name=logs.id, is_multi_region_trail=True, enable_log_file_validation=True,
    kms_key_id=key.arn, tags=TAGS)
aws.bedrockmodel.InvocationLoggingConfiguration("bedrock-logging",
    logging_config=aws.bedrockmodel.InvocationLoggingConfigurationLoggingConfigArgs(
        text_data_delivery_enabled=True,
        s3_config=aws.bedrockmodel.InvocationLoggingConfigurationLoggingConfigS3ConfigArgs(bucket_name=logs.id)))

chat = aws.iam.Role("chat-role", assume_role_policy=trust, tags=TAGS,
    inline_policies=[aws.iam.RoleInlinePolicyArgs(name="invoke", policy=doc("bedrock:InvokeModel"))])
rag = aws.iam.Role("rag-role", assume_role_policy=trust, tags=TAGS)
aws.iam.RolePolicy("rag-invoke", role=rag.id, policy=doc("bedrock:InvokeModelWithResponseStream", "bedrock:Retrieve"))
batch = aws.iam.Role("batch-role", assume_role_policy=trust, tags=TAGS)
invoke = aws.iam.Policy("invoke-policy", policy=doc("bedrock:Invoke*"), tags=TAGS)
aws.iam.RolePolicyAttachment("batch-invoke", role=batch.name, policy_arn=invoke.arn)
aws.iam.UserPolicy("analyst-invoke", user="analyst", policy=doc("bedrock:*"))
app = aws.iam.Role("app-role", assume_role_policy=trust, tags=TAGS)
aws.iam.RolePolicy("app-read", role=app.id, policy=doc("s3:GetObject"))
aws.iam.Role("ci-role", assume_role_policy=trust, tags=TAGS,
    inline_policies=[aws.iam.RoleInlinePolicyArgs(name="admin", policy=doc("*"))])

api = aws.apigateway.RestApi("chat-api", tags=TAGS,
    endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="PRIVATE"))
route = aws.apigateway.Resource("invoke", rest_api=api.id, parent_id=api.root_resource_id, path_part="invoke")
aws.apigateway.Integration("invoke-bedrock", rest_api=api.id, resource_id=route.id, http_method="POST", type="AWS",
    integration_http_method="POST", credentials=chat.arn,
    uri="arn:aws:apigateway:us-east-1:bedrock-runtime:path/model/anthropic.claude-3-haiku-20240307-v1:0/invoke")
aws.bedrock.AgentKnowledgeBase("kb", name="support-kb", role_arn=rag.arn, tags=TAGS,
    knowledge_base_configuration=aws.bedrock.AgentKnowledgeBaseKnowledgeBaseConfigurationArgs(type="VECTOR",
        vector_knowledge_base_configuration=aws.bedrock.AgentKnowledgeBaseKnowledgeBaseConfigurationVectorKnowledgeBaseConfigurationArgs(
            embedding_model_arn="arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0")))
manifest([("chat-role", "ai-identity"), ("rag-role", "ai-identity"), ("batch-role", "ai-identity"),
          ("analyst-invoke", "ai-identity"), ("chat-api", "model-api"), ("kb", "knowledge-base")],
         [chat.arn, rag.arn, batch.arn], "ml-platform@example.com")
"""
)
