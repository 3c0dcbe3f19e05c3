"""Scripts in resource configuration: decoding them, and finding installs from untrusted sources (SUP-3).

Used by the user-data, lifecycle-configuration, startup-script and container-command policies of
SUP-3, so that each decodes scripts and reads ``approvedPackageIndexes`` the same way; SEC-1 and NB-3
decode scripts with ``decode_base64`` too.

What is flagged (the host of the URL must be in ``approvedPackageIndexes``, glob patterns over host
names, default none):
- a download piped into an interpreter: ``curl|wget … | [sudo] sh|bash|python|perl|ruby|node``;
- a download executed through substitution: ``sh -c "$(curl …)"``, ``bash <(curl …)``, ``eval``/``source``;
- ``pip install`` of a URL (``git+https://…``, ``https://…/pkg.whl``, ``-r https://…``);
- ``pip install`` with ``--index-url``/``-i``/``--extra-index-url``/``--find-links``/``-f`` to a host.
A command whose source host cannot be read (``curl $URL | sh``) is flagged. Messages name the host
only, never the URL (it may carry a token) or the script.

Scripts may be base64 (launch template user data, SageMaker lifecycle configurations) and gzip'd;
decoding is tolerant: the raw text and, when it decodes, the decoded text are both scanned.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urlsplit

APPROVED = "approvedPackageIndexes"
CONFIG: dict[str, dict[str, Any]] = {
    APPROVED: {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "default": [],
        "description": (
            "Host names (glob patterns) of package indexes and download hosts that startup scripts may install "
            "from, e.g. the platform's PyPI mirror 'pypi.internal.example.com' or '*.pkg.dev'."
        ),
    },
}

_INTERPRETER = r"(?:ba|z|da|k)?sh|python[\d.]*|perl|ruby|node"
_FETCH_PIPE = re.compile(
    r"\b(?:curl|wget)\b(?P<args>[^|\n;&]*)\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:\S*/)?(?:env\s+(?:\S*/)?)?"
    rf"(?:{_INTERPRETER})\b"
)
_FETCH_SUBSTITUTION = re.compile(
    rf"(?:\b(?:{_INTERPRETER})\s+(?:-\w+\s+)*[\"']?|\b(?:eval|source)\s+[\"']?|(?:^|[\s;&|])\.\s+)"
    r"(?:\$\(|<\(|`)\s*(?:curl|wget)\b(?P<args>[^)`\n]*)"
)
_PIP_INSTALL = re.compile(r"\bpip(?:3(?:\.\d+)?)?\s+install\b(?P<args>[^\n;&|]*)")
_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s'\"|;)<>`]+", re.IGNORECASE)
_INDEX_OPTIONS = frozenset({"--index-url", "-i", "--extra-index-url", "--find-links", "-f"})


def decode_base64(text: str) -> str | None:
    """``text`` decoded when it is base64 (line breaks allowed) of UTF-8 text, optionally gzip'd; else None."""
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError, OSError, EOFError):
        return None


def texts(value: Any) -> list[str]:
    """The script as given and, when it is base64 (optionally gzip'd) UTF-8 text, decoded."""
    if not isinstance(value, str) or not value.strip():
        return []
    decoded = decode_base64(value)
    return [value] if decoded is None else [value, decoded]


def _host(url: str) -> str | None:
    try:
        return urlsplit(url.removeprefix("git+")).hostname
    except ValueError:
        return None


def _trusted(host: str | None, patterns: Iterable[str]) -> bool:
    return host is not None and any(fnmatchcase(host.lower(), p.lower()) for p in patterns)


def _source(args: str) -> str | None:
    match = _URL.search(args)
    return _host(match.group(0)) if match else None


def _pip(args: str) -> Iterable[tuple[str, str | None]]:
    tokens = [t.strip("'\"") for t in args.split()]
    skip = False
    for i, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        option, eq, value = token.partition("=")
        if option in _INDEX_OPTIONS:
            if not eq:
                value, skip = (tokens[i + 1] if i + 1 < len(tokens) else ""), True
            if value and not value.startswith(("/", ".", "file:")):
                yield f"pip install {option} pointing at", _host(value) if "://" in value else None
        elif "://" in token:
            yield "pip install of a URL on", _host(token)


def install_findings(script: Any, config: Mapping[str, Any]) -> list[str]:
    """Descriptions of the untrusted dynamic installs in a script (deduplicated, in order)."""
    patterns = list(config.get(APPROVED) or [])
    found: list[tuple[str, str | None]] = []
    for text in texts(script):
        found += [
            ("a download piped into an interpreter from", _source(m.group("args")))
            for m in _FETCH_PIPE.finditer(text)
        ]
        found += [
            ("a downloaded script executed by substitution from", _source(m.group("args")))
            for m in _FETCH_SUBSTITUTION.finditer(text)
        ]
        for m in _PIP_INSTALL.finditer(text):
            found += list(_pip(m.group("args")))
    out: list[str] = []
    for what, host in found:
        if _trusted(host, patterns):
            continue
        message = f"{what} {host!r}" if host else f"{what} a host that cannot be read from the script"
        if message not in out:
            out.append(message)
    return out


def script_problems(
    label: str, scripts: Iterable[tuple[str, Any]], config: Mapping[str, Any]
) -> Iterable[str]:
    """One violation message per (property, finding) of ``scripts`` ((engine property path, value) pairs)."""
    for where, script in scripts:
        for finding in install_findings(script, config):
            yield (
                f"{label}: {where} runs {finding} (not in {APPROVED}); install from a pinned, scanned image or "
                "an approved package index."
            )
