"""VEC-1: vector stores are private, CMK-encrypted and authenticated (OpenSearch Serverless, RDS/Aurora,
Cloud SQL, AlloyDB, Vertex AI Vector Search)."""

from __future__ import annotations

import json

from tests.harness import (
    DELETE,
    UNKNOWN,
    cannot_run,
    capture,
    drop,
    findings,
    gate,
    messages,
    resource,
    set_input,
    undecided,
    unknowns,
)

NETWORK = "vec-1-aoss-network-policy-private"
ACCESS = "vec-1-aoss-access-policy-least-privilege"
COVERED = "vec-1-aoss-collection-security-policies"
CMK = "vec-1-aoss-collection-cmk"
RDS_PUBLIC = "vec-1-rds-not-publicly-accessible"
RDS_IAM = "vec-1-rds-iam-authentication"
SQL_PUBLIC = "vec-1-cloudsql-no-public-ip"
SQL_SSL = "vec-1-cloudsql-ssl-required"
ALLOYDB = "vec-1-alloydb-no-public-ip"
ENDPOINT = "vec-1-vertex-index-endpoint-private"
INDEX = "vec-1-vertex-index-cmek"

BASELINE = """
import json
import pulumi
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "rag"}
key = aws.kms.Key("key", enable_key_rotation=True, tags=TAGS)
encryption = aws.opensearch.ServerlessSecurityPolicy(
    "vectors-encryption", name="vectors-encryption", type="encryption",
    policy=key.arn.apply(lambda arn: json.dumps({
        "Rules": [{"ResourceType": "collection", "Resource": ["collection/vectors"]}],
        "AWSOwnedKey": False, "KmsARN": arn})))
network = aws.opensearch.ServerlessSecurityPolicy("vectors-network", name="vectors-network", type="network",
    policy=json.dumps([{
        "Rules": [{"ResourceType": "collection", "Resource": ["collection/vectors"]},
                  {"ResourceType": "dashboard", "Resource": ["collection/vectors"]}],
        "AllowFromPublic": False, "SourceVPCEs": ["vpce-0123456789abcdef0"]}]))
aws.opensearch.ServerlessCollection("vectors", name="vectors", type="VECTORSEARCH", tags=TAGS,
                                    opts=pulumi.ResourceOptions(depends_on=[encryption, network]))
aws.opensearch.ServerlessAccessPolicy("vectors-access", name="vectors-access", type="data", policy=json.dumps([{
    "Rules": [{"ResourceType": "index", "Resource": ["index/vectors/*"],
               "Permission": ["aoss:ReadDocument", "aoss:WriteDocument", "aoss:DescribeIndex"]}],
    "Principal": ["arn:aws:iam::123456789012:role/rag-app"]}]))
aws.rds.Cluster("pgvector", engine="aurora-postgresql", iam_database_authentication_enabled=True,
                storage_encrypted=True, kms_key_id=key.arn, db_subnet_group_name="private", master_username="app",
                manage_master_user_password=True, tags=TAGS)
aws.rds.ClusterInstance("pgvector-1", cluster_identifier="pgvector", instance_class="db.r6g.large",
                        engine="aurora-postgresql", publicly_accessible=False, tags=TAGS)
aws.rds.Instance("features", engine="postgres", instance_class="db.t4g.micro", allocated_storage=20,
                 iam_database_authentication_enabled=True, db_subnet_group_name="private", username="app",
                 manage_master_user_password=True, tags=TAGS)
gcp.sql.DatabaseInstance("pg", database_version="POSTGRES_16", region="us-central1",
    settings=gcp.sql.DatabaseInstanceSettingsArgs(tier="db-custom-2-7680", edition="ENTERPRISE", user_labels=TAGS,
        ip_configuration=gcp.sql.DatabaseInstanceSettingsIpConfigurationArgs(
            ipv4_enabled=False, private_network="projects/aiwarden-offline/global/networks/ai",
            ssl_mode="ENCRYPTED_ONLY")))
gcp.alloydb.Instance("alloy-primary", cluster="projects/aiwarden-offline/locations/us-central1/clusters/alloy",
                     instance_id="primary", instance_type="PRIMARY", labels=TAGS)
gcp.vertex.AiIndexEndpoint("index-endpoint", display_name="rag", region="us-central1", labels=TAGS,
    private_service_connect_config=gcp.vertex.AiIndexEndpointPrivateServiceConnectConfigArgs(
        enable_private_service_connect=True, project_allowlists=["aiwarden-offline"]))
gcp.vertex.AiIndex("index", display_name="rag", region="us-central1", labels=TAGS, index_update_method="BATCH_UPDATE",
    metadata=gcp.vertex.AiIndexMetadataArgs(contents_delta_uri="gs://rag-embeddings/batch",
                                            config=gcp.vertex.AiIndexMetadataConfigArgs(dimensions=768)),
    encryption_spec=gcp.vertex.AiIndexEncryptionSpecArgs(
        kms_key_name="projects/aiwarden-offline/locations/us-central1/keyRings/ai/cryptoKeys/vectors"))
"""


