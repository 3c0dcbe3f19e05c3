"""aiwarden: secure reference platform for AI workloads on Pulumi."""

__version__ = "0.1.0"
