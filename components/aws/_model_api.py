"""The REST API in front of a ``ModelEndpoint``: its settings and its children (see ``model_endpoint``).

A PRIVATE API Gateway REST API associated with the execute-api interface VPC endpoints; a resource policy that
allows ``execute-api:Invoke`` only through them (only by the ``invoke`` principals when named) and denies every
other path; one POST method with ``AWS_IAM`` authorization and an AWS integration to the SageMaker runtime
``InvokeEndpoint`` with a credentials role limited to this endpoint; a stage with access logs (request id, caller
identity, VPC endpoint) to a KMS-encrypted log group; stage-wide method settings (throttling, execution logs at
ERROR/INFO into a pre-created KMS-encrypted log group, data trace off); a usage plan; the IAM policy callers need;
optionally the region's API Gateway CloudWatch role and a REGIONAL WAF web ACL.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_aws as aws
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from components._common import Grant, Ownership
from components._common.access import principals
from components._common.exposure import PublicAccess
from components._common.json_document import Join, joined
from components._common.ownership import Slug
from components.aws._documents import Statement, document
from components.aws._identifiers import VpcEndpointId, role_name
from components.aws._tags import aws_tags
from components.aws._where import Where

APIGATEWAY = "apigateway.amazonaws.com"
INVOKE = "execute-api:Invoke"
#: The AWS managed policy API Gateway's account-level CloudWatch role takes (API Gateway Developer Guide, "Set up
#: CloudWatch logging for REST APIs").
PUSH_TO_CLOUDWATCH = "arn:{partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
#: Access log fields: the request id and the caller identity LOG-2 wants, the VPC endpoint it came through, the
#: outcome. No request or response body: prompts and predictions are never logged.
ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId",'
    '"requestTime":"$context.requestTime","caller":"$context.identity.caller",'
    '"userArn":"$context.identity.userArn","accountId":"$context.identity.accountId",'
    '"sourceIp":"$context.identity.sourceIp","vpceId":"$context.identity.vpceId",'
    '"httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status",'
    '"responseLength":"$context.responseLength","integrationStatus":"$context.integration.status",'
    '"integrationLatency":"$context.integration.latency","wafStatus":"$context.waf.status"}'
)
#: Method responses and the integration responses that select them: SageMaker's status codes (2xx, 4xx incl. the
#: model's 424, 5xx) matched by regex against the backend status (non-Lambda AWS integrations).
RESPONSES: tuple[tuple[str, str | None], ...] = (("200", None), ("400", r"4\d{2}"), ("500", r"5\d{2}"))
#: Headers kept out of WAF logs (a SigV4 signature and a session token identify a credential).
REDACTED_HEADERS = ("authorization", "x-amz-security-token")


class UsageQuota(BaseModel):
    """A request quota of the usage plan (requests that carry one of the plan's API keys)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    limit: int = Field(ge=1, le=2_000_000_000, description="Requests per period.")
    period: Literal["DAY", "WEEK", "MONTH"] = Field(default="MONTH", description="Quota period.")


class ApiSettings(BaseModel):
    """The REST API in front of the endpoint: private by default, IAM-authorized, throttled, logged."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    endpoint_type: Literal["PRIVATE", "REGIONAL", "EDGE"] = Field(
        default="PRIVATE",
        description="API Gateway endpoint type: PRIVATE (default: reachable only through execute-api interface VPC "
        "endpoints); REGIONAL / EDGE are public and need `public_access` (provider default: EDGE, public).",
    )
    vpc_endpoint_ids: dict[Slug, VpcEndpointId] = Field(
        default_factory=dict,
        description="The execute-api interface VPC endpoints callers come through, by name (PRIVATE only, at least "
        "one; e.g. a `PrivateNetwork`'s `endpoints['execute-api'].id`): the API is associated with them and its "
        "resource policy denies every request from elsewhere.",
    )
    public_access: PublicAccess | None = Field(
        default=None,
        description="The justified opt-in to a public (REGIONAL/EDGE) endpoint type; `cidrs` limit the callers' "
        "source addresses in the resource policy. Refused for restricted data in production.",
    )
    stage_name: str = Field(
        default="v1",
        pattern=r"^[A-Za-z0-9_]{1,128}$",
        description="Stage name (the invoke URL's first segment).",
    )
    path: str = Field(
        default="invocations",
        pattern=r"^[A-Za-z0-9._-]{1,64}$",
        description="Resource path of the POST method that invokes the endpoint.",
    )
    rate_limit: float = Field(
        default=50,
        gt=0,
        le=10_000,
        description="Stage-wide steady-state requests per second (MethodSettings `*/*` and the usage plan); the "
        "pack's EP-3 ceiling is 100 by default (provider default: the account's 10,000).",
    )
    burst_limit: int = Field(
        default=100,
        ge=1,
        le=5_000,
        description="Stage-wide burst (the pack's EP-3 ceiling is 200 by default; provider default: 5,000).",
    )
    logging_level: Literal["ERROR", "INFO"] = Field(
        default="ERROR",
        description="Execution logging level; data trace (full request and response bodies) is always off so "
        "prompts and predictions are never logged (provider default: execution logging off).",
    )
    quota: UsageQuota | None = Field(
        default=None, description="Request quota of the usage plan (provider default: none)."
    )

    @field_validator("public_access")
    @classmethod
    def _cidrs(cls, value: PublicAccess | None) -> PublicAccess | None:
        for cidr in value.cidrs if value is not None else ():
            try:
                net = ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise ValueError(f"cidrs: {cidr!r} is not a CIDR block") from None
            if net.prefixlen == 0:
                raise ValueError(
                    f"cidrs: {cidr!r} is the whole internet; name the callers' ranges, or leave cidrs empty"
                )
        return value

    @model_validator(mode="after")
    def _exposure(self) -> ApiSettings:
        if self.endpoint_type == "PRIVATE":
            if self.public_access is not None:
                raise ValueError(
                    "api.public_access: a PRIVATE API is not public, so the opt-in does nothing; remove it"
                )
            if not self.vpc_endpoint_ids:
                raise ValueError(
                    "api.vpc_endpoint_ids: a PRIVATE API is reachable only through execute-api interface VPC "
                    "endpoints; name at least one (e.g. a PrivateNetwork's endpoints['execute-api'].id)"
                )
            return self
        if self.public_access is None:
            raise ValueError(
                f"api.endpoint_type={self.endpoint_type!r} is public (reachable from the internet); keep PRIVATE "
                "with api.vpc_endpoint_ids, or opt in by name with api.public_access=PublicAccess(justification=...)"
            )
        if self.vpc_endpoint_ids:
            raise ValueError(
                f"api.vpc_endpoint_ids: API Gateway associates VPC endpoints with PRIVATE APIs only, not "
                f"{self.endpoint_type}; remove them"
            )
        return self


class Waf(BaseModel):
    """An AWS WAF web ACL on the stage: a blocking rate-based rule per client IP, logged to CloudWatch Logs."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    rate_limit: int = Field(
        default=3000,
        ge=10,
        le=2_000_000_000,
        description="Requests per client IP per evaluation window before WAF blocks (WAF takes >= 10). Through a "
        "VPC endpoint the IP WAF sees may be the endpoint's: then the rule limits all callers together.",
    )
    window_seconds: Literal[60, 120, 300, 600] = Field(
        default=300, description="Evaluation window of the rate-based rule (WAF default: 300)."
    )


