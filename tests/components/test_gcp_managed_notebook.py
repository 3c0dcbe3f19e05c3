"""ManagedNotebook (GCP): a Workbench instance with no public IP, no root, CMEK disks, idle shutdown."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from aiwarden.errors import AiwardenError
from components.gcp import ManagedNotebookArgs
from components.gcp.managed_notebook import IDLE_CEILING_MINUTES
from tests.components.gcp_helpers import GCP_CONFIG, HEADER, PROJECT_NUMBER, protected, run
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
from tests.harness import capture, findings, gate

NETWORK = "projects/aiwarden-offline/global/networks/ml"
SUBNET = "projects/aiwarden-offline/regions/us-central1/subnetworks/ml-notebooks"
NET = f'network=GcpNetwork(network="{NETWORK}", subnetwork="{SUBNET}")'
ANA = 'access={"ana": Grant(principal="user:ana@example.com", role="use")}'
SA = "research-nb@aiwarden-offline.iam.gserviceaccount.com"
KEY = "projects/sec-keys/locations/us-central1/keyRings/r/cryptoKeys/notebooks"
WHY = "vendor licence server reachable only by public IP, approved until 2026-12"
#: A notebook is AI spend: the pack asks for a budget routed to Pub/Sub (COST-1, COST-2); the audit config
#: (LOG-1) comes with ``run(..., audit=True)``.
COMPANIONS = """
SpendGuard("spend", SpendGuardArgs(ownership=o, billing_account="012345-6789AB-CDEF01", amount=500,
    notification_channels=("projects/aiwarden-offline/notificationChannels/1",)))
