"""PrivateNetwork (GCP): custom-mode VPC, private Google APIs, deny-all egress/ingress logged, NAT only by name."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components._common import GcpNetwork, Ownership
from components.gcp import PrivateNetworkArgs
from tests.components.gcp_helpers import run
from tests.components.helpers import (
    OWNERSHIP,
    children,
    depends_on,
    example,
    incident_response,
    inputs,
    inventory,
    parent_name,
    readme_example,
)
from tests.harness import findings, gate

DEFAULT = """
net = PrivateNetwork("net", PrivateNetworkArgs(
    ownership=o, network_name="ml-prod", subnets={"gke": Subnet(region="us-central1", cidr="10.0.0.0/20")}))
pulumi.export("placement", net.placement("gke").model_dump())
"""
NAT = """
PrivateNetwork("net", PrivateNetworkArgs(
    ownership=o, network_name="ml-prod", project="ml-net-prod", google_apis="private",
    subnets={"a": Subnet(region="us-central1", cidr="10.0.0.0/20"),
             "b": Subnet(region="europe-west4", cidr="10.1.0.0/20"),
             "c": Subnet(region="us-central1", cidr="10.2.0.0/20")},
    egress={"models": EgressRule(destinations=["203.0.113.0/24"], target_tags=["agents"])},
    ingress={"iap": IngressRule(sources=["35.235.240.0/20"], ports=["22"], target_tags=["bastion"])},
    nat=CloudNat(justification="agents call the model provider API, approved by security until 2026-12",
                 subnets=["a", "c", "b"], log_filter="ERRORS_ONLY")))
