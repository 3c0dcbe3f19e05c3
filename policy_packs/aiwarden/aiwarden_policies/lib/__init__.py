"""Helpers shared by policies of several families (one concept per module)."""