@dataclass(frozen=True)
class ApiPlan:
    """What the API is built from: the component's settings and the resources it fronts."""

    name: str
    endpoint_name: str
    parent: pulumi.Resource
    place: Where
    ownership: Ownership
    settings: ApiSettings
    waf: Waf | None
    create_logging_role: bool
    access: Mapping[str, Grant[Any, Any]]
    endpoint: aws.sagemaker.Endpoint
    key_arn: pulumi.Output[str]
    key: pulumi.Resource | None
    access_log_group: str
    waf_log_group: str
    log_retention_days: int
    protected: bool


def resource_policy(plan: ApiPlan, execution_arn: pulumi.Output[str]) -> pulumi.Output[str]:
    """``execute-api:Invoke`` through the VPC endpoints (or the allowed source ranges of a public opt-in) only, by
    the ``invoke`` principals only when named (else by the account's principals that IAM allows)."""
    settings = plan.settings
    resources = Join(execution_arn, "/*")
    named = principals(plan.access, "invoke")
    invokers: list[Any] = named or [plan.place.root]
    allow: Statement = {
        "Effect": "Allow",
        "Principal": {"AWS": invokers},
        "Action": INVOKE,
        "Resource": resources,
    }
    statements: list[Statement]
    if settings.endpoint_type == "PRIVATE":
        endpoints = list(settings.vpc_endpoint_ids.values())
        statements = [
            {
                "Sid": "InvokeThroughTheVpcEndpoints",
                **allow,
                "Condition": {"StringEquals": {"aws:SourceVpce": endpoints}},
            },
            {
                "Sid": "DenyOtherNetworkPaths",
                "Effect": "Deny",
                "Principal": "*",
                "Action": INVOKE,
                "Resource": resources,
                "Condition": {"StringNotEquals": {"aws:SourceVpce": endpoints}},
            },
        ]
    else:
        assert settings.public_access is not None  # checked by ApiSettings
        cidrs = list(settings.public_access.cidrs)
        if cidrs:
            statements = [
                {
                    "Sid": "InvokeFromTheAllowedRanges",
                    **allow,
                    "Condition": {"IpAddress": {"aws:SourceIp": cidrs}},
                },
                {
                    "Sid": "DenyOtherSourceRanges",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": INVOKE,
                    "Resource": resources,
                    "Condition": {"NotIpAddress": {"aws:SourceIp": cidrs}},
                },
            ]
        else:
            statements = [{"Sid": "InvokeFromTheInternet", **allow}]
    if named:
        statements.append(
            {
                "Sid": "DenyOtherPrincipals",
                "Effect": "Deny",
                "Principal": "*",
                "Action": INVOKE,
                "Resource": resources,
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": named}},
            }
        )
    return document(statements)


