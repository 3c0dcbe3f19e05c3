"""Evidence: where each log is, how long it is kept, how to copy it out; the request ids to correlate on.

Retention is read from the stack wherever the stack sets it (a CloudWatch log group's ``retentionInDays``,
an S3 bucket's lifecycle expiration or Object Lock, a GCS bucket's retention policy and lifecycle, a Cloud
Logging bucket's ``retentionDays``), else it is the provider's documented default: CloudTrail event
history 90 days (management events); Cloud Audit Logs Admin Activity 400 days in ``_Required`` (fixed),
Data Access and other logs 30 days in ``_Default``; kubelet container logs rotate at 10 MiB x 5 files. What
the stack does not hold (a trail bucket of another account) is said to be set outside the stack, with the
command that shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from aiwarden.views.runbook.context import Context, arn, q
from aiwarden.views.runbook.model import Evidence, RequestId, Step
from aiwarden.views.stack import Resource, StackView
from aiwarden.views.text import strings

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
TRAIL = "aws:cloudtrail/trail:Trail"
S3_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
LIFECYCLES = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
OBJECT_LOCK = (
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
)
GCS_BUCKET = "gcp:storage/bucket:Bucket"
LOGGING_BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
AUDIT_CONFIG = "gcp:projects/iAMAuditConfig:IAMAuditConfig"
SINK = "gcp:logging/projectSink:ProjectSink"
EKS_CLUSTER = "aws:eks/cluster:Cluster"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
REST_STAGE = "aws:apigateway/stage:Stage"
WORKBENCH = "gcp:workbench/instance:Instance"

EVENT_HISTORY_DAYS = 90
ADMIN_ACTIVITY_DAYS = 400
DEFAULT_BUCKET_DAYS = 30
EVIDENCE_BUCKET = "<EVIDENCE_BUCKET>"
RECORDED = "as recorded by the component"

_GROUP_NAME = re.compile(r"^(/[\w./#-]+|API-Gateway-Execution-Logs_[\w./-]+|aws-waf-logs-[\w.-]+)$")
_GOOGLE_SERVICE = re.compile(r"\b([a-z0-9-]+\.googleapis\.com|k8s\.io)\b")
_LOG_NAME = re.compile(r"\b([a-z0-9-]+\.googleapis\.com)/([\w.-]+)")
_NAMESPACE = re.compile(r"\bnamespace ([a-z0-9-]+)")
_SELECTOR = re.compile(r"\b([\w./-]+=[\w.-]+) in ([a-z0-9-]+)")
_USER_MANAGED = re.compile(
    r"^serviceAccount:(?!service-\d+@)[^@]+@[a-z][a-z0-9-]+\.iam\.gserviceaccount\.com$"
)
_CALLER = re.compile(r"\bmade as ([^\s@]+@[\w.-]+)")
_STREAMS = re.compile(r"\bstreams ([\w./-]+?)\*?(?:\s|$)")
_ACCESS_KEY = re.compile(r'"([\w]+)"\s*:\s*"\$context\.(requestId|extendedRequestId)"')


def _days(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def _plural(days: int) -> str:
    return f"{days} day" + ("" if days == 1 else "s")


# --- retention, read from the stack --------------------------------------------------------------------------


def group_retention(r: Resource | None, name: str) -> str:
    if r is None:
        return (
            "set outside this stack (a group the service creates itself never expires unless someone set it): "
            f"aws logs describe-log-groups --log-group-name-prefix {q(name)}"
        )
    days = _days(r.get("retentionInDays"))
    if not days:
        return "never expires (no retentionInDays)"
    return f"{_plural(days)} (retentionInDays)"


def s3_retention(stack: StackView, bucket: str, prefix: str = "") -> str:
    if stack.find(bucket, *S3_BUCKETS) is None:
        return f"set outside this stack: aws s3api get-bucket-lifecycle-configuration --bucket {q(bucket)}"
    parts = []
    for lock in stack.of_type(*OBJECT_LOCK):
        if lock.str("bucket") != bucket:
            continue
        rule = (lock.get("rule") or {}).get("defaultRetention") or {}
        days = _days(rule.get("days")) or (365 * (_days(rule.get("years")) or 0))
        if days:
            parts.append(
                f"locked for {_plural(days)} (Object Lock {rule.get('mode') or ''})".replace(" )", ")")
            )
    for lifecycle in stack.of_type(*LIFECYCLES):
        if lifecycle.str("bucket") != bucket:
            continue
        for rule in lifecycle.get("rules") or []:
            if not isinstance(rule, Mapping) or rule.get("status") != "Enabled":
                continue
            scope = str(((rule.get("filter") or {}).get("prefix")) or rule.get("prefix") or "")
            expires = _days((rule.get("expiration") or {}).get("days"))
            if expires and prefix.startswith(scope):
                parts.append(
                    f"objects expire {_plural(expires)} after they are written (lifecycle rule {rule.get('id')})"
                )
    return "; ".join(parts) or "kept until deleted (no expiration rule in the stack)"


def gcs_retention(stack: StackView, bucket: str) -> str:
    r = stack.find(bucket, GCS_BUCKET)
    if r is None:
        return f"set outside this stack: gcloud storage buckets describe gs://{bucket}"
    parts = []
    policy = r.get("retentionPolicy") or {}
    seconds = _days(policy.get("retentionPeriod")) if isinstance(policy, Mapping) else None
    if seconds:
        locked = "locked" if policy.get("isLocked") else "not locked"
        parts.append(f"kept at least {_plural(seconds // 86400)} (retention policy, {locked})")
    for rule in r.get("lifecycleRules") or []:
        if not isinstance(rule, Mapping) or (rule.get("action") or {}).get("type") != "Delete":
            continue
        age = _days((rule.get("condition") or {}).get("age"))
        if age:
            parts.append(f"deleted {_plural(age)} after they are written (lifecycle)")
    return "; ".join(parts) or "kept until deleted (no retention policy or delete rule in the stack)"


def default_bucket_days(stack: StackView) -> int:
    """Retention of the project's ``_Default`` log bucket: the stack's setting, else Cloud Logging's 30 days."""
    for r in stack.of_type(LOGGING_BUCKET):
        if r.str("bucketId") == "_Default" and _days(r.get("retentionDays")):
            return _days(r.get("retentionDays")) or DEFAULT_BUCKET_DAYS
    return DEFAULT_BUCKET_DAYS


