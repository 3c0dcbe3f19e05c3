"""SUP-1: every ECR repository is scanned, on push or by a registry-wide scanning rule.

A stack policy: a repository passes with ``imageScanningConfiguration.scanOnPush`` true (absent:
false, the AWS default), or when an ``aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration``
of the stack has a rule with ``scanFrequency`` SCAN_ON_PUSH or CONTINUOUS_SCAN (ENHANCED scanning:
Amazon Inspector) whose repository filter matches the repository name (``*`` wildcards). A
registry-wide configuration overrides repository-level settings. The in-place fix (scanOnPush) is
the remediation of sup-1-ecr-repository-settings: stack policies cannot remediate.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from fnmatch import fnmatchcase
from typing import Any

from aiwarden_policies.framework import Readings, Spec, Stack, get, stack_policy

REPOSITORY = "aws:ecr/repository:Repository"
REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
SCANNING_FREQUENCIES = frozenset({"SCAN_ON_PUSH", "CONTINUOUS_SCAN"})

SPEC = Spec(
    control="SUP-1",
    name="sup-1-ecr-image-scanning",
    description=(
        "ECR repositories scan images: imageScanningConfiguration.scanOnPush = true, or a registry scanning "
        "configuration rule (SCAN_ON_PUSH / CONTINUOUS_SCAN) whose filter matches the repository."
    ),
    remediation_steps=(
        'Prefer registry-wide ENHANCED scanning: `aws.ecr.RegistryScanningConfiguration(scan_type="ENHANCED", '
        'rules=[...scan_frequency="CONTINUOUS_SCAN", repository_filters=[filter="*", filter_type="WILDCARD"]])`; '
        "otherwise set `image_scanning_configuration.scan_on_push=True` on the repository (REMEDIATE mode of "
        "sup-1-ecr-repository-settings does this in place)."
    ),
    security_hub=("ECR.1",),
)


def covers(rule: Mapping[str, Any], repository: str) -> bool:
    if str(rule.get("scanFrequency") or "").upper() not in SCANNING_FREQUENCIES:
        return False
    return any(
        fnmatchcase(repository, str(f.get("filter") or "")) for f in rule.get("repositoryFilters") or []
    )


@stack_policy(SPEC)
def sup_1_ecr_image_scanning(s: Stack) -> Iterable[tuple[str, str | None]]:
    configs = Readings(s.of_type(REGISTRY_SCANNING), lambda config: list(config.props.get("rules") or []))
    rules = [(config, rule) for config, found in configs.known for rule in found]

    def decide(repo: Any) -> Iterator[str]:
        scan_on_push = get(repo.props, "imageScanningConfiguration.scanOnPush")
        if scan_on_push is True:
            return
        if rules or configs.unknown:
            name = str(repo.props.get("name"))
            if Readings(rules, lambda held: covers(held[1], name), of=lambda held: held[0]).any():
                return
            configs.require()  # a scanning configuration unknown at preview may cover it
        found = "is not set (AWS default: false)" if scan_on_push is None else f"is {scan_on_push!r}"
        yield (
            f"ECR repository {repo.name!r}: imageScanningConfiguration.scanOnPush {found} and no registry "
            "scanning rule (SCAN_ON_PUSH / CONTINUOUS_SCAN) covers it; images must be scanned."
        )

    yield from s.each(s.of_type(REPOSITORY), decide)
