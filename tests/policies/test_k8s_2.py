"""K8S-2: private control-plane endpoints, Secrets encrypted with a customer-managed key, EKS audit logs."""

from __future__ import annotations

import pytest

from aiwarden.capture.model import Capture
from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message, message_list, set_input, unknowns
from tests.policies.programs import GPU_BASELINE

EKS_ENDPOINT = "k8s-2-eks-private-endpoint"
EKS_SECRETS = "k8s-2-eks-secrets-encryption"
EKS_AUDIT = "k8s-2-eks-audit-logs"
GKE_ENDPOINT = "k8s-2-gke-private-endpoint"
GKE_SECRETS = "k8s-2-gke-secrets-encryption"

BASELINE = """
import json
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "training"}
SUBNETS = ["subnet-0private0a", "subnet-0private0b"]
GKE_KEY = "projects/aiwarden-offline/locations/us-central1/keyRings/gke/cryptoKeys/secrets"

# EKS: a private cluster and one with a public endpoint limited to a named network; CMK Secrets, audit logs
key = aws.kms.Key("eks-secrets", enable_key_rotation=True, tags=TAGS)
role = aws.iam.Role("eks-cluster-role", tags=TAGS, assume_role_policy=json.dumps({"Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))


def eks(name, **vpc):
    return aws.eks.Cluster(name, role_arn=role.arn, tags=TAGS,
        vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=SUBNETS, endpoint_private_access=True, **vpc),
        enabled_cluster_log_types=["api", "audit", "authenticator"],
        encryption_config=aws.eks.ClusterEncryptionConfigArgs(resources=["secrets"],
            provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key.arn)))


eks("eks", endpoint_public_access=False)
eks("eks-allowlisted", endpoint_public_access=True, public_access_cidrs=["203.0.113.0/24"])


# GKE: private endpoint, authorized networks, IP endpoints off (DNS endpoint); application-layer Secrets encryption
def gke(name, private_endpoint=None, **access):
    return gcp.container.Cluster(name, location="us-central1", initial_node_count=1, remove_default_node_pool=True,
        deletion_protection=False, resource_labels=TAGS,
        private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True,
            enable_private_endpoint=private_endpoint, master_ipv4_cidr_block="172.16.0.0/28"),
        database_encryption=gcp.container.ClusterDatabaseEncryptionArgs(state="ENCRYPTED", key_name=GKE_KEY),
        **access)


gke("gke", private_endpoint=True)
gke("gke-authorized", master_authorized_networks_config=gcp.container.ClusterMasterAuthorizedNetworksConfigArgs(
    cidr_blocks=[gcp.container.ClusterMasterAuthorizedNetworksConfigCidrBlockArgs(
        cidr_block="203.0.113.0/24", display_name="office")]))
gke("gke-dns", control_plane_endpoints_config=gcp.container.ClusterControlPlaneEndpointsConfigArgs(
    ip_endpoints_config=gcp.container.ClusterControlPlaneEndpointsConfigIpEndpointsConfigArgs(enabled=False),
    dns_endpoint_config=gcp.container.ClusterControlPlaneEndpointsConfigDnsEndpointConfigArgs(
        allow_external_traffic=True)))
gcp.container.Cluster("gke-autopilot", location="us-central1", enable_autopilot=True, deletion_protection=False,
    resource_labels=TAGS,
    private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(enable_private_nodes=True,
                                                                         enable_private_endpoint=True),
    database_encryption=gcp.container.ClusterDatabaseEncryptionArgs(state="ENCRYPTED", key_name=GKE_KEY))
"""


def test_compliant_baseline_has_no_finding_at_all() -> None:
    c = capture(BASELINE)
    assert c.error is None
    assert findings(gate(c)) == set()


def test_shared_gpu_baseline_cluster_meets_k8s2() -> None:
    assert findings(gate(capture(GPU_BASELINE)), "k8s-2") == set()


# -- EKS endpoint --------------------------------------------------------------------------------------


def test_eks_endpoint_absent_is_public_to_the_world() -> None:
    c = set_input(capture(BASELINE), "eks", "vpcConfig.endpointPublicAccess", DELETE)
    report = gate(c)
    assert findings(report, "k8s-2") == {(EKS_ENDPOINT, "eks")}
    assert message(report, EKS_ENDPOINT, "eks") == (
        "EKS cluster 'eks': vpcConfig.endpointPublicAccess is not set (AWS default: true) and "
        "vpcConfig.publicAccessCidrs is not set (AWS default: 0.0.0.0/0), so the API server is open to the "
        "internet; set endpointPublicAccess = false, or publicAccessCidrs to named networks."
    )


