"""IPv4 CIDR blocks and availability zones as the network components accept them, checked with ``ipaddress``.

A ``Cidr`` is a network address in CIDR notation (``10.0.0.0/16``; host bits set are refused with the network
to use instead). Whether it may be the whole internet, must be private, or must sit inside the VPC is decided
by the field that takes it, which names itself in the error.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Annotated

from pydantic import AfterValidator, Field

WORLD_V4 = "0.0.0.0/0"
WORLD_V6 = "::/0"
#: Address space a private network may use: RFC 1918 and the RFC 6598 shared space (100.64.0.0/10).
PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)
AVAILABILITY_ZONE = r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$"


def _cidr(value: str) -> str:
    if ":" in value:
        raise ValueError(
            f"{value!r}: IPv6 ranges are not supported here; give an IPv4 CIDR such as 10.0.0.0/16"
        )
    try:
        network = ipaddress.IPv4Network(value.strip(), strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block such as 10.0.0.0/16") from None
    if "/" not in value:
        raise ValueError(f"{value!r}: give the prefix length too, e.g. {network.with_prefixlen}")
    if str(network.network_address) != value.strip().split("/")[0]:
        raise ValueError(f"{value!r} has host bits set; the network is {network.with_prefixlen}")
    return network.with_prefixlen


Cidr = Annotated[
    str,
    AfterValidator(_cidr),
    Field(description="An IPv4 CIDR block, e.g. `10.0.0.0/16` (network address, prefix length given)."),
]
AvailabilityZone = Annotated[
    str, Field(pattern=AVAILABILITY_ZONE, description="An availability zone name, e.g. `us-east-1a`.")
]


def network(cidr: str) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(cidr)


def is_world(cidr: str) -> bool:
    return network(cidr).prefixlen == 0


def is_private(cidr: str) -> bool:
    return any(network(cidr).subnet_of(r) for r in PRIVATE_RANGES)


def first_overlap(blocks: Mapping[str, str]) -> tuple[str, str] | None:
    """The names of the first two of ``blocks`` (name -> CIDR) that overlap, in order, or None."""
    named = list(blocks.items())
    for i, (a, cidr_a) in enumerate(named):
        for b, cidr_b in named[i + 1 :]:
            if network(cidr_a).overlaps(network(cidr_b)):
                return a, b
    return None


def outside(blocks: Mapping[str, str], container: str) -> Iterable[str]:
    """The names of ``blocks`` that are not inside ``container``."""
    return [name for name, cidr in blocks.items() if not network(cidr).subnet_of(network(container))]