def test_compliant_baseline_has_no_vec1_finding() -> None:
    assert findings(gate(capture(BASELINE)), "vec-1") == set()


# ------------------------------------------------------------------------------ OpenSearch Serverless
def test_network_policy_open_to_the_internet() -> None:
    public = json.dumps(
        [
            {
                "Rules": [{"ResourceType": "collection", "Resource": ["collection/vectors"]}],
                "AllowFromPublic": True,
            }
        ]
    )
    report = gate(set_input(capture(BASELINE), "vectors-network", "policy", public))
    assert findings(report, "vec-1") == {(NETWORK, "vectors-network")}
    assert messages(report, NETWORK)["vectors-network"] == [
        "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy 'vectors-network': policy[0] sets "
        "AllowFromPublic true for collection/vectors; must be false with SourceVPCEs."
    ]


def test_access_policy_with_wildcard_principal_and_all_permissions() -> None:
    broad = json.dumps(
        [
            {
                "Rules": [{"ResourceType": "index", "Resource": ["index/*/*"], "Permission": ["aoss:*"]}],
                "Principal": ["*"],
            }
        ]
    )
    report = gate(set_input(capture(BASELINE), "vectors-access", "policy", broad))
    assert findings(report, "vec-1") == {(ACCESS, "vectors-access")}
    assert sorted(messages(report, ACCESS)["vectors-access"]) == [
        "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy 'vectors-access': policy[0] grants aoss:* on "
        "index/*/*; must grant named permissions on named collections.",
        "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy 'vectors-access': policy[0].Principal has "
        "'*'; must name specific roles.",
    ]
    any_account = json.dumps(
        [
            {
                "Rules": [
                    {
                        "ResourceType": "index",
                        "Resource": ["index/vectors/*"],
                        "Permission": ["aoss:ReadDocument"],
                    }
                ],
                "Principal": ["arn:aws:iam::*:role/rag-app"],
            }
        ]
    )
    assert findings(gate(set_input(capture(BASELINE), "vectors-access", "policy", any_account)), "vec-1") == {
        (ACCESS, "vectors-access")
    }


def test_collection_without_network_or_encryption_policy() -> None:
    report = gate(drop(capture(BASELINE), "vectors-network"))
    assert findings(report, "vec-1") == {(COVERED, "vectors")}
    assert messages(report, COVERED)["vectors"] == [
        "aws:opensearch/serverlessCollection:ServerlessCollection 'vectors' (collection/vectors) is matched by no "
        "network security policy of the stack; add one with AllowFromPublic false and SourceVPCEs."
    ]
    c = set_input(
        capture(BASELINE),
        "vectors-encryption",
        "policy",
        json.dumps(
            {
                "Rules": [{"ResourceType": "collection", "Resource": ["collection/other*"]}],
                "AWSOwnedKey": False,
                "KmsARN": "arn:aws:kms:us-east-1:123456789012:key/k",
            }
        ),
    )
    report = gate(c)
    assert findings(report, "vec-1") == {(COVERED, "vectors")}
    assert "matched by no encryption security policy" in messages(report, COVERED)["vectors"][0]


