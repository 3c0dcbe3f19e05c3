"""Generators for data and docs derived from code (checked for staleness in CI)."""
