"""AWS identifiers to AWS CLI commands: revoke a credential, disable an endpoint, inspect a bucket.

Each function returns None for a value that is not its kind of identifier, so the caller tries the clouds
in turn. Commands name the region the ARN (or the asset) is in; what only the incident knows is a
``<PLACEHOLDER>``. References: AWS CLI reference for iam, secretsmanager, kms, apigateway, apigatewayv2,
sagemaker, eks, rds, opensearchserverless, s3api, cloudtrail; "Revoking IAM role temporary security
credentials" (the ``AWSRevokeOlderSessions`` policy the console writes).
"""

from __future__ import annotations

import re

from aiwarden.views.runbook.context import Context, arn, q
from aiwarden.views.runbook.model import Item, Step
from aiwarden.views.stack import Resource

API_URL = re.compile(r"^https://([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/([^/?#]+)")
ACCESS_KEY = re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$")
VPC_ENDPOINT = re.compile(r"^vpce-[0-9a-z]+$")

SAGEMAKER_ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance"
KMS_KEY = "aws:kms/key:Key"
AOSS_ENDPOINT = "aws:opensearch/serverlessVpcEndpoint:ServerlessVpcEndpoint"
S3_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
SECRET = "aws:secretsmanager/secret:Secret"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
REST_METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings"
HTTP_STAGE = "aws:apigatewayv2/stage:Stage"
REVOKE_POLICY = "AWSRevokeOlderSessions"
#: The deny-before-now policy the IAM console's "Revoke active sessions" writes, with the time filled in.
REVOKE_DOCUMENT = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",'
    '"Condition":{"DateLessThan":{"aws:TokenIssueTime":"%s"}}}]}'
)
PUBLIC_BLOCK_ALL = (
    "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
)


def _role(name: str, ctx: Context) -> list[Step]:
    document = f'"$(printf \'{REVOKE_DOCUMENT}\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"'
    return [
        Step(
            f"aws iam put-role-policy --role-name {q(name)} --policy-name {REVOKE_POLICY} "
            f"--policy-document {document}",
            "denies every session of the role issued before now (what the console's 'Revoke active sessions' "
            "does); new sessions still work, so also remove what let the attacker assume it",
        ),
        Step(
            f"aws iam list-attached-role-policies --role-name {q(name)} && aws iam list-role-policies --role-name {q(name)}",
            "what the role may do, to scope what the stolen sessions could reach",
        ),
    ]


def _secret(value: str, ctx: Context) -> Item:
    parsed = arn(value)
    region = ctx.region_of(value)
    resource = ctx.stack.find(value, SECRET)
    name = resource.str("name") if resource else ""
    if not name and parsed is not None:
        name = re.sub(r"-[A-Za-z0-9]{6}$", "", parsed.resource.partition(":")[2])
    rotation = next((r for r in ctx.stack.of_type(SECRET_ROTATION) if r.str("secretId") == value), None)
    procedure = ""
    if resource is not None:
        tags = resource.get("tags") or {}
        procedure = str(tags.get("aiwarden-exception") or "") if isinstance(tags, dict) else ""
    where = f"--secret-id {q(value)} --region {region}"
    steps = []
    if rotation is not None:
        steps.append(
            Step(
                f"aws secretsmanager rotate-secret {where}",
                "runs the secret's rotation function now: the issuer gets a new credential, the old version "
                "becomes AWSPREVIOUS",
            )
        )
    else:
        steps.append(
            Step(
                f"aws secretsmanager put-secret-value {where} --secret-string file://new-credential.txt",
                "after revoking the leaked credential at its issuer (Secrets Manager cannot: this secret has no "
                "rotation function), store the new one; readers get it on their next GetSecretValue",
            )
        )
    steps.append(
        Step(
            f"aws cloudtrail lookup-events --region {region} --lookup-attributes "
            "AttributeKey=EventName,AttributeValue=GetSecretValue --output json | jq -r '.Events[].CloudTrailEvent "
            f'| fromjson | select((.requestParameters.secretId // "") | contains({_jq(name)})) '
            "| [.eventTime, .userIdentity.arn, .sourceIPAddress, .requestID, .eventID] | @tsv'",
            "who read the secret in the last 90 days (CloudTrail event history), with the request ids",
        )
    )
    note = "Revoke the credential at its issuer first: a new value here does not invalidate the leaked one."
    if procedure:
        note += f" Recorded rotation procedure: {procedure}."
    return Item(
        value,
        "Secrets Manager secret",
        steps,
        note,
        rollback="Nothing to undo: the previous value stays readable as version AWSPREVIOUS until the next rotation.",
    )


def _jq(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "") + '"'


