"""Security group rules as the network components write them: one TCP port, one kind of peer, a description."""

from __future__ import annotations

from typing import Any

import pulumi_aws as aws


def tcp_in(description: str, port: int, **peer: Any) -> aws.ec2.SecurityGroupIngressArgs:
    """Ingress on one TCP port from ``peer`` (``cidr_blocks=[...]``, ``self=True``, ``prefix_list_ids=[...]``)."""
    return aws.ec2.SecurityGroupIngressArgs(
        description=description, protocol="tcp", from_port=port, to_port=port, **peer
    )


def tcp_out(description: str, port: int, **peer: Any) -> aws.ec2.SecurityGroupEgressArgs:
    """Egress on one TCP port to ``peer`` (``cidr_blocks=[...]``, ``self=True``, ``prefix_list_ids=[...]``)."""
    return aws.ec2.SecurityGroupEgressArgs(
        description=description, protocol="tcp", from_port=port, to_port=port, **peer
    )
