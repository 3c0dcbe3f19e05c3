"""Constraints the clouds document in prose but no machine-readable model states, encoded with their
source. They are checked and listed in the generated table exactly like the models' own constraints."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aiwarden.apimodel.spec import UNKNOWN, Rejection, Spec
from aiwarden_policies.contract import logs

_RETENTION = (
    "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html"
)
_S3_NAMES = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"
_KMS_DELETION = "https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html"
_SECRET_DELETION = "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html"
_SA_ID = "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create"
_SQL_EDITIONS = "https://cloud.google.com/sql/docs/postgres/editions-intro"

#: Property -> what the API accepts, per Pulumi type.
FIELDS: dict[str, dict[str, Spec]] = {
    "aws:cloudwatch/logGroup:LogGroup": {
        "retentionInDays": Spec(
            kind="integer",
            # The provider takes 0 for "never expire" (it deletes the retention policy instead).
            enum=("0", *map(str, logs.RETENTION_DAYS)),
            source=_RETENTION,
        ),
    },
    "aws:s3/bucket:Bucket": {
        # Lowercase letters, digits, dots and hyphens; begin and end with a letter or digit; 3-63 characters.
        "bucket": Spec(kind="string", pattern="[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", source=_S3_NAMES),
    },
    "aws:kms/key:Key": {
        "deletionWindowInDays": Spec(kind="integer", minimum=7, maximum=30, source=_KMS_DELETION),
    },
    "gcp:serviceaccount/account:Account": {
        "accountId": Spec(
            kind="string", pattern="[a-z]([-a-z0-9]*[a-z0-9])", minimum=6, maximum=30, source=_SA_ID
        ),
    },
}


def _secret_recovery(inputs: Mapping[str, Any]) -> Iterator[Rejection]:
    days = inputs.get("recoveryWindowInDays")
    if isinstance(days, int | float) and not isinstance(days, bool) and days != 0 and not 7 <= days <= 30:
        yield Rejection(
            "recoveryWindowInDays", int(days), f"0 (delete without recovery) or 7 to 30 ({_SECRET_DELETION})"
        )


_PERF_TIER = re.compile(r"db-perf-optimized-N-\d+")
#: Versions whose instances are Enterprise Plus when ``settings.edition`` is not set (pulumi_gcp
#: ``sql/_inputs.py``, ``DatabaseInstanceSettingsArgs.edition``: "default ENTERPRISE_PLUS for MySQL 8.4
#: and PostgreSQL 16 and later").
_PLUS_BY_DEFAULT = re.compile(r"(POSTGRES_(1[6-9]|[2-9]\d)|MYSQL_8_4|MYSQL_9_\d+)")


def _sql_tier_edition(inputs: Mapping[str, Any]) -> Iterator[Rejection]:
    settings = inputs.get("settings") or {}
    tier = settings.get("tier") if isinstance(settings, dict) else None
    if not isinstance(tier, str) or tier == UNKNOWN:
        return
    version = str(inputs.get("databaseVersion") or "")
    edition = settings.get("edition") or (
        "ENTERPRISE_PLUS" if _PLUS_BY_DEFAULT.fullmatch(version) else "ENTERPRISE"
    )
    implied = "" if settings.get("edition") else f" (the default edition of {version})"
    if edition == "ENTERPRISE_PLUS" and not _PERF_TIER.fullmatch(tier):
        yield Rejection(
            "settings.tier",
            tier,
            f"a db-perf-optimized-N-<vCPUs> tier for edition ENTERPRISE_PLUS{implied}, or settings.edition "
            f"= ENTERPRISE for {tier} ({_SQL_EDITIONS})",
        )
    elif edition == "ENTERPRISE" and _PERF_TIER.fullmatch(tier):
        yield Rejection(
            "settings.tier", tier, f"a shared-core or db-custom tier for edition ENTERPRISE ({_SQL_EDITIONS})"
        )


#: Cross-field rules, per Pulumi type, with the documentation they encode.
RULES: dict[str, tuple[Callable[[Mapping[str, Any]], Iterator[Rejection]], str]] = {
    "aws:secretsmanager/secret:Secret": (_secret_recovery, _SECRET_DELETION),
    "gcp:sql/databaseInstance:DatabaseInstance": (_sql_tier_edition, _SQL_EDITIONS),
}
