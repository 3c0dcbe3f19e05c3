"""aiwarden components: hardened Pulumi ComponentResources for AI workloads."""
