"""CloudWatch log groups the AWS components create: their retention (one of CloudWatch's values) and their
names under the stack (log group names are unique per account and region)."""

from __future__ import annotations

import re
from typing import Annotated

import pulumi
from pydantic import AfterValidator

from aiwarden_policies.contract.logs import RETENTION_DAYS


def _retention(value: int) -> int:
    if value not in RETENTION_DAYS:
        raise ValueError(f"{value} is not a CloudWatch Logs retention; use one of {list(RETENTION_DAYS)}")
    return value


#: Days a log group keeps events: one of CloudWatch's retention values.
RetentionDays = Annotated[int, AfterValidator(_retention)]


def stack_log_group(name: str, role: str) -> str:
    """``/aiwarden/<project>/<stack>/<name>/<role>``, characters a log group name cannot hold replaced by ``-``,
    512 characters at most."""
    raw = f"/aiwarden/{pulumi.get_project()}/{pulumi.get_stack()}/{name}/{role}"
    return re.sub(r"[^A-Za-z0-9_./#-]", "-", raw)[:512]