@pytest.mark.parametrize("cidrs", [DELETE, []])
def test_eks_public_endpoint_without_named_networks(cidrs: object) -> None:
    c = set_input(capture(BASELINE), "eks-allowlisted", "vpcConfig.publicAccessCidrs", cidrs)
    report = gate(c)
    assert findings(report, "k8s-2") == {(EKS_ENDPOINT, "eks-allowlisted")}
    assert message(report, EKS_ENDPOINT, "eks-allowlisted").startswith(
        "EKS cluster 'eks-allowlisted': vpcConfig.endpointPublicAccess is True and vpcConfig.publicAccessCidrs "
        "is not set (AWS default: 0.0.0.0/0)"
    )


@pytest.mark.parametrize("world", ["0.0.0.0/0", "::/0"])
def test_eks_public_access_cidrs_with_the_world(world: str) -> None:
    c = set_input(
        capture(BASELINE), "eks-allowlisted", "vpcConfig.publicAccessCidrs", ["203.0.113.0/24", world]
    )
    report = gate(c)
    assert findings(report, "k8s-2") == {(EKS_ENDPOINT, "eks-allowlisted")}
    assert message(report, EKS_ENDPOINT, "eks-allowlisted") == (
        "EKS cluster 'eks-allowlisted': vpcConfig.endpointPublicAccess is True and vpcConfig.publicAccessCidrs "
        f"contains {world}, so the API server is open to the internet; list named networks only, or set "
        "endpointPublicAccess = false."
    )


def test_eks_cidrs_do_not_matter_once_the_public_endpoint_is_off() -> None:
    c = set_input(capture(BASELINE), "eks", "vpcConfig.publicAccessCidrs", ["0.0.0.0/0"])
    assert findings(gate(c), "k8s-2") == set()
    set_input(c, "eks", "vpcConfig.endpointPublicAccess", True)
    assert findings(gate(c), "k8s-2") == {(EKS_ENDPOINT, "eks")}


# -- EKS Secrets encryption ------------------------------------------------------------------------------


def test_eks_without_encryption_config() -> None:
    c = set_input(capture(BASELINE), "eks", "encryptionConfig", DELETE)
    report = gate(c)
    assert findings(report, "k8s-2") == {(EKS_SECRETS, "eks")}
    assert message(report, EKS_SECRETS, "eks") == (
        "EKS cluster 'eks': encryptionConfig is not set (EKS default: Secrets are not encrypted with a "
        'customer-managed key); it must encrypt "secrets" with a KMS key (provider.keyArn).'
    )


def test_eks_encryption_config_without_secrets_or_key() -> None:
    c = set_input(capture(BASELINE), "eks", "encryptionConfig.resources", [])
    report = gate(c)
    assert findings(report, "k8s-2") == {(EKS_SECRETS, "eks")}
    assert message(report, EKS_SECRETS, "eks") == (
        "EKS cluster 'eks': encryptionConfig.resources is []; it must contain \"secrets\"."
    )
    c = set_input(capture(BASELINE), "eks-allowlisted", "encryptionConfig.provider", DELETE)
    report = gate(c)
    assert findings(report, "k8s-2") == {(EKS_SECRETS, "eks-allowlisted")}
    assert message(report, EKS_SECRETS, "eks-allowlisted") == (
        "EKS cluster 'eks-allowlisted': encryptionConfig.provider.keyArn is not set; it must name a KMS key."
    )


# -- EKS audit logs --------------------------------------------------------------------------------------


def test_eks_without_control_plane_logs() -> None:
    c = set_input(capture(BASELINE), "eks", "enabledClusterLogTypes", DELETE)
    report = gate(c)
    assert findings(report, "k8s-2") == {(EKS_AUDIT, "eks")}
    assert message(report, EKS_AUDIT, "eks") == (
        "EKS cluster 'eks': enabledClusterLogTypes is not set (EKS default: no control-plane logs); it must "
        'contain "audit".'
    )


