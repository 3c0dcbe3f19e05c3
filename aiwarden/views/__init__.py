"""Views of a stack for responders and auditors (INV-2, IR-1), from an offline preview or a state export.

- ``stack``: the resources and stack outputs a view reads (``StackView``), from a preview ``Capture``;
- ``state_file``: the same from a ``pulumi stack export`` file, refusing truncated, foreign and empty ones;
- ``manifest``: the ``inventory`` / ``incidentResponse`` outputs components publish (``export_inventory()``),
  and the plain table of either (``aiwarden incident-response``);
- ``inventory``: the asset inventory, with the AI assets no record covers (``aiwarden inventory``);
- ``runbook``: per asset, whom to call and the exact commands to revoke, disable, preserve and inspect
  (``aiwarden runbook``);
- ``html`` and ``text``: the self-contained HTML page and the plain-text helpers every view shares.
"""
