"""Generate ``aiwarden_policies/data/taggable_types.json`` from the installed provider SDKs.

For every resource class of pulumi-aws, pulumi-gcp and pulumi-kubernetes, record which
engine property carries its tags/labels: ``tags`` (AWS), ``labels`` (GCP; ``resourceLabels``
where that is the resource's label map) and ``metadata.labels`` (Kubernetes). The table is
read by the policy pack (which must not import provider SDKs: 5-6 s per cloud) and by the
ownership transform. The SDK source is scanned as text, so nothing is imported.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

_TOKEN = re.compile(r"super\(\w+, __self__\)\.__init__\(\s*'([^']+)'")
_PARAM = r"^\s+{name}: pulumi\.Input\[Optional\[Mapping\[str, pulumi\.Input\[_builtins\.str\]\]\]\] = None,"
_MAPS = {
    "aws": (("tags", "tags"),),
    "gcp": (("labels", "labels"), ("resource_labels", "resourceLabels")),
}

#: Label maps that are not a top-level input (scanned types whose labels sit in a nested block).
NESTED: dict[str, dict[str, str]] = {
    "gcp": {
        "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
        "gcp:container/nodePool:NodePool": "nodeConfig.resourceLabels",
        "gcp:workbench/instance:Instance": "labels",
        # `labels` is the channel's configuration (e.g. the e-mail address); its resource labels are userLabels.
        "gcp:monitoring/notificationChannel:NotificationChannel": "userLabels",
    },
}

OUT = Path(__file__).resolve().parents[2] / "policy_packs/aiwarden/aiwarden_policies/data/taggable_types.json"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{name} is not installed")
    return Path(spec.origin).parent


def scan() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {"aws": {}, "gcp": {}, "kubernetes": {}}
    for cloud, package in (("aws", "pulumi_aws"), ("gcp", "pulumi_gcp")):
        params = [(re.compile(_PARAM.format(name=py), re.M), engine) for py, engine in _MAPS[cloud]]
        for path in sorted(_package_dir(package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            match = _TOKEN.search(text)
            if match is None or match.group(1).startswith("pulumi:providers:"):
                continue
            init = text[text.find("def _internal_init") :]
            for pattern, engine in params:
                if pattern.search(init):
                    table[cloud][match.group(1)] = engine
                    break
    for path in sorted(_package_dir("pulumi_kubernetes").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        match = _TOKEN.search(text)
        if match and match.group(1).startswith("kubernetes:") and "metadata:" in text:
            token = match.group(1)
            if token.endswith(("List", "Patch")) or token.startswith("kubernetes:helm") or ":yaml" in token:
                continue
            table["kubernetes"][token] = "metadata.labels"
    for cloud, types in NESTED.items():
        table[cloud].update(types)
    return {cloud: dict(sorted(types.items())) for cloud, types in table.items()}


def render() -> str:
    return json.dumps(scan(), indent=0, sort_keys=True) + "\n"


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