def test_eks_logs_without_audit_fail_audit_alone_passes() -> None:
    c = set_input(capture(BASELINE), "eks", "enabledClusterLogTypes", ["api", "authenticator"])
    report = gate(c)
    assert findings(report, "k8s-2") == {(EKS_AUDIT, "eks")}
    assert message(report, EKS_AUDIT, "eks") == (
        "EKS cluster 'eks': enabledClusterLogTypes is ['api', 'authenticator']; it must contain \"audit\"."
    )
    set_input(c, "eks", "enabledClusterLogTypes", ["audit"])
    assert findings(gate(c), "k8s-2") == set()


# -- GKE endpoint ----------------------------------------------------------------------------------------

GKE_OPEN = (
    "GKE cluster {name!r}: the public endpoint is enabled (privateClusterConfig.enablePrivateEndpoint not true) "
    "and masterAuthorizedNetworksConfig is not set (GKE default: connections from any address), so the API "
    "server is open to the internet; enable the private endpoint, or authorized networks naming the networks "
    "allowed."
)


@pytest.mark.parametrize("value", [DELETE, False])
def test_gke_without_private_endpoint_or_authorized_networks(value: object) -> None:
    c = set_input(capture(BASELINE), "gke", "privateClusterConfig.enablePrivateEndpoint", value)
    report = gate(c)
    assert findings(report, "k8s-2") == {(GKE_ENDPOINT, "gke")}
    assert message(report, GKE_ENDPOINT, "gke") == GKE_OPEN.format(name="gke")


def test_gke_absent_private_cluster_config_is_public() -> None:
    c = set_input(capture(BASELINE), "gke-autopilot", "privateClusterConfig", DELETE)
    assert findings(gate(c), "k8s-2") == {(GKE_ENDPOINT, "gke-autopilot")}


def test_gke_authorized_networks_absent_or_with_the_world() -> None:
    c = set_input(capture(BASELINE), "gke-authorized", "masterAuthorizedNetworksConfig", DELETE)
    report = gate(c)
    assert findings(report, "k8s-2") == {(GKE_ENDPOINT, "gke-authorized")}
    assert message(report, GKE_ENDPOINT, "gke-authorized") == GKE_OPEN.format(name="gke-authorized")
    c = set_input(
        capture(BASELINE),
        "gke-authorized",
        "masterAuthorizedNetworksConfig.cidrBlocks",
        [{"cidrBlock": "203.0.113.0/24", "displayName": "office"}, {"cidrBlock": "0.0.0.0/0"}],
    )
    report = gate(c)
    assert findings(report, "k8s-2") == {(GKE_ENDPOINT, "gke-authorized")}
    assert message(report, GKE_ENDPOINT, "gke-authorized") == (
        "GKE cluster 'gke-authorized': masterAuthorizedNetworksConfig.cidrBlocks contains 0.0.0.0/0, so the "
        "public endpoint is open to the internet; list named networks only, or enable the private endpoint."
    )


def test_gke_authorized_networks_open_to_google_cloud_ips() -> None:
    c = set_input(
        capture(BASELINE),
        "gke-authorized",
        "masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled",
        True,
    )
    report = gate(c)
    assert findings(report, "k8s-2") == {(GKE_ENDPOINT, "gke-authorized")}
    assert "gcpPublicCidrsAccessEnabled is true, so any Google Cloud VM's public IP" in message(
        report, GKE_ENDPOINT, "gke-authorized"
    )


def test_gke_authorized_networks_without_cidr_blocks_admit_no_external_network() -> None:
    c = set_input(capture(BASELINE), "gke-authorized", "masterAuthorizedNetworksConfig.cidrBlocks", DELETE)
    assert findings(gate(c), "k8s-2") == set()


@pytest.mark.parametrize(
    "path", ["controlPlaneEndpointsConfig", "controlPlaneEndpointsConfig.ipEndpointsConfig.enabled"]
)
def test_gke_ip_endpoints_enabled_by_default(path: str) -> None:
    c = set_input(capture(BASELINE), "gke-dns", path, DELETE)
    report = gate(c)
    assert findings(report, "k8s-2") == {(GKE_ENDPOINT, "gke-dns")}
    assert message(report, GKE_ENDPOINT, "gke-dns") == GKE_OPEN.format(name="gke-dns")


# -- GKE Secrets encryption ------------------------------------------------------------------------------


