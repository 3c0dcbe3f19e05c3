"""EP-2: every Kubernetes Ingress authenticates callers before they reach a backend.

Stack policy. Accepted: the AWS Load Balancer Controller's OIDC/Cognito authentication
(``alb.ingress.kubernetes.io/auth-type: oidc|cognito``), ingress-nginx external authentication
(``nginx.ingress.kubernetes.io/auth-url``, e.g. oauth2-proxy), or GKE Identity-Aware Proxy: every
backend Service of the Ingress (same namespace, declared in the stack) points through its
``cloud.google.com/backend-config`` annotation only at BackendConfigs with ``spec.iap.enabled`` true.
ingress-nginx basic/digest auth (``auth-type``) is a shared static credential and is reported.
Scope: every Ingress of the stack.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from aiwarden_policies.framework import Spec, Stack, get, stack_policy
from aiwarden_policies.lib.namespaces import namespace

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
BACKEND_CONFIGS = (
    "kubernetes:cloud.google.com/v1:BackendConfig",
    "kubernetes:cloud.google.com/v1beta1:BackendConfig",
)
ALB_AUTH_TYPE = "alb.ingress.kubernetes.io/auth-type"
ALB_AUTHENTICATING = frozenset({"oidc", "cognito"})
NGINX_AUTH_URL = "nginx.ingress.kubernetes.io/auth-url"
NGINX_AUTH_TYPE = "nginx.ingress.kubernetes.io/auth-type"
BACKEND_CONFIG_ANNOTATIONS = ("cloud.google.com/backend-config", "beta.cloud.google.com/backend-config")

SPEC = Spec(
    control="EP-2",
    name="ep-2-ingress-requires-auth",
    description=(
        f"Kubernetes Ingresses authenticate callers: `{ALB_AUTH_TYPE}: oidc|cognito`, `{NGINX_AUTH_URL}` (external "
        "auth), or GKE IAP on every backend Service (BackendConfig `iap.enabled: true` referenced by the Service's "
        "`cloud.google.com/backend-config` annotation). No annotation means no authentication; ingress-nginx "
        "basic/digest auth is a shared static credential."
    ),
    remediation_steps=(
        f"On EKS annotate `{ALB_AUTH_TYPE}: oidc` with `alb.ingress.kubernetes.io/auth-idp-oidc`; with ingress-nginx "
        f"set `{NGINX_AUTH_URL}` to an oauth2-proxy; on GKE create a BackendConfig with `iap: {{enabled: true, "
        "oauthclientCredentials: ...}}` and reference it from each backend Service."
    ),
    resource_types=(INGRESS, SERVICE, *BACKEND_CONFIGS),
)


def _named(resources: list[Any], ns: str, name: str) -> Any | None:
    return next(
        (r for r in resources if get(r.props, "metadata.name") == name and namespace(r.props) == ns), None
    )


def _backend_services(ingress: Any) -> Iterator[str]:
    default = get(ingress.props, "spec.defaultBackend.service.name")
    if default:
        yield str(default)
    for rule in get(ingress.props, "spec.rules") or []:
        for path in get(rule, "http.paths") or []:
            name = get(path, "backend.service.name")
            if name:
                yield str(name)


def _config_names(service: Any) -> list[str]:
    annotations = get(service.props, "metadata.annotations") or {}
    raw = next((annotations[k] for k in BACKEND_CONFIG_ANNOTATIONS if annotations.get(k)), None)
    try:
        value = json.loads(str(raw)) if raw else {}
    except json.JSONDecodeError:
        return []
    if not isinstance(value, Mapping):
        return []
    ports = value.get("ports")
    names = [value.get("default"), *(ports.values() if isinstance(ports, Mapping) else [])]
    return [str(n) for n in names if n]


def _iap_protected(s: Stack, ingress: Any) -> bool:
    ns = namespace(ingress.props)
    services, configs = s.of_type(SERVICE), s.of_type(*BACKEND_CONFIGS)
    backends = set(_backend_services(ingress))
    for name in backends:
        service = _named(services, ns, name)
        names = _config_names(service) if service is not None else []
        found = [_named(configs, ns, n) for n in names]
        if not found or any(c is None or get(c.props, "spec.iap.enabled") is not True for c in found):
            return False
    return bool(backends)


@stack_policy(SPEC)
def ep_2_ingress_requires_auth(s: Stack) -> Iterable[tuple[str, str | None]]:
    def decide(ingress: Any) -> Iterator[str]:
        annotations = get(ingress.props, "metadata.annotations") or {}
        where = f"Kubernetes Ingress {ingress.name!r}"
        if str(annotations.get(ALB_AUTH_TYPE) or "").lower() in ALB_AUTHENTICATING or annotations.get(
            NGINX_AUTH_URL
        ):
            return
        if annotations.get(NGINX_AUTH_TYPE):
            yield (
                f"{where}: {NGINX_AUTH_TYPE} is {annotations[NGINX_AUTH_TYPE]!r} (a shared static credential); "
                "model routes must authenticate callers through an identity provider (OIDC, IAP)."
            )
        elif not _iap_protected(s, ingress):
            yield (
                f"{where}: no authentication in front of its backends — no {ALB_AUTH_TYPE} oidc/cognito, no "
                f"{NGINX_AUTH_URL}, and not every backend Service uses a BackendConfig with iap.enabled; every "
                "route to a model must authenticate callers."
            )

    yield from s.each(s.of_type(INGRESS), decide)