def test_collection_encryption_settings_and_wildcard_rules() -> None:
    c = drop(capture(BASELINE), "vectors-encryption")
    set_input(
        c,
        "vectors",
        "encryptionConfigs",
        [{"awsOwnedKey": False, "kmsKeyArn": "arn:aws:kms:us-east-1:1:key/k"}],
    )
    set_input(
        c,
        "vectors-network",
        "policy",
        json.dumps(
            [
                {
                    "Rules": [{"ResourceType": "collection", "Resource": ["collection/vec*"]}],
                    "AllowFromPublic": False,
                    "SourceVPCEs": ["vpce-0123456789abcdef0"],
                }
            ]
        ),
    )
    assert findings(gate(c), "vec-1") == set()
    set_input(c, "vectors", "encryptionConfigs.0.awsOwnedKey", True)
    assert findings(gate(c), "vec-1") == {(CMK, "vectors")}


def test_sensitive_collection_with_aws_owned_key() -> None:
    owned = json.dumps(
        {"Rules": [{"ResourceType": "collection", "Resource": ["collection/vectors"]}], "AWSOwnedKey": True}
    )
    c = set_input(capture(BASELINE), "vectors-encryption", "policy", owned)
    report = gate(c)
    assert findings(report, "vec-1") == {(CMK, "vectors")}
    assert messages(report, CMK)["vectors"] == [
        "aws:opensearch/serverlessCollection:ServerlessCollection 'vectors' (confidential): encryption policy "
        "'vectors-encryption' sets AWSOwnedKey True / KmsARN None; must set AWSOwnedKey false and a "
        "customer-managed KmsARN."
    ]
    set_input(c, "vectors", "tags.data-classification", "internal")
    assert findings(gate(c), "vec-1") == set()


# -------------------------------------------------------------------------------------------- RDS
def test_publicly_accessible_databases() -> None:
    c = set_input(capture(BASELINE), "features", "publiclyAccessible", True)
    set_input(c, "pgvector-1", "publiclyAccessible", True)
    report = gate(c)
    assert findings(report, "vec-1") == {(RDS_PUBLIC, "features"), (RDS_PUBLIC, "pgvector-1")}
    assert messages(report, RDS_PUBLIC)["features"] == [
        "aws:rds/instance:Instance 'features': publiclyAccessible is true; must be false."
    ]


def test_multi_az_cluster_in_the_default_subnet_group_is_public_by_default() -> None:
    c = set_input(capture(BASELINE), "pgvector", "engine", "postgres")
    set_input(c, "pgvector", "dbSubnetGroupName", DELETE)
    report = gate(c)
    assert findings(report, "vec-1") == {(RDS_PUBLIC, "pgvector")}
    assert messages(report, RDS_PUBLIC)["pgvector"] == [
        "aws:rds/cluster:Cluster 'pgvector': publiclyAccessible is not set and dbSubnetGroupName is not set (AWS "
        "default then: true); must be false."
    ]


def test_databases_without_iam_authentication() -> None:
    c = set_input(capture(BASELINE), "pgvector", "iamDatabaseAuthenticationEnabled", DELETE)
    set_input(c, "features", "iamDatabaseAuthenticationEnabled", False)
    report = gate(c)
    assert findings(report, "vec-1") == {(RDS_IAM, "pgvector"), (RDS_IAM, "features")}
    assert messages(report, RDS_IAM)["pgvector"] == [
        "aws:rds/cluster:Cluster 'pgvector': iamDatabaseAuthenticationEnabled is not set (AWS default: false); must "
        "be true."
    ]
    c = set_input(capture(BASELINE), "features", "iamDatabaseAuthenticationEnabled", DELETE)
    set_input(c, "features", "engine", "oracle-ee")  # no IAM database authentication on Oracle
    assert findings(gate(c), "vec-1") == set()