def test_gke_without_database_encryption() -> None:
    c = set_input(capture(BASELINE), "gke-autopilot", "databaseEncryption", DELETE)
    report = gate(c)
    assert findings(report, "k8s-2") == {(GKE_SECRETS, "gke-autopilot")}
    assert message(report, GKE_SECRETS, "gke-autopilot") == (
        "GKE cluster 'gke-autopilot': databaseEncryption is not set (GKE default: DECRYPTED, Secrets encrypted "
        "with Google-managed keys only); it must be ENCRYPTED with a Cloud KMS key (keyName)."
    )


def test_gke_decrypted_state_or_missing_key() -> None:
    c = set_input(capture(BASELINE), "gke", "databaseEncryption.state", "DECRYPTED")
    report = gate(c)
    assert findings(report, "k8s-2") == {(GKE_SECRETS, "gke")}
    assert message_list(report, GKE_SECRETS) == [
        "GKE cluster 'gke': databaseEncryption.state is 'DECRYPTED'; it must be ENCRYPTED with a Cloud KMS key "
        "(keyName)."
    ]
    c = set_input(capture(BASELINE), "gke", "databaseEncryption.keyName", DELETE)
    report = gate(c)
    assert findings(report, "k8s-2") == {(GKE_SECRETS, "gke")}
    assert message(report, GKE_SECRETS, "gke") == (
        "GKE cluster 'gke': databaseEncryption.keyName is not set; it must name a Cloud KMS key."
    )


# -- every policy: levels, exemptions, unknowns ----------------------------------------------------------


def insecure_clusters() -> Capture:
    """Every K8S-2 check failing once: an EKS and a GKE cluster left at the cloud defaults."""
    c = set_input(
        capture(BASELINE), "eks", "vpcConfig", {"subnetIds": ["subnet-0private0a", "subnet-0private0b"]}
    )
    for path in ("encryptionConfig", "enabledClusterLogTypes"):
        set_input(c, "eks", path, DELETE)
    for path in ("privateClusterConfig", "databaseEncryption"):
        set_input(c, "gke", path, DELETE)
    return c


def test_cloud_defaults_fail_every_check_mandatory_in_production_advisory_in_sandbox() -> None:
    c = insecure_clusters()
    every = {
        (EKS_ENDPOINT, "eks"),
        (EKS_SECRETS, "eks"),
        (EKS_AUDIT, "eks"),
        (GKE_ENDPOINT, "gke"),
        (GKE_SECRETS, "gke"),
    }
    production = gate(c)
    assert findings(production, "k8s-2", level="mandatory") == every
    violation = next(v for v in production.violations if v.policy == EKS_ENDPOINT)
    assert (violation.control, violation.severity) == ("K8S-2", "high")
    sandbox = gate(c, environment="sandbox")
    assert findings(sandbox, "k8s-2", level="advisory") == every
    assert findings(sandbox, "k8s-2", level="mandatory") == set()


def test_exemption_with_justification() -> None:
    c = set_input(capture(BASELINE), "gke-dns", "controlPlaneEndpointsConfig", DELETE)
    reason = "Public endpoint for the CI provider's runners until the VPC runners land (PLAT-77, 2026-06)."
    report = gate(c, {GKE_ENDPOINT: {"exemptions": [{"resource": "gke-dns", "justification": reason}]}})
    assert findings(report, "k8s-2") == set()
    assert [(e.policy, e.resource_name) for e in report.exemptions] == [(GKE_ENDPOINT, "gke-dns")]


def test_values_unknown_at_preview_are_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)  # key.arn is unknown at preview
    set_input(c, "eks", "vpcConfig.endpointPublicAccess", UNKNOWN)
    set_input(c, "eks", "enabledClusterLogTypes", UNKNOWN)
    set_input(c, "gke", "privateClusterConfig.enablePrivateEndpoint", UNKNOWN)
    set_input(c, "gke", "databaseEncryption.keyName", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "k8s-2") == {
        (EKS_ENDPOINT, "eks", "advisory"),
        (EKS_SECRETS, "eks", "advisory"),
        (EKS_SECRETS, "eks-allowlisted", "advisory"),
        (EKS_AUDIT, "eks", "advisory"),
        (GKE_ENDPOINT, "gke", "advisory"),
        (GKE_SECRETS, "gke", "advisory"),
    }
    assert findings(report, "k8s-2") == set()
