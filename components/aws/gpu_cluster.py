"""GpuCluster: a private, hardened EKS cluster for GPU node pools, or an existing cluster looked up by name.

Children (``<name>-<role>``), when the cluster is created: ``key`` (a ``Key``, unless ``kms_key`` is an
``ExistingKey``: Kubernetes Secrets, the control-plane log group and the system nodes' volumes); ``cluster-role``
(trusted by EKS) with ``cluster-role-cluster`` (``AmazonEKSClusterPolicy``, nothing else);
``control-plane-logs`` (``/aws/eks/<cluster name>/cluster``, created before the cluster with retention and the
key); ``control-plane`` (a security group for the control plane's interfaces: HTTPS from the network's security
groups and the named ``api_access`` ranges only, no egress rule); ``cluster`` (private endpoint, Secrets
encrypted with the key, control-plane logs, access entries only, no bootstrap admin, no self-managed add-ons);
``access-<grant>`` and ``access-<grant>-policy`` per ``access`` grant (an access entry and its EKS access policy);
the managed add-ons ``vpc-cni``, ``kube-proxy``, ``pod-identity-agent`` (before any node), then ``coredns`` and
``node-monitoring-agent`` (after the system nodes); the system pool: ``system-role`` (+ ``-worker``, ``-cni``,
``-registry``), ``system-template`` and ``system`` (see ``_eks``); with ``create_autoscaling_service_role``,
``autoscaling-service-role``.

With ``existing``, nothing is registered but the component: the cluster is looked up by name, and ``ref()``
hands it to ``GpuNodePool`` like a created one.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from aiwarden_policies.contract import assets
from components._common import (
    AssetRecord,
    AwsNetwork,
    CreateKey,
    Grant,
    KeyChoice,
    Ownership,
    PublicAccess,
    record_asset,
)
from components._common.access import principals
from components._common.cidrs import Cidr, is_private, is_world
from components._common.exposure import check_public_endpoint
from components._common.inventory import asset_kind
from components._common.ownership import Slug
from components._common.protection import check_deletion_protection, deletion_protected
from components._common.provider_fields import refuse_provider_fields
from components.aws._documents import Statement, logs_may_use_key
from components.aws._eks import (
    AUTOSCALING_SERVICE,
    CLUSTER_POLICY,
    POOL_LABEL,
    AmiFamily,
    Capacity,
    ClusterRef,
    ServiceRole,
    autoscaling_role,
    launch_template,
    node_group,
    node_policies,
    service_role,
)
from components.aws._identifiers import EKS_CLUSTER_NAME, EksClusterName, PrincipalArn, SecurityGroupId
from components.aws._key_choice import FIELD_DESCRIPTION, check_key_choice, resolve_key
from components.aws._log_groups import RetentionDays
from components.aws._tags import aws_tags
from components.aws._where import Where, where
from components.aws.key import Key

TYPE = "aiwarden:aws:GpuCluster"
KIND = asset_kind(assets.GPU_COMPUTE)
#: The control-plane log types EKS offers; api, audit and authenticator are always on (K8S-2).
LogType = Literal["api", "audit", "authenticator", "controllerManager", "scheduler"]
REQUIRED_LOGS: tuple[LogType, ...] = ("api", "audit", "authenticator")
#: Roles of ``access``: the EKS access policy each grants, cluster-wide.
ClusterRole = Literal["admin", "read"]
ACCESS_POLICIES = {"admin": "AmazonEKSClusterAdminPolicy", "read": "AmazonEKSViewPolicy"}
#: Managed add-ons installed before any node joins (networking, Pod Identity credentials), and after.
EARLY_ADDONS = {
    "vpc-cni": "vpc-cni",
    "kube-proxy": "kube-proxy",
    "pod-identity-agent": "eks-pod-identity-agent",
}
LATE_ADDONS = {"coredns": "coredns", "node-monitoring-agent": "eks-node-monitoring-agent"}
SystemAmi = Literal["AL2023_x86_64_STANDARD", "BOTTLEROCKET_x86_64"]
_INSTANCE_TYPE = r"^[a-z][a-z0-9-]*\.[a-z0-9]+$"
_VERSION = r"^1\.\d{1,2}$"

#: Provider settings that are not inputs here, and what decides them.
_REFUSED: dict[str, str] = {
    "endpoint_public_access": "the API endpoint is private (K8S-2); opt into a public one by name: "
    "public_access=PublicAccess(cidrs=[...], justification=...)",
    "public_access_cidrs": "use public_access=PublicAccess(cidrs=[...], justification=...)",
    "endpoint_private_access": "the private endpoint is always on; nothing to set",
    "encryption_config": "Secrets are always encrypted with a customer-managed key (K8S-2); choose it with kms_key",
    "authentication_mode": "authentication is always by access entries (API); grant access with `access`",
    "bootstrap_cluster_creator_admin_permissions": "the deployer gets no implicit cluster admin; name the "
    "administrators in `access` (role admin)",
    "enabled_cluster_log_types": "use control_plane_logs (api, audit and authenticator are always on)",
    "vpc_config": "place the cluster with network=AwsNetwork(...) (PrivateNetwork.network)",
}


class ExistingCluster(BaseModel):
    """An EKS cluster of another stack: looked up by name, nothing is created or changed."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: EksClusterName = Field(description="Cluster name (a string or an Output, passed through).")
    security_group_id: SecurityGroupId | None = Field(
        default=None,
        description="Its cluster security group; default: read from the cluster (`vpc_config`).",
    )