def _policy(value: str, ctx: Context) -> Item:
    attached = [
        r.str("role") for r in ctx.stack.of_type(ROLE_POLICY_ATTACHMENT) if r.str("policyArn") == value
    ]
    steps = [
        Step(
            f"aws iam detach-role-policy --role-name {q(role)} --policy-arn {q(value)}",
            f"role {role} loses what the policy grants, at once",
        )
        for role in attached
        if role
    ]
    steps.append(
        Step(
            f"aws iam list-entities-for-policy --policy-arn {q(value)}",
            "every role, user and group the policy is attached to, including attachments made outside this stack",
        )
    )
    return Item(
        value,
        "IAM managed policy",
        steps,
        rollback="`pulumi up` re-attaches the policy to the roles the stack declares.",
    )


def revoke(value: str, ctx: Context) -> Item | None:
    """The commands that revoke an AWS credential (secret, role sessions, policy, key, access key)."""
    if ACCESS_KEY.match(value):
        return Item(
            value,
            "IAM access key",
            [
                Step(
                    f"aws iam get-access-key-last-used --access-key-id {value}", "the user the key belongs to"
                ),
                Step(
                    f"aws iam update-access-key --user-name <USER> --access-key-id {value} --status Inactive",
                    "the key stops working at once (delete it once the investigation no longer needs it)",
                ),
            ],
            rollback=f"aws iam update-access-key --user-name <USER> --access-key-id {value} --status Active",
        )
    parsed = arn(value)
    if parsed is None:
        return None
    if parsed.service == "secretsmanager" and parsed.resource.startswith("secret:"):
        return _secret(value, ctx)
    if parsed.service == "iam" and parsed.resource.startswith("role/"):
        name = parsed.resource_name
        return Item(
            value,
            "IAM role",
            _role(name, ctx),
            rollback=f"Once the role's maximum session duration (12 hours at most) has passed: aws iam "
            f"delete-role-policy --role-name {q(name)} --policy-name {REVOKE_POLICY}.",
        )
    if parsed.service == "iam" and parsed.resource.startswith("user/"):
        name = parsed.resource_name
        return Item(
            value,
            "IAM user",
            [
                Step(f"aws iam list-access-keys --user-name {q(name)}", "the user's access keys"),
                Step(
                    f"aws iam update-access-key --user-name {q(name)} --access-key-id <ACCESS_KEY_ID> --status Inactive",
                    "each key stops working at once",
                ),
                Step(f"aws iam delete-login-profile --user-name {q(name)}", "no more console sign-in"),
            ],
            rollback=f"aws iam update-access-key --user-name {q(name)} --access-key-id <ACCESS_KEY_ID> --status Active",
        )
    if parsed.service == "iam" and parsed.resource.startswith("policy/"):
        return _policy(value, ctx)
    if parsed.service == "kms" and parsed.resource.startswith("key/"):
        return Item(
            value,
            "KMS key",
            [
                Step(
                    f"aws kms disable-key --key-id {q(value)} --region {parsed.region or ctx.aws_region}",
                    "everything encrypted under the key becomes unreadable at once (services that use it fail)",
                )
            ],
            rollback=f"aws kms enable-key --key-id {q(value)} --region {parsed.region or ctx.aws_region}",
        )
    return None


def _rest_stage(api: str, region: str, stage: str, ctx: Context) -> Item:
    candidates = [
        r
        for r in ctx.stack.of_type(REST_METHOD_SETTINGS)
        if r.str("stageName") == stage and r.str("methodPath") == "*/*"
    ]
    settings = next((r for r in candidates if r.str("restApi") == api), candidates[0] if candidates else None)
    where = f"--rest-api-id {api} --stage-name {q(stage)} --region {region}"
    rollback = "`pulumi up` restores the stack's throttle."
    if settings is not None:
        values = settings.get("settings") or {}
        rate, burst = _number(values.get("throttlingRateLimit")), _number(values.get("throttlingBurstLimit"))
        if rate and burst:
            rollback = (
                f"aws apigateway update-stage {where} --patch-operations "
                f"op=replace,path=/*/*/throttling/rateLimit,value={rate} "
                f"op=replace,path=/*/*/throttling/burstLimit,value={burst} (the stack's values; `pulumi up` "
                "restores them too)"
            )
    return Item(
        f"https://{api}.execute-api.{region}.amazonaws.com/{stage}",
        "API Gateway REST API stage",
        [
            Step(
                f"aws apigateway update-stage {where} --patch-operations "
                "op=replace,path=/*/*/throttling/rateLimit,value=0 op=replace,path=/*/*/throttling/burstLimit,value=0",
                "every method of the stage answers 429 at once: no request reaches the model and nothing is "
                "billed for it (denial of wallet stops here)",
            ),
            Step(f"aws apigateway get-stage {where}", "the stage's settings now, for the record"),
        ],
        rollback=rollback,
    )


