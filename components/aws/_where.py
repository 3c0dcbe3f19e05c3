"""Partition, account and region as plain strings, for documents that must be plain JSON (key policy statements
a ``Key`` checks before registration) and names built before any resource exists.

``_account.current_account`` gives the same facts as Outputs (enough for documents rendered with
``json_document``); this module reads them synchronously, once per provider per program.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._common.per_program import once_per_program


@dataclass(frozen=True)
class Where:
    partition: str
    account: str
    region: str
    dns_suffix: str

    @property
    def root(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:root"

    def arn(self, service: str, resource: str) -> str:
        """``arn:<partition>:<service>:<region>:<account>:<resource>``."""
        return f"arn:{self.partition}:{service}:{self.region}:{self.account}:{resource}"

    def log_group_arn(self, log_group_name: str) -> str:
        return self.arn("logs", f"log-group:{log_group_name}")

    def logs_principal(self) -> str:
        """The regional CloudWatch Logs service principal a key policy names (``logs.us-east-1.amazonaws.com``)."""
        return f"logs.{self.region}.{self.dns_suffix}"

    def service_name(self, service: str) -> str:
        """A VPC endpoint service name (``com.amazonaws.us-east-1.ecr.api``)."""
        return f"com.amazonaws.{self.region}.{service}"


def where(parent: pulumi.Resource) -> Where:
    """Partition, account and region of ``parent``'s provider, read once per provider per program."""
    provider = parent.get_provider("aws::getCallerIdentity")

    def lookup() -> Where:
        opts = pulumi.InvokeOptions(parent=parent)
        partition = aws.get_partition(opts=opts)
        return Where(
            partition=partition.partition,
            account=aws.get_caller_identity(opts=opts).account_id,
            region=aws.get_region(opts=opts).region,
            dns_suffix=partition.dns_suffix,
        )

    return once_per_program(("aws:where", provider), lookup)  # provider None: the default provider
