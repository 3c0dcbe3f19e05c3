"""The inventory vocabulary shared by components and policies (control INV-1).

One definition: the components render it as tags/labels, the policies check it.
Dependency-free on purpose (imported by the policy pack process).

The module constants are the default vocabulary; an organization that already has its own keys
and values describes them once as a ``Vocabulary`` (JSON shape ``SCHEMA``, parsed by ``parse`` /
``from_json``):

- stack config ``aiwarden:vocabulary``: what the program's components stamp and what every policy
  reads when it asks a resource for its environment or classification;
- pack config ``vocabulary`` of ``inv-1-ownership-metadata``: what INV-1 requires (else the stack's).

Keys are free (``Owner``, ``team``, ...). Allowed values are the catalog's own words, narrowed if
wished, plus aliases that fold the organization's words onto them (``live`` -> ``production``,
``secret`` -> ``restricted``): the enforcement columns and the policies that scope by environment
or classification speak the catalog's words, so a value the catalog does not know could silently
weaken them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any

#: Metadata keys every AI resource carries, as AWS tag keys / GCP label keys /
#: Kubernetes label keys (Kubernetes keys are prefixed, see ``K8S_LABEL_PREFIX``).
OWNER = "owner"
ENVIRONMENT = "environment"
DATA_CLASSIFICATION = "data-classification"
PURPOSE = "purpose"
COST_CENTER = "cost-center"
CONTACT = "contact"
#: Set by a component when an insecure option was chosen by name; its value is the justification.
EXCEPTION = "aiwarden-exception"

REQUIRED_KEYS: tuple[str, ...] = (OWNER, ENVIRONMENT, DATA_CLASSIFICATION, PURPOSE)
OPTIONAL_KEYS: tuple[str, ...] = (COST_CENTER, CONTACT)

#: Tag a secret carries when its kind cannot be rotated (SEC-2), with the value ``ROTATION_NOT_SUPPORTED``:
#: the documented, reviewable opt-out from rotation.
ROTATION_TAG = "rotation"
ROTATION_NOT_SUPPORTED = "not-supported"

#: Kubernetes label keys live under this prefix (``aiwarden.io/owner``).
K8S_LABEL_PREFIX = "aiwarden.io/"

CLASSIFICATIONS: tuple[str, ...] = ("public", "internal", "confidential", "restricted")
SENSITIVE_CLASSIFICATIONS: frozenset[str] = frozenset({"confidential", "restricted"})

ENVIRONMENTS: tuple[str, ...] = ("production", "staging", "sandbox")
#: Documented aliases (controls.yaml: "or a documented alias").
ENVIRONMENT_ALIASES: dict[str, str] = {
    "prod": "production",
    "prd": "production",
    "stage": "staging",
    "stg": "staging",
    "dev": "sandbox",
    "development": "sandbox",
    "experiment": "sandbox",
    "experimentation": "sandbox",
    "sbx": "sandbox",
}

#: Enforcement columns of the control catalog: which environments use the ``sandbox`` column.
SANDBOX_ENVIRONMENTS: frozenset[str] = frozenset({"sandbox"})

#: GCP label rules: keys start with a lowercase letter; keys and values are at most
#: 63 characters of lowercase letters, digits, underscores and dashes.
GCP_LABEL_KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
GCP_LABEL_VALUE_RE = re.compile(r"^[a-z0-9_-]{0,63}$")
#: Kubernetes label values: at most 63 characters, alphanumeric at both ends.
K8S_LABEL_VALUE_RE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")


def canonical_environment(value: str | None) -> str | None:
    """Return the catalog environment for ``value`` (aliases folded) in the default vocabulary, or None."""
    return DEFAULT.canonical_environment(value)


def gcp_label_value(value: str) -> str:
    """Fold a free-text value into a valid GCP label value (lowercase, allowed characters, 63 max)."""
    folded = re.sub(r"[^a-z0-9_-]", "_", value.strip().lower())
    return folded[:63]


# ----------------------------------------------------------------------------- configurable vocabulary

#: A tag / label key: a Kubernetes label name, which AWS accepts as a tag key too. GCP label keys
#: are narrower (lowercase letter first, no capitals or dots): checked where GCP labels are rendered.
KEY_PATTERN = r"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
#: The Kubernetes label prefix: empty, or a DNS subdomain and a slash (``aiwarden.io/``).
PREFIX_PATTERN = r"^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*/)?$"
#: Environment values are compared lowercased, so their aliases are lowercase; classifications as written.
ENVIRONMENT_ALIAS_PATTERN = r"^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$"
CLASSIFICATION_ALIAS_PATTERN = KEY_PATTERN
#: Keys the components stamp besides the four of INV-1: a vocabulary key may not take one of them.
RESERVED_KEYS: tuple[str, ...] = (COST_CENTER, CONTACT, EXCEPTION, ROTATION_TAG)
#: The JSON fields of ``keys`` and the tag/label key each names by default.
KEY_FIELDS: dict[str, str] = {
    "owner": OWNER,
    "environment": ENVIRONMENT,
    "dataClassification": DATA_CLASSIFICATION,
    "purpose": PURPOSE,
}
FIELDS: tuple[str, ...] = (
    "keys",
    "environments",
    "environmentAliases",
    "classifications",
    "classificationAliases",
    "kubernetesLabelPrefix",
)


class VocabularyError(ValueError):
    """A malformed vocabulary: ``field`` (dotted, ``keys.owner``; empty for the whole value) and ``problem``."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem

    def under(self, where: str) -> str:
        """The message with the field under ``where`` (``aiwarden:vocabulary.keys.owner: ...``)."""
        return f"{where}.{self.field}: {self.problem}" if self.field else f"{where}: {self.problem}"