class SystemPool(BaseModel):
    """The untainted node group the cluster's add-ons run on (CoreDNS, the monitoring agent, controllers): GPU
    pools are tainted, so these pods need nodes of their own. Hardened like every pool (``_eks``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    instance_types: tuple[str, ...] = Field(
        default=("m6i.large",),
        min_length=1,
        max_length=20,
        description="EC2 instance types of the system nodes.",
    )
    ami_type: SystemAmi = Field(default="AL2023_x86_64_STANDARD", description="EKS-managed AMI type (GPU-4).")
    min_size: int = Field(
        default=2, ge=1, le=100, description="Fewest nodes (two: CoreDNS keeps a replica per node)."
    )
    max_size: int = Field(default=3, ge=1, le=100, description="Most nodes.")
    disk_size_gb: int = Field(
        default=50, ge=20, le=16384, description="Root (AL2023) / data (Bottlerocket) volume."
    )

    @field_validator("instance_types")
    @classmethod
    def _types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for instance_type in value:
            if not re.fullmatch(_INSTANCE_TYPE, instance_type):
                raise ValueError(f"{instance_type!r} is not an EC2 instance type such as m6i.large")
        return value

    @model_validator(mode="after")
    def _bounds(self) -> SystemPool:
        if self.min_size > self.max_size:
            raise ValueError(f"system_pool.min_size={self.min_size} is above max_size={self.max_size}")
        return self

    @property
    def family(self) -> AmiFamily:
        return "bottlerocket" if self.ami_type.startswith("BOTTLEROCKET") else "al2023"


class GpuClusterArgs(BaseModel):
    """Inputs of ``GpuCluster``; every default is the hardened value."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    ownership: Ownership = Field(description="Owner and classification, tagged on every child.")
    existing: ExistingCluster | None = Field(
        default=None,
        description="Use a cluster of another stack (looked up by name; nothing is created, every other input but "
        "ownership is refused). Default: create the cluster.",
    )
    cluster_name: str | None = Field(
        default=None,
        pattern=EKS_CLUSTER_NAME,
        description="EKS cluster name (unique per account and region; the log group is named after it); default "
        "`<project>-<stack>-<name>`.",
    )
    kubernetes_version: str | None = Field(
        default=None,
        pattern=_VERSION,
        description="Kubernetes version, e.g. `1.34` (EKS default: the latest).",
    )
    network: AwsNetwork | None = Field(
        default=None,
        description="Private subnets in at least two availability zones (control-plane interfaces and system "
        "nodes) and the workloads' security groups (reach the API server; the nodes carry them, four at most); "
        "`PrivateNetwork.network` gives it. Required unless `existing`.",
    )
    kms_key: KeyChoice = Field(
        default_factory=CreateKey,
        description=f"{FIELD_DESCRIPTION}. Encrypts Kubernetes Secrets (EKS default: no customer-managed key), the "
        "control-plane log group and the system nodes' volumes; an existing key must admit the cluster role, "
        "`logs.<region>.amazonaws.com`, EKS grants for the deployer and the Auto Scaling service-linked role.",
    )
    access: dict[Slug, Grant[PrincipalArn, ClusterRole]] = Field(
        default_factory=dict,
        description="Who may use the Kubernetes API, by name: `admin` = AmazonEKSClusterAdminPolicy, `read` = "
        "AmazonEKSViewPolicy, cluster-wide, as access entries (one per IAM role or user; at least one admin). "
        "EKS default: the cluster creator is an implicit admin; here nobody is unless named.",
    )
    api_access: dict[Slug, Cidr] = Field(
        default_factory=dict,
        description="Private ranges (VPN, CI runners, admin subnets) allowed to reach the private API endpoint on "
        "443, by name; the network's security groups always are. 0.0.0.0/0 and public ranges are refused.",
    )
    public_access: PublicAccess | None = Field(
        default=None,
        description="Opt-in to the public API endpoint, reachable only from `cidrs` (at least one, never 0.0.0.0/0), "
        "with a justification (tag `aiwarden-exception`); refused for restricted data in production. Default: "
        "private endpoint only (EKS and pulumi-eks default: a public endpoint open to 0.0.0.0/0).",
    )
    control_plane_logs: tuple[LogType, ...] = Field(
        default=REQUIRED_LOGS,
        description="Control-plane log types sent to CloudWatch Logs; api, audit and authenticator are required "
        "(EKS default: none).",
    )
    log_retention_days: RetentionDays = Field(
        default=400,
        description="Retention of the control-plane log group (EKS default: the group it creates never expires, "
        "without a customer-managed key); one of the CloudWatch Logs values.",
    )
    support_type: Literal["STANDARD", "EXTENDED"] = Field(
        default="STANDARD",
        description="`STANDARD`: EKS upgrades the control plane at the end of standard support instead of running "
        "(and billing) extended support (EKS default: EXTENDED).",
    )
    system_pool: SystemPool = Field(
        default_factory=SystemPool, description="The untainted, hardened node group of the cluster's add-ons."
    )
    create_autoscaling_service_role: bool = Field(
        default=False,
        description="Create the account's EC2 Auto Scaling service-linked role (`AWSServiceRoleForAutoScaling`) "
        "before the keys that must name it: once per account, on a fresh account only (it exists as soon as any "
        "Auto Scaling group was created; a second create fails). A destroy leaves it in place.",
    )
    deletion_protection: bool | None = Field(
        default=None,
        description="EKS `deletion_protection` and CloudWatch Logs deletion protection of the control-plane log "
        "group; None: on in production (IR-2), else off (provider default: off); cannot be off in production.",
    )

    _refuse_provider_fields = refuse_provider_fields(_REFUSED)

    @field_validator("api_access")
    @classmethod
    def _api_access(cls, value: dict[str, str]) -> dict[str, str]:
        for key, cidr in value.items():
            if is_world(cidr) or not is_private(cidr):
                raise ValueError(
                    f"{key}: {cidr} is not a private range; the private endpoint is reached from inside the network "
                    "(RFC 1918 or 100.64.0.0/10); a public range needs public_access"
                )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> GpuClusterArgs:
        if self.existing is not None:
            extra = sorted(self.model_fields_set - {"ownership", "existing"})
            if extra:
                raise ValueError(
                    f"{extra[0]}: an existing cluster is used as it is; remove {', '.join(extra)} (or drop `existing` "
                    "to create the cluster)"
                )
            return self
        network = self.network
        if network is None:
            raise ValueError(
                "network: a new cluster needs its private subnets; pass network=PrivateNetwork.network"
            )
        if len(network.subnet_ids) < 2:
            raise ValueError(
                "network.subnet_ids: EKS places the control plane in subnets of at least two availability zones; "
                "give two or more private subnets"
            )
        if len(network.security_group_ids) > 4:
            raise ValueError(
                "network.security_group_ids: at most 4 (the nodes also carry the cluster security group, and an "
                "interface takes 5)"
            )
        missing = [t for t in REQUIRED_LOGS if t not in self.control_plane_logs]
        if missing:
            raise ValueError(
                f"control_plane_logs: {', '.join(missing)} cannot be left out (control K8S-2); add them"
            )
        if len(set(self.control_plane_logs)) != len(self.control_plane_logs):
            raise ValueError("control_plane_logs: a log type is listed twice")
        self._check_access()
        check_public_endpoint(
            self.public_access, self.ownership, without_cidrs="without them EKS opens it to 0.0.0.0/0"
        )
        check_key_choice("kms_key", self.kms_key, self.ownership)
        check_deletion_protection(self.deletion_protection, self.ownership)
        return self

    def _check_access(self) -> None:
        if not any(g.role == "admin" for g in self.access.values()):
            raise ValueError(
                "access: name at least one administrator (role admin): with access entries only and no bootstrap "
                "admin, nobody else can use the Kubernetes API"
            )
        seen: dict[str, str] = {}
        for grant_name, grant in self.access.items():
            principal = grant.principal
            if not isinstance(principal, str):
                continue
            if principal.endswith(":root"):
                raise ValueError(
                    f"access.{grant_name}.principal: an access entry names one IAM role or user, not an account"
                )
            if principal in seen:
                raise ValueError(
                    f"access.{grant_name}: {principal} is already granted as {seen[principal]!r}; EKS takes one "
                    "access entry per principal: keep one grant"
                )
            seen[principal] = grant_name

    def protected(self) -> bool:
        return deletion_protected(self.deletion_protection, self.ownership.environment == "production")

    def name_of(self, name: str) -> str:
        """The EKS cluster name: ``cluster_name``, else ``<project>-<stack>-<name>`` (100 characters at most)."""
        if self.cluster_name:
            return self.cluster_name
        raw = re.sub(r"[^A-Za-z0-9_-]", "-", f"{pulumi.get_project()}-{pulumi.get_stack()}-{name}")
        return re.sub(r"^[^0-9A-Za-z]+", "", raw)[:100] or "cluster"


