"""SEC-2: every Secrets Manager secret has rotation configured, or says why it cannot.

A stack policy: a secret is rotated when an ``aws:secretsmanager/secretRotation:SecretRotation``
whose ``rotationEnabled`` is not false targets it — its ``secretId`` depends on the secret resource
(known even at preview), else its ``secretId`` value equals the secret's ``name`` or ``arn``. No
rotation resource means no rotation (AWS default: rotation off).

"When the secret kind supports it": a secret that cannot be rotated (a third-party model-provider or
tool key with no rotation API) carries the tag ``rotation = not-supported``; the tag is the
documented, reviewable opt-out and appears in the inventory like any other tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aiwarden_policies.contract import vocabulary as v
from aiwarden_policies.framework import Readings, Spec, Stack, stack_policy
from aiwarden_policies.lib.relations import target

SECRET = "aws:secretsmanager/secret:Secret"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"

SPEC = Spec(
    control="SEC-2",
    name="sec-2-secretsmanager-secret-rotation",
    description=(
        "Each AWS Secrets Manager secret has an enabled SecretRotation, unless it is tagged rotation=not-supported "
        "because its kind cannot be rotated."
    ),
    remediation_steps=(
        "Add `aws.secretsmanager.SecretRotation(secret_id=secret.id, rotation_lambda_arn=..., "
        "rotation_rules={'automatically_after_days': 30})` (AWS provides rotation functions for RDS, Redshift, "
        "DocumentDB and generic templates). For a key that cannot be rotated by a function (e.g. a model-provider "
        "API key), tag the secret `rotation: not-supported` and rotate it by a documented manual procedure."
    ),
    resource_types=(SECRET, ROTATION),
    security_hub=("SecretsManager.1",),
)


@stack_policy(SPEC)
def sec_2_secretsmanager_secret_rotation(stack: Stack) -> Iterable[tuple[str, str | None]]:
    secrets = stack.of_type(SECRET)

    def rotates(rotation: Any) -> str | None:
        """The URN of the stack secret a rotation rotates, or None."""
        if rotation.props.get("rotationEnabled") is False:
            return None
        # The name first: the ARN is unknown until the secret exists.
        secret = target(rotation, "secretId", secrets, ("name", "arn"))
        return secret.urn if secret is not None else None

    rotations = Readings(stack.of_type(ROTATION), rotates)
    rotated = set(rotations.values())

    def decide(secret: Any) -> Iterator[str]:
        if secret.urn in rotated:
            return
        if str(stack.resource(secret).labels().get(v.ROTATION_TAG) or "").lower() == v.ROTATION_NOT_SUPPORTED:
            return
        rotations.require()  # a rotation unknown at preview may target it
        yield (
            f"{SECRET} {secret.name!r} has no rotation: no {ROTATION} with rotation enabled targets it "
            f"(AWS default: rotation off). Configure a SecretRotation, or tag the secret "
            f"{v.ROTATION_TAG}={v.ROTATION_NOT_SUPPORTED} when its kind cannot be rotated."
        )

    yield from stack.each(secrets, decide)