@dataclass(frozen=True)
class Keys:
    """The tag / label keys of the four INV-1 fields."""

    owner: str = OWNER
    environment: str = ENVIRONMENT
    data_classification: str = DATA_CLASSIFICATION
    purpose: str = PURPOSE

    @property
    def required(self) -> tuple[str, ...]:
        return (self.owner, self.environment, self.data_classification, self.purpose)

    def by_field(self) -> dict[str, str]:
        """JSON field name -> key (``{"dataClassification": "data-classification", ...}``)."""
        return dict(zip(KEY_FIELDS, self.required, strict=True))


@dataclass(frozen=True)
class Vocabulary:
    """Which keys carry the INV-1 metadata and which values they may take (defaults: the module constants)."""

    keys: Keys = field(default_factory=Keys)
    #: Catalog environments in use (a subset of ``ENVIRONMENTS``).
    environments: tuple[str, ...] = ENVIRONMENTS
    #: The organization's words for them, folded (``{"live": "production"}``).
    environment_aliases: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(dict(ENVIRONMENT_ALIASES))
    )
    #: Catalog classifications in use (a subset of ``CLASSIFICATIONS``).
    classifications: tuple[str, ...] = CLASSIFICATIONS
    #: The organization's words for them, folded (``{"secret": "restricted"}``).
    classification_aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Kubernetes label keys are ``<prefix><key>``; policies count a label with or without it.
    k8s_label_prefix: str = K8S_LABEL_PREFIX

    def canonical_environment(self, value: str | None) -> str | None:
        """The catalog environment for ``value`` (lowercased, aliases folded), or None if not allowed."""
        if value is None:
            return None
        folded = value.strip().lower()
        if folded in self.environments:
            return folded
        return self.environment_aliases.get(folded)

    def canonical_classification(self, value: str | None) -> str | None:
        """The catalog classification for ``value`` (aliases folded), or None if not allowed."""
        if value is None:
            return None
        if value in self.classifications:
            return value
        return self.classification_aliases.get(value)

    def allowed_environments(self) -> str:
        """For messages: ``production, staging, sandbox (or an alias: dev, prod, ...)``."""
        return _allowed(self.environments, self.environment_aliases)

    def allowed_classifications(self) -> str:
        return _allowed(self.classifications, self.classification_aliases)


