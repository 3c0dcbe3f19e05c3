"""Offline preview: run a Pulumi Python program under Pulumi's mock runtime and capture every registration."""
