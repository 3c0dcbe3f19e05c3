"""The aiwarden platform program (root ``Pulumi.yaml``; stacks in ``stacks/``)."""

from components.platform import build

build()