def _data_access(stack: StackView, services: list[str]) -> str:
    """Whether the stack turns on Data Access audit logs for these services."""
    for r in stack.of_type(AUDIT_CONFIG):
        service = r.str("service")
        kinds = {str(c.get("logType")) for c in r.get("auditLogConfigs") or [] if isinstance(c, Mapping)}
        if (service == "allServices" or service in services) and kinds & {"DATA_READ", "DATA_WRITE"}:
            return f"Data Access logs on ({service}: {', '.join(sorted(kinds))}, IAMAuditConfig {r.name})"
    return "Data Access logs are off unless the project turns them on (this stack does not)"


# --- one location ------------------------------------------------------------------------------------------------


def _hint(ctx: Context) -> str:
    """The name the provider's logs use for the asset (its main resource's name), for log filters."""
    for r in ctx.own:
        if r.custom:
            for key in ("secretId", "bucket", "name"):
                value = r.str(key)
                if value and "/" not in value:
                    return value
    return ctx.asset


def _cloudwatch(name: str, ctx: Context, what: str, streams: str = "") -> Evidence:
    group = ctx.stack.find(name, LOG_GROUP)
    region = ctx.region_of(group.str("arn")) if group else ctx.aws_region
    prefix = f" --log-stream-name-prefix {q(streams)}" if streams else ""
    return Evidence(
        where=f"CloudWatch Logs {name}",
        what=what or "log events",
        retention=group_retention(group, name),
        steps=[
            Step(
                f"aws logs create-export-task --log-group-name {q(name)}{prefix} --from <START_EPOCH_MS> --to <END_EPOCH_MS> "
                f"--destination {EVIDENCE_BUCKET} --destination-prefix {q('incident/' + ctx.asset)} --region {region}",
                "copies the events to the evidence bucket before they expire (one export task at a time)",
            )
        ],
    )


def _s3(location: str, ctx: Context, what: str) -> Evidence:
    bucket, _, prefix = location[len("s3://") :].partition("/")
    return Evidence(
        where=location,
        what=what or "objects",
        retention=s3_retention(ctx.stack, bucket, prefix),
        steps=[
            Step(
                f"aws s3 sync {q(location)} s3://{EVIDENCE_BUCKET}/incident/{ctx.asset}/",
                "a copy outside the workload's reach (the original may be changed by whoever got in)",
            )
        ],
    )


