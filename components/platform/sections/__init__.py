"""The sections of the platform's stack config, one module per target (``aws``, ``gcp``, ``k8s``) and what they
share (``common``). Each section is a pydantic model with camelCase keys (``extra="forbid"``, every field
described); ``components.platform.config`` assembles them into ``PlatformConfig``."""