def _allowed(values: tuple[str, ...], aliases: Mapping[str, str]) -> str:
    text = ", ".join(values)
    return f"{text} (or an alias: {', '.join(sorted(aliases))})" if aliases else text


DEFAULT = Vocabulary()


def _values_schema(values: tuple[str, ...], what: str) -> dict[str, Any]:
    return {
        "type": "array",
        "description": f"The catalog {what} in use; values outside it are refused (aliases fold other words).",
        "items": {"type": "string", "enum": list(values)},
        "minItems": 1,
        "uniqueItems": True,
        "default": list(values),
    }


def _aliases_schema(
    values: tuple[str, ...], pattern: str, default: Mapping[str, str], what: str
) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"Other words accepted for a {what}, each folded onto a catalog {what} in use "
        "(replaces the default map).",
        "propertyNames": {"pattern": pattern, "not": {"enum": list(values)}},
        "additionalProperties": {"type": "string", "enum": list(values)},
        "default": dict(default),
    }


#: The JSON Schema of a vocabulary: the ``vocabulary`` property of the pack config of
#: ``inv-1-ownership-metadata``, and the value of the stack config ``aiwarden:vocabulary``. Every field is
#: optional (default: the module constants). What a schema cannot say (the four keys differ; an alias
#: folds onto a value in use) ``from_json`` checks too.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Ownership vocabulary: which tag/label keys carry owner, environment, data classification and "
    "purpose, and which values they may take. Fields left out keep their defaults.",
    "properties": {
        "keys": {
            "type": "object",
            "description": "Tag / label key of each field (Kubernetes: under kubernetesLabelPrefix).",
            "properties": {
                name: {
                    "type": "string",
                    "minLength": 1,
                    "pattern": KEY_PATTERN,
                    "not": {"enum": list(RESERVED_KEYS)},
                    "default": default,
                }
                for name, default in KEY_FIELDS.items()
            },
            "additionalProperties": False,
            "default": dict(KEY_FIELDS),
        },
        "environments": _values_schema(ENVIRONMENTS, "environments"),
        "environmentAliases": _aliases_schema(
            ENVIRONMENTS, ENVIRONMENT_ALIAS_PATTERN, ENVIRONMENT_ALIASES, "environment"
        ),
        "classifications": _values_schema(CLASSIFICATIONS, "data classifications"),
        "classificationAliases": _aliases_schema(
            CLASSIFICATIONS, CLASSIFICATION_ALIAS_PATTERN, {}, "data classification"
        ),
        "kubernetesLabelPrefix": {
            "type": "string",
            "description": "Prefix of the Kubernetes label keys ('' for none); labels count with or without it.",
            "pattern": PREFIX_PATTERN,
            "maxLength": 254,
            "default": K8S_LABEL_PREFIX,
        },
    },
    "additionalProperties": False,
}


def _string(where: str, value: Any, pattern: str, what: str) -> str:
    if not isinstance(value, str):
        raise VocabularyError(where, f"expected a string, got {json.dumps(value)}")
    if not value:
        raise VocabularyError(where, f"empty; {what}")
    if not re.fullmatch(pattern, value):
        raise VocabularyError(where, f"{value!r} is not valid; {what}")
    return value


