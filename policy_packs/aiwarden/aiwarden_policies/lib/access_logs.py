"""API Gateway access logs (LOG-2): what a stage's access log setting must hold (REST and HTTP/WebSocket).

Both stage types take ``accessLogSettings.destinationArn`` and ``accessLogSettings.format``; the
format must record the request id and who called (source IP, IAM caller/user or authorizer principal).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from aiwarden_policies.framework import Resource

REQUEST_ID = re.compile(r"\$context\.(requestId|extendedRequestId)\b")
IDENTITY = re.compile(
    r"\$context\.(identity\.(sourceIp|caller|user|userArn|cognitoIdentityId)|authorizer\.(principalId|claims\.\w+))\b"
)


def access_log_problems(r: Resource, kind: str) -> Iterator[str]:
    if not r.get("accessLogSettings"):  # AWS default: no access logging
        yield (
            f"{kind} {r.name!r}: accessLogSettings is not set (AWS default: no access logs); endpoint access "
            "must be logged with the request id and the caller identity."
        )
        return
    if not r.get("accessLogSettings.destinationArn"):
        yield f"{kind} {r.name!r}: accessLogSettings.destinationArn is not set."
    fmt = str(r.get("accessLogSettings.format") or "")
    if not REQUEST_ID.search(fmt):
        yield f"{kind} {r.name!r}: accessLogSettings.format does not record $context.requestId."
    if not IDENTITY.search(fmt):
        yield (
            f"{kind} {r.name!r}: accessLogSettings.format records no caller identity ($context.identity.sourceIp, "
            "$context.identity.caller or $context.authorizer.principalId)."
        )
