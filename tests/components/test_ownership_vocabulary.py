"""Ownership under the stack's own vocabulary (``aiwarden:vocabulary``): components stamp its keys and words."""

from __future__ import annotations

import json

import pytest

from aiwarden.errors import AiwardenError
from tests.components.helpers import inputs
from tests.harness import capture, findings, gate
from tests.policies.test_inv_1 import VOCABULARY

STACK = {"aiwarden:vocabulary": VOCABULARY}
#: What the pack sees of that stack config (the engine passes object values as JSON text).
PACK_STACK = {"aiwarden:vocabulary": json.dumps(VOCABULARY)}

PROGRAM = """
import pulumi_aws as aws, pulumi_gcp as gcp, pulumi_kubernetes as k8s
from components._common import Ownership, stamp_ownership
from components.aws import Key, KeyArgs
from components.gcp import Key as GcpKey, KeyArgs as GcpKeyArgs
o = Ownership(owner="ml-platform", environment="live", data_classification="secret", purpose="training",
              contact="ml@example.com")
Key("k", KeyArgs(ownership=o, services=("s3",)))
GcpKey("g", GcpKeyArgs(ownership=o, location="us-central1"))
stamp_ownership(o)
aws.s3.Bucket("bucket")
gcp.storage.Bucket("gcs", location="US")
k8s.core.v1.Namespace("ns")
"""
#: The vocabulary's keys; its words folded onto the catalog's (live: production, secret: restricted).
PAIRS = {"team": "ml-platform", "env": "production", "data-class": "restricted", "app": "training"}


def test_components_and_stamp_ownership_use_the_stack_vocabulary() -> None:
    c = capture(PROGRAM, STACK)
    assert c.error is None, c.error
    assert inputs(c, "k-cmk")["tags"] == {**PAIRS, "contact": "ml@example.com"}
    assert inputs(c, "g-key")["labels"] == PAIRS
    assert inputs(c, "bucket")["tags"] == {**PAIRS, "contact": "ml@example.com"}
    assert inputs(c, "gcs")["labels"] == PAIRS
    assert inputs(c, "ns")["metadata"] == {
        "labels": {f"example.com/{k}": val for k, val in PAIRS.items()},
        "annotations": {"example.com/contact": "ml@example.com"},
    }
    assert findings(gate(c, stack_config=PACK_STACK), "inv-1") == set()


BROKEN = """
from components._common import Ownership
from components.aws import Key, KeyArgs
o = Ownership(owner="ml-platform", environment="production", data_classification="restricted", purpose="training")
Key("k", KeyArgs(ownership=o))
"""


def test_malformed_stack_vocabulary_is_refused_before_the_program_runs() -> None:
    # aiwarden reads the stack file first: the field is named, the program never starts
    with pytest.raises(AiwardenError) as caught:
        capture(BROKEN, {"aiwarden:vocabulary": {"keys": {"owner": "team", "purpose": "team"}}})
    assert caught.value.message.endswith(
        "Pulumi.test.yaml: aiwarden:vocabulary.keys.purpose: 'team' is also the key of owner; "
        "each field needs its own key"
    )


def test_malformed_stack_vocabulary_stops_a_component_under_pulumi_up() -> None:
    # under `pulumi up` nothing checked the stack file: the first Ownership reads the vocabulary and stops
    import contextvars

    import pulumi
    from pulumi.runtime.config import set_all_config

    from components._common.ownership import configured_vocabulary

    def read() -> None:  # in a context of its own: the process-wide config stays untouched
        set_all_config({"aiwarden:vocabulary": json.dumps({"keys": {"owner": "team", "purpose": "team"}})})
        configured_vocabulary()

    with pytest.raises(pulumi.RunError) as caught:
        contextvars.copy_context().run(read)
    assert str(caught.value) == (
        "invalid stack config: aiwarden:vocabulary.keys.purpose: 'team' is also the key of owner; "
        "each field needs its own key"
    )


def test_a_vocabulary_key_gcp_refuses_stops_a_gcp_component() -> None:
    program = BROKEN.replace("components.aws", "components.gcp").replace(
        "KeyArgs(ownership=o)", 'KeyArgs(ownership=o, location="us-central1")'
    )
    with pytest.raises(AiwardenError) as caught:
        capture(program, {"aiwarden:vocabulary": {"keys": {"owner": "Owner"}}})
    assert caught.value.message == (
        "program __main__.py failed: RunError: invalid stack config: aiwarden:vocabulary.keys.owner: 'Owner' is not "
        "a GCP label key (a lowercase letter, then lowercase letters, digits, '_' or '-', 63 at most)"
    )
