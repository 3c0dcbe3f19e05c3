"""What the pack says on the analyzer protocol that the gate reads back: exemptions and undecided subjects.

- Policy tags the docs read back: ``TYPE_TAG + <type token>`` for each resource type a policy checks
  (none: it filters itself), ``AUTO_REMEDIATION_TAG`` when it can remediate in place.
- An exempt resource is reported as not applicable with the reason ``EXEMPT_PREFIX + justification``.
- A stack policy that could not decide some subjects at preview raises the SDK's unknown-value error
  with ``UNDECIDED_PREFIX`` and ``<urn> (<reason>)`` entries joined by ``ENTRY_SEPARATOR``
  (``STACK_SUBJECT`` for the stack-level part); the SDK reports it as its advisory
  ``can't run policy ... during preview: <message>`` (``CANNOT_RUN`` ... ``DURING_PREVIEW``).
"""

from __future__ import annotations

EXEMPT_PREFIX = "exempted: "
UNDECIDED_PREFIX = "undecided for "
STACK_SUBJECT = "the stack"
ENTRY_SEPARATOR = "; "
#: How pulumi-policy words a policy that read a value unknown at preview.
CANNOT_RUN = "can't run policy"
DURING_PREVIEW = " during preview: "
TYPE_TAG = "type:"
AUTO_REMEDIATION_TAG = "auto-remediation"