"""
OWNER = {
    "owner": "ml-platform",
    "environment": "production",
    "data_classification": "confidential",
    "purpose": "training",
}


def notebook(*extra: str, ownership: str = "o", name: str = "research", access: str = ANA) -> str:
    options = "".join(f", {e}" for e in (access, *extra) if e)
    return (
        f'ManagedNotebook("{name}", ManagedNotebookArgs(ownership={ownership}, zone="us-central1-a", {NET}'
        f"{options}))\n"
    )


DEFAULT = notebook()


def metadata(c: Any) -> dict[str, str]:
    found: dict[str, str] = inputs(c, "research-instance")["gceSetup"]["metadata"]
    return found


def test_default_children_and_security_inputs() -> None:
    c = run(DEFAULT)
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:ManagedNotebook", "research"),
            ("aiwarden:gcp:Key", "research-cmek"),
            ("gcp:kms/keyRing:KeyRing", "research-cmek-ring"),
            ("gcp:kms/cryptoKey:CryptoKey", "research-cmek-key"),
            ("gcp:projects/serviceIdentity:ServiceIdentity", "research-cmek-notebooks-identity"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "research-cmek-compute-agent"),
            ("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "research-cmek-notebooks-agent"),
            ("gcp:serviceaccount/account:Account", "research-sa"),
            ("gcp:projects/iAMMember:IAMMember", "research-sa-logs"),
            ("gcp:projects/iAMMember:IAMMember", "research-sa-metrics"),
            ("gcp:serviceaccount/iAMMember:IAMMember", "research-grant-ana"),
            ("gcp:workbench/instance:Instance", "research-instance"),
        ]
    )
    assert {parent_name(c, n) for n in ("research-cmek", "research-sa", "research-instance")} == {"research"}
    # both agents may use the key (the Notebooks agent made to exist first) before the instance is created
    key_id = inputs(c, "research-cmek-compute-agent")["cryptoKeyId"]
    agents = {
        "research-cmek-compute-agent": f"service-{PROJECT_NUMBER}@compute-system.iam.gserviceaccount.com",
        "research-cmek-notebooks-agent": f"service-{PROJECT_NUMBER}@gcp-sa-notebooks.iam.gserviceaccount.com",
    }
    for grant, agent in agents.items():
        assert inputs(c, grant) == {
            "cryptoKeyId": key_id,
            "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            "member": f"serviceAccount:{agent}",
        }
    assert inputs(c, "research-cmek-notebooks-identity") == {"service": "notebooks.googleapis.com"}
    assert "research-cmek-notebooks-identity" in depends_on(c, "research-cmek-notebooks-agent")
    assert set(agents) | {"research-sa-logs", "research-sa-metrics", "research-grant-ana"} <= depends_on(
        c, "research-instance"
    )
    # a dedicated identity that writes its logs and metrics and nothing else
    assert inputs(c, "research-sa")["accountId"] == "research-nb"
    assert {
        name: (inputs(c, name)["role"], inputs(c, name)["member"])
        for name in ("research-sa-logs", "research-sa-metrics")
    } == {
        "research-sa-logs": ("roles/logging.logWriter", f"serviceAccount:{SA}"),
        "research-sa-metrics": ("roles/monitoring.metricWriter", f"serviceAccount:{SA}"),
    }
    assert inputs(c, "research-grant-ana") == {
        "serviceAccountId": f"projects/aiwarden-offline/serviceAccounts/{SA}",
        "role": "roles/iam.serviceAccountUser",
        "member": "user:ana@example.com",
    }
    instance = inputs(c, "research-instance")
    disk = {"diskEncryption": "CMEK", "kmsKey": key_id, "diskType": "PD_BALANCED"}
    assert instance == {
        "location": "us-central1-a",
        "gceSetup": {
            "machineType": "e2-standard-4",
            "bootDisk": {**disk, "diskSizeGb": "150"},
            "dataDisks": {**disk, "diskSizeGb": "100"},
            "disablePublicIp": True,
            "enableIpForwarding": False,
            "networkInterfaces": [{"network": NETWORK, "subnet": SUBNET}],
            "serviceAccounts": [{"email": SA}],
            "shieldedInstanceConfig": {
                "enableSecureBoot": True,
                "enableVtpm": True,
                "enableIntegrityMonitoring": True,
            },
            "metadata": {
                "notebook-disable-root": "true",
                "notebook-disable-downloads": "false",
                "notebook-disable-terminal": "false",
                "idle-timeout-seconds": "3600",
                "notebook-upgrade-schedule": "0 3 * * SUN",
            },
        },
        "disableProxyAccess": False,
        "instanceOwners": ["ana@example.com"],
        "enableDeletionProtection": True,
        "deletionPolicy": "PREVENT",
        "labels": OWNERSHIP,
    }
    assert protected(c, "research-instance")
    assert inputs(c, "research-cmek-ring")["location"] == "us-central1"
    record = inventory(c)["research-instance"]
    assert (record["kind"], record["exposure"], record["identities"]) == (
        "notebook",
        "private",
        [f"serviceAccount:{SA}", "user:ana@example.com"],
    )
    ir = incident_response(c)["research-instance"]
    assert ir["credentialsToRevoke"] == [f"serviceAccount:{SA}", "user:ana@example.com"]
    [instance_id] = ir["endpointsToDisable"]
    assert instance_id.startswith(
        "projects/aiwarden-offline/locations/us-central1-a/instances/research-instance-"
    )


def test_default_passes_every_policy() -> None:
    report = gate(run(DEFAULT + COMPANIONS, audit=True))
    assert findings(report) == set()
    assert report.undecided == []


def test_restricted_data_turns_downloads_and_the_terminal_off() -> None:
    restricted = (
        'Ownership(owner="ml-platform", environment="production", data_classification="restricted", '
        'purpose="training")'
    )
    c = run(notebook(ownership=restricted) + COMPANIONS, audit=True)
    assert metadata(c) == {
        "notebook-disable-root": "true",
        "notebook-disable-downloads": "true",
        "notebook-disable-terminal": "true",
        "idle-timeout-seconds": "3600",
        "notebook-upgrade-schedule": "0 3 * * SUN",
    }
    # NB-2 holds restricted notebooks to downloads and terminal off: nothing to report
    assert findings(gate(c)) == set()


def test_downloads_and_the_terminal_can_be_turned_off_for_other_data() -> None:
    c = run(notebook("downloads=False"))
    assert (metadata(c)["notebook-disable-downloads"], metadata(c)["notebook-disable-terminal"]) == (
        "true",
        "false",
    )
    c = run(notebook("terminal=False"))
    assert (metadata(c)["notebook-disable-downloads"], metadata(c)["notebook-disable-terminal"]) == (
        "false",
        "true",
    )


def test_service_account_mode_lets_every_named_user_in() -> None:
    c = run(
        notebook(
            'access_mode="service-account"',
            access='access={"ana": Grant(principal="user:ana@example.com", role="use"), '
            '"bo": Grant(principal="user:bo@example.com", role="use"), '
            '"leads": Grant(principal="group:ml-leads@example.com", role="admin")}',
        )
    )
    assert "instanceOwners" not in inputs(c, "research-instance")
    for grant, user in (("ana", "user:ana@example.com"), ("bo", "user:bo@example.com")):
        assert inputs(c, f"research-grant-{grant}")["member"] == user
        assert inputs(c, f"research-grant-{grant}")["role"] == "roles/iam.serviceAccountUser"
    leads = inputs(c, "research-grant-leads")
    assert {k: leads[k] for k in ("role", "member", "location", "project")} == {
        "role": "roles/notebooks.admin",
        "member": "group:ml-leads@example.com",
        "location": "us-central1-a",
        "project": "aiwarden-offline",
    }
    assert "research-instance" in depends_on(c, "research-grant-leads")


def test_existing_service_account_and_existing_key() -> None:
    existing = "nb-runner@ml-apps-prod.iam.gserviceaccount.com"
    c = run(
        notebook(
            f'service_account=ExistingNotebookServiceAccount(email="{existing}")',
            f'kms_key=ExistingKey(key="{KEY}")',
        )
    )
    assert children(c) == sorted(
        [
            ("aiwarden:gcp:ManagedNotebook", "research"),
            ("gcp:serviceaccount/iAMMember:IAMMember", "research-grant-ana"),
            ("gcp:workbench/instance:Instance", "research-instance"),
        ]
    )
    setup = inputs(c, "research-instance")["gceSetup"]
    assert setup["serviceAccounts"] == [{"email": existing}]
    assert (setup["bootDisk"]["kmsKey"], setup["dataDisks"]["kmsKey"]) == (KEY, KEY)
    assert inputs(c, "research-grant-ana")["serviceAccountId"] == f"projects/-/serviceAccounts/{existing}"


def test_machine_gpu_disks_tags_idle_upgrades_and_proxy() -> None:
    c = run(
        notebook(
            'machine_type="g2-standard-8"',
            'gpu=NotebookGpu(type="NVIDIA_L4", count=1)',
            "boot_disk_gb=200",
            "data_disk_gb=500",
            'disk_type="PD_SSD"',
            'network_tags=("notebooks",)',
            f"idle_shutdown_minutes={IDLE_CEILING_MINUTES}",
            "upgrade_schedule=None",
            "disable_proxy_access=True",
            'instance_name="ana-research"',
        )
    )
    instance = inputs(c, "research-instance")
    setup = instance["gceSetup"]
    assert setup["machineType"] == "g2-standard-8"
    assert setup["acceleratorConfigs"] == [{"type": "NVIDIA_L4", "coreCount": "1"}]
    assert (setup["bootDisk"]["diskSizeGb"], setup["dataDisks"]["diskSizeGb"]) == ("200", "500")
    assert (setup["bootDisk"]["diskType"], setup["dataDisks"]["diskType"]) == ("PD_SSD", "PD_SSD")
    assert setup["tags"] == ["notebooks"]
    assert setup["metadata"]["idle-timeout-seconds"] == str(IDLE_CEILING_MINUTES * 60)
    assert "notebook-upgrade-schedule" not in setup["metadata"]
    assert (instance["disableProxyAccess"], instance["name"]) == (True, "ana-research")


def test_public_ip_is_named_justified_labelled_and_still_flagged() -> None:
    c = run(
        "from components._common import PublicAccess\n"
        + notebook(f'public_ip=PublicAccess(justification="{WHY}")')
        + COMPANIONS,
        audit=True,
    )
    instance = inputs(c, "research-instance")
    assert instance["gceSetup"]["disablePublicIp"] is False
    assert "accessConfigs" not in instance["gceSetup"]["networkInterfaces"][0]
    assert instance["labels"] == {**OWNERSHIP, "aiwarden-exception": "public-ip"}
    assert metadata(c)["aiwarden-exception"] == f"public-ip: {WHY}"
    assert inventory(c)["research-instance"]["exposure"] == "public"
    # the pack's NB-1 still flags it: exceptions go through its configuration, by resource name
    assert findings(gate(c), level="mandatory") == {("nb-1-workbench-no-public-ip", "research-instance")}


def test_enable_apis_enables_notebooks_compute_iam_and_kms_first() -> None:
    c = run(notebook("enable_apis=True"))
    apis = {
        "research-api-notebooks": "notebooks.googleapis.com",
        "research-api-compute": "compute.googleapis.com",
        "research-api-iam": "iam.googleapis.com",
        "research-api-cloudkms": "cloudkms.googleapis.com",
    }
    for name, service in apis.items():
        assert inputs(c, name) == {"service": service, "disableOnDestroy": False}
    for name in (
        "research-cmek-ring",
        "research-cmek-notebooks-identity",
        "research-sa",
        "research-instance",
    ):
        assert set(apis) <= depends_on(c, name), name
    c = run(
        notebook(
            "enable_apis=True",
            f'kms_key=ExistingKey(key="{KEY}")',
            'service_account=ExistingNotebookServiceAccount(email="nb-runner@ml-apps-prod.iam.gserviceaccount.com")',
        )
    )
    assert {n for t, n in children(c) if t == "gcp:projects/service:Service"} == {
        "research-api-notebooks",
        "research-api-compute",
    }


def test_deletion_protection_can_be_turned_off_outside_production() -> None:
    c = run(notebook("deletion_protection=False", ownership="sandbox"))
    instance = inputs(c, "research-instance")
    assert (instance["enableDeletionProtection"], instance["deletionPolicy"]) == (False, "DELETE")
    assert not protected(c, "research-instance")


def _args(**changes: Any) -> dict[str, Any]:
    return {
        "ownership": OWNER,
        "zone": "us-central1-a",
        "network": {"network": NETWORK, "subnetwork": SUBNET},
        "access": {"ana": {"principal": "user:ana@example.com", "role": "use"}},
        **changes,
    }


RESTRICTED = {**OWNER, "data_classification": "restricted"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"root_access": "Enabled"}, "root_access: root is always denied"),
        ({"metadata": {"notebook-disable-root": "false"}}, "metadata: metadata is the component's"),
        ({"disable_public_ip": False}, "disable_public_ip: the instance has no public IP"),
        ({"enable_ip_forwarding": True}, "enable_ip_forwarding: IP forwarding is always off"),
        ({"shielded_instance_config": {}}, "shielded_instance_config: Shielded VM"),
        ({"disk_encryption": "GMEK"}, "disk_encryption: disks are always CMEK-encrypted"),
        ({"instance_owners": ["ana@example.com"]}, "instance_owners: name the owner in access"),
        (
            {"ownership": RESTRICTED, "downloads": True},
            "downloads=True: restricted data stays in the notebook",
        ),
        ({"ownership": RESTRICTED, "terminal": True}, "terminal=True: restricted data stays in the notebook"),
        (
            {"idle_shutdown_minutes": IDLE_CEILING_MINUTES + 1},
            f"idle_shutdown_minutes={IDLE_CEILING_MINUTES + 1}: above the ceiling of {IDLE_CEILING_MINUTES} minutes",
        ),
        ({"idle_shutdown_minutes": 5}, "greater than or equal to 10"),
        (
            {"ownership": RESTRICTED, "public_ip": {"justification": WHY}},
            "public_ip: a notebook with restricted",
        ),
        ({"public_ip": {"justification": WHY, "cidrs": ["203.0.113.0/24"]}}, "public_ip.cidrs"),
        ({"public_ip": {"justification": "because"}}, "at least 20 characters"),
        (
            {"access": {"team": {"principal": "group:ml@example.com", "role": "use"}}},
            "access.team: JupyterLab is opened by individual users only",
        ),
        (
            {
                "access": {
                    "nb": {"principal": "serviceAccount:x-nb@p-roject.iam.gserviceaccount.com", "role": "use"}
                }
            },
            "access.nb: JupyterLab is opened by individual users only",
        ),
        ({"access": {}}, "access: single-user mode names exactly one `use` grant"),
        (
            {
                "access": {
                    "ana": {"principal": "user:ana@example.com", "role": "use"},
                    "bo": {"principal": "user:bo@example.com", "role": "use"},
                }
            },
            "access: single-user mode names exactly one `use` grant (the instance owner), found 2",
        ),
        ({"access": {"all": {"principal": "allUsers", "role": "use"}}}, "anyone on the internet"),
        ({"access": {"any": {"principal": "user:*", "role": "admin"}}}, "a whole set of principals"),
        (
            {"access": {"a": {"principal": "user:ana@example.com", "role": "read"}}},
            "Input should be 'use' or 'admin'",
        ),
        ({"network": {"network": NETWORK}}, "network.subnetwork: the instance needs a private subnet"),
        (
            {
                "network": {
                    "network": NETWORK,
                    "subnetwork": "projects/aiwarden-offline/regions/us-east1/subnetworks/a",
                }
            },
            "is not in the zone's region us-central1",
        ),
        (
            {"network": {"network": NETWORK, "subnetwork": SUBNET, "psc_allowed_projects": ["x-proj"]}},
            "network.psc_allowed_projects: ManagedNotebook does not use it",
        ),
        (
            {"service_account": {"kind": "existing", "email": "123-compute@developer.gserviceaccount.com"}},
            "default service account",
        ),
        ({"service_account": {"kind": "create", "account_id": "ab"}}, "String should match pattern"),
        (
            {
                "kms_key": {
                    "kind": "existing",
                    "key": "projects/sec-keys/locations/europe-west4/keyRings/r/cryptoKeys/k",
                }
            },
            "kms_key: the key is in location 'europe-west4'",
        ),
        ({"deletion_protection": False}, "deletion_protection=False: production"),
        ({"zone": "us-central1"}, "String should match pattern"),
        ({"upgrade_schedule": "weekly"}, "String should match pattern"),
        ({"gpu": {"type": "NVIDIA_L4", "count": 9}}, "less than or equal to 8"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_the_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        ManagedNotebookArgs.model_validate(_args(**changes))


def test_a_name_whose_default_account_id_is_invalid_fails_before_registration() -> None:
    with pytest.raises(AiwardenError) as caught:
        capture(HEADER + notebook(name="nb"), GCP_CONFIG)
    assert "service_account.account_id: the default 'nb-nb'" in caught.value.message
    assert "gcp:workbench" not in caught.value.message


def test_example_is_the_readme_example_and_passes_the_gate() -> None:
    c, code = example("gcp-managed-notebook")
    assert code == readme_example("gcp/managed_notebook.md")
    assert c.error is None
    report = gate(c)
    assert findings(report) == set()
    assert report.undecided == []
    assert inputs(c, "fraud-research-instance")["instanceOwners"] == ["ana@example.com"]
