"""The incident runbook of a stack (IR-1): per recorded asset, whom to call and the exact commands.

- ``model``: ``Runbook`` / ``AssetRunbook`` and their items, steps and evidence;
- ``context``: what a command needs besides the identifier (the stack, the asset's account/project/region);
- ``aws``, ``gcp``, ``k8s``: an identifier a record names (ARN, member, resource id, URL) to the commands
  that revoke, disable or inspect it, with how to undo them;
- ``evidence``: where each log is, how long it is kept (read from the stack where it sets retention), how
  to copy it out, and the request identifiers a responder correlates on;
- ``spend``: budgets, anomaly monitors and alarms (denial of wallet);
- ``build``: the ``Runbook`` of a ``StackView``;
- ``render``: Markdown, HTML and JSON.
"""