"""
OWNER = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="training"
)
BASE: dict[str, Any] = {
    "ownership": OWNER,
    "network_name": "ml-prod",
    "subnets": {"a": {"region": "us-central1", "cidr": "10.0.0.0/20"}},
}
JUSTIFICATION = "public model API, approved by security until 2026-12"
NETWORK_ID = "projects/aiwarden-offline/locations/global/networks/ml-prod"  # the mocks' id of the network
LOGGED = {"metadata": "INCLUDE_ALL_METADATA"}
RESTRICTED = ["199.36.153.4", "199.36.153.5", "199.36.153.6", "199.36.153.7"]
FIXED = [
    ("aiwarden:gcp:PrivateNetwork", "net"),
    ("gcp:compute/network:Network", "net-network"),
    ("gcp:compute/route:Route", "net-google-apis"),
    ("gcp:compute/firewall:Firewall", "net-egress-deny-all"),
    ("gcp:compute/firewall:Firewall", "net-ingress-deny-all"),
    ("gcp:compute/firewall:Firewall", "net-egress-google-apis"),
    ("gcp:compute/firewall:Firewall", "net-egress-internal"),
    ("gcp:dns/managedZone:ManagedZone", "net-googleapis"),
    ("gcp:dns/managedZone:ManagedZone", "net-pkg-dev"),
    ("gcp:dns/managedZone:ManagedZone", "net-gcr-io"),
    ("gcp:dns/recordSet:RecordSet", "net-googleapis-a"),
    ("gcp:dns/recordSet:RecordSet", "net-googleapis-cname"),
    ("gcp:dns/recordSet:RecordSet", "net-pkg-dev-a"),
    ("gcp:dns/recordSet:RecordSet", "net-pkg-dev-cname"),
    ("gcp:dns/recordSet:RecordSet", "net-gcr-io-a"),
    ("gcp:dns/recordSet:RecordSet", "net-gcr-io-cname"),
    ("gcp:dns/policy:Policy", "net-dns"),
]


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted([*FIXED, ("gcp:compute/subnetwork:Subnetwork", "net-subnet-gke")])
    assert {parent_name(c, n) for _, n in FIXED[1:]} == {"net"}
    assert inputs(c, "net-network") == {
        "name": "ml-prod",
        "autoCreateSubnetworks": False,  # provider default: auto mode
        "deleteDefaultRoutesOnCreate": True,  # no 0.0.0.0/0 route to the internet gateway
        "description": "aiwarden PrivateNetwork: private Google access, deny-all egress and ingress",
    }
    assert inputs(c, "net-subnet-gke") == {
        "name": "ml-prod-gke",
        "network": NETWORK_ID,
        "region": "us-central1",
        "ipCidrRange": "10.0.0.0/20",
        "purpose": "PRIVATE",
        "stackType": "IPV4_ONLY",
        "privateIpGoogleAccess": True,
        "secondaryIpRanges": [],
        "logConfig": {
            "aggregationInterval": "INTERVAL_5_SEC",
            "flowSampling": 1.0,
            "metadata": "INCLUDE_ALL_METADATA",
        },
    }
    assert inputs(c, "net-google-apis") == {
        "name": "ml-prod-google-apis",
        "network": NETWORK_ID,
        "destRange": "199.36.153.4/30",
        "nextHopGateway": "default-internet-gateway",
        "description": "restricted.googleapis.com through the internet gateway (traffic stays on Google's network)",
    }
    deny_egress = inputs(c, "net-egress-deny-all")
    assert {
        k: deny_egress[k] for k in ("direction", "priority", "denies", "destinationRanges", "logConfig")
    } == {
        "direction": "EGRESS",
        "priority": 65535.0,
        "denies": [{"protocol": "all"}],
        "destinationRanges": ["0.0.0.0/0"],
        "logConfig": LOGGED,
    }
    deny_ingress = inputs(c, "net-ingress-deny-all")
    assert {k: deny_ingress[k] for k in ("direction", "priority", "denies", "sourceRanges", "logConfig")} == {
        "direction": "INGRESS",
        "priority": 65535.0,
        "denies": [{"protocol": "all"}],
        "sourceRanges": ["0.0.0.0/0"],
        "logConfig": LOGGED,
    }
    apis = inputs(c, "net-egress-google-apis")
    assert {k: apis[k] for k in ("direction", "priority", "allows", "destinationRanges", "logConfig")} == {
        "direction": "EGRESS",
        "priority": 1000.0,
        "allows": [{"protocol": "tcp", "ports": ["443"]}],
        "destinationRanges": ["199.36.153.4/30"],
        "logConfig": LOGGED,
    }
    internal = inputs(c, "net-egress-internal")
    assert (internal["allows"], internal["destinationRanges"], internal["logConfig"]) == (
        [{"protocol": "all"}],
        ["10.0.0.0/20"],
        LOGGED,
    )
    for name in (
        "net-egress-deny-all",
        "net-ingress-deny-all",
        "net-egress-google-apis",
        "net-egress-internal",
    ):
        assert inputs(c, name)["network"] == NETWORK_ID
        assert "targetTags" not in inputs(c, name)  # every instance of the network
        assert "net-network" in depends_on(c, name)
    for role, dns_name in (("googleapis", "googleapis.com."), ("pkg-dev", "pkg.dev."), ("gcr-io", "gcr.io.")):
        zone = inputs(c, f"net-{role}")
        assert zone == {
            "name": f"ml-prod-{role}",
            "dnsName": dns_name,
            "visibility": "private",
            "privateVisibilityConfig": {"networks": [{"networkUrl": NETWORK_ID}]},
            "description": f"aiwarden PrivateNetwork: {dns_name} through restricted.googleapis.com",
            "forceDestroy": False,
            "labels": OWNERSHIP,
        }
    assert inputs(c, "net-googleapis-a") == {
        "managedZone": "ml-prod-googleapis",
        "name": "restricted.googleapis.com.",
        "type": "A",
        "ttl": 300.0,
        "rrdatas": RESTRICTED,
    }
    assert inputs(c, "net-googleapis-cname") == {
        "managedZone": "ml-prod-googleapis",
        "name": "*.googleapis.com.",
        "type": "CNAME",
        "ttl": 300.0,
        "rrdatas": ["restricted.googleapis.com."],
    }
    for role, domain in (("pkg-dev", "pkg.dev."), ("gcr-io", "gcr.io.")):
        assert inputs(c, f"net-{role}-a")["name"] == domain
        assert inputs(c, f"net-{role}-a")["rrdatas"] == RESTRICTED
        assert (inputs(c, f"net-{role}-cname")["name"], inputs(c, f"net-{role}-cname")["rrdatas"]) == (
            f"*.{domain}",
            [domain],
        )
    assert inputs(c, "net-dns") == {
        "name": "ml-prod-dns",
        "enableLogging": True,
        "enableInboundForwarding": False,
        "networks": [{"networkUrl": NETWORK_ID}],
        "description": "aiwarden PrivateNetwork: DNS query logging",
    }


def test_placement_is_the_shared_network_shape_with_real_ids() -> None:
    c = run(DEFAULT)
    placement = GcpNetwork.model_validate(c.outputs["placement"])
    assert placement.network == "projects/aiwarden-offline/global/networks/ml-prod"
    assert placement.subnetwork == "projects/aiwarden-offline/regions/us-central1/subnetworks/ml-prod-gke"


def test_default_passes_every_policy() -> None:
    c = run(DEFAULT)
    report = gate(c)
    assert findings(report) == set()
    assert report.undecided == []


def test_nat_is_opt_in_with_logging_and_only_named_subnets() -> None:
    c = run(NAT)
    assert children(c) == sorted(
        [
            *FIXED,
            ("gcp:compute/subnetwork:Subnetwork", "net-subnet-a"),
            ("gcp:compute/subnetwork:Subnetwork", "net-subnet-b"),
            ("gcp:compute/subnetwork:Subnetwork", "net-subnet-c"),
            ("gcp:compute/firewall:Firewall", "net-egress-models"),
            ("gcp:compute/firewall:Firewall", "net-ingress-iap"),
            ("gcp:compute/route:Route", "net-internet"),
            ("gcp:compute/router:Router", "net-router-us-central1"),
            ("gcp:compute/router:Router", "net-router-europe-west4"),
            ("gcp:compute/routerNat:RouterNat", "net-nat-us-central1"),
            ("gcp:compute/routerNat:RouterNat", "net-nat-europe-west4"),
        ]
    )
    why = "agents call the model provider API, approved by security until 2026-12"
    internet = inputs(c, "net-internet")
    assert (internet["destRange"], internet["nextHopGateway"]) == ("0.0.0.0/0", "default-internet-gateway")
    assert why in internet["description"] and why in inputs(c, "net-router-us-central1")["description"]
    nat = inputs(c, "net-nat-us-central1")
    assert {
        k: nat[k] for k in ("router", "region", "natIpAllocateOption", "sourceSubnetworkIpRangesToNat")
    } == {
        "router": "ml-prod-router-us-central1",
        "region": "us-central1",
        "natIpAllocateOption": "AUTO_ONLY",
        "sourceSubnetworkIpRangesToNat": "LIST_OF_SUBNETWORKS",
    }
    assert nat["logConfig"] == {"enable": True, "filter": "ERRORS_ONLY"}
    assert [s["name"].rsplit("/", 1)[1] for s in nat["subnetworks"]] == ["ml-prod-a", "ml-prod-c"]
    assert [s["name"].rsplit("/", 1)[1] for s in inputs(c, "net-nat-europe-west4")["subnetworks"]] == [
        "ml-prod-b"
    ]
    models = inputs(c, "net-egress-models")
    assert {
        k: models[k] for k in ("direction", "destinationRanges", "targetTags", "allows", "logConfig")
    } == {
        "direction": "EGRESS",
        "destinationRanges": ["203.0.113.0/24"],
        "targetTags": ["agents"],
        "allows": [{"protocol": "tcp", "ports": ["443"]}],
        "logConfig": LOGGED,
    }
    iap = inputs(c, "net-ingress-iap")
    assert {k: iap[k] for k in ("direction", "sourceRanges", "targetTags", "allows")} == {
        "direction": "INGRESS",
        "sourceRanges": ["35.235.240.0/20"],
        "targetTags": ["bastion"],
        "allows": [{"protocol": "tcp", "ports": ["22"]}],
    }
    # private.googleapis.com: its own VIP range, route, firewall rule and records
    assert inputs(c, "net-google-apis")["destRange"] == "199.36.153.8/30"
    assert inputs(c, "net-egress-google-apis")["destinationRanges"] == ["199.36.153.8/30"]
    assert inputs(c, "net-googleapis-cname")["rrdatas"] == ["private.googleapis.com."]
    assert inputs(c, "net-pkg-dev-a")["rrdatas"] == [f"199.36.153.{i}" for i in range(8, 12)]
    # NAT towards an allowlist is compliant: no policy flags it
    assert findings(gate(c)) == set()


def test_health_checks_flow_logs_and_switches() -> None:
    c = run(
        """