def _trails(ctx: Context) -> Iterator[tuple[str, str]]:
    """(where, retention) of each trail of the stack."""
    for trail in ctx.stack.of_type(TRAIL):
        bucket = trail.str("s3BucketName")
        prefix = trail.str("s3KeyPrefix")
        account = ctx.account or "<ACCOUNT_ID>"
        path = f"s3://{bucket}/{prefix + '/' if prefix else ''}AWSLogs/{account}/CloudTrail/"
        yield f"trail {trail.str('name') or trail.name}: {path}", s3_retention(ctx.stack, bucket, "AWSLogs/")
        group_arn = arn(trail.str("cloudWatchLogsGroupArn"))
        if group_arn is not None:
            name = group_arn.resource.removeprefix("log-group:").removesuffix(":*")
            group = ctx.stack.find(name, LOG_GROUP)
            yield (
                f"trail {trail.str('name') or trail.name}: CloudWatch Logs {name}",
                group_retention(group, name),
            )


def _cloudtrail(text: str, ctx: Context) -> Evidence:
    subject = next((w.strip(",;()") for w in text.split() if w.startswith("arn:")), "")
    region = ctx.region_of(subject) if subject else ctx.aws_region
    trails = list(_trails(ctx))
    where = "; ".join(w for w, _ in trails) or "CloudTrail event history (no trail in this stack)"
    retention = "; ".join(f"{w.split(':', 1)[0]}: {r}" for w, r in trails)
    retention = (retention + "; " if retention else "") + (
        f"event history: management events of the last {EVENT_HISTORY_DAYS} days"
    )
    steps = []
    if subject:
        steps.append(
            Step(
                f"aws cloudtrail lookup-events --region {region} --lookup-attributes "
                f"AttributeKey=ResourceName,AttributeValue={q(subject)} --output json > cloudtrail-{ctx.asset}.json",
                f"management events on it (event history, {EVENT_HISTORY_DAYS} days); data events only in the trail",
            )
        )
    for w, _ in trails:
        if "s3://" in w:
            path = w[w.index("s3://") :]
            steps.append(
                Step(
                    f"aws s3 sync {q(path + region + '/')} s3://{EVIDENCE_BUCKET}/incident/{ctx.asset}/cloudtrail/ "
                    "--exclude '*' --include '<YYYY>/<MM>/<DD>/*'",
                    "the trail's log files of the incident days (digest files prove they are unaltered)",
                )
            )
    return Evidence(where=where, what=text, retention=retention, steps=steps)


def _audit_logs(text: str, ctx: Context) -> Evidence:
    services = list(dict.fromkeys(_GOOGLE_SERVICE.findall(text)))
    default = default_bucket_days(ctx.stack)
    clause = ""
    if services:
        clause = " AND protoPayload.serviceName=(" + " OR ".join(f'"{s}"' for s in services) + ")"
    caller = _CALLER.search(text)
    accounts = [i.removeprefix("serviceAccount:") for i in ctx.identities if _USER_MANAGED.match(i)]
    if caller:
        subject = f'protoPayload.authenticationInfo.principalEmail="{caller[1]}"'
    elif "service account" in text and accounts:
        subject = f'protoPayload.authenticationInfo.principalEmail="{accounts[0]}"'
    else:
        subject = f'protoPayload.resourceName:"{_hint(ctx)}"'
    query = f'logName:"cloudaudit.googleapis.com"{clause} AND {subject}'
    return Evidence(
        where=f"Cloud Audit Logs of project {ctx.gcp_project}",
        what=text,
        retention=f"Admin Activity {_plural(ADMIN_ACTIVITY_DAYS)} (_Required bucket, fixed); Data Access "
        f"{_plural(default)} (_Default bucket); {_data_access(ctx.stack, services)}",
        steps=[
            Step(
                f"gcloud logging read {q(query)} --project={q(ctx.gcp_project)} --freshness={ADMIN_ACTIVITY_DAYS}d "
                f"--format=json > audit-{ctx.asset}.json",
                "the audit entries on the asset, with who, from where and the operation ids",
            )
        ],
    )


