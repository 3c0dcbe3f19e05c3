"""Credential detection in plaintext configuration (control SEC-1).

Two kinds of finding, both reported with a redacted sample only (``redact``):

- a known credential format anywhere in a value: AWS access key ids (and AWS secret keys next
  to an AWS credential context), OpenAI / Anthropic / Hugging Face / GitHub / Slack / Google API
  keys, PEM private key blocks, connection strings with a password;
- a secret-named key (``DB_PASSWORD``, ``openaiApiKey``, ``HF_TOKEN``, ``client_secret``, ...)
  holding a literal value: as a mapping entry (environment variables, tags, metadata) or as an
  assignment inside a script or config file (``export DB_PASSWORD=...``, ``password: ...``).

A value is not a literal when it is empty, a boolean word, a reference (an ARN, such as a Secrets
Manager or SSM parameter ARN; ``{{resolve:...}}``; a GCP ``projects/*/secrets/*`` name), a
placeholder resolved elsewhere (``${...}``, ``$(...)``, ``$NAME``, ``{{ ... }}``) or a file path
(a mounted secret). Only the last segment(s) of a name decide whether it is secret-named, so
``MAX_TOKENS``, ``TOKENIZERS_PARALLELISM``, ``SECRET_ARN``, ``SECRET_ID`` or ``TOKEN_URL`` are not.

A key that names a secret (``OPENAI_SECRET``, ``DB_CREDENTIALS``: last word secret(s) or credential(s))
may hold a secret-manager name shaped as a path (``secret_path``: ``prod/openai/api-key``). Other
secret-named keys (``*_PASSWORD``, ``*_TOKEN``, ``*_API_KEY``) hold the credential itself, so a
path-shaped value stays a literal there (``hunter2/hunter3`` is a password). A name without a path
(``openai-api-key``) stays a literal everywhere: it cannot be told from a passphrase
(``correct-horse-battery-staple``), and a resource policy cannot see whether the stack declares a secret
of that name. Pass the ARN, or name secrets by path.

Dependency-free and regexes compiled at import: the pack evaluates this for every resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aiwarden_policies.lib.scripts import decode_base64

#: What ``aiwarden`` puts in place of a ``secure:`` stack config value offline (mirrors
#: ``aiwarden.project.SECRET_PLACEHOLDER``). It is a secret value, so a literal for SEC-1.
OFFLINE_SECRET_PLACEHOLDER = "[secret: not decrypted offline]"

# Last segment of a secret-named key (compared with ``endswith``, so ``dbpassword`` counts) and
# the last two segments that make one (``API_KEY``, ``AWS_SECRET_ACCESS_KEY``, ``privateKey``).
_SECRET_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
)
_SECRET_PAIRS = frozenset({("api", "key"), ("access", "key"), ("private", "key"), ("secret", "key")})
#: Last words of keys that name a secret rather than hold one (``OPENAI_SECRET=prod/openai/api-key``).
_REFERENCE_WORDS = frozenset({"secret", "secrets", "credential", "credentials"})
#: Lower-case words one of which a secret-named key contains: where assignments are looked for.
_HINT_WORDS = ("pass", "secret", "token", "credential", "key")
_SEGMENTS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")

_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null"})
_REFERENCE = re.compile(
    r"""^(?:
        arn:aws[a-z-]*:\S+                                   # an ARN (Secrets Manager, SSM parameter, ...)
      | \{\{resolve:[a-z-]+:.+\}\}                           # CloudFormation dynamic reference
      | projects/[^/\s]+/(?:locations/[^/\s]+/)?secrets/[^/\s]+(?:/versions/[^/\s]+)?  # GCP Secret Manager
      | \$\{[^}]*\} | \$\([^)]*\) | \$[A-Za-z_][A-Za-z0-9_]*  # placeholders resolved at run time
      | \{\{.*\}\}                                           # template placeholders
      | (?:/|\./|~/)\S*                                      # a file path (a mounted secret)
    )$""",
    re.VERBOSE,
)
#: A part of a secret-manager path segment that reads as a word: lower case, upper case or Capitalised
#: words (an acronym may close them: ``OpenAI``), then at most 4 digits (``v2``, ``db1``); or a number.
_WORD_PART = re.compile(r"^(?:(?:[a-z]+|[A-Z]+|(?:[A-Z][a-z]+)+[A-Z]{0,4})[0-9]{0,4}|[0-9]{1,12})$")
_PART_SEPARATORS = re.compile(r"[-_.+=@]")
# A value computed when a script runs (possibly cut short by the assignment pattern): "$(aws ...", "${X".
_DYNAMIC_PREFIX = re.compile(r"^(?:\$[({]|`)")

_AWS_CONTEXT = re.compile(r"(?i)secret.?access.?key|(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])")
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: (what, substrings one of which a match contains, pattern, must look random). The substring test
#: keeps long scripts cheap. Anthropic before OpenAI: both start with ``sk-``.
_FORMATS: tuple[tuple[str, tuple[str, ...], re.Pattern[str], bool], ...] = (
    (
        "an AWS access key id",
        ("AKIA", "ASIA"),
        re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])"),
        False,
    ),
    ("an Anthropic API key", ("sk-ant-",), re.compile(r"(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}"), False),
    ("an OpenAI API key", ("sk-",), re.compile(r"(?<![A-Za-z0-9_-])sk-(?!ant-)[A-Za-z0-9_-]{20,}"), True),
    ("a Hugging Face token", ("hf_",), re.compile(r"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}"), True),
    (
        "a GitHub token",
        ("ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_"),
        re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"),
        True,
    ),
    ("a Slack token", ("xox",), re.compile(r"(?<![A-Za-z0-9])xox[abpr]-[A-Za-z0-9-]{10,}"), False),
    (
        "a Google API key",
        ("AIza",),
        re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"),
        False,
    ),
    (
        "a PEM private key",
        ("PRIVATE KEY",),
        re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        False,
    ),
)
_CONNECTION_STRING = re.compile(
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:/@'\"]*:(?P<password>[^\s@/'\"]+)@[^\s/'\"]+"
)
_PASSWORD_PLACEHOLDER = re.compile(r"^(?:\$.*|\{.*\}|<.*>|%s|\*+|%\(.*\)s)$")

# Assignments in scripts and config files. A quoted value after ":" or "=" (YAML, JSON, INI, TOML,
# Python, shell); an unquoted value after "=" with no blanks (shell, env files: ``DB_PASSWORD=x``);
# an unquoted value after ":" (YAML). Unquoted expressions (``password = get_password()``,
# ``api_key=key)``) do not match.
_ASSIGNMENT = re.compile(
    r"""(?:(?<=--)|(?<![A-Za-z0-9_.-]))
        (?:export[ \t]+)?["']?(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)["']?
        (?:
            [ \t]*[:=][ \t]*(?P<quoted>"[^"\n]*"|'[^'\n]*')(?=\s|$|[;,&|)}\]\#])
          | =(?P<shell>[^\s"'`;&|()\[\]{}<>,]+)(?=\s|$|[;&|\#])
          | [ \t]*:[ \t]*(?P<yaml>[^\s"'`\#,{}\[\]()]+)(?=[ \t]*(?:$|[\n,}\#]))
        )""",
    re.VERBOSE | re.MULTILINE,
)


@dataclass(frozen=True)
class Hit:
    """One credential found: what it is, the key it sits under ("" in free text), a redacted sample (or "")."""

    what: str
    key: str
    sample: str


def redact(value: str) -> str:
    """At most 4 leading characters (never more than a quarter of the value) and an ellipsis."""
    return value[: min(4, len(value) // 4)] + "…"


def segments(name: str) -> list[str]:
    """``OPENAI_API_KEY`` / ``openaiApiKey`` / ``HFToken`` -> lower-case words."""
    return [s.lower() for s in _SEGMENTS.findall(name)]


def secret_named(name: str) -> bool:
    words = segments(name)
    if not words:
        return False
    last = words[-1]
    if last.endswith(_SECRET_WORDS):
        return True
    pair = (words[-2], last[:-1] if last.endswith("s") else last) if len(words) > 1 else None
    return pair in _SECRET_PAIRS


def secret_path(text: str) -> bool:
    """A secret-manager name shaped as a path (``prod/openai/api-key``, ``ml/HuggingFace/token``).

    Two to ten ``/``-separated segments in the character set of Secrets Manager names, every part of every
    segment word-like (``_WORD_PART``): a generated credential (mixed case and digits inside a part, base64
    with ``/``) or a password with other characters is not a path name.
    """
    segments = text.split("/")
    if not 2 <= len(segments) <= 10 or len(text) > 512:
        return False
    for segment in segments:
        parts = _PART_SEPARATORS.split(segment)
        if not segment or not all(part and len(part) <= 32 and _WORD_PART.match(part) for part in parts):
            return False
    return True


def is_literal(value: Any) -> bool:
    """A value written in configuration: not empty, not a boolean word, not a reference or placeholder."""
    if isinstance(value, bool) or value is None or isinstance(value, Mapping | list | tuple):
        return False
    text = str(value).strip()
    return (
        bool(text)
        and text.lower() not in _BOOLEAN_WORDS
        and not _REFERENCE.match(text)
        and not _DYNAMIC_PREFIX.match(text)
    )


def _random(token: str) -> bool:
    """Looks generated: at least two of upper case, lower case, digits."""
    return sum(any(kind(c) for c in token) for kind in (str.isupper, str.islower, str.isdigit)) >= 2


def formats(text: str, context: str = "") -> Iterator[Hit]:
    """Known credential formats in ``text`` (``context``: a key name that gives AWS context)."""
    for what, hints, pattern, must_look_random in _FORMATS:
        if any(h in text for h in hints):
            for m in pattern.finditer(text):
                if not must_look_random or _random(m.group(0)):
                    yield Hit(what, "", redact(m.group(0)))
    if len(text) >= 40 and (_AWS_CONTEXT.search(context) or _AWS_CONTEXT.search(text)):
        for m in _AWS_SECRET_KEY.finditer(text):
            token = m.group(0)
            if not _HEX.match(token) and any(c.isupper() for c in token) and any(c.islower() for c in token):
                yield Hit("an AWS secret access key", "", redact(token))
    if "://" in text and "@" in text:
        for m in _CONNECTION_STRING.finditer(text):
            if not _PASSWORD_PLACEHOLDER.match(m.group("password")):
                yield Hit("a connection string with a password", "", redact(m.group(0)))


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def named_literal(name: str, value: Any) -> Hit | None:
    """A secret-named key holding a literal (that is not already a known credential format)."""
    if not secret_named(name) or not is_literal(value):
        return None
    text = str(value)
    if any(formats(text, name)):
        return None
    if secret_path(text) and segments(name)[-1] in _REFERENCE_WORDS:
        return None  # the path name of a secret-manager secret
    if text == OFFLINE_SECRET_PLACEHOLDER:
        return Hit("a Pulumi secret value (stored in plain text by the cloud)", name, "")
    return Hit("a literal value for a secret-named key", name, redact(text))


def _hinted_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` that mention a secret word, each once (``str.find``: long scripts stay cheap)."""
    lower = text.lower()
    starts: set[int] = set()
    for word in _HINT_WORDS:
        at = lower.find(word)
        while at >= 0:
            starts.add(lower.rfind("\n", 0, at) + 1)
            next_line = lower.find("\n", at)
            at = lower.find(word, next_line) if next_line >= 0 else -1
    for start in sorted(starts):
        end = text.find("\n", start)
        yield text[start : len(text) if end < 0 else end]


def assignments(text: str) -> Iterator[Hit]:
    """Secret-named assignments with literal values inside a script or a structured value."""
    if "=" not in text and ":" not in text:
        return
    for line in _hinted_lines(text):
        for m in _ASSIGNMENT.finditer(line):
            value = m.group("quoted") or m.group("shell") or m.group("yaml")
            hit = named_literal(m.group("name"), _unquote(value))
            if hit is not None:
                yield hit


def scan_text(text: str) -> list[Hit]:
    """A script or config file: known formats and secret-named assignments with literal values."""
    return [*formats(text), *assignments(text)] if text else []


def scan_entry(name: str, value: Any) -> list[Hit]:
    """One key/value entry (environment variable, tag, label, metadata item, config map key)."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return []
    text = str(value)
    hits = [Hit(h.what, name, h.sample) for h in formats(text, name)]
    named = named_literal(name, text)
    if named is not None:
        hits.append(named)
    hits.extend(Hit(h.what, f"{name}: {h.key}", h.sample) for h in assignments(text))
    return hits


def scan_mapping(entries: Mapping[str, Any] | None) -> list[Hit]:
    """Every entry of a name -> value mapping (reads every value: an unknown one raises at preview)."""
    hits: list[Hit] = []
    for name, value in (entries or {}).items():
        hits.extend(scan_entry(str(name), value))
    return hits


def scan_pairs(items: Iterable[Any] | None) -> list[Hit]:
    """A list of ``{name, value}`` objects (Kubernetes ``env``, ECS ``environment``, Cloud Run ``envs``).

    Items without a ``value`` (``valueFrom`` / ``valueSource`` references) are not read further.
    """
    hits: list[Hit] = []
    for item in items or []:
        if isinstance(item, Mapping) and "value" in item:
            hits.extend(scan_entry(str(item.get("name") or ""), item["value"]))
    return hits


def decode_script(value: Any) -> str:
    """A base64 field (user data, lifecycle scripts) as text: base64 (optionally gzip) decoded, else raw."""
    text = str(value or "")
    decoded = decode_base64(text)
    # Short plain words are valid base64 too ("TRUE"): keep the raw value when decoding yields control bytes.
    return text if decoded is None or _CONTROL.search(decoded) else decoded
