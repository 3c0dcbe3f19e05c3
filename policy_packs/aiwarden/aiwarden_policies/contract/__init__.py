"""The pack's contract with the project: the only part of ``aiwarden_policies`` that code outside the pack
(components, the ``aiwarden`` command, tests, benchmarks) may import. It imports nothing else of the pack.

- ``vocabulary``: ownership tag/label keys and values (INV-1), stamped by components, read by policies;
- ``outputs``: the stack outputs components write and stack policies read (``inventory``, ``incidentResponse``)
  and the ``aiwarden:`` stack-config keys the pack reads (re-exported here);
- ``assets``: the AI asset kinds of inventory records;
- ``taggable``: which property carries tags/labels for each resource type;
- ``iam`` and ``values``: the IAM-document reader (statements, principals, conditions) policies and
  components share;
- ``logs``: CloudWatch Logs retention values (components set them, LOG-2 checks them);
- ``gpu``: the GPU node ceiling (GPU-5) the GPU-5 policies and the GPU pool components read alike;
- ``images``: container image references and approved registries (SUP-2), parsed alike by the SUP-2
  policies and the components' ``ImageRef``;
- ``markers``: what the pack says on the analyzer protocol that the gate reads back (exemptions,
  undecided subjects);
- ``catalog``: the control catalog (``data/controls.yaml``).

Enforced by import-linter (``[tool.importlinter]`` in ``pyproject.toml``, run by ``make test``).
"""

from aiwarden_policies.contract.outputs import (
    EXPOSURES as EXPOSURES,
    INVENTORY_FIELDS as INVENTORY_FIELDS,
    INVENTORY_OUTPUT as INVENTORY_OUTPUT,
    IR_FIELDS as IR_FIELDS,
    IR_OUTPUT as IR_OUTPUT,
    STACK_CONFIG_KEYS as STACK_CONFIG_KEYS,
    STACK_CONFIG_NAMESPACE as STACK_CONFIG_NAMESPACE,
)