# ------------------------------------------------------------------------------------- Cloud SQL, AlloyDB
def test_cloud_sql_public_ip_and_world_authorized_network() -> None:
    c = set_input(capture(BASELINE), "pg", "settings.ipConfiguration.ipv4Enabled", DELETE)
    set_input(
        c,
        "pg",
        "settings.ipConfiguration.authorizedNetworks",
        [{"value": "10.0.0.0/8"}, {"value": "0.0.0.0/0"}],
    )
    report = gate(c)
    assert findings(report, "vec-1") == {(SQL_PUBLIC, "pg")}
    assert messages(report, SQL_PUBLIC)["pg"] == [
        "gcp:sql/databaseInstance:DatabaseInstance 'pg': settings.ipConfiguration.ipv4Enabled is not set (provider "
        "default: true, public IP); must be false.",
        "gcp:sql/databaseInstance:DatabaseInstance 'pg': settings.ipConfiguration.authorizedNetworks[1].value is "
        "0.0.0.0/0; must not open to the world.",
    ]


def test_cloud_sql_ssl_not_required() -> None:
    report = gate(set_input(capture(BASELINE), "pg", "settings.ipConfiguration.sslMode", DELETE))
    assert findings(report, "vec-1") == {(SQL_SSL, "pg")}
    assert messages(report, SQL_SSL)["pg"] == [
        "gcp:sql/databaseInstance:DatabaseInstance 'pg': settings.ipConfiguration.sslMode is not set (GCP default: "
        "ALLOW_UNENCRYPTED_AND_ENCRYPTED); must be one of ENCRYPTED_ONLY, TRUSTED_CLIENT_CERTIFICATE_REQUIRED."
    ]
    c = set_input(
        capture(BASELINE), "pg", "settings.ipConfiguration.sslMode", "ALLOW_UNENCRYPTED_AND_ENCRYPTED"
    )
    assert findings(gate(c), "vec-1") == {(SQL_SSL, "pg")}


def test_alloydb_public_ip() -> None:
    c = set_input(
        capture(BASELINE),
        "alloy-primary",
        "networkConfig",
        {"enablePublicIp": True, "authorizedExternalNetworks": [{"cidrRange": "0.0.0.0/0"}]},
    )
    report = gate(c)
    assert findings(report, "vec-1") == {(ALLOYDB, "alloy-primary")}
    assert len(messages(report, ALLOYDB)["alloy-primary"]) == 2


# ------------------------------------------------------------------------------------ Vertex AI Vector Search
def test_public_or_unreachable_index_endpoint() -> None:
    report = gate(set_input(capture(BASELINE), "index-endpoint", "publicEndpointEnabled", True))
    assert findings(report, "vec-1") == {(ENDPOINT, "index-endpoint")}
    assert messages(report, ENDPOINT)["index-endpoint"] == [
        "gcp:vertex/aiIndexEndpoint:AiIndexEndpoint 'index-endpoint': publicEndpointEnabled is true; must be false "
        "(deployed indexes become public)."
    ]
    report = gate(set_input(capture(BASELINE), "index-endpoint", "privateServiceConnectConfig", DELETE))
    assert findings(report, "vec-1") == {(ENDPOINT, "index-endpoint")}


def test_sensitive_index_without_cmek() -> None:
    report = gate(set_input(capture(BASELINE), "index", "encryptionSpec", DELETE))
    assert findings(report, "vec-1") == {(INDEX, "index")}
    assert messages(report, INDEX)["index"] == [
        "gcp:vertex/aiIndex:AiIndex 'index' (confidential): encryptionSpec.kmsKeyName is not set (GCP default: "
        "Google-managed keys); must name a customer-managed Cloud KMS key."
    ]
    c = set_input(capture(BASELINE), "index", "encryptionSpec", DELETE)
    set_input(c, "index", "labels.data-classification", "internal")
    assert findings(gate(c), "vec-1") == set()


