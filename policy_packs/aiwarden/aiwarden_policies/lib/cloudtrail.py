"""CloudTrail trails: which management events and which S3 object data events they record (LOG-1, DATA-3).

Management events: a trail without selectors records all of them; classic ``eventSelectors`` count
unless ``includeManagementEvents`` is false (``readWriteType`` absent: All); advanced selectors count
with ``eventCategory`` = Management (a ``readOnly`` field narrows them to reads or writes).

S3 object data events of a bucket: classic ``dataResources`` of type ``AWS::S3::Object`` whose value is
``arn:aws:s3`` / ``arn:aws:s3:::`` (all buckets) or a prefix of ``arn:aws:s3:::<bucket>/``; or an
advanced selector with ``eventCategory`` = Data and ``resources.type`` = ``AWS::S3::Object`` whose
``resources.ARN`` ``equals``/``startsWiths`` (if any) prefix the bucket's objects and ``notStartsWiths``
do not. Other ARN operators are not interpreted; ARNs of every partition count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyResource

from aiwarden_policies.contract.values import items

TRAIL = "aws:cloudtrail/trail:Trail"
S3_OBJECT = "AWS::S3::Object"
READ = "read"
WRITE = "write"
BOTH = frozenset({READ, WRITE})
_ALL_S3 = re.compile(r"^arn:aws:s3(:::)?$")
_PARTITION = re.compile(r"^arn:aws[a-z-]*:")


def _read_write(value: Any) -> frozenset[str]:
    return {"ReadOnly": frozenset({READ}), "WriteOnly": frozenset({WRITE})}.get(str(value or "All"), BOTH)


def _fields(selector: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {str(f.get("field")): f for f in items(selector.get("fieldSelectors"))}


def _values(fields: Mapping[str, Mapping[str, Any]], field: str, operator: str) -> list[str]:
    selector = fields.get(field)
    return [str(x) for x in items(selector.get(operator))] if selector is not None else []


def _advanced_read_write(fields: Mapping[str, Mapping[str, Any]]) -> frozenset[str]:
    read_only = {x.lower() for x in _values(fields, "readOnly", "equals")}
    if read_only == {"true"}:
        return frozenset({READ})
    if read_only == {"false"}:
        return frozenset({WRITE})
    return BOTH


def management_events(trail: PolicyResource) -> frozenset[str]:
    """Which of read/write management events a trail records."""
    classic, advanced = (
        items(trail.props.get("eventSelectors")),
        items(trail.props.get("advancedEventSelectors")),
    )
    if not classic and not advanced:
        return BOTH  # CloudTrail default: all management events
    found: frozenset[str] = frozenset()
    for selector in classic:
        if selector.get("includeManagementEvents", True) is not False:  # absent: true
            found |= _read_write(selector.get("readWriteType"))
    for selector in advanced:
        fields = _fields(selector)
        if "Management" in _values(fields, "eventCategory", "equals"):
            found |= _advanced_read_write(fields)
    return found


def _normal(arn: str) -> str:
    return _PARTITION.sub("arn:aws:", arn)


def _classic_covers(value: str, objects: str) -> bool:
    value = _normal(value)
    return bool(_ALL_S3.match(value)) or (value.startswith("arn:aws:s3:::") and objects.startswith(value))


def _advanced_covers(fields: Mapping[str, Mapping[str, Any]], objects: str) -> bool:
    prefixes = [_normal(x) for op in ("equals", "startsWiths") for x in _values(fields, "resources.ARN", op)]
    if prefixes and not any(objects.startswith(p) for p in prefixes):
        return False
    return not any(objects.startswith(_normal(x)) for x in _values(fields, "resources.ARN", "notStartsWiths"))


def s3_data_events(trail: PolicyResource, bucket_name: str) -> frozenset[str]:
    """Which of read/write S3 object data events of ``bucket_name`` a trail records."""
    objects = f"arn:aws:s3:::{bucket_name}/"
    found: frozenset[str] = frozenset()
    for selector in items(trail.props.get("eventSelectors")):
        for resource in items(selector.get("dataResources")):
            if resource.get("type") == S3_OBJECT and any(
                _classic_covers(str(v), objects) for v in items(resource.get("values"))
            ):
                found |= _read_write(selector.get("readWriteType"))
    for selector in items(trail.props.get("advancedEventSelectors")):
        fields = _fields(selector)
        if (
            "Data" in _values(fields, "eventCategory", "equals")
            and S3_OBJECT in _values(fields, "resources.type", "equals")
            and _advanced_covers(fields, objects)
        ):
            found |= _advanced_read_write(fields)
    return found