PrivateNetwork("net", PrivateNetworkArgs(
    ownership=o, network_name="ml-prod", allow_internal_egress=False, dns_query_logging=False,
    flow_logs=FlowLogs(aggregation_interval="INTERVAL_1_MIN", sampling=0.5),
    subnets={"gke": Subnet(region="us-central1", cidr="10.0.0.0/20",
                           secondary_ranges={"pods": "10.4.0.0/14", "services": "10.8.0.0/20"})},
    health_checks={"inference": HealthCheckRule(target_tags=["inference"], ports=["8080", "9000-9001"])}))
"""
    )
    names = {n for _, n in children(c)}
    assert "net-egress-internal" not in names and "net-dns" not in names
    assert "net-ingress-hc-inference" in names
    subnet = inputs(c, "net-subnet-gke")
    assert subnet["secondaryIpRanges"] == [
        {"rangeName": "pods", "ipCidrRange": "10.4.0.0/14"},
        {"rangeName": "services", "ipCidrRange": "10.8.0.0/20"},
    ]
    assert subnet["logConfig"] == {
        "aggregationInterval": "INTERVAL_1_MIN",
        "flowSampling": 0.5,
        "metadata": "INCLUDE_ALL_METADATA",
    }
    hc = inputs(c, "net-ingress-hc-inference")
    assert {k: hc[k] for k in ("direction", "sourceRanges", "targetTags", "allows", "logConfig")} == {
        "direction": "INGRESS",
        "sourceRanges": ["35.191.0.0/16", "130.211.0.0/22"],
        "targetTags": ["inference"],
        "allows": [{"protocol": "tcp", "ports": ["8080", "9000-9001"]}],
        "logConfig": LOGGED,
    }
    assert findings(gate(c)) == set()


def test_enable_apis_enables_compute_and_dns_first() -> None:
    c = run(
        """
