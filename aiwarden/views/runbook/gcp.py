"""Google Cloud identifiers to gcloud commands: revoke a member or secret, disable an endpoint, inspect a bucket.

Identifiers are resolved against the stack first (a Secret Manager secret's ``secretId``, a Vertex
endpoint's ``name`` and ``region``), then parsed (``projects/<p>/locations/<l>/...``). A member's grants
that the stack declares are removed one by one with the command of their resource type; a grant type with
no gcloud command here is removed with ``pulumi destroy --target`` (``pulumi up`` restores it). References:
gcloud reference for iam service-accounts, secrets, kms, ai endpoints / index-endpoints, workbench
instances, sql instances, container clusters / node-pools, storage buckets, projects, artifacts.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aiwarden.views.runbook.context import Context, q
from aiwarden.views.runbook.model import Item, Step
from aiwarden.views.stack import Resource

SECRET_ID = re.compile(r"^projects/([^/]+)(?:/locations/([^/]+))?/secrets/([^/]+)$")
KEY_ID = re.compile(r"^projects/([^/]+)/locations/([^/]+)/keyRings/([^/]+)/cryptoKeys/([^/]+)$")
VERTEX_ENDPOINT = re.compile(r"^projects/([^/]+)/locations/([^/]+)/(?:endpoints|aiEndpoints)/([^/]+)$")
INDEX_ENDPOINT = re.compile(
    r"^projects/([^/]+)/locations/([^/]+)/(?:indexEndpoints|aiIndexEndpoints)/([^/]+)$"
)
WORKBENCH = re.compile(r"^projects/([^/]+)/locations/([^/]+)/instances/([^/]+)$")
SQL_CONNECTION = re.compile(r"^([a-z][a-z0-9-]+):([a-z]+-[a-z]+\d+):([a-z][a-z0-9-]*)$")
SA_EMAIL = re.compile(r"^([^@]+)@([a-z][a-z0-9-]+)\.iam\.gserviceaccount\.com$")
WORKLOAD_IDENTITY = re.compile(r"^serviceAccount:([^.]+)\.svc\.id\.goog\[([^/\]]+)/([^\]]+)\]$")
MEMBER = re.compile(r"^(serviceAccount|user|group|domain|principal|principalSet):(.+)$")

SECRET_TYPES = ("gcp:secretmanager/secret:Secret", "gcp:secretmanager/regionalSecret:RegionalSecret")
KEY_TYPE = "gcp:kms/cryptoKey:CryptoKey"
ENDPOINT_TYPE = "gcp:vertex/aiEndpoint:AiEndpoint"
INDEX_ENDPOINT_TYPE = "gcp:vertex/aiIndexEndpoint:AiIndexEndpoint"
WORKBENCH_TYPE = "gcp:workbench/instance:Instance"
SQL_TYPE = "gcp:sql/databaseInstance:DatabaseInstance"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
GCS_BUCKET = "gcp:storage/bucket:Bucket"


def _last(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1]


def service_agent(email: str) -> bool:
    """A Google-managed service agent: it cannot be disabled, only its grants removed."""
    local, _, domain = email.partition("@")
    return (
        bool(re.match(r"^(service|bq)-\d+$", local))
        or domain.startswith("gcp-sa-")
        or domain.startswith(
            ("cloudservices.", "gs-project-accounts.", "compute-system.", "bigquery-encryption.")
        )
    )


# --- the grants of a member that the stack declares ------------------------------------------------------------


def _grant_target(r: Resource, ctx: Context) -> str | None:
    """The gcloud command (without member/role) that removes a grant of this IAM member type, or None."""
    project = r.str("project") or ctx.gcp_project
    if r.type == "gcp:projects/iAMMember:IAMMember":
        return f"gcloud projects remove-iam-policy-binding {q(project)}"
    if r.type == "gcp:serviceaccount/iAMMember:IAMMember":
        return f"gcloud iam service-accounts remove-iam-policy-binding {q(_last(r.str('serviceAccountId')))} --project={q(project)}"
    if r.type == "gcp:storage/bucketIAMMember:BucketIAMMember":
        return f"gcloud storage buckets remove-iam-policy-binding gs://{_last(r.str('bucket'))}"
    if r.type == "gcp:secretmanager/secretIamMember:SecretIamMember":
        secret = ctx.stack.find(r.str("secretId"), *SECRET_TYPES)
        name = secret.str("secretId") if secret else _last(r.str("secretId"))
        return f"gcloud secrets remove-iam-policy-binding {q(name)} --project={q(project)}"
    if r.type == "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember":
        match = KEY_ID.match(r.str("cryptoKeyId"))
        if match:
            p, location, ring, key = match.groups()
            return (
                f"gcloud kms keys remove-iam-policy-binding {q(key)} --keyring={q(ring)} --location={location} "
                f"--project={q(p)}"
            )
        return None
    if r.type == "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember":
        return (
            f"gcloud artifacts repositories remove-iam-policy-binding {q(_last(r.str('repository')))} "
            f"--location={q(r.str('location'))} --project={q(project)}"
        )
    return None


def grants(member: str, ctx: Context) -> list[Step]:
    """One removal per grant of ``member`` the stack declares."""
    steps = []
    for r in ctx.stack.resources:
        if r.str("member") != member or not r.str("role"):
            continue
        base = _grant_target(r, ctx)
        role = r.str("role")
        if base is not None:
            steps.append(
                Step(
                    f"{base} --member={q(member)} --role={q(role)}",
                    f"removes {role} (Pulumi resource {r.name})",
                )
            )
        else:
            steps.append(
                Step(
                    f"pulumi destroy --stack {q(ctx.stack.stack)} --target {q(r.urn)} --yes",
                    f"removes {role} on {r.type.rsplit(':', 1)[-1]} (Pulumi resource {r.name}); no gcloud command here",
                )
            )
    return steps


def _outside(member: str, ctx: Context) -> Step:
    return Step(
        f"gcloud projects get-iam-policy {q(ctx.gcp_project)} --flatten=bindings "
        f"--filter={q('bindings.members:' + member)} --format='table(bindings.role)'",
        "the member's project-level roles, including grants made outside this stack",
    )


def _member(value: str, ctx: Context) -> Item | None:
    match = MEMBER.match(value)
    if match is None:
        sa = SA_EMAIL.match(value)
        if sa is None:
            return None
        value = f"serviceAccount:{value}"
        match = MEMBER.match(value)
        assert match is not None
    kind, ident = match.groups()
    removals = grants(value, ctx)
    wi = WORKLOAD_IDENTITY.match(value)
    if wi is not None:
        return Item(
            value,
            f"GKE Workload Identity principal (Kubernetes ServiceAccount {wi[2]}/{wi[3]})",
            [*removals, _outside(value, ctx)],
            "The pods running as this Kubernetes ServiceAccount lose the Google Cloud access these grants gave.",
            rollback="`pulumi up` restores the grants the stack declares.",
        )
    if kind == "serviceAccount":
        sa = SA_EMAIL.match(ident)
        if sa is None or service_agent(ident):
            return Item(
                value,
                "Google-managed service agent",
                [*removals, _outside(value, ctx)],
                "A service agent cannot be disabled and has no keys: remove the grants that let it act on this asset.",
                rollback="`pulumi up` restores the grants the stack declares.",
            )
        project = sa[2]
        where = f"--iam-account={q(ident)} --project={q(project)}"
        steps = [
            Step(
                f"gcloud iam service-accounts keys list {where} --managed-by=user",
                "user-managed keys: the credentials of this account that can leak",
            ),
            Step(
                f"gcloud iam service-accounts keys disable <KEY_ID> {where}",
                "the leaked key stops working at once (delete it after the investigation)",
            ),
            Step(
                f"gcloud iam service-accounts disable {q(ident)} --project={q(project)}",
                "every key and token of the account stops working; workloads running as it fail until re-enabled",
            ),
            *removals,
        ]
        return Item(
            value,
            "service account",
            steps,
            rollback=f"gcloud iam service-accounts enable {q(ident)} --project={q(project)} (and `gcloud iam "
            "service-accounts keys enable <KEY_ID>` for a key that was not leaked); `pulumi up` restores removed grants.",
        )
    note = ""
    if kind == "user":
        note = (
            "Suspend the account in Cloud Identity / Google Workspace if it is compromised (gcloud cannot)."
        )
    return Item(
        value,
        f"{kind} member",
        [*removals, _outside(value, ctx)],
        note,
        rollback="`pulumi up` restores the grants the stack declares.",
    )


def _secret(value: str, ctx: Context) -> Item | None:
    resource = ctx.stack.find(value, *SECRET_TYPES)
    match = SECRET_ID.match(value)
    if resource is None and match is None:
        return None
    project = (resource.str("project") if resource else "") or (match[1] if match else ctx.gcp_project)
    name = (resource.str("secretId") if resource else "") or (match[3] if match else value)
    location = (resource.str("location") if resource else "") or (match[2] if match else "") or ""
    where = f"--secret={q(name)} --project={q(project)}" + (
        f" --location={location}" if location and location != "global" else ""
    )
    listing = where.replace("--secret=", "", 1)
    steps = [
        Step(
            f"for v in $(gcloud secrets versions list {listing} --filter='state=ENABLED' "
            f"--format='value(name.basename())'); do gcloud secrets versions disable \"$v\" {where}; done",
            "every enabled version stops being readable at once (callers get FAILED_PRECONDITION)",
        ),
        Step(
            f"gcloud secrets versions add {q(name)} --project={q(project)} --data-file=new-credential.txt",
            "after revoking the leaked credential at its issuer, store the new one as the latest version",
        ),
        Step(
            "gcloud logging read "
            + q(
                'protoPayload.serviceName="secretmanager.googleapis.com" AND '
                f'protoPayload.methodName:"AccessSecretVersion" AND protoPayload.resourceName:"/secrets/{name}/"'
            )
            + f" --project={q(project)} --freshness=30d "
            "--format='table(timestamp,protoPayload.authenticationInfo.principalEmail,"
            "protoPayload.requestMetadata.callerIp,operation.id,insertId)'",
            "who read it (Data Access audit logs, when enabled): principal, source IP and the entry ids",
        ),
    ]
    return Item(
        value,
        "Secret Manager secret",
        steps,
        "Revoke the credential at its issuer first: disabling versions here does not invalidate the leaked value.",
        rollback=f"gcloud secrets versions enable <VERSION> {where}, only for a version whose value was not leaked.",
    )


def _key(value: str, ctx: Context) -> Item | None:
    resource = ctx.stack.find(value, KEY_TYPE)
    match = KEY_ID.match(value)
    if match is None:
        return None
    project, location, ring, key = match.groups()
    if resource is not None:
        key = resource.str("name") or key
        ring_match = re.match(
            r"^projects/([^/]+)/locations/([^/]+)/keyRings/([^/]+)$", resource.str("keyRing")
        )
        if ring_match:
            project, location, ring = ring_match.groups()
    where = f"--key={q(key)} --keyring={q(ring)} --location={location} --project={q(project)}"
    describe = (
        f"gcloud kms keys describe {q(key)} --keyring={q(ring)} --location={location} --project={q(project)}"
    )
    return Item(
        value,
        "Cloud KMS key",
        [
            Step(
                f"gcloud kms keys versions disable \"$({describe} --format='value(primary.name.basename())')\" {where}",
                "data encrypted under the primary version becomes unreadable at once (services using it fail)",
            )
        ],
        rollback=f"gcloud kms keys versions enable <VERSION> {where}",
    )


def revoke(value: str, ctx: Context) -> Item | None:
    """The commands that revoke a Google Cloud credential (member, secret, key)."""
    for builder in (_member, _secret, _key):
        found = builder(value, ctx)
        if found is not None:
            return found
    return None


def _vertex(value: str, ctx: Context) -> Item | None:
    resource = ctx.stack.find(value, ENDPOINT_TYPE)
    match = VERTEX_ENDPOINT.match(value)
    if resource is None and match is None:
        return None
    project = (resource.str("project") if resource else "") or (match[1] if match else ctx.gcp_project)
    region = (resource.str("region") or resource.str("location") if resource else "") or (
        match[2] if match else ""
    )
    ident = (resource.str("name") if resource else "") or (match[3] if match else value)
    where = f"--region={region} --project={q(project)}"
    return Item(
        value,
        "Vertex AI endpoint",
        [
            Step(
                f"gcloud ai endpoints describe {q(ident)} {where}",
                "the deployed models (ids, images, machine types), for the record",
            ),
            Step(
                f"for m in $(gcloud ai endpoints describe {q(ident)} {where} --format='value(deployedModels[].id)' "
                f"| tr ';' ' '); do gcloud ai endpoints undeploy-model {q(ident)} {where} --deployed-model-id=\"$m\"; done",
                "undeploys every model: predictions stop and the serving nodes are released (billing stops); the "
                "endpoint, its grants and its logs stay",
            ),
        ],
        rollback=f"gcloud ai endpoints deploy-model {q(ident)} {where} --model=<MODEL_ID> ... (the component's "
        "`deployCommands` output holds the exact command)",
    )


def _index_endpoint(value: str, ctx: Context) -> Item | None:
    resource = ctx.stack.find(value, INDEX_ENDPOINT_TYPE)
    match = INDEX_ENDPOINT.match(value)
    if resource is None and match is None:
        return None
    project = (resource.str("project") if resource else "") or (match[1] if match else ctx.gcp_project)
    region = (resource.str("region") if resource else "") or (match[2] if match else "")
    ident = (resource.str("name") if resource else "") or (match[3] if match else value)
    where = f"--region={region} --project={q(project)}"
    return Item(
        value,
        "Vector Search index endpoint",
        [
            Step(f"gcloud ai index-endpoints describe {q(ident)} {where}", "the deployed index ids"),
            Step(
                f"gcloud ai index-endpoints undeploy-index {q(ident)} --deployed-index-id=<DEPLOYED_INDEX_ID> {where}",
                "queries stop; the index and its data stay",
            ),
        ],
        rollback="`pulumi refresh` then `pulumi up` deploys the index again.",
    )


def _workbench(value: str, ctx: Context) -> Item | None:
    resource = ctx.stack.find(value, WORKBENCH_TYPE)
    match = WORKBENCH.match(value)
    if resource is None and (match is None or ctx.kind != "notebook"):
        return None
    project = (resource.str("project") if resource else "") or (match[1] if match else ctx.gcp_project)
    zone = (resource.str("location") if resource else "") or (match[2] if match else "")
    name = _last((resource.str("name") if resource else "") or (match[3] if match else value))
    where = f"--location={zone} --project={q(project)}"
    return Item(
        value,
        "Vertex AI Workbench instance",
        [
            Step(
                f"gcloud workbench instances stop {q(name)} {where}",
                "the notebook and its kernels stop; the disks (evidence) stay",
            )
        ],
        rollback=f"gcloud workbench instances start {q(name)} {where}",
    )


def _sql(value: str, ctx: Context) -> Item | None:
    match = SQL_CONNECTION.match(value)
    if match is None:
        return None
    project, _, instance = match.groups()
    where = f"{q(instance)} --project={q(project)}"
    return Item(
        value,
        "Cloud SQL instance",
        [
            Step(
                f"gcloud sql instances patch {where} --activation-policy=NEVER",
                "the instance stops: no connections",
            )
        ],
        rollback=f"gcloud sql instances patch {where} --activation-policy=ALWAYS",
    )


def _gke(value: str, ctx: Context) -> Item | None:
    cluster = ctx.stack.find(value, GKE_CLUSTER)
    if cluster is None:
        return None
    where = f"--location={cluster.str('location')} --project={q(cluster.str('project') or ctx.gcp_project)}"
    return Item(
        value,
        "GKE control plane endpoint",
        [
            Step(
                f"gcloud container clusters update {q(cluster.str('name') or cluster.name)} {where} "
                "--enable-master-authorized-networks --master-authorized-networks=<RESPONDER_CIDR>",
                "only the responders' network reaches the Kubernetes API",
            )
        ],
        rollback="`pulumi up` restores the stack's authorized networks.",
    )


def disable(value: str, ctx: Context) -> Item | None:
    """The commands that stop a Google Cloud endpoint (Vertex endpoint, Workbench, index endpoint, SQL, GKE)."""
    builders: tuple[Callable[[str, Context], Item | None], ...] = (
        _vertex,
        _index_endpoint,
        _workbench,
        _sql,
        _gke,
    )
    for builder in builders:
        found = builder(value, ctx)
        if found is not None:
            return found
    return None


def bucket(value: str, ctx: Context) -> tuple[Item, Item] | None:
    """(inspect, disable public access) of a Cloud Storage bucket."""
    resource = ctx.stack.find(value, GCS_BUCKET)
    if resource is None and ctx.cloud != "gcp":
        return None
    b = f"gs://{value}"
    inspect = Item(
        value,
        "Cloud Storage bucket",
        [
            Step(
                f"gcloud storage buckets describe {b}",
                "public access prevention, uniform access, retention, CMEK",
            ),
            Step(
                f"gcloud storage buckets get-iam-policy {b} --format=json",
                "who may read and write (allUsers?)",
            ),
            Step(
                f"gcloud storage ls --all-versions --long {b}", "objects and their generations: what changed"
            ),
        ],
    )
    disable_public = Item(
        value,
        "Cloud Storage bucket public access",
        [
            Step(
                f"gcloud storage buckets update {b} --public-access-prevention",
                "no allUsers / allAuthenticatedUsers grant applies any more (takes effect at once)",
            ),
            Step(
                f"gcloud storage buckets remove-iam-policy-binding {b} --member=allUsers --role=<ROLE>",
                "removes a public grant the IAM policy shows",
            ),
        ],
        rollback="`pulumi up` re-applies the stack's public access prevention and grants.",
    )
    return inspect, disable_public


def own_resources(ctx: Context) -> list[Item]:
    """Disable steps for the asset's own resources no recorded identifier names (GPU node pools, notebooks)."""
    items = []
    for r in ctx.own:
        if r.type == NODE_POOL:
            cluster = _last(r.str("cluster"))
            name = r.str("name") or r.name
            where = f"--cluster={q(cluster)} --location={r.str('location')} --project={q(r.str('project') or ctx.gcp_project)}"
            items.append(
                Item(
                    name,
                    "GKE node pool",
                    [
                        Step(
                            f"gcloud container node-pools update {q(name)} {where} --no-enable-autoscaling",
                            "the autoscaler no longer adds GPU nodes",
                        ),
                        Step(
                            f"gcloud container clusters resize {q(cluster)} --node-pool={q(name)} --num-nodes=0 "
                            f"--location={r.str('location')} --project={q(r.str('project') or ctx.gcp_project)} --quiet",
                            "drains and deletes the GPU nodes (their pods stop); the pool stays",
                        ),
                    ],
                    rollback="`pulumi up` restores the pool's autoscaling and size.",
                )
            )
        elif r.type == WORKBENCH_TYPE:
            found = _workbench(r.id, ctx)
            if found is not None:
                items.append(found)
    return items