def _cloud_logging(text: str, ctx: Context) -> Evidence:
    days = default_bucket_days(ctx.stack)
    log = _LOG_NAME.search(text)
    query = f'logName:"{log[1]}%2F{log[2]}"' if log else f'"{_hint(ctx)}"'
    return Evidence(
        where=f"Cloud Logging, project {ctx.gcp_project} (_Default bucket)",
        what=text,
        retention=f"{_plural(days)} (_Default bucket"
        + (")" if days != DEFAULT_BUCKET_DAYS else ", Cloud Logging's default)"),
        steps=[
            Step(
                f"gcloud logging read {q(query)} --project={q(ctx.gcp_project)} --freshness={days}d "
                f"--format=json > logs-{ctx.asset}.json",
                f"the entries before they expire ({_plural(days)})",
            )
        ],
    )


def _gcs(location: str, ctx: Context, what: str) -> Evidence:
    bucket = location[len("gs://") :].partition("/")[0]
    return Evidence(
        where=location,
        what=what or "objects",
        retention=gcs_retention(ctx.stack, bucket),
        steps=[
            Step(
                f"gcloud storage cp -r {q(location)} gs://{EVIDENCE_BUCKET}/incident/{ctx.asset}/",
                "a copy outside the workload's reach",
            )
        ],
    )


def _bigquery(location: str, ctx: Context, what: str) -> Evidence:
    table = location[len("bq://") :]
    project, _, rest = table.partition(".")
    ref = f"{project}:{rest}"
    return Evidence(
        where=location,
        what=what or "BigQuery table",
        retention=f"the table's expiration: bq show --format=prettyjson {q(ref)} (expirationTime, timePartitioning)",
        steps=[
            Step(
                f'bq cp {q(ref)} "{ref}_incident_$(date -u +%Y%m%d)"',
                "a copy of the logged requests and responses that no expiration or overwrite touches",
            )
        ],
    )


def _kubernetes_audit(text: str, ctx: Context) -> Evidence:
    match = _NAMESPACE.search(text)
    ns = match[1] if match else _namespace(ctx)
    eks = ctx.stack.of_type(EKS_CLUSTER)
    gke = ctx.stack.of_type(GKE_CLUSTER)
    if eks:
        name = eks[0].str("name") or eks[0].name
        group = f"/aws/eks/{name}/cluster"
        found = _cloudwatch(group, ctx, "Kubernetes audit log (kube-apiserver-audit streams)")
        found.what = text
        return found
    if gke:
        query = f'logName:"cloudaudit.googleapis.com" AND protoPayload.serviceName="k8s.io" AND protoPayload.resourceName:"namespaces/{ns}"'
        return Evidence(
            where=f"Cloud Audit Logs (k8s.io) of project {ctx.gcp_project}",
            what=text,
            retention=f"Admin Activity {_plural(ADMIN_ACTIVITY_DAYS)}; Data Access {_plural(default_bucket_days(ctx.stack))}",
            steps=[
                Step(
                    f"gcloud logging read {q(query)} --project={q(ctx.gcp_project)} --freshness={ADMIN_ACTIVITY_DAYS}d "
                    f"--format=json > k8s-audit-{ns}.json",
                    "every API call on the namespace's objects, with the user and the auditID",
                )
            ],
        )
    return Evidence(
        where="the cluster's audit log backend (managed clusters: the provider's log service)",
        what=text,
        retention="not known to this stack (the cluster is outside it): ask the cluster's operators",
        steps=[
            Step(
                f"kubectl -n {ns} get events --sort-by=.lastTimestamp -o yaml > events-{ns}.yaml",
                "the namespace's events (the API server keeps them one hour by default)",
            )
        ],
    )


def _namespace(ctx: Context) -> str:
    for r in ctx.own:
        metadata = r.get("metadata")
        if isinstance(metadata, Mapping) and metadata.get("namespace"):
            return str(metadata["namespace"])
    return "<NAMESPACE>"


def _container_logs(text: str, ctx: Context) -> Evidence:
    match = _SELECTOR.search(text)
    if match:
        selector, ns = match.groups()
        command = (
            f"kubectl -n {ns} logs -l {q(selector)} --all-containers --prefix --timestamps --tail=-1 "
            f"> containers-{ctx.asset}.log"
        )
    else:
        ns = _namespace(ctx)
        command = (
            f'for p in $(kubectl -n {ns} get pods -o name); do kubectl -n {ns} logs "$p" --all-containers '
            '--prefix --timestamps > "$(basename "$p").log"; done'
        )
    return Evidence(
        where=f"the nodes running the pods (namespace {ns})",
        what=text,
        retention="until the pod is deleted or the kubelet rotates them (10 MiB x 5 files per container by "
        "default): copy them before scaling to zero",
        steps=[Step(command, "the containers' logs, before the pods go away")],
    )


