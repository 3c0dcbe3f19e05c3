"""Hardened GCP twin of the insecure programs: buckets, Workbench, a GKE GPU node pool and firewall rules
configured so that the aiwarden pack reports nothing, plus the stack-level companions (billing budget with a
Pub/Sub route, GPU alert policy, data-access audit configs, inventory and incident-response manifests)."""

import pulumi_gcp as gcp

from components._common import AssetRecord, Ownership, export_inventory, record_asset, stamp_ownership

OWNERSHIP = Ownership(
    owner="ml-platform",
    environment="production",
    data_classification="confidential",
    purpose="fraud-scoring",
    contact="ml-platform@example.com",
)
stamp_ownership(OWNERSHIP)

PROJECT = "aiwarden-offline"
REGION = "us-central1"

key = gcp.kms.CryptoKey(
    "platform-key",
    key_ring=f"projects/{PROJECT}/locations/{REGION}/keyRings/platform",
    rotation_period="7776000s",
)

# -- network: private subnet with Private Google Access, no world ingress, egress only to Google APIs ----
network = gcp.compute.Network("ml-vpc", auto_create_subnetworks=False)
subnet = gcp.compute.Subnetwork(
    "ml-private",
    network=network.id,
    region=REGION,
    ip_cidr_range="10.10.0.0/20",
    private_ip_google_access=True,
)
gcp.compute.Firewall(
    "allow-internal-serving",
    network=network.id,
    direction="INGRESS",
    source_ranges=["10.10.0.0/20"],
    target_tags=["gpu-workbench"],
    allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["8080"])],
)
gcp.compute.Firewall(
    "allow-google-apis",
    network=network.id,
    direction="EGRESS",
    destination_ranges=["199.36.153.8/30"],
    allows=[gcp.compute.FirewallAllowArgs(protocol="tcp", ports=["443"])],
)
gcp.compute.Firewall(
    "deny-all-egress",
    network=network.id,
    direction="EGRESS",
    priority=65534,
    destination_ranges=["0.0.0.0/0"],
    denies=[gcp.compute.FirewallDenyArgs(protocol="all")],
)

# -- identities: dedicated service accounts -------------------------------------------------------------
notebook_sa = gcp.serviceaccount.Account("notebook-sa", account_id="research-notebook")
node_sa = gcp.serviceaccount.Account("gpu-node-sa", account_id="gpu-nodes")
gcp.projects.IAMMember(
    "gpu-node-sa-role",
    project=PROJECT,
    role="roles/container.defaultNodeServiceAccount",
    member=node_sa.member,
)

# -- dataset bucket: no public access, uniform access, CMEK, versions kept and expired -----------------
bucket = gcp.storage.Bucket(
    "eval-sets",
    location="US",
    public_access_prevention="enforced",
    uniform_bucket_level_access=True,
    encryption=gcp.storage.BucketEncryptionArgs(default_kms_key_name=key.id),
    versioning=gcp.storage.BucketVersioningArgs(enabled=True),
    lifecycle_rules=[
        gcp.storage.BucketLifecycleRuleArgs(
            action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
            condition=gcp.storage.BucketLifecycleRuleConditionArgs(days_since_noncurrent_time=90),
        )
    ],
)
gcp.storage.BucketIAMMember(
    "eval-sets-reader", bucket=bucket.name, role="roles/storage.objectViewer", member=notebook_sa.member
)

# -- Workbench: private, no root, dedicated identity, CMEK disks, idle shutdown ------------------------
workbench = gcp.workbench.Instance(
    "research",
    location=f"{REGION}-a",
    gce_setup=gcp.workbench.InstanceGceSetupArgs(
        machine_type="g2-standard-8",
        disable_public_ip=True,
        network_interfaces=[
            gcp.workbench.InstanceGceSetupNetworkInterfaceArgs(network=network.id, subnet=subnet.id)
        ],
        service_accounts=[gcp.workbench.InstanceGceSetupServiceAccountArgs(email=notebook_sa.email)],
        metadata={"notebook-disable-root": "true", "idle-timeout-seconds": "3600"},
        boot_disk=gcp.workbench.InstanceGceSetupBootDiskArgs(disk_encryption="CMEK", kms_key=key.id),
        data_disks=gcp.workbench.InstanceGceSetupDataDisksArgs(disk_encryption="CMEK", kms_key=key.id),
        shielded_instance_config=gcp.workbench.InstanceGceSetupShieldedInstanceConfigArgs(
            enable_secure_boot=True, enable_integrity_monitoring=True, enable_vtpm=True
        ),
        tags=["gpu-workbench"],
    ),
)

