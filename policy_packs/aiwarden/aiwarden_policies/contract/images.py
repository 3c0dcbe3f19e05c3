"""Container image references and approved registries (SUP-2), read the same way by policies and components.

One definition: the pack's SUP-2 policies (``lib.images``) check the images of SageMaker models, Vertex AI
and Kubernetes pod templates; the components' ``ImageRef`` type (``components._common.image``) refuses the
same references before anything registers. Dependency-free on purpose (imported by the policy pack process).

Approved registries are glob patterns (``fnmatch``, case-insensitive). A pattern without "/" matches the
registry host (``*.dkr.ecr.*.amazonaws.com``); a pattern with "/" matches ``host/repository``
(``us-docker.pkg.dev/my-project/*``), to approve one project or path only. The host of a reference without
a registry part ("pytorch/pytorch:2.3") is Docker Hub, ``docker.io``.

Where the patterns come from: the pack reads its config ``approvedRegistries``; components read stack config
``aiwarden:approvedRegistries`` (``parse_registries``). Both default to ``DEFAULT_REGISTRIES``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from fnmatch import fnmatchcase

DEFAULT_REGISTRIES: tuple[str, ...] = ("*.dkr.ecr.*.amazonaws.com", "*-docker.pkg.dev", "gcr.io")
APPROVED = "approvedRegistries"
DOCKER_HUB = "docker.io"
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


class RegistriesError(ValueError):
    """A malformed list of approved registries: the ``index`` of the bad pattern (None: the whole value)."""

    def __init__(self, index: int | None, problem: str) -> None:
        super().__init__(problem if index is None else f"[{index}]: {problem}")
        self.index = index
        self.problem = problem

    def under(self, where: str) -> str:
        """The message under the config key ``where`` (``aiwarden:approvedRegistries[1]: ...``)."""
        return f"{where}: {self.problem}" if self.index is None else f"{where}[{self.index}]: {self.problem}"


def split(image: str) -> tuple[str, str, str | None, str | None]:
    """(registry host, repository path, tag or None, digest or None) of an image reference."""
    name, _, digest = image.strip().partition("@")
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        host, path = first.lower(), rest
    else:
        host, path = DOCKER_HUB, name
    repo, colon, tag = path.rpartition(":") if ":" in path.rsplit("/", 1)[-1] else (path, "", "")
    return host, repo, (tag if colon else None), (digest or None)


def approved(host: str, repository: str, patterns: Iterable[str]) -> bool:
    """Whether ``host`` (and ``host/repository`` for patterns with "/") matches one of ``patterns``."""
    for pattern in patterns:
        target = f"{host}/{repository}" if "/" in pattern else host
        if fnmatchcase(target.lower(), pattern.lower()):
            return True
    return False


def parse_registries(value: str | None) -> tuple[str, ...]:
    """The approved registries of a stack config value: a JSON list of non-empty patterns (what Pulumi hands a
    program for a YAML list); None means ``DEFAULT_REGISTRIES``. Malformed: ``RegistriesError``."""
    if value is None:
        return DEFAULT_REGISTRIES
    try:
        data = json.loads(value)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, list) or not data:
        raise RegistriesError(
            None,
            f"expected a non-empty list of registry patterns, e.g. [{DEFAULT_REGISTRIES[0]!r}], not {value!r}",
        )
    for i, pattern in enumerate(data):
        if not isinstance(pattern, str) or not pattern.strip() or any(c.isspace() for c in pattern):
            raise RegistriesError(i, f"{pattern!r} is not a registry pattern (a host or host/path glob)")
    return tuple(data)
