"""Policies of the aiwarden CrossGuard pack.

This package is imported by the pack's ``__main__.py`` (which the Pulumi engine, or
``aiwarden check``, runs as ``python -m pulumi.policy``) and, for the shared
vocabulary only, by the components. It depends on nothing but ``pulumi-policy``
and PyYAML, so the pack stays self-contained for ``pulumi preview --policy-pack``.
"""
