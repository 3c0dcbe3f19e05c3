"""Kubernetes identifiers to kubectl commands: a Secret, a ServiceAccount, a Service, an external secret key.

Run them against the cluster's context (``kubectl config use-context``); the stack's Kubernetes provider
says which cluster that is.
"""

from __future__ import annotations

import re

from aiwarden.views.runbook.context import Context, q
from aiwarden.views.runbook.model import Item, Step

SECRET = re.compile(r"^(?:Kubernetes )?Secret ([a-z0-9-]+)/([a-z0-9.-]+)")
SERVICE_ACCOUNT = re.compile(r"^system:serviceaccount:([a-z0-9-]+):([a-z0-9.-]+)$")
SERVICE = re.compile(r"^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?::(\d+))?$")
STORE = re.compile(r"^(ClusterSecretStore|SecretStore)/([a-z0-9.-]+)$")
DEPLOYMENT = "kubernetes:apps/v1:Deployment"


def revoke(value: str, ctx: Context) -> Item | None:
    match = SECRET.match(value)
    if match:
        ns, name = match.groups()
        return Item(
            value,
            "Kubernetes Secret",
            [
                Step(
                    f"kubectl -n {ns} delete secret {q(name)}",
                    "pods that mount it keep the value in memory until restarted: restart them after rotating",
                ),
                Step(
                    f"kubectl -n {ns} rollout restart deployment",
                    "restarts the namespace's Deployments: their pods read the rotated value (or fail without it)",
                ),
            ],
            "An ExternalSecret recreates the Secret from the cloud secret manager: rotate the value there first.",
            rollback="The ExternalSecret (or `pulumi up`) recreates the Secret.",
        )
    match = SERVICE_ACCOUNT.match(value)
    if match:
        ns, name = match.groups()
        return Item(
            value,
            "Kubernetes ServiceAccount",
            [
                Step(
                    f"kubectl auth can-i --list --as={q(value)} -n {ns}",
                    "what its tokens may do in the namespace, to scope the damage",
                ),
                Step(
                    f"kubectl -n {ns} delete serviceaccount {q(name)}",
                    "every token issued for it stops working (bound tokens name the account's uid); its pods lose "
                    "their API and workload identity access",
                ),
            ],
            rollback="`pulumi up` recreates the ServiceAccount (a new uid: old tokens stay invalid).",
        )
    return None


def external_key(value: str, stores: list[str], ctx: Context) -> Item | None:
    """A key an ExternalSecret reads from a cloud secret manager through a store (``identities``)."""
    found = [STORE.match(s) for s in stores]
    store = next((m for m in found if m), None)
    if store is None or " " in value:
        return None
    kind, name = store.groups()
    target = next((r for r in ctx.own if r.type.endswith(":ExternalSecret") and r.custom), None)
    metadata = target.get("metadata") if target is not None else None
    ns = str(metadata.get("namespace") or "<NAMESPACE>") if isinstance(metadata, dict) else "<NAMESPACE>"
    external = str(metadata.get("name") or "<NAME>") if isinstance(metadata, dict) else "<NAME>"
    scope = "" if kind == "ClusterSecretStore" else f" -n {ns}"
    return Item(
        value,
        f"secret manager key read through {kind}/{name}",
        [
            Step(
                f"kubectl get {kind.lower()} {q(name)}{scope} -o yaml",
                "which secret manager (provider, project or account) holds the key, and as which identity",
            )
        ],
        f"Rotate {value!r} in that secret manager, then force a refresh: "
        f"`kubectl -n {ns} annotate externalsecret {external} force-sync=$(date +%s) --overwrite`.",
    )


def disable(value: str, ctx: Context) -> Item | None:
    match = SERVICE.match(value)
    if match is None:
        return None
    name, ns, _ = match.groups()
    deployment = next(
        (r for r in ctx.stack.of_type(DEPLOYMENT) if (r.get("metadata") or {}).get("name") == name),
        None,
    )
    replicas = (deployment.get("spec") or {}).get("replicas") if deployment else None
    restore = (
        f"kubectl -n {ns} scale deployment {q(name)} --replicas={int(replicas)}"
        if isinstance(replicas, int | float)
        else "`pulumi up` restores the replicas the stack declares"
    )
    return Item(
        value,
        "Kubernetes Service (and its Deployment)",
        [
            Step(
                f"kubectl -n {ns} scale deployment {q(name)} --replicas=0",
                "the model server stops: requests get connection refused, the GPUs are released",
            ),
        ],
        rollback=restore,
    )