PrivateNetwork("net", PrivateNetworkArgs(ownership=o, network_name="ml-prod", enable_apis=True,
                                         subnets={"gke": Subnet(region="us-central1", cidr="10.0.0.0/20")}))
"""
    )
    assert inputs(c, "net-api-compute") == {"service": "compute.googleapis.com", "disableOnDestroy": False}
    assert inputs(c, "net-api-dns") == {"service": "dns.googleapis.com", "disableOnDestroy": False}
    for _, name in FIXED[1:]:
        assert {"net-api-compute", "net-api-dns"} <= depends_on(c, name), name


def test_internal_egress_covers_secondary_ranges() -> None:
    c = run(
        """
PrivateNetwork("net", PrivateNetworkArgs(ownership=o, network_name="ml-prod", subnets={
    "gke": Subnet(region="us-central1", cidr="10.0.0.0/20", secondary_ranges={"pods": "10.4.0.0/14"}),
    "batch": Subnet(region="us-east1", cidr="10.1.0.0/20")}))
"""
    )
    assert inputs(c, "net-egress-internal")["destinationRanges"] == [
        "10.0.0.0/20",
        "10.1.0.0/20",
        "10.4.0.0/14",
    ]


def test_justified_world_rules_are_built_and_still_flagged_by_the_pack() -> None:
    c = run(
        f"""
PrivateNetwork("net", PrivateNetworkArgs(
    ownership=o, network_name="ml-prod", subnets={{"a": Subnet(region="us-central1", cidr="10.0.0.0/20")}},
    egress={{"web": EgressRule(destinations=["0.0.0.0/0"], justification="{JUSTIFICATION}")}},
    ingress={{"web": IngressRule(sources=["0.0.0.0/0"], ports=["443"], target_tags=["web"],
                                 justification="{JUSTIFICATION}")}},
    nat=CloudNat(justification="{JUSTIFICATION}", subnets=["a"])))
