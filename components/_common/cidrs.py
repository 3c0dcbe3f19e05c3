"""IP ranges (CIDR blocks) as every component takes them, checked with ``ipaddress``.

A ``Cidr`` is an IPv4 network in CIDR notation (``10.0.0.0/16``), an ``IpCidr`` an IPv4 or IPv6 one (Kubernetes
NetworkPolicies take both): the prefix length is given and host bits set are refused with the network to use
instead; the value is kept in its canonical form. Whether a range may be the whole internet, must be private, or
must sit inside another is decided by the field that takes it, which names itself in the error.
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


def check_cidr(value: str, *, ipv6: bool = False) -> str:
    """``value`` as a canonical CIDR block (IPv4, or either version with ``ipv6``); ``ValueError`` saying why not."""
    text = value.strip()
    address = text.partition("/")[0]
    if ":" in text and not ipv6:
        raise ValueError(
            f"{value!r}: IPv6 ranges are not supported here; give an IPv4 CIDR such as 10.0.0.0/16"
        )
    try:
        network = ipaddress.ip_network(text, strict=False)
        start = ipaddress.ip_address(address)
    except ValueError:
        example = "10.0.0.0/16 or fd00::/64" if ipv6 else "10.0.0.0/16"
        kind = "a CIDR block" if ipv6 else "an IPv4 CIDR block"
        raise ValueError(f"{value!r} is not {kind} such as {example}") from None
    if "/" not in text:
        raise ValueError(f"{value!r}: give the prefix length too, e.g. {network.with_prefixlen}")
    if start != network.network_address:
        raise ValueError(f"{value!r} has host bits set; the network is {network.with_prefixlen}")
    return network.with_prefixlen


def _ipv4(value: str) -> str:
    return check_cidr(value)


def _any_version(value: str) -> str:
    return check_cidr(value, ipv6=True)


Cidr = Annotated[
    str,
    AfterValidator(_ipv4),
    Field(description="An IPv4 CIDR block, e.g. `10.0.0.0/16` (network address, prefix length given)."),
]
IpCidr = Annotated[
    str,
    AfterValidator(_any_version),
    Field(
        description="An IPv4 or IPv6 CIDR block, e.g. `10.0.0.0/16` (network address, prefix length given)."
    ),
]


def network(cidr: str) -> ipaddress.IPv4Network:
    """The IPv4 network of a ``Cidr``."""
    return ipaddress.IPv4Network(cidr)


def is_world(cidr: str) -> bool:
    """``0.0.0.0/0`` or ``::/0``: every address."""
    return ipaddress.ip_network(cidr).prefixlen == 0


def is_private(cidr: str) -> bool:
    """Whether ``cidr`` lies inside the private ranges (RFC 1918, RFC 6598)."""
    block = ipaddress.ip_network(cidr)
    return isinstance(block, ipaddress.IPv4Network) and any(block.subnet_of(r) for r in PRIVATE_RANGES)


def first_overlap(blocks: Mapping[str, str]) -> tuple[str, str] | None:
    """The first of ``blocks`` (name -> IPv4 CIDR, in order) that overlaps an earlier one, as (earlier, later)
    names, or None."""
    named = list(blocks.items())
    for j, (later, cidr) in enumerate(named):
        for earlier, other in named[:j]:
            if network(cidr).overlaps(network(other)):
                return earlier, later
    return None


def outside(blocks: Mapping[str, str], container: str) -> Iterable[str]:
    """The names of ``blocks`` (IPv4) that are not inside ``container``."""
    return [name for name, cidr in blocks.items() if not network(cidr).subnet_of(network(container))]