def _https_in(description: str, **peer: Any) -> aws.ec2.SecurityGroupIngressArgs:
    return aws.ec2.SecurityGroupIngressArgs(
        description=description, protocol="tcp", from_port=443, to_port=443, **peer
    )


def log_group_name(cluster_name: str) -> str:
    """The group EKS writes control-plane logs to (it creates it, without retention or key, when absent)."""
    return f"/aws/eks/{cluster_name}/cluster"


def key_statements(place: Where, cluster_name: str) -> tuple[Statement, ...]:
    """What the cluster's key admits besides its named users: EKS creating its grant for the deployer at cluster
    creation, CloudWatch Logs encrypting the control-plane log group (and nothing else)."""
    return (
        {
            "Sid": "EksCreatesTheSecretsGrantForTheDeployer",
            "Effect": "Allow",
            "Principal": {"AWS": place.root},
            "Action": "kms:CreateGrant",
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": f"eks.{place.region}.{place.dns_suffix}",
                    "kms:CallerAccount": place.account,
                },
                "Bool": {"kms:GrantIsForAWSResource": "true"},
            },
        },
        logs_may_use_key(
            "CloudWatchLogsEncryptsTheControlPlaneLogs",
            place,
            place.log_group_arn(log_group_name(cluster_name)),
        ),
    )


