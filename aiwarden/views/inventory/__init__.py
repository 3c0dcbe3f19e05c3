"""The AI asset inventory of a stack (INV-2): what components recorded, and the AI assets nobody recorded.

- ``model``: the ``Inventory`` of a ``StackView`` (recorded entries, responder contacts, unmanaged assets);
- ``unmanaged``: which resources are AI assets and which of them no record covers;
- ``render``: the terminal table (readable at 80 columns), CSV, JSON, Markdown and the HTML page.
"""
