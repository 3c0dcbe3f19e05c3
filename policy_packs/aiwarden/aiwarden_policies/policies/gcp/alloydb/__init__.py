"""Policies, one per file, by resource family."""
