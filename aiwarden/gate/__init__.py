"""The policy gate: run CrossGuard packs over a program through the analyzer gRPC protocol.

``evaluate`` is the one pipeline (CLI, tests, benchmarks); ``list_policies`` what a pack declares.
"""

from aiwarden.gate.engine import list_policies
from aiwarden.gate.evaluate import evaluate

__all__ = ["evaluate", "list_policies"]