# -- GKE: private nodes and endpoint, Secrets encrypted with the CMEK, Workload Identity, a hardened,
# tainted, capped GPU node pool (control-plane audit logs go to Cloud Audit Logs without a setting) -------
cluster = gcp.container.Cluster(
    "ml",
    location=REGION,
    network=network.id,
    subnetwork=subnet.id,
    remove_default_node_pool=True,
    initial_node_count=1,
    deletion_protection=True,
    private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(
        enable_private_nodes=True, enable_private_endpoint=True, master_ipv4_cidr_block="172.16.0.0/28"
    ),
    database_encryption=gcp.container.ClusterDatabaseEncryptionArgs(state="ENCRYPTED", key_name=key.id),
    workload_identity_config=gcp.container.ClusterWorkloadIdentityConfigArgs(
        workload_pool=f"{PROJECT}.svc.id.goog"
    ),
)
gcp.container.NodePool(
    "gpu-pool",
    cluster=cluster.name,
    location=REGION,
    node_locations=[f"{REGION}-a"],
    autoscaling=gcp.container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=4),
    management=gcp.container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="g2-standard-8",
        image_type="COS_CONTAINERD",
        service_account=node_sa.email,
        oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
        boot_disk_kms_key=key.id,
        guest_accelerators=[gcp.container.NodePoolNodeConfigGuestAcceleratorArgs(type="nvidia-l4", count=1)],
        workload_metadata_config=gcp.container.NodePoolNodeConfigWorkloadMetadataConfigArgs(
            mode="GKE_METADATA"
        ),
        shielded_instance_config=gcp.container.NodePoolNodeConfigShieldedInstanceConfigArgs(
            enable_secure_boot=True, enable_integrity_monitoring=True
        ),
        kubelet_config=gcp.container.NodePoolNodeConfigKubeletConfigArgs(
            insecure_kubelet_readonly_port_enabled="FALSE"
        ),
        taints=[
            gcp.container.NodePoolNodeConfigTaintArgs(
                key="nvidia.com/gpu", value="present", effect="NO_SCHEDULE"
            )
        ],
    ),
)

# -- stack companions: budget routed to Pub/Sub, GPU idle alert, data-access audit logs ----------------
alerts = gcp.pubsub.Topic("budget-alerts", kms_key_name=key.id)
gcp.billing.Budget(
    "ai-budget",
    billing_account="000000-000000-000000",
    display_name="fraud-scoring",
    amount=gcp.billing.BudgetAmountArgs(
        specified_amount=gcp.billing.BudgetAmountSpecifiedAmountArgs(currency_code="USD", units="20000")
    ),
    budget_filter=gcp.billing.BudgetBudgetFilterArgs(labels={"owner": "ml-platform"}),
    threshold_rules=[
        gcp.billing.BudgetThresholdRuleArgs(threshold_percent=0.8),
        gcp.billing.BudgetThresholdRuleArgs(threshold_percent=1.0, spend_basis="FORECASTED_SPEND"),
    ],
    all_updates_rule=gcp.billing.BudgetAllUpdatesRuleArgs(pubsub_topic=alerts.id),
)
gcp.monitoring.AlertPolicy(
    "gpu-idle",
    display_name="GPU pool idle",
    combiner="OR",
    conditions=[
        gcp.monitoring.AlertPolicyConditionArgs(
            display_name="accelerator duty cycle below 10%",
            condition_threshold=gcp.monitoring.AlertPolicyConditionConditionThresholdArgs(
                filter='metric.type="kubernetes.io/container/accelerator/duty_cycle"',
                comparison="COMPARISON_LT",
                duration="600s",
                threshold_value=10,
            ),
        )
    ],
)
for service in ("storage", "aiplatform", "secretmanager"):
    gcp.projects.IAMAuditConfig(
        f"audit-{service}",
        project=PROJECT,
        service=f"{service}.googleapis.com",
        audit_log_configs=[
            gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=kind)
            for kind in ("DATA_READ", "DATA_WRITE")
        ],
    )

# -- inventory and incident-response manifests --------------------------------------------------------
for name, kind, identities, endpoints in [
    ("eval-sets", "dataset-bucket", [], []),
    ("research", "notebook", [notebook_sa.email], [workbench.name]),
    ("gpu-pool", "gpu-compute", [node_sa.email], []),
]:
    record_asset(
        AssetRecord(
            name=name,
            kind=kind,
            ownership=OWNERSHIP,
            identities=tuple(identities),
            credentials_to_revoke=tuple(identities),
            buckets_to_inspect=("eval-sets",),
            endpoints_to_disable=tuple(endpoints),
            logs_to_preserve=("Cloud Audit Logs (data access) of project aiwarden-offline",),
            request_identifiers=("protoPayload.requestMetadata", "insertId"),
            containment="Disable the service account's keys, then stop the notebook or scale the pool to zero.",
        )
    )
export_inventory()