"""
    )
    for name in ("net-egress-web", "net-ingress-web"):
        assert JUSTIFICATION in inputs(c, name)["description"]
    assert inventory(c)["net-network"]["exposure"] == "public"
    # exceptions go through the pack's configuration, by resource name: the component does not weaken NET-1/NET-3
    assert findings(gate(c), level="mandatory") == {
        ("net-1-firewall-no-world-egress", "net-egress-web"),
        ("net-3-firewall-no-world-ingress", "net-ingress-web"),
    }


def test_inventory_record() -> None:
    c = run(DEFAULT)
    assert inventory(c) == {
        "net-network": {
            "name": "net-network",
            "kind": "network",
            "owner": "ml-platform",
            "environment": "production",
            "dataClassification": "confidential",
            "exposure": "private",
            "identities": [],
            "purpose": "training",
            "costCenter": "",
        }
    }
    ir = incident_response(c)["net-network"]
    assert ir["logsToPreserve"] == [
        "Cloud Logging: compute.googleapis.com/vpc_flows (VPC Flow Logs of the subnets)",
        "Cloud Logging: compute.googleapis.com/firewall (every rule of the network logs)",
        "Cloud Logging: dns.googleapis.com/dns_queries (DNS queries of the network)",
    ]
    assert "priority 0" in ir["containment"]


def _with(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def _subnets(**subnets: Any) -> dict[str, Any]:
    return {"subnets": subnets}


@pytest.mark.parametrize(
    ("data", "field", "why"),
    [
        (
            _with(egress={"web": {"destinations": ["0.0.0.0/0"]}}),
            "egress.web.destinations: 0.0.0.0/0",
            "list the destinations the workloads need (an allowlist), or give egress.web.justification",
        ),
        (
            _with(ingress={"web": {"sources": ["0.0.0.0/0"], "ports": ["443"], "target_tags": ["web"]}}),
            "ingress.web.sources: 0.0.0.0/0",
            "list the callers' ranges, or give ingress.web.justification",
        ),
        (
            _with(egress={"api": {"destinations": ["203.0.113.0/24"]}}),
            "egress.api.destinations: 203.0.113.0/24 is on the internet",
            "nat=CloudNat(justification=..., subnets=[...])",
        ),
        (
            _with(egress={"web": {"destinations": ["0.0.0.0/0"], "justification": "too short"}}),
            "egress.web.justification",
            "at least 20 characters",
        ),
        (
            _with(
                **_subnets(
                    a={"region": "us-central1", "cidr": "10.0.0.0/16"},
                    b={"region": "us-east1", "cidr": "10.0.128.0/20"},
                )
            ),
            "subnets.b.cidr: 10.0.128.0/20 overlaps subnets.a.cidr (10.0.0.0/16)",
            "choose a non-overlapping range",
        ),
        (
            _with(
                **_subnets(
                    a={
                        "region": "us-central1",
                        "cidr": "10.0.0.0/20",
                        "secondary_ranges": {"pods": "10.0.8.0/21"},
                    }
                )
            ),
            "subnets.a.secondary_ranges.pods: 10.0.8.0/21 overlaps subnets.a.cidr",
            "non-overlapping",
        ),
        (
            _with(
                **_subnets(
                    a={
                        "region": "us-central1",
                        "cidr": "10.0.0.0/20",
                        "secondary_ranges": {"pods": "10.4.0.0/14"},
                    },
                    b={
                        "region": "us-east1",
                        "cidr": "10.1.0.0/20",
                        "secondary_ranges": {"pods": "10.5.0.0/16"},
                    },
                )
            ),
            "subnets.b.secondary_ranges.pods: 10.5.0.0/16 overlaps subnets.a.secondary_ranges.pods",
            "non-overlapping",
        ),
        (
            _with(**_subnets(a={"region": "us-central1", "cidr": "10.0.0.0/33"})),
            "subnets.a.cidr",
            "is not an IPv4 CIDR block",
        ),
        (
            _with(**_subnets(a={"region": "us-central1", "cidr": "10.0.0.1/24"})),
            "subnets.a.cidr",
            "host bits set; the network is 10.0.0.0/24",
        ),
        (
            _with(**_subnets(a={"region": "us-central1", "cidr": "10.0.0.0"})),
            "subnets.a.cidr",
            "give the prefix length too, e.g. 10.0.0.0/32",
        ),
        (
            _with(**_subnets(a={"region": "us-central1", "cidr": "8.8.8.0/24"})),
            "subnets.a.cidr",
            "not a private range",
        ),
        (
            _with(**_subnets(a={"region": "us-central1", "cidr": "0.0.0.0/0"})),
            "subnets.a.cidr",
            "not a private range",
        ),
        (
            _with(**_subnets(a={"region": "us-central1", "cidr": "10.0.0.0/30"})),
            "subnets.a.cidr",
            "/8 to /29",
        ),
        (_with(subnets={}), "subnets", "at least 1 item"),
        (_with(nat={"subnets": ["a"]}), "nat.justification", "Field required"),
        (
            _with(nat={"justification": JUSTIFICATION, "subnets": ["b"]}),
            "nat.subnets: 'b'",
            "use one of ['a']",
        ),
        (
            _with(nat={"justification": JUSTIFICATION, "subnets": ["a"], "log_filter": "NONE"}),
            "nat.log_filter",
            "'ALL'",
        ),
        (
            _with(ingress={"x": {"sources": ["10.0.0.0/8"], "ports": ["443"]}}),
            "ingress.x.target_tags",
            "Field required",
        ),
        (
            _with(health_checks={"x": {"target_tags": [], "ports": ["80"]}}),
            "health_checks.x.target_tags",
            "at least 1",
        ),
        (
            _with(egress={"x": {"destinations": ["10.1.0.0/16"], "ports": ["70000"]}}),
            "egress.x.ports.0",
            "not a port",
        ),
        (
            _with(egress={"x": {"destinations": ["10.1.0.0/16"], "priority": 65535}}),
            "egress.x.priority",
            "65534",
        ),
        (
            _with(egress={"deny-all": {"destinations": ["10.1.0.0/16"]}}),
            "egress.deny-all",
            "also the name of",
        ),
        (
            _with(
                network_name="a" * 40, subnets={"b" * 30: {"region": "us-central1", "cidr": "10.0.0.0/20"}}
            ),
            "subnets." + "b" * 30,
            "not a valid GCP name",
        ),
        (_with(network_name="ML_Prod"), "network_name", "pattern"),
        (_with(flow_logs={"sampling": 0.1}), "flow_logs.sampling", "greater than or equal to 0.5"),
        (_with(google_apis="public"), "google_apis", "'restricted' or 'private'"),
        (_with(auto_create_subnetworks=True), "auto_create_subnetworks", "Extra inputs are not permitted"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_the_fix(
    data: dict[str, Any], field: str, why: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        PrivateNetworkArgs.model_validate(data)
    message = str(caught.value)
    assert field in message
    assert why in message


def test_refused_input_fails_the_program_before_anything_registers() -> None:
    with pytest.raises(AiwardenError) as caught:
        run(
            'PrivateNetwork("net", PrivateNetworkArgs(ownership=o, network_name="n", subnets={"a": Subnet('
            'region="us-central1", cidr="10.0.0.0/20")}, egress={"all": EgressRule(destinations=["0.0.0.0/0"])}))'
        )
    assert "egress.all.destinations: 0.0.0.0/0 allows egress to the whole internet" in caught.value.message


def test_placement_refuses_an_unknown_subnet() -> None:
    with pytest.raises(AiwardenError) as caught:
        run(
            'PrivateNetwork("net", PrivateNetworkArgs(ownership=o, network_name="n", subnets={"a": Subnet('
            'region="us-central1", cidr="10.0.0.0/20")})).placement("b")'
        )
    assert "'b' is not a subnet of this network; use one of ['a']" in caught.value.message


def test_example_is_the_readme_example_and_passes_the_gate() -> None:
    c, code = example("gcp-private-network")
    assert code == readme_example("gcp/private_network.md")
    assert c.error is None
    report = gate(c)
    assert findings(report) == set()
    assert report.undecided == []