def _keys(data: Any) -> Keys:
    if not isinstance(data, Mapping):
        raise VocabularyError("keys", f"expected an object with {', '.join(KEY_FIELDS)}")
    unknown = sorted(set(data) - set(KEY_FIELDS))
    if unknown:
        raise VocabularyError(f"keys.{unknown[0]}", f"unknown field; the keys are {', '.join(KEY_FIELDS)}")
    found: dict[str, str] = {}
    taken: dict[str, str] = {}
    for name, default in KEY_FIELDS.items():
        key = _string(
            f"keys.{name}",
            data.get(name, default),
            KEY_PATTERN,
            "a key is 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        )
        if key in RESERVED_KEYS:
            raise VocabularyError(f"keys.{name}", f"{key!r} is a key aiwarden stamps for another purpose")
        if key in taken:
            raise VocabularyError(
                f"keys.{name}", f"{key!r} is also the key of {taken[key]}; each field needs its own key"
            )
        taken[key] = name
        found[name] = key
    return Keys(found["owner"], found["environment"], found["dataClassification"], found["purpose"])


def _values(where: str, data: Any, catalog: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(data, list) or not data:
        raise VocabularyError(where, f"expected a non-empty list of {', '.join(catalog)}")
    for i, value in enumerate(data):
        if value not in catalog:
            raise VocabularyError(
                f"{where}.{i}",
                f"{json.dumps(value)} is not one of {', '.join(catalog)} (fold other words with aliases)",
            )
    if len(set(data)) != len(data):
        raise VocabularyError(where, "a value is listed twice")
    return tuple(data)


def _aliases(
    where: str, data: Any, allowed: tuple[str, ...], catalog: tuple[str, ...], pattern: str
) -> Mapping[str, str]:
    if not isinstance(data, Mapping):
        raise VocabularyError(where, f"expected an object mapping words to one of {', '.join(allowed)}")
    for alias, target in data.items():
        _string(f"{where}.{alias}", alias, pattern, "an alias is a label-safe word")
        if alias in catalog:
            raise VocabularyError(f"{where}.{alias}", "a catalog value cannot be an alias")
        if target not in allowed:
            raise VocabularyError(
                f"{where}.{alias}",
                f"{json.dumps(target)} is not one of the values in use ({', '.join(allowed)})",
            )
    return MappingProxyType(dict(data))


def from_json(data: Any) -> Vocabulary:
    """A vocabulary from its JSON shape (``SCHEMA``); missing fields keep their defaults.

    Raises ``VocabularyError`` naming the field: unknown field, empty or invalid key, two fields with the
    same key, a value outside the catalog, an alias that folds onto a value not in use.
    """
    if not isinstance(data, Mapping):
        raise VocabularyError(
            "", f"expected an object with the fields {', '.join(FIELDS)}, got {json.dumps(data)}"
        )
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise VocabularyError(unknown[0], f"unknown field; the fields are {', '.join(FIELDS)}")
    environments = _values("environments", data.get("environments", list(ENVIRONMENTS)), ENVIRONMENTS)
    classifications = _values(
        "classifications", data.get("classifications", list(CLASSIFICATIONS)), CLASSIFICATIONS
    )
    return Vocabulary(
        keys=_keys(data.get("keys", {})),
        environments=environments,
        environment_aliases=_aliases(
            "environmentAliases",
            data.get("environmentAliases", ENVIRONMENT_ALIASES),
            environments,
            ENVIRONMENTS,
            ENVIRONMENT_ALIAS_PATTERN,
        ),
        classifications=classifications,
        classification_aliases=_aliases(
            "classificationAliases",
            data.get("classificationAliases", {}),
            classifications,
            CLASSIFICATIONS,
            CLASSIFICATION_ALIAS_PATTERN,
        ),
        k8s_label_prefix=_prefix(data.get("kubernetesLabelPrefix", K8S_LABEL_PREFIX)),
    )


def _prefix(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 254 or not re.fullmatch(PREFIX_PATTERN, value):
        raise VocabularyError(
            "kubernetesLabelPrefix",
            f"{json.dumps(value)} is not '' or a DNS subdomain followed by '/' (e.g. {K8S_LABEL_PREFIX!r})",
        )
    return value


@lru_cache(maxsize=16)
def parse(text: str | None) -> Vocabulary:
    """A vocabulary from JSON text (how stack config carries an object); None: the default. Cached by text."""
    if text is None:
        return DEFAULT
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise VocabularyError(
            "", f"not a JSON object ({exc.msg}); expected the fields {', '.join(FIELDS)}"
        ) from None
    return from_json(data)


def from_config(data: Any) -> Vocabulary:
    """``from_json`` of an already-parsed value (pack config), cached like ``parse``."""
    return parse(json.dumps(data, sort_keys=True))