def _disks(text: str, ctx: Context) -> Evidence:
    instance = next((r for r in ctx.own if r.type == WORKBENCH), None)
    steps = []
    if instance is not None:
        name = instance.str("name").rsplit("/", 1)[-1] or instance.name
        where = f"--zone={instance.str('location')} --project={q(instance.str('project') or ctx.gcp_project)}"
        steps.append(
            Step(
                f"for d in $(gcloud compute instances describe {q(name)} {where} "
                f"--format='value(disks[].source.basename())' | tr ';' ' '); do gcloud compute disks snapshot \"$d\" "
                f'{where} --snapshot-names="$d-incident-$(date -u +%Y%m%d%H%M)"; done',
                "point-in-time copies of the boot and data disks (notebooks, downloaded data, shell history)",
            )
        )
    return Evidence(
        where="the instance's disks", what=text, retention="until the instance is deleted", steps=steps
    )


def evidence(text: str, ctx: Context) -> Evidence:
    """The evidence a recorded ``logsToPreserve`` value names."""
    value = text.strip()
    if value.startswith("s3://"):
        return _s3(value, ctx, "")
    if value.startswith("gs://"):
        return _gcs(value, ctx, "")
    if value.startswith("bq://"):
        return _bigquery(value, ctx, "")
    if "CloudTrail" in value:
        return _cloudtrail(value, ctx)
    if value.startswith("Cloud Audit Logs") or "cloudaudit.googleapis.com" in value:
        return _audit_logs(value, ctx)
    if value.startswith("Cloud Logging"):
        return _cloud_logging(value, ctx)
    if "Kubernetes audit" in value:
        return _kubernetes_audit(value, ctx)
    if value.startswith("container logs"):
        return _container_logs(value, ctx)
    if "disk" in value and ("snapshot" in value or ctx.kind == "notebook"):
        return _disks(value, ctx)
    groups = [r.str("name") for r in ctx.stack.of_type(LOG_GROUP) if r.str("name") and r.str("name") in value]
    if groups:
        return _cloudwatch(max(groups, key=len), ctx, "" if value in groups else value)
    name = re.split(r" \(|, ", value.removeprefix("CloudWatch Logs "))[0].strip()
    if _GROUP_NAME.match(name):
        streams = _STREAMS.search(value)
        return _cloudwatch(name, ctx, "" if name == value else value, streams[1] if streams else "")
    if value.startswith("CloudWatch Logs") and ctx.stack.of_type(EKS_CLUSTER):
        return _kubernetes_audit(value, ctx)
    return Evidence(where=value, what="as recorded", retention="not recorded")


def structured(location: Mapping[str, Any], ctx: Context) -> Evidence:
    """The evidence of a structured ``logLocations`` entry (its retention, when given, wins)."""
    where = str(location.get("where") or "")
    service = str(location.get("service") or "other")
    contents = str(location.get("contents") or "")
    if service in ("cloudwatch-logs",):
        found = _cloudwatch(where, ctx, contents)
    elif service == "s3" and where.startswith("s3://"):
        found = _s3(where, ctx, contents)
    elif service == "gcs" and where.startswith("gs://"):
        found = _gcs(where, ctx, contents)
    elif service == "bigquery" and where.startswith("bq://"):
        found = _bigquery(where, ctx, contents)
    elif service == "cloudtrail":
        found = _cloudtrail(contents or where, ctx)
    elif service == "cloud-audit-logs":
        found = _audit_logs(contents or where, ctx)
    elif service == "cloud-logging":
        found = _cloud_logging(contents or where, ctx)
    elif service == "kubernetes-audit":
        found = _kubernetes_audit(contents or where, ctx)
    elif service == "container-logs":
        found = _container_logs(where, ctx)
    elif service == "disk":
        found = _disks(where, ctx)
    else:
        found = Evidence(where=where, what=contents or "as recorded", retention="not recorded")
    days = _days(location.get("retentionDays"))
    if location.get("retentionDays") is not None and days is not None:
        found.retention = "never expires" if days == 0 else f"{_plural(days)} (as recorded)"
    return found