class GpuCluster(pulumi.ComponentResource):
    """A private, hardened EKS cluster (or an existing one); GPU pools join it with
    ``GpuNodePool(cluster=cluster.ref())``. See the module docstring for children.

    Outputs: ``clusterName``, ``clusterArn``, ``endpoint``, ``clusterSecurityGroupId``, ``kmsKeyArn`` (None for an
    existing cluster), ``logGroupName`` (None for an existing cluster).
    """

    CONTROLS: ClassVar[tuple[str, ...]] = (
        "K8S-2",
        "GPU-1",
        "GPU-2",
        "GPU-3",
        "GPU-4",
        "LOG-2",
        "NET-3",
        "DATA-2",
        "INV-1",
        "IR-2",
    )

    key: Key | None
    cluster_role: ServiceRole | None
    log_group: aws.cloudwatch.LogGroup | None
    security_group: aws.ec2.SecurityGroup | None
    cluster: aws.eks.Cluster | None
    access_entries: dict[str, aws.eks.AccessEntry]
    addons: dict[str, aws.eks.Addon]
    system_role: ServiceRole | None
    system_template: aws.ec2.LaunchTemplate | None
    system_pool: aws.eks.NodeGroup | None
    autoscaling_service_role: aws.iam.ServiceLinkedRole | None
    cluster_name: pulumi.Output[str]
    cluster_security_group_id: pulumi.Output[str]

    def __init__(self, name: str, args: GpuClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        self._args = args
        self.key = self.cluster_role = self.log_group = self.security_group = self.cluster = None
        self.system_role = self.system_template = self.system_pool = self.autoscaling_service_role = None
        self.access_entries, self.addons = {}, {}
        self._autoscaling_role: pulumi.Input[str] | None = None
        if args.existing is not None:
            self._look_up(args.existing)
            return
        self._create(name, args)

    # -- an existing cluster ----------------------------------------------------------------------------------
    def _look_up(self, existing: ExistingCluster) -> None:
        found = aws.eks.get_cluster_output(name=existing.name, opts=pulumi.InvokeOutputOptions(parent=self))
        self.cluster_name = pulumi.Output.from_input(existing.name)
        if existing.security_group_id is not None:
            self.cluster_security_group_id = pulumi.Output.from_input(existing.security_group_id)
        else:
            self.cluster_security_group_id = found.vpc_config.apply(
                lambda c: c.cluster_security_group_id if c is not None else ""
            )
        self.register_outputs(
            {
                "clusterName": self.cluster_name,
                "clusterArn": found.arn,
                "endpoint": found.endpoint,
                "clusterSecurityGroupId": self.cluster_security_group_id,
                "kmsKeyArn": None,
                "logGroupName": None,
            }
        )

    # -- a new cluster ---------------------------------------------------------------------------------------
    def _create(self, name: str, args: GpuClusterArgs) -> None:
        assert args.network is not None  # checked by the args
        network = args.network
        place = where(self)
        tags = aws_tags(args.ownership)
        cluster_name = args.name_of(name)
        child = pulumi.ResourceOptions(parent=self)
        protect = args.protected()

        self.cluster_role = service_role(
            f"{name}-cluster-role",
            "eks.amazonaws.com",
            {"cluster": CLUSTER_POLICY},
            f"aiwarden {name}: EKS control plane of {cluster_name}",
            tags,
            place,
            self,
        )
        if args.create_autoscaling_service_role:
            self.autoscaling_service_role = aws.iam.ServiceLinkedRole(
                f"{name}-autoscaling-service-role",
                aws_service_name=AUTOSCALING_SERVICE,
                description="EC2 Auto Scaling (created by aiwarden GpuCluster for encrypted node volumes)",
                # An account-wide role other stacks' Auto Scaling groups use: a destroy leaves it in place.
                opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
            )
            self._autoscaling_role = self.autoscaling_service_role.arn
        else:
            self._autoscaling_role = autoscaling_role(place)
        key_arn = self._key(name, args, place, cluster_name)

        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-control-plane-logs",
            name=log_group_name(cluster_name),
            retention_in_days=args.log_retention_days,
            kms_key_id=key_arn,
            deletion_protection_enabled=protect,
            tags=tags,
            opts=child,
        )
        self.security_group = aws.ec2.SecurityGroup(
            f"{name}-control-plane",
            vpc_id=network.vpc_id,
            description=f"aiwarden {name}: EKS API (HTTPS) from the workloads and named private ranges only",
            ingress=[
                _https_in(
                    "HTTPS from the workloads' security groups",
                    security_groups=list(network.security_group_ids),
                ),
                *(
                    _https_in(f"HTTPS from {source}", cidr_blocks=[cidr])
                    for source, cidr in args.api_access.items()
                ),
            ],
            egress=[],
            revoke_rules_on_delete=True,
            tags=tags,
            opts=child,
        )
        public = args.public_access
        self.cluster = aws.eks.Cluster(
            f"{name}-cluster",
            name=cluster_name,
            version=args.kubernetes_version,
            role_arn=self.cluster_role.role.arn,
            vpc_config=aws.eks.ClusterVpcConfigArgs(
                subnet_ids=list(network.subnet_ids),
                security_group_ids=[self.security_group.id],
                endpoint_private_access=True,
                endpoint_public_access=public is not None,
                public_access_cidrs=list(public.cidrs) if public is not None else None,
            ),
            access_config=aws.eks.ClusterAccessConfigArgs(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=False
            ),
            encryption_config=aws.eks.ClusterEncryptionConfigArgs(
                resources=["secrets"], provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=key_arn)
            ),
            enabled_cluster_log_types=list(args.control_plane_logs),
            bootstrap_self_managed_addons=False,
            upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type=args.support_type),
            deletion_protection=protect,
            tags=aws_tags(args.ownership, public.justification if public is not None else None),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[self.log_group, *self.cluster_role.attachments.values()]
            ),
        )
        self._access(name, args, tags)
        early = {role: self._addon(name, role, addon, tags, ()) for role, addon in EARLY_ADDONS.items()}
        self._system_pool(name, args, place, key_arn, tags, list(early.values()))
        assert self.system_pool is not None
        late = {
            role: self._addon(name, role, addon, tags, (self.system_pool,))
            for role, addon in LATE_ADDONS.items()
        }
        self.addons = {**early, **late}
        # Pools wait for the networking add-ons: a node without the VPC CNI never becomes Ready.
        self.cluster_name = pulumi.Output.all(self.cluster.name, *(a.arn for a in early.values())).apply(
            lambda values: str(values[0])
        )
        self.cluster_security_group_id = self.cluster.vpc_config.cluster_security_group_id
        self._record(name, args, cluster_name)
        self.register_outputs(
            {
                "clusterName": self.cluster.name,
                "clusterArn": self.cluster.arn,
                "endpoint": self.cluster.endpoint,
                "clusterSecurityGroupId": self.cluster_security_group_id,
                "kmsKeyArn": key_arn,
                "logGroupName": self.log_group.name,
            }
        )

    def ref(self) -> ClusterRef:
        """The cluster as a ``GpuNodePool`` takes it (for a created cluster, pools wait for its add-ons)."""
        return ClusterRef(
            name=self.cluster_name,
            security_group_id=self.cluster_security_group_id,
            autoscaling_role_arn=self._autoscaling_role
            if isinstance(self._autoscaling_role, pulumi.Output)
            else None,
        )

    def _key(self, name: str, args: GpuClusterArgs, place: Where, cluster_name: str) -> pulumi.Output[str]:
        if not isinstance(args.kms_key, CreateKey):
            return pulumi.Output.from_input(args.kms_key.key)
        assert self.cluster_role is not None and self._autoscaling_role is not None
        resolved = resolve_key(
            name,
            args.kms_key,
            args.ownership,
            self,
            users={"cluster-role": self.cluster_role.role.arn, "autoscaling": self._autoscaling_role},
            description=f"aiwarden {name}: EKS Secrets, control-plane logs and system node volumes of {cluster_name}",
            policy_statements=key_statements(place, cluster_name),
        )
        self.key = resolved.created
        return resolved.arn

    def _access(self, name: str, args: GpuClusterArgs, tags: dict[str, str]) -> None:
        assert self.cluster is not None
        place = where(self)
        for grant_name, grant in args.access.items():
            entry = aws.eks.AccessEntry(
                f"{name}-access-{grant_name}",
                cluster_name=self.cluster.name,
                principal_arn=grant.principal,
                type="STANDARD",
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self),
            )
            aws.eks.AccessPolicyAssociation(
                f"{name}-access-{grant_name}-policy",
                cluster_name=self.cluster.name,
                principal_arn=entry.principal_arn,
                policy_arn=f"arn:{place.partition}:eks::aws:cluster-access-policy/{ACCESS_POLICIES[grant.role]}",
                access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.access_entries[grant_name] = entry

    def _addon(
        self, name: str, role: str, addon: str, tags: dict[str, str], after: tuple[pulumi.Resource, ...]
    ) -> aws.eks.Addon:
        assert self.cluster is not None
        return aws.eks.Addon(
            f"{name}-{role}",
            cluster_name=self.cluster.name,
            addon_name=addon,
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="OVERWRITE",
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(after)),
        )

    def _system_pool(
        self,
        name: str,
        args: GpuClusterArgs,
        place: Where,
        key_arn: pulumi.Output[str],
        tags: dict[str, str],
        addons: list[aws.eks.Addon],
    ) -> None:
        assert self.cluster is not None and args.network is not None
        pool = args.system_pool
        self.system_role = service_role(
            f"{name}-system-role",
            "ec2.amazonaws.com",
            node_policies(cni_policy=True),
            f"aiwarden {name}: system nodes of {args.name_of(name)}",
            tags,
            place,
            self,
        )
        self.system_template = launch_template(
            f"{name}-system-template",
            family=pool.family,
            disk_size_gb=pool.disk_size_gb,
            key_arn=key_arn,
            security_group_ids=[
                self.cluster.vpc_config.cluster_security_group_id,
                *args.network.security_group_ids,
            ],
            tags=tags,
            capacity=Capacity(),
            instance_type=None,
            parent=self,
        )
        self.system_pool = node_group(
            f"{name}-system",
            cluster_name=self.cluster.name,
            role=self.system_role,
            subnet_ids=args.network.subnet_ids,
            template=self.system_template,
            ami_type=pool.ami_type,
            instance_types=pool.instance_types,
            capacity=Capacity(),
            scaling=(pool.min_size, pool.min_size, pool.max_size),
            labels={POOL_LABEL: "system"},
            taints=(),
            kubernetes_version=args.kubernetes_version,
            auto_repair=True,
            tags=tags,
            parent=self,
            depends_on=addons,
        )

    def _record(self, name: str, args: GpuClusterArgs, cluster_name: str) -> None:
        assert self.cluster is not None and self.cluster_role is not None and self.system_role is not None
        identities = (self.cluster_role.role.arn, self.system_role.role.arn, *principals(args.access))
        record_asset(
            AssetRecord(
                name=f"{name}-cluster",
                kind=KIND,
                ownership=args.ownership,
                exposure="public" if args.public_access is not None else "private",
                identities=identities,
                credentials_to_revoke=(self.system_role.role.arn, *principals(args.access)),
                endpoints_to_disable=(self.cluster.endpoint,),
                logs_to_preserve=(
                    f"CloudWatch Logs {log_group_name(cluster_name)} (api, audit, authenticator)",
                    "CloudTrail: eks and sts events of the cluster and node roles",
                ),
                containment=f"Delete the access entries of {cluster_name} except the responders', scale its node "
                "groups to zero and turn the public endpoint off; disabling the KMS key makes the cluster's Secrets "
                "unreadable.",
            )
        )
