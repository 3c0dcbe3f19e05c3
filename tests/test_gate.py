"""The gate's engine side: sharded evaluation answers exactly as one pack process does."""

from __future__ import annotations

import pytest

from aiwarden.gate import engine, evaluate
from tests.harness import capture

PROGRAM = """
import pulumi_aws as aws, pulumi_kubernetes as k8s
for i in range(6):
    aws.s3.Bucket(f"bucket-{i}", tags={"owner": "ml", "purpose": "x"})
    k8s.core.v1.Namespace(f"ns-{i}")
aws.kms.Key("key")
"""


def _findings(shard_min: int, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str, str, str]]:
    monkeypatch.setattr(engine, "SHARD_MIN_RESOURCES", shard_min)
    report = evaluate(capture(PROGRAM))
    return {(v.policy, v.urn, v.enforcement_level, v.message) for v in report.violations}


def test_sharded_evaluation_equals_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    single = _findings(10_000, monkeypatch)
    sharded = _findings(1, monkeypatch)
    assert sharded == single
    stack_level = {p for p, *_ in single if p.startswith(("data-1-s3-bucket-has", "net-2-namespace-default"))}
    assert stack_level == {"data-1-s3-bucket-has-public-access-block", "net-2-namespace-default-deny"}


def test_stack_policies_are_split_without_overlap() -> None:
    from google.protobuf import empty_pb2

    from aiwarden.gate.pack_process import PackEnvironment, PackProcess, load_manifest

    env = PackEnvironment("p", "s", "o", True, {}, [])
    with PackProcess(load_manifest(engine.default_pack_dir()), env, engine.ENGINE_ADDRESS) as pack:
        info = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
    shares = engine.stack_shares(info, 3)
    names = [n for share in shares for n in share]
    assert len(names) == len(set(names))
    assert set(names) == {p.name for p in info.policies if p.policy_type == 2}


def test_undecided_subjects_are_split_by_urn_and_an_unparseable_list_stays_whole() -> None:
    a = "urn:pulumi:s::p::aws:s3/bucket:Bucket::a (x)"  # names may hold " (" and ")"
    b = "urn:pulumi:s::p::aws:s3/bucket:Bucket::b"
    urns = {a: None, b: None}
    head = "can't run policy 'p' from policy pack 'aiwarden@v0.1.0'"
    message = (
        f"{head} during preview: undecided for the stack (Stack 's': Object value at .inventory can't be known "
        f"during preview); {a} (string value at .tags can't be known during preview); {b} (BucketPolicy 'b-policy' "
        "(of b): string value at .policy can't be known during preview)"
    )
    assert engine.undecided_entries(message, urns) == [
        ("", "Stack 's': Object value at .inventory can't be known during preview"),
        (a, "string value at .tags can't be known during preview"),
        (b, "BucketPolicy 'b-policy' (of b): string value at .policy can't be known during preview"),
    ]
    # A URN the stack does not hold, or the SDK's own message: no list, the advisory stays as it is.
    assert engine.undecided_entries(message, {a: None}) is None
    plain = f"{head} during preview: string value at .policy can't be known during preview"
    assert engine.undecided_entries(plain, urns) is None


TIMEOUTS = """
import pulumi, pulumi_aws as aws
aws.s3.Bucket("slow", tags={"owner": "ml", "purpose": "x"},
              opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="1h30m", delete="1200s")))
"""


def test_custom_timeouts_reach_the_pack_as_seconds() -> None:
    """Pulumi custom timeouts are Go durations; the analyzer protocol takes seconds."""
    report = evaluate(capture(TIMEOUTS))
    assert report.resources and any(r.name == "slow" for r in report.resources)
    assert engine._seconds("1h30m") == 5400.0
    assert engine._seconds("1200s") == 1200.0
    assert engine._seconds("") == 0.0


def test_a_malformed_custom_timeout_is_a_clear_error() -> None:
    from aiwarden.errors import AiwardenError

    with pytest.raises(AiwardenError, match="'ten minutes' is not a duration such as '10m'"):
        engine._seconds("ten minutes")