class ModelApi:
    """The API's children, registered under the component (``plan.parent``); see the module docstring."""

    api: aws.apigateway.RestApi
    policy: aws.apigateway.RestApiPolicy
    resource: aws.apigateway.Resource
    method: aws.apigateway.Method
    integration_role: aws.iam.Role
    integration_policy: aws.iam.RolePolicy
    integration: aws.apigateway.Integration
    integration_uri: pulumi.Output[str]
    method_responses: dict[str, aws.apigateway.MethodResponse]
    integration_responses: dict[str, aws.apigateway.IntegrationResponse]
    deployment: aws.apigateway.Deployment
    access_logs: aws.cloudwatch.LogGroup
    execution_logs: aws.cloudwatch.LogGroup
    stage: aws.apigateway.Stage
    method_settings: aws.apigateway.MethodSettings
    usage_plan: aws.apigateway.UsagePlan
    invoke_policy: aws.iam.Policy
    invoke_attachments: dict[str, aws.iam.RolePolicyAttachment]
    logging_role: aws.iam.Role | None
    logging_attachment: aws.iam.RolePolicyAttachment | None
    account: aws.apigateway.Account | None
    web_acl: aws.wafv2.WebAcl | None
    waf_association: aws.wafv2.WebAclAssociation | None
    waf_logs: aws.cloudwatch.LogGroup | None
    waf_logging: aws.wafv2.WebAclLoggingConfiguration | None
    invoke_url: pulumi.Output[str]
    method_arn: pulumi.Output[str]

    def __init__(self, plan: ApiPlan) -> None:
        name, settings = plan.name, plan.settings
        child = pulumi.ResourceOptions(parent=plan.parent)
        public = settings.public_access
        tags = aws_tags(plan.ownership)
        self._account(plan)

        private = settings.endpoint_type == "PRIVATE"
        self.api = aws.apigateway.RestApi(
            f"{name}-api",
            description=f"aiwarden {name}: SageMaker endpoint {plan.endpoint_name}",
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
                types=settings.endpoint_type,
                vpc_endpoint_ids=list(settings.vpc_endpoint_ids.values()) if private else None,
                # Private APIs take dualstack only (API Gateway, EndpointConfiguration.ipAddressType).
                ip_address_type="dualstack" if private else None,
            ),
            tags=aws_tags(plan.ownership, public.justification if public else None),
            opts=child,
        )
        policy_document = resource_policy(plan, self.api.execution_arn)
        # A separate policy with the API's full execution ARN: the `execute-api:/*` shorthand of an inline policy is
        # echoed back expanded, a diff on every update (hashicorp/terraform-provider-aws#15602).
        self.policy = aws.apigateway.RestApiPolicy(
            f"{name}-api-policy", rest_api_id=self.api.id, policy=policy_document, opts=child
        )
        self.resource = aws.apigateway.Resource(
            f"{name}-resource",
            rest_api=self.api.id,
            parent_id=self.api.root_resource_id,
            path_part=settings.path,
            opts=child,
        )
        self.method = aws.apigateway.Method(
            f"{name}-method",
            rest_api=self.api.id,
            resource_id=self.resource.id,
            http_method="POST",
            authorization="AWS_IAM",
            api_key_required=False,
            opts=child,
        )
        self._integration(plan)
        self.method_responses, self.integration_responses = {}, {}
        for status, pattern in RESPONSES:
            self.method_responses[status] = aws.apigateway.MethodResponse(
                f"{name}-response-{status}",
                rest_api=self.api.id,
                resource_id=self.resource.id,
                http_method=self.method.http_method,
                status_code=status,
                opts=child,
            )
            self.integration_responses[status] = aws.apigateway.IntegrationResponse(
                f"{name}-integration-response-{status}",
                rest_api=self.api.id,
                resource_id=self.resource.id,
                http_method=self.method.http_method,
                status_code=status,
                selection_pattern=pattern,
                opts=pulumi.ResourceOptions(
                    parent=plan.parent, depends_on=[self.integration, self.method_responses[status]]
                ),
            )
        # A deployment snapshots the API: redeploy when the policy (applied at deployment), the target or the
        # method changes.
        self.deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            rest_api=self.api.id,
            description=f"aiwarden {name}",
            triggers={
                "policy": policy_document,
                "integration": self.integration_uri,
                "credentials": self.integration_role.arn,
                "method": f"POST /{settings.path} AWS_IAM",
            },
            opts=pulumi.ResourceOptions(
                parent=plan.parent,
                depends_on=[
                    self.policy,
                    self.method,
                    self.integration,
                    *self.method_responses.values(),
                    *self.integration_responses.values(),
                ],
            ),
        )
        after_key = [plan.key] if plan.key is not None else []
        self.access_logs = aws.cloudwatch.LogGroup(
            f"{name}-access-logs",
            name=plan.access_log_group,
            kms_key_id=plan.key_arn,
            retention_in_days=plan.log_retention_days,
            deletion_protection_enabled=plan.protected,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=plan.parent, depends_on=after_key),
        )
        # API Gateway writes execution logs to this group, creating it (unencrypted, never expiring) if absent.
        self.execution_logs = aws.cloudwatch.LogGroup(
            f"{name}-execution-logs",
            name=joined("API-Gateway-Execution-Logs_", self.api.id, "/", settings.stage_name),
            kms_key_id=plan.key_arn,
            retention_in_days=plan.log_retention_days,
            deletion_protection_enabled=plan.protected,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=plan.parent, depends_on=after_key),
        )
        logging_ready = [self.account] if self.account is not None else []
        self.stage = aws.apigateway.Stage(
            f"{name}-stage",
            rest_api=self.api.id,
            deployment=self.deployment.id,
            stage_name=settings.stage_name,
            description=f"aiwarden {name}",
            access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                destination_arn=self.access_logs.arn, format=ACCESS_LOG_FORMAT
            ),
            cache_cluster_enabled=False,
            xray_tracing_enabled=False,
            tags=tags,
            # API Gateway refuses access logging until the account names a CloudWatch role.
            opts=pulumi.ResourceOptions(parent=plan.parent, depends_on=logging_ready),
        )
        self.method_settings = aws.apigateway.MethodSettings(
            f"{name}-method-settings",
            rest_api=self.api.id,
            stage_name=self.stage.stage_name,
            method_path="*/*",
            settings=aws.apigateway.MethodSettingsSettingsArgs(
                throttling_rate_limit=settings.rate_limit,
                throttling_burst_limit=settings.burst_limit,
                logging_level=settings.logging_level,
                data_trace_enabled=False,
                metrics_enabled=True,
                caching_enabled=False,
            ),
            opts=pulumi.ResourceOptions(parent=plan.parent, depends_on=[self.execution_logs, *logging_ready]),
        )
        quota = settings.quota
        self.usage_plan = aws.apigateway.UsagePlan(
            f"{name}-usage-plan",
            description=f"aiwarden {name}: throttle of the {settings.stage_name} stage",
            api_stages=[
                aws.apigateway.UsagePlanApiStageArgs(api_id=self.api.id, stage=self.stage.stage_name)
            ],
            throttle_settings=aws.apigateway.UsagePlanThrottleSettingsArgs(
                rate_limit=settings.rate_limit, burst_limit=settings.burst_limit
            ),
            quota_settings=aws.apigateway.UsagePlanQuotaSettingsArgs(limit=quota.limit, period=quota.period)
            if quota is not None
            else None,
            tags=tags,
            opts=child,
        )
        self.method_arn = joined(self.api.execution_arn, f"/{settings.stage_name}/POST/{settings.path}")
        self.invoke_url = joined(self.stage.invoke_url, f"/{settings.path}")
        self.invoke_policy = aws.iam.Policy(
            f"{name}-invoke-policy",
            description=f"Invoke the {name} model endpoint through its API (aiwarden ModelEndpoint)",
            policy=document(
                [
                    {
                        "Sid": "InvokeTheModelEndpoint",
                        "Effect": "Allow",
                        "Action": INVOKE,
                        "Resource": self.method_arn,
                    }
                ]
            ),
            tags=tags,
            opts=child,
        )
        self.invoke_attachments = {
            grant: aws.iam.RolePolicyAttachment(
                f"{name}-invoke-{grant}",
                role=role_name(spec.principal),
                policy_arn=self.invoke_policy.arn,
                opts=child,
            )
            for grant, spec in plan.access.items()
            if spec.role == "invoke"
        }
        self._waf(plan)

    def _account(self, plan: ApiPlan) -> None:
        """The region's API Gateway CloudWatch role (retained: destroying it would stop every API's logs)."""
        self.logging_role, self.logging_attachment, self.account = None, None, None
        if not plan.create_logging_role:
            return
        name = plan.name
        keep = pulumi.ResourceOptions(parent=plan.parent, retain_on_delete=True)
        self.logging_role = aws.iam.Role(
            f"{name}-api-logging-role",
            description="API Gateway writes access and execution logs of this region's REST APIs (account setting)",
            assume_role_policy=document(
                [{"Effect": "Allow", "Principal": {"Service": APIGATEWAY}, "Action": "sts:AssumeRole"}]
            ),
            tags=aws_tags(plan.ownership),
            opts=keep,
        )
        self.logging_attachment = aws.iam.RolePolicyAttachment(
            f"{name}-api-logging-attachment",
            role=self.logging_role.name,
            policy_arn=PUSH_TO_CLOUDWATCH.format(partition=plan.place.partition),
            opts=keep,
        )
        self.account = aws.apigateway.Account(
            f"{name}-api-account",
            cloudwatch_role_arn=self.logging_role.arn,
            opts=pulumi.ResourceOptions(
                parent=plan.parent, retain_on_delete=True, depends_on=[self.logging_attachment]
            ),
        )

    def _integration(self, plan: ApiPlan) -> None:
        """The SageMaker runtime InvokeEndpoint integration and the role API Gateway calls it as."""
        name, place = plan.name, plan.place
        child = pulumi.ResourceOptions(parent=plan.parent)
        self.integration_role = aws.iam.Role(
            f"{name}-integration-role",
            description=f"API Gateway invokes the {name} SageMaker endpoint as this role (aiwarden ModelEndpoint)",
            assume_role_policy=document(
                [{"Effect": "Allow", "Principal": {"Service": APIGATEWAY}, "Action": "sts:AssumeRole"}]
            ),
            tags=aws_tags(plan.ownership),
            opts=child,
        )
        self.integration_policy = aws.iam.RolePolicy(
            f"{name}-integration-policy",
            role=self.integration_role.id,
            policy=document(
                [
                    {
                        "Sid": "InvokeThisEndpoint",
                        "Effect": "Allow",
                        "Action": "sagemaker:InvokeEndpoint",
                        "Resource": plan.endpoint.arn,
                    }
                ]
            ),
            opts=child,
        )
        self.integration_uri = joined(
            f"arn:{place.partition}:apigateway:{place.region}:runtime.sagemaker:path/endpoints/",
            plan.endpoint.name,
            "/invocations",
        )
        self.integration = aws.apigateway.Integration(
            f"{name}-integration",
            rest_api=self.api.id,
            resource_id=self.resource.id,
            http_method=self.method.http_method,
            type="AWS",
            integration_http_method="POST",
            uri=self.integration_uri,
            credentials=self.integration_role.arn,
            passthrough_behavior="WHEN_NO_MATCH",
            opts=pulumi.ResourceOptions(parent=plan.parent, depends_on=[self.integration_policy]),
        )

    def _waf(self, plan: ApiPlan) -> None:
        """A REGIONAL web ACL with a blocking rate-based rule on the stage, logged to a KMS-encrypted group."""
        self.web_acl, self.waf_association, self.waf_logs, self.waf_logging = None, None, None, None
        if plan.waf is None:
            return
        name, waf = plan.name, plan.waf
        child = pulumi.ResourceOptions(parent=plan.parent)
        tags = aws_tags(plan.ownership)
        # Sampled requests keep request headers for three hours in the WAF console: not for sensitive data.
        sampled = not plan.ownership.sensitive
        self.web_acl = aws.wafv2.WebAcl(
            f"{name}-waf",
            description=f"aiwarden {name}: rate limit per client",
            scope="REGIONAL",
            default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
            rules=[
                aws.wafv2.WebAclRuleArgs(
                    name="rate-per-client-ip",
                    priority=0,
                    action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs()),
                    statement=aws.wafv2.WebAclRuleStatementArgs(
                        rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                            limit=waf.rate_limit,
                            aggregate_key_type="IP",
                            evaluation_window_sec=waf.window_seconds,
                        )
                    ),
                    visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(
                        cloudwatch_metrics_enabled=True,
                        metric_name=f"{name}-rate-per-client-ip",
                        sampled_requests_enabled=sampled,
                    ),
                )
            ],
            visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
                cloudwatch_metrics_enabled=True, metric_name=f"{name}-waf", sampled_requests_enabled=sampled
            ),
            tags=tags,
            opts=child,
        )
        self.waf_association = aws.wafv2.WebAclAssociation(
            f"{name}-waf-association", resource_arn=self.stage.arn, web_acl_arn=self.web_acl.arn, opts=child
        )
        self.waf_logs = aws.cloudwatch.LogGroup(
            f"{name}-waf-logs",
            # WAF delivers only to log groups whose name starts with aws-waf-logs-.
            name=plan.waf_log_group,
            kms_key_id=plan.key_arn,
            retention_in_days=plan.log_retention_days,
            deletion_protection_enabled=plan.protected,
            tags=tags,
            opts=pulumi.ResourceOptions(
                parent=plan.parent, depends_on=[plan.key] if plan.key is not None else []
            ),
        )
        self.waf_logging = aws.wafv2.WebAclLoggingConfiguration(
            f"{name}-waf-logging",
            resource_arn=self.web_acl.arn,
            log_destination_configs=[self.waf_logs.arn],
            redacted_fields=[
                aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                    single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(
                        name=header
                    )
                )
                for header in REDACTED_HEADERS
            ],
            opts=child,
        )