# ------------------------------------------------------------------------------ environments and preview
def test_public_vector_store_is_mandatory_in_sandbox_too() -> None:
    c = set_input(capture(BASELINE), "features", "publiclyAccessible", True)
    set_input(c, "index-endpoint", "publicEndpointEnabled", True)
    report = gate(c, environment="sandbox")
    assert findings(report, "vec-1", level="mandatory") == {
        (RDS_PUBLIC, "features"),
        (ENDPOINT, "index-endpoint"),
    }


def test_unknown_values_at_preview_are_reported_not_passed() -> None:
    c = capture(BASELINE, preview_mode=True)
    set_input(c, "vectors-network", "policy", UNKNOWN)
    report = gate(c)
    assert findings(report, "vec-1") == set()
    # The encryption policy names the KMS key ARN, unknown until the key exists: the checks of the
    # collection it may match wait.
    assert unknowns(report, "vec-1") == {
        (NETWORK, "vectors-network", "advisory"),
        (COVERED, "vectors", "advisory"),
        (CMK, "vectors", "advisory"),
    }


# A second sensitive collection whose encryption policy is a literal (known at preview) with an AWS-owned key.
OWNED = (
    BASELINE
    + """
aws.opensearch.ServerlessSecurityPolicy("owned-encryption", name="owned-encryption", type="encryption",
    policy=json.dumps({"Rules": [{"ResourceType": "collection", "Resource": ["collection/owned"]}],
                       "AWSOwnedKey": True}))
aws.opensearch.ServerlessSecurityPolicy("owned-network", name="owned-network", type="network",
    policy=json.dumps([{"Rules": [{"ResourceType": "collection", "Resource": ["collection/owned"]}],
                        "AllowFromPublic": False, "SourceVPCEs": ["vpce-0123456789abcdef0"]}]))
aws.opensearch.ServerlessCollection("owned", name="owned", type="VECTORSEARCH", tags=TAGS)
"""
)


def test_preview_decides_every_collection_it_can() -> None:
    # At preview the encryption policy of `vectors` is built from the key ARN (unknown): it may match any
    # collection, so `vectors` waits; `owned`, which a known policy fails, is reported all the same.
    c = capture(OWNED, preview_mode=True)
    report = gate(c)
    assert findings(report, "vec-1") == {(CMK, "owned")}
    assert messages(report, CMK)["owned"] == [
        "aws:opensearch/serverlessCollection:ServerlessCollection 'owned' (confidential): encryption policy "
        "'owned-encryption' sets AWSOwnedKey True / KmsARN None; must set AWSOwnedKey false and a "
        "customer-managed KmsARN."
    ]
    reason = (
        "ServerlessSecurityPolicy 'vectors-encryption': string value at .policy can't be known during preview"
    )
    vectors = resource(c, "vectors").urn
    assert undecided(report, CMK) == {"vectors": (vectors, cannot_run(CMK) + reason)}
    # `owned` is matched by known network and encryption policies; `vectors` by no known encryption policy.
    assert undecided(report, COVERED) == {"vectors": (vectors, cannot_run(COVERED) + reason)}
    # An exempt collection is not waited for.
    reason_text = "Vectors re-encrypted by the platform team's key rotation job, ticket VEC-12."
    exempt = {CMK: {"exemptions": [{"resource": "vectors", "justification": reason_text}]}}
    assert undecided(gate(c, exempt), CMK) == {}
    # At update every value is known: `vectors` passes, `owned` fails as at preview.
    assert findings(gate(capture(OWNED)), "vec-1") == {(CMK, "owned")}