def _http_stage(api: str, region: str, stage: str) -> Item:
    where = f"--api-id {api} --stage-name {q(stage)} --region {region}"
    return Item(
        f"https://{api}.execute-api.{region}.amazonaws.com/{stage}",
        "API Gateway HTTP API stage",
        [
            Step(
                f"aws apigatewayv2 update-stage {where} --default-route-settings "
                "ThrottlingBurstLimit=0,ThrottlingRateLimit=0",
                "every route answers 429 at once: no request reaches the backend",
            )
        ],
        rollback="`pulumi up` restores the stack's route settings.",
    )


def _number(value: object) -> str:
    if isinstance(value, int | float) and value > 0:
        return str(int(value)) if float(value).is_integer() else str(value)
    return ""


def _sagemaker_endpoint(r: Resource, ctx: Context) -> Item:
    name = r.str("name") or r.name
    region = ctx.region_of(r.str("arn"))
    config = r.str("endpointConfigName")
    where = f"--endpoint-name {q(name)} --region {region}"
    return Item(
        name,
        "SageMaker endpoint",
        [
            Step(
                f"aws sagemaker describe-endpoint {where}", "its configuration and variants, for the record"
            ),
            Step(
                f"aws sagemaker delete-endpoint {where}",
                "stops serving and billing the instances; the endpoint configuration, the model, the logs and the "
                "captured data stay",
            ),
        ],
        rollback=(
            f"aws sagemaker create-endpoint {where} --endpoint-config-name {q(config)}, or `pulumi refresh` then "
            "`pulumi up`"
            if config
            else "`pulumi refresh` then `pulumi up` recreates it"
        ),
    )


def _notebook(name: str, region: str) -> Item:
    where = f"--notebook-instance-name {q(name)} --region {region}"
    return Item(
        name,
        "SageMaker notebook instance",
        [
            Step(
                f"aws sagemaker describe-notebook-instance {where}",
                "its role, network, volume and URL, for the record",
            ),
            Step(
                f"aws sagemaker stop-notebook-instance {where}",
                "kernels and terminals stop and presigned URLs stop working; the ML storage volume is kept",
            ),
        ],
        rollback=f"aws sagemaker start-notebook-instance {where}",
    )


def disable(value: str, ctx: Context) -> Item | None:
    """The commands that stop an AWS endpoint from serving (API stage, SageMaker endpoint, cluster endpoint...)."""
    match = API_URL.match(value)
    if match:
        api, region, stage = match.groups()
        http = any(
            r.str("invokeUrl").startswith(f"https://{api}.execute-api.")
            for r in ctx.stack.of_type(HTTP_STAGE)
        )
        return _http_stage(api, region, stage) if http else _rest_stage(api, region, stage, ctx)
    endpoint = ctx.stack.find(value, SAGEMAKER_ENDPOINT)
    if endpoint is not None:
        return _sagemaker_endpoint(endpoint, ctx)
    notebook = ctx.stack.find(value, NOTEBOOK)
    if notebook is not None:
        return _notebook(notebook.str("name") or notebook.name, ctx.region_of(notebook.str("arn")))
    cluster = ctx.stack.find(value, EKS_CLUSTER)
    if cluster is not None:
        name = cluster.str("name") or cluster.name
        where = f"--name {q(name)} --region {ctx.region_of(cluster.str('arn'))}"
        return Item(
            value,
            "EKS cluster API endpoint",
            [
                Step(
                    f"aws eks update-cluster-config {where} "
                    "--resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true",
                    "the Kubernetes API is reachable from the VPC only (takes a few minutes)",
                )
            ],
            rollback="`pulumi up` restores the stack's endpoint access.",
        )
    if VPC_ENDPOINT.match(value):
        aoss = ctx.stack.find(value, AOSS_ENDPOINT)
        region = ctx.aws_region
        if aoss is not None:
            return Item(
                value,
                "OpenSearch Serverless VPC endpoint",
                [
                    Step(
                        f"aws opensearchserverless delete-vpc-endpoint --id {value} --region {region}",
                        "the collection is no longer reachable from the VPC (its network policy names this endpoint)",
                    )
                ],
                rollback="`pulumi refresh` then `pulumi up` recreates it.",
            )
    parsed = arn(value)
    if parsed is None:
        return None
    region = parsed.region or ctx.aws_region
    if parsed.service == "sagemaker" and parsed.resource.startswith("notebook-instance/"):
        return _notebook(parsed.resource_name, region)
    if parsed.service == "rds" and parsed.resource.startswith("cluster:"):
        ident = parsed.resource_name
        where = f"--db-cluster-identifier {q(ident)} --region {region}"
        return Item(
            value,
            "Aurora cluster",
            [
                Step(
                    f"aws rds create-db-cluster-snapshot {where} --db-cluster-snapshot-identifier "
                    f'"{ident}-incident-$(date -u +%Y%m%d%H%M)"',
                    "a snapshot of the data as it is now (evidence), before anything changes",
                ),
                Step(
                    f"aws rds stop-db-cluster {where}", "no more connections (AWS restarts it after 7 days)"
                ),
            ],
            rollback=f"aws rds start-db-cluster {where}",
        )
    return None


