"""Where a component is deployed: account, partition and region, read once through its own provider."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._common.json_document import Join
from components._common.per_program import once_per_program


@dataclass(frozen=True)
class Account:
    id: pulumi.Output[str]
    partition: pulumi.Output[str]
    region: pulumi.Output[str]
    dns_suffix: pulumi.Output[str]

    @property
    def root(self) -> Join:
        """The account principal (``arn:aws:iam::<id>:root``), for a policy document: delegation to the
        account's IAM policies."""
        return Join("arn:", self.partition, ":iam::", self.id, ":root")

    def service_endpoint(self, service: str) -> Join:
        """The regional endpoint name ``kms:ViaService`` compares against (``s3.us-east-1.amazonaws.com``), for a
        policy document."""
        return Join(service, ".", self.region, ".", self.dns_suffix)


def current_account(parent: pulumi.Resource) -> Account:
    """Account, partition and region of ``parent``'s provider, looked up once per provider per program."""
    provider = parent.get_provider("aws::getCallerIdentity")

    def lookup() -> Account:
        opts = pulumi.InvokeOutputOptions(parent=parent)
        partition = aws.get_partition_output(opts=opts)
        return Account(
            id=aws.get_caller_identity_output(opts=opts).account_id,
            partition=partition.partition,
            region=aws.get_region_output(opts=opts).region,
            dns_suffix=partition.dns_suffix,
        )

    return once_per_program(("aws:account", provider), lookup)  # provider None: the default provider
