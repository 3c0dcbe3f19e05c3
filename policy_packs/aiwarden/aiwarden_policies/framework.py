"""How every aiwarden policy is declared: catalog-driven metadata, environment, exemptions.

A policy module declares a ``Spec`` (control id, name, description, resource types,
remediation steps, framework ids, extra config) and a check function; ``resource_policy`` and
``stack_policy`` turn them into ``pulumi_policy`` policies with the same metadata order
everywhere: description, enforcement, severity, framework mapping, tags, remediation, url.

Enforcement comes from the catalog column of the stack's environment: ``aiwarden:environment``
(or ``<project>:environment``) in the stack config the engine passes as ``PULUMI_CONFIG``;
unknown means production. The policy SDK fixes one level per policy for a run, so a resource
tagged with another environment than its stack's is held to the stack's level.

Exemptions: the pack config of a policy may list ``exemptions`` — ``{"resource": <name or
URN>, "justification": <at least 20 characters>}``; an exempt resource is reported as not
applicable with ``exempted: <justification>``, which ``aiwarden check`` shows in every report.

Values unknown at preview: reading one raises the SDK's ``UnknownValueError``, and the SDK turns
the policy into one advisory "can't run policy ... during preview" diagnostic. A stack policy
decides its subjects one by one (``Stack.each``): a subject whose decision meets an unknown value
is undecided, the others are decided and reported as usual; at the end the policy raises
``Undecided``, whose message lists the undecided subjects as ``undecided for <urn> (<reason>);
<urn> (<reason>)`` (``the stack`` for a stack-level check), which ``aiwarden check`` splits into one
unknown-at-preview finding per resource.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Generic, TypeVar

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from aiwarden_policies.contract import vocabulary as v
from aiwarden_policies.contract.catalog import controls
from aiwarden_policies.contract.markers import (
    AUTO_REMEDIATION_TAG,
    ENTRY_SEPARATOR,
    EXEMPT_PREFIX,
    STACK_SUBJECT,
    TYPE_TAG,
    UNDECIDED_PREFIX,
)
from aiwarden_policies.contract.taggable import tag_property

DOCS_URL = "docs/policies.md"
FRAMEWORK_NAME = "aiwarden-controls"
_MISSING = object()

EXEMPTIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": "Resources this policy does not apply to, each with a written justification.",
    "items": {
        "type": "object",
        "properties": {
            "resource": {"type": "string", "minLength": 1, "description": "Resource name or URN."},
            "justification": {
                "type": "string",
                "minLength": 20,
                "description": "Why, who approved, until when.",
            },
        },
        "required": ["resource", "justification"],
        "additionalProperties": False,
    },
    "default": [],
}


def _pulumi_config() -> dict[str, str]:
    return _parsed_config(os.environ.get("PULUMI_CONFIG", "") or "{}")


@lru_cache(maxsize=1)
def _parsed_config(text: str) -> dict[str, str]:
    """``PULUMI_CONFIG`` parsed once per value (read for every resource; callers do not mutate it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def stack_config(key: str) -> str | None:
    """A stack config value by bare key, from ``aiwarden:`` or the project's namespace."""
    config = _pulumi_config()
    project = os.environ.get("PULUMI_PROJECT", "")
    for full in (f"aiwarden:{key}", f"{project}:{key}"):
        if full in config:
            return str(config[full])
    return None


def stack_vocabulary() -> v.Vocabulary:
    """The stack's ownership vocabulary: stack config ``aiwarden:vocabulary`` (JSON, ``vocabulary.SCHEMA``),
    else the default. It says which keys and values every policy reads as a resource's environment and
    classification (INV-1 may be given its own in pack config). Malformed: ``VocabularyError`` naming the field."""
    try:
        return v.parse(stack_config("vocabulary"))
    except v.VocabularyError as exc:
        raise v.VocabularyError("", exc.under("stack config aiwarden:vocabulary")) from None


def stack_environment() -> str:
    return stack_vocabulary().canonical_environment(stack_config("environment")) or "production"


@dataclass(frozen=True)
class Spec:
    control: str
    name: str
    description: str
    remediation_steps: str
    resource_types: tuple[str, ...] | None = None  # None: every type (the check filters)
    security_hub: tuple[str, ...] = ()
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.control not in controls():
            raise ValueError(f"policy {self.name} names unknown control {self.control}")
        prefix = self.control.lower() + "-"
        if not self.name.startswith(prefix):
            raise ValueError(f"policy {self.name} must be named {prefix}<what-it-checks>")

    def metadata(self, environment: str, remediable: bool = False) -> dict[str, Any]:
        control = controls()[self.control]
        spec_parts = [f"NIST CSF 2.0: {', '.join(control.csf)}"]
        if self.security_hub:
            spec_parts.append(f"AWS Security Hub: {', '.join(self.security_hub)}")
        schema = {"exemptions": EXEMPTIONS_SCHEMA, **{k: dict(val) for k, val in self.config.items()}}
        return {
            "description": self.description,
            "enforcement_level": EnforcementLevel(control.level(environment)),
            "severity": Severity(control.severity),
            "framework": PolicyComplianceFramework(
                name=FRAMEWORK_NAME, version="1", reference=self.control, specification="; ".join(spec_parts)
            ),
            "tags": [
                self.control,
                *(f"csf:{c}" for c in control.csf),
                *(f"securityhub:{s}" for s in self.security_hub),
                *(f"{TYPE_TAG}{t}" for t in self.resource_types or ()),
                *([AUTO_REMEDIATION_TAG] if remediable else []),
                *self.tags,
            ],
            "remediation_steps": self.remediation_steps,
            "url": f"{DOCS_URL}#{self.name}",
            "config_schema": PolicyConfigSchema(properties=schema),
        }


def _exemption(config: Mapping[str, Any], name: str, urn: str) -> str | None:
    for item in config.get("exemptions") or []:
        if item.get("resource") in (name, urn):
            return str(item.get("justification", ""))
    return None


def raw(value: Any) -> Any:
    """The mapping/sequence behind an SDK proxy, without the unknown-value checks of item access."""
    if isinstance(value, Mapping | Sequence) and not isinstance(value, str | dict | list):
        try:
            return value["__target"]  # type: ignore[call-overload]
        except (KeyError, TypeError, IndexError):
            return value
    return value


def get(value: Any, path: str, default: Any = None) -> Any:
    """Nested read by dotted path (``metadataOptions.httpTokens``); lists index by number.

    The SDK hands policies proxies (``Mapping`` / ``Sequence``, not ``dict`` / ``list``): test the ABCs.
    """
    current = value
    for part in path.split("."):
        if isinstance(current, Mapping):
            if part not in current:
                return default
            current = current[part]
        elif (
            isinstance(current, Sequence)
            and not isinstance(current, str)
            and part.isdigit()
            and int(part) < len(current)
        ):
            current = current[int(part)]
        else:
            return default
    return current


class Resource:
    """What a check sees of one resource: type, name, URN, engine-shaped inputs, config, environment."""

    def __init__(
        self,
        type_: str,
        name: str,
        urn: str,
        props: Mapping[str, Any],
        config: Mapping[str, Any],
        stack_tags: Mapping[str, str] | None = None,
    ) -> None:
        self.type = type_
        self.name = name
        self.urn = urn
        self.props = props
        self.config = config
        self.stack_tags = stack_tags or {}

    def get(self, path: str, default: Any = None) -> Any:
        return get(self.props, path, default)

    def has(self, path: str) -> bool:
        return get(self.props, path, _MISSING) is not _MISSING

    def updated(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        """The props with top-level ``changes`` applied, for a remediation, without reading the other values
        (reading a value unknown at preview would stop the remediation)."""
        return {**raw(self.props), **changes}

    def updated_at(self, path: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """The props with ``changes`` merged into the mapping at dotted ``path`` (created when absent)."""
        *parents, leaf = path.split(".")
        new = dict(raw(self.props))
        target = new
        for key in parents:
            target[key] = dict(raw(target.get(key)) or {})
            target = target[key]
        target[leaf] = {**(raw(target.get(leaf)) or {}), **changes}
        return new

    def labels(self, vocabulary: v.Vocabulary | None = None) -> Mapping[str, Any]:
        """Tags / labels / Kubernetes labels. A Kubernetes label counts with or without the vocabulary's prefix
        (``aiwarden.io/owner`` and ``owner`` alike, keyed ``owner``; the prefixed one wins when both are set).
        Default vocabulary: the stack's (``stack_vocabulary``)."""
        where = tag_property(self.type)
        if where is None:
            return {}
        found = self.get(where) or {}
        if where == "metadata.labels":
            prefix = (vocabulary or stack_vocabulary()).k8s_label_prefix
            if not prefix:
                return found
            plain = {k: val for k, val in found.items() if "/" not in k}
            return {**plain, **{k[len(prefix) :]: val for k, val in found.items() if k.startswith(prefix)}}
        return found

    @property
    def environment(self) -> str:
        """The catalog environment of the resource's environment tag (stack vocabulary), else the stack's."""
        vocabulary = stack_vocabulary()
        value = str(self.labels(vocabulary).get(vocabulary.keys.environment) or "") or None
        return vocabulary.canonical_environment(value) or stack_environment()

    @property
    def classification(self) -> str | None:
        """The catalog classification of the data-classification tag (stack vocabulary: key and aliases);
        a value the vocabulary does not know is returned as written; None when unset."""
        vocabulary = stack_vocabulary()
        value = self.labels(vocabulary).get(vocabulary.keys.data_classification)
        if not value:
            return None
        return vocabulary.canonical_classification(str(value)) or str(value)

    @property
    def sensitive(self) -> bool:
        """Confidential/restricted, unclassified, or classified with a value the vocabulary does not know
        (treated as sensitive)."""
        classification = self.classification
        return (
            classification is None
            or classification not in v.CLASSIFICATIONS
            or classification in v.SENSITIVE_CLASSIFICATIONS
        )


ResourceCheck = Callable[[Resource], Iterable[str]]
Remediate = Callable[[Resource], Mapping[str, Any] | None]


class AiwardenResourcePolicy(ResourceValidationPolicy):
    def __init__(self, spec: Spec, check: ResourceCheck, remediate: Remediate | None = None) -> None:
        self.spec = spec
        self._check = check
        self._fix = remediate
        self._types = frozenset(spec.resource_types) if spec.resource_types is not None else None
        super().__init__(spec.name, **spec.metadata(stack_environment(), remediable=remediate is not None))

    def _resource(self, args: ResourceValidationArgs) -> Resource | None:
        if self._types is not None and args.resource_type not in self._types:
            return None
        config = args.get_config() or {}
        justification = _exemption(config, args.name, args.urn)
        if justification is not None:
            args.not_applicable(EXEMPT_PREFIX + justification)
        return Resource(args.resource_type, args.name, args.urn, args.props, config, args.stack_tags)

    def validate(self, args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        resource = self._resource(args)
        if resource is None:
            return
        for message in self._check(resource):
            report_violation(message, None)

    def remediate(self, args: ResourceValidationArgs) -> Mapping[str, Any] | None:  # type: ignore[override]
        if self._fix is None:
            return None
        resource = self._resource(args)
        return self._fix(resource) if resource is not None else None

    def has_remediation(self) -> bool:
        return self._fix is not None


class Unknown(UnknownValueError):
    """A decision that needs a value unknown at preview; ``message`` says which value (of which resource).

    The SDK's own error class, so an ``Unknown`` that escapes a policy is reported by the SDK exactly as
    an unknown value read through its proxy is.
    """

    def __init__(self, reason: str, cause: UnknownValueError | None = None) -> None:
        sentinel = cause.unknown_type_sentinel if cause is not None else UNKNOWN_STRING_VALUE
        super().__init__(sentinel, list(cause.props) if cause is not None else [])
        self.message = reason


def _kind(r: Any) -> str:
    return str(r.resource_type).rsplit(":", 1)[-1]


@contextmanager
def reading(r: Any) -> Iterator[None]:
    """Reads of ``r``'s values: an unknown one raises ``Unknown`` naming ``r`` (``Bucket 'logs': string value
    at .bucket can't be known during preview``), for a subject whose decision depends on another resource."""
    try:
        yield
    except Unknown:
        raise
    except UnknownValueError as e:
        raise Unknown(f"{_kind(r)} {r.name!r}: {e.message}", e) from None


T = TypeVar("T")


class Readings(Generic[T]):
    """One value read from each of several items (``read(item)``), when some may be unknown at preview:
    ``known`` holds (item, value) of those read, ``unknown`` (item, why) of the others. Items are resources,
    or anything ``of(item)`` maps to the resource an unknown value is named after."""

    def __init__(
        self, items: Iterable[Any], read: Callable[[Any], T], of: Callable[[Any], Any] | None = None
    ) -> None:
        self.known: list[tuple[Any, T]] = []
        self.unknown: list[tuple[Any, Unknown]] = []
        for item in items:
            try:
                with reading(of(item) if of is not None else item):
                    value = read(item)
            except Unknown as e:
                self.unknown.append((item, e))
            else:
                self.known.append((item, value))

    def values(self) -> list[T]:
        return [value for _, value in self.known]

    def get(self, item: Any) -> T:
        """The value read from ``item``; ``Unknown`` when it could not be read."""
        for known, value in self.known:
            if known is item:
                return value
        for unknown, e in self.unknown:
            if unknown is item:
                raise e
        raise KeyError(item)

    def require(self) -> None:
        """Raise ``Unknown`` when an item could not be read: the decision at hand may depend on it."""
        if self.unknown:
            raise Unknown(", ".join(e.message for _, e in self.unknown), self.unknown[0][1])

    def any(self) -> bool:
        """Whether a value read is true; ``Unknown`` when none is and some could not be read (one may be)."""
        if any(self.values()):
            return True
        self.require()
        return False


class Stack:
    """What a stack check sees: every resource (with parent and dependencies), config, stack tags."""

    def __init__(self, args: StackValidationArgs) -> None:
        self.config = args.get_config() or {}
        self.stack_tags = args.stack_tags
        self.resources = args.resources
        #: URN (``""``: the stack-level check) -> why: what ``each`` / ``whole`` could not decide at preview.
        self.undecided: dict[str, str] = {}

    def resource(self, r: Any) -> Resource:
        return Resource(r.resource_type, r.name, r.urn, r.props, self.config, self.stack_tags)

    def of_type(self, *types: str) -> list[Any]:
        wanted = set(types)
        return [r for r in self.resources if r.resource_type in wanted]

    def exempt(self, r: Any) -> bool:
        return _exemption(self.config, r.name, r.urn) is not None

    def each(
        self, subjects: Iterable[Any], *decide: Callable[[Any], Iterable[str]]
    ) -> Iterator[tuple[str, str]]:
        """Decide each subject (anything with a ``urn``) on its own, by each of ``decide`` (independent parts of
        the decision): the messages a part yields are violations of the subject. A part that meets a value
        unknown at preview leaves the subject undecided (what it yielded before still stands) and the other
        parts and subjects are still decided. So a subject's decision reads the relations it needs itself, or
        through ``Readings``, never through a stack-wide read that an unknown value would stop."""
        for subject in subjects:
            for part in decide:
                try:
                    for message in part(subject):
                        yield message, subject.urn
                except UnknownValueError as e:
                    self.undecided.setdefault(subject.urn, e.message)

    def whole(self, *decide: Callable[[], Iterable[str]]) -> Iterator[tuple[str, None]]:
        """``each`` for stack-level parts of a check: their messages are stack-level violations; a part that meets
        a value unknown at preview leaves the stack-level check undecided, and the other parts still run."""
        for part in decide:
            try:
                for message in part():
                    yield message, None
            except UnknownValueError as e:
                self.undecided.setdefault("", e.message)


class Undecided(UnknownValueError):
    """Raised by a stack policy after it reported what it decided: the subjects it could not decide at preview
    (and the stack-level check, when that met an unknown value too). The SDK keeps the violations reported and
    adds its advisory "can't run policy ... during preview: <message>" diagnostic."""

    def __init__(self, subjects: Mapping[str, str], stack: UnknownValueError | None = None) -> None:
        super().__init__(UNKNOWN_STRING_VALUE, [])
        self.subjects = dict(subjects)
        entries = [(STACK_SUBJECT, stack.message)] if stack is not None else []
        entries += list(self.subjects.items())
        # ";" separates the entries: kept out of the reasons so the list stays parseable.
        self.message = UNDECIDED_PREFIX + ENTRY_SEPARATOR.join(
            f"{who} ({reason.replace(';', ',')})" for who, reason in entries
        )


StackCheck = Callable[[Stack], Iterable[tuple[str, str | None]]]


class AiwardenStackPolicy(StackValidationPolicy):
    def __init__(self, spec: Spec, check: StackCheck) -> None:
        self.spec = spec
        self._check = check
        super().__init__(spec.name, **spec.metadata(stack_environment()))

    def validate(self, args: StackValidationArgs, report_violation: ReportViolation) -> None:
        stack = Stack(args)
        by_urn = {r.urn: r for r in stack.resources}
        stack_unknown: UnknownValueError | None = None
        try:
            for message, urn in self._check(stack):
                target = by_urn.get(urn) if urn else None
                if target is not None and stack.exempt(target):
                    continue
                report_violation(message, urn)
        except UnknownValueError as e:  # a stack-level read: what was reported stands
            stack_unknown = e
        undecided = {
            urn: reason
            for urn, reason in stack.undecided.items()
            if urn and (urn not in by_urn or not stack.exempt(by_urn[urn]))
        }
        whole = stack.undecided.get("")
        if stack_unknown is None and whole is not None:
            stack_unknown = Unknown(whole)
        if undecided:
            raise Undecided(undecided, stack_unknown)
        if stack_unknown is not None:  # the stack-level check alone: the SDK's advisory as it always was
            raise stack_unknown


def resource_policy(
    spec: Spec, remediate: Remediate | None = None
) -> Callable[[ResourceCheck], AiwardenResourcePolicy]:
    """Decorator: ``@resource_policy(Spec(...))`` over ``def check(r: Resource) -> Iterable[str]``."""

    def wrap(check: ResourceCheck) -> AiwardenResourcePolicy:
        return AiwardenResourcePolicy(spec, check, remediate)

    return wrap


def stack_policy(spec: Spec) -> Callable[[StackCheck], AiwardenStackPolicy]:
    """Decorator: ``@stack_policy(Spec(...))`` over ``def check(s: Stack) -> Iterable[(message, urn | None)]``."""

    def wrap(check: StackCheck) -> AiwardenStackPolicy:
        return AiwardenStackPolicy(spec, check)

    return wrap