def bucket(value: str, ctx: Context) -> tuple[Item, Item] | None:
    """(inspect, disable public access) of an S3 bucket, or None when it is not one of the stack's / AWS's."""
    resource = ctx.stack.find(value, *S3_BUCKETS)
    if resource is None and ctx.cloud != "aws":
        return None
    b = q(value)
    inspect = Item(
        value,
        "S3 bucket",
        [
            Step(
                f"aws s3api get-bucket-policy-status --bucket {b}",
                "IsPublic: whether the policy opens it to anyone",
            ),
            Step(
                f"aws s3api get-public-access-block --bucket {b}", "the bucket's public access block settings"
            ),
            Step(
                f"aws s3api get-bucket-policy --bucket {b} --query Policy --output text",
                "who the policy allows",
            ),
            Step(f"aws s3api get-bucket-acl --bucket {b}", "ACL grants (none expected: ownership enforced)"),
            Step(
                f"aws s3api list-object-versions --bucket {b} --max-items 200",
                "recent object versions and delete markers: what was written, overwritten or deleted",
            ),
        ],
    )
    block = next((r for r in ctx.stack.of_type(PUBLIC_ACCESS_BLOCK) if r.str("bucket") == value), None)
    declared = (
        "all four settings on"
        if block is not None
        and all(
            block.get(k) is True
            for k in ("blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets")
        )
        else "the stack's settings (a justified public exception, if it declares one)"
    )
    disable_public = Item(
        value,
        "S3 bucket public access",
        [
            Step(
                f"aws s3api put-public-access-block --bucket {b} --public-access-block-configuration {PUBLIC_BLOCK_ALL}",
                "no public policy or ACL applies any more, whatever the policy says (takes effect at once)",
            )
        ],
        rollback=f"`pulumi up` re-applies {declared}."
        if resource is not None
        else "The bucket is not in this stack: restore what `get-public-access-block` showed before.",
    )
    return inspect, disable_public


def own_resources(ctx: Context) -> list[Item]:
    """Disable steps for the asset's own resources no recorded identifier names (node groups, notebooks, a key
    recorded as an asset of its own)."""
    items = []
    for r in ctx.own:
        if r.type == EKS_NODE_GROUP:
            scaling = r.get("scalingConfig") or {}
            maximum = _number(scaling.get("maxSize")) or "1"
            minimum = _number(scaling.get("minSize")) or "0"
            desired = _number(scaling.get("desiredSize")) or minimum
            where = (
                f"--cluster-name {q(r.str('clusterName'))} --nodegroup-name {q(r.str('nodeGroupName') or r.name)} "
                f"--region {ctx.region_of(r.str('arn'))}"
            )
            items.append(
                Item(
                    r.str("nodeGroupName") or r.name,
                    "EKS node group",
                    [
                        Step(
                            f"aws eks update-nodegroup-config {where} --scaling-config "
                            f"minSize=0,maxSize={maximum},desiredSize=0",
                            "drains and terminates the GPU nodes (their pods stop); the node group stays",
                        )
                    ],
                    rollback=f"aws eks update-nodegroup-config {where} --scaling-config "
                    f"minSize={minimum},maxSize={maximum},desiredSize={desired} (the stack's values)",
                )
            )
        elif r.type == SAGEMAKER_ENDPOINT:
            items.append(_sagemaker_endpoint(r, ctx))
        elif r.type == KMS_KEY and r.str("arn"):
            found = revoke(r.str("arn"), ctx)
            if found is not None:
                found.what = "KMS key (makes the data under it unreadable)"
                items.append(found)
        elif r.type == NOTEBOOK:
            items.append(_notebook(r.str("name") or r.name, ctx.region_of(r.str("arn"))))
    return items


def own_policies(ctx: Context, recorded: set[str]) -> list[Item]:
    """Detach the asset's own managed policies (a secret's read policy, an API's invoke policy) from their roles."""
    return [
        _policy(r.str("arn"), ctx)
        for r in ctx.own
        if r.type == "aws:iam/policy:Policy" and r.str("arn") and r.str("arn") not in recorded
    ]