def stack_evidence(stack: StackView, ctx: Context) -> list[Evidence]:
    """What the whole stack keeps: its trails, audit configuration and log sinks."""
    found = []
    for where, retention in _trails(ctx):
        found.append(
            Evidence(where=f"CloudTrail {where}", what="the stack's audit trail", retention=retention)
        )
    for r in stack.of_type(AUDIT_CONFIG):
        kinds = ", ".join(
            str(c.get("logType")) for c in r.get("auditLogConfigs") or [] if isinstance(c, Mapping)
        )
        found.append(
            Evidence(
                where=f"Cloud Audit Logs of project {r.str('project') or ctx.gcp_project} ({r.str('service')})",
                what=f"audit log types turned on: {kinds or 'none'} (IAMAuditConfig {r.name})",
                retention=f"Admin Activity {_plural(ADMIN_ACTIVITY_DAYS)} (_Required); Data Access "
                f"{_plural(default_bucket_days(stack))} (_Default)",
            )
        )
    for r in stack.of_type(SINK):
        found.append(
            Evidence(
                where=f"log sink {r.str('name') or r.name} -> {r.str('destination')}",
                what=f"entries matching {r.str('filter') or 'everything'}",
                retention="the destination's retention",
            )
        )
    return found


# --- request identifiers --------------------------------------------------------------------------------------


def _stage_ids(stage: Resource, ctx: Context) -> Iterator[RequestId]:
    settings = stage.get("accessLogSettings") or {}
    if not isinstance(settings, Mapping):
        return
    fmt = str(settings.get("format") or "")
    group = ctx.stack.find(str(settings.get("destinationArn") or ""), LOG_GROUP)
    name = group.str("name") if group else str(settings.get("destinationArn") or "the access log group")
    region = ctx.region_of(group.str("arn")) if group else ctx.aws_region
    for key, variable in _ACCESS_KEY.findall(fmt):
        header = "x-amzn-RequestId" if variable == "requestId" else "x-amz-apigw-id"
        yield RequestId(
            f"$context.{variable}",
            f"CloudWatch Logs {name}, JSON key {key}",
            f"the {header} response header a caller reports; find the call: aws logs filter-log-events "
            f"--log-group-name {q(name)} --filter-pattern '{{ $.{key} = \"<REQUEST_ID>\" }}' --region {region}",
        )


def request_ids(entry: Mapping[str, Any], ctx: Context) -> list[RequestId]:
    found = [
        RequestId(s, "as recorded by the component", "") for s in strings(entry.get("requestIdentifiers"))
    ]
    for field in entry.get("requestIdFields") or []:
        if isinstance(field, Mapping) and field.get("name"):
            found.append(
                RequestId(str(field["name"]), str(field.get("where") or ""), str(field.get("meaning") or ""))
            )
    for stage in (r for r in ctx.own if r.type == REST_STAGE):
        found += list(_stage_ids(stage, ctx))
    if ctx.cloud == "aws":
        found += [
            RequestId(
                "requestID (CloudTrail)",
                "every CloudTrail record of a call on the asset",
                "AWS's id of the API call: quote it to AWS Support; the same call in S3 and CloudWatch copies of "
                "the trail has the same eventID",
            ),
            RequestId(
                "eventID (CloudTrail)", "every CloudTrail record", "identifies the record: deduplicate on it"
            ),
        ]
    elif ctx.cloud == "gcp":
        found += [
            RequestId(
                "protoPayload.requestMetadata",
                "Cloud Audit Logs entries",
                "callerIp and callerSuppliedUserAgent: where each call came from",
            ),
            RequestId(
                "operation.id",
                "Cloud Audit Logs entries of long-running operations",
                "groups the first and last entry of one operation (deploy, undeploy, create): "
                "gcloud logging read 'operation.id=\"<OPERATION_ID>\"'",
            ),
            RequestId("insertId", "every log entry", "the entry's unique id: cite it in the incident record"),
        ]
    elif ctx.cloud == "kubernetes":
        found.append(
            RequestId(
                "auditID",
                "Kubernetes audit events (and the Audit-Id response header)",
                "identifies one API request across its audit stages",
            )
        )
    derived = {r.name for r in found if r.where != RECORDED}
    return [r for r in found if r.where != RECORDED or r.name.split(" ", 1)[0] not in derived]
