"""NB-3: notebook storage under a customer-managed key, idle notebooks stop."""

from __future__ import annotations

import base64

from tests.harness import DELETE, UNKNOWN, capture, findings, gate, message_list, set_input, unknowns

CMK = "nb-3-sagemaker-notebook-volume-cmk"
IDLE = "nb-3-sagemaker-notebook-idle-shutdown"
WB_CMEK = "nb-3-workbench-disks-cmek"
WB_IDLE = "nb-3-workbench-idle-shutdown"

PROGRAM = """
import base64
import pulumi_aws as aws, pulumi_gcp as gcp
TAGS = {{"owner": "ml-platform", "environment": "production", "data-classification": "confidential",
        "purpose": "research-notebooks"}}
key = aws.kms.Key("notebook-key", enable_key_rotation=True, tags=TAGS)
autostop = "#!/bin/bash\\nIDLE_TIME=3600\\nwget -O /home/ec2-user/autostop.py $AUTOSTOP_URL\\n"
lifecycle = aws.sagemaker.NotebookInstanceLifecycleConfiguration("autostop", name="autostop",
    on_start=base64.b64encode(autostop.encode()).decode(), tags=TAGS)
aws.sagemaker.NotebookInstance("notebook", instance_type="ml.t3.medium",
    role_arn="arn:aws:iam::123456789012:role/notebook", kms_key_id=key.arn, {lifecycle}
    direct_internet_access="Disabled", subnet_id="subnet-0abc", root_access="Disabled", tags=TAGS)
cmek = "projects/aiwarden-offline/locations/us-central1/keyRings/platform/cryptoKeys/notebooks"
gcp.workbench.Instance("workbench", location="us-central1-a", labels=TAGS,
    gce_setup=gcp.workbench.InstanceGceSetupArgs(
        metadata={{"idle-timeout-seconds": "10800"}},
        boot_disk=gcp.workbench.InstanceGceSetupBootDiskArgs(disk_encryption="CMEK", kms_key=cmek),
        data_disks=gcp.workbench.InstanceGceSetupDataDisksArgs(disk_encryption="CMEK", kms_key=cmek)))
"""
BASELINE = PROGRAM.format(lifecycle="lifecycle_config_name=lifecycle.name,")
NO_LIFECYCLE = PROGRAM.format(lifecycle="")
FOREIGN_LIFECYCLE = PROGRAM.format(lifecycle='lifecycle_config_name="team-shared-config",')


def test_compliant_baseline_has_no_nb3_finding() -> None:
    assert findings(gate(capture(BASELINE)), "nb-3") == set()


def test_notebook_without_cmk_is_aws_managed_key() -> None:
    report = gate(set_input(capture(BASELINE), "notebook", "kmsKeyId", DELETE))
    assert findings(report, "nb-3") == {(CMK, "notebook")}
    assert "kmsKeyId is not set (AWS default: AWS-managed key)" in message_list(report, CMK)[0]


def test_notebook_without_lifecycle_configuration() -> None:
    report = gate(capture(NO_LIFECYCLE))
    assert findings(report, "nb-3") == {(IDLE, "notebook")}
    assert "lifecycleConfigName is not set" in message_list(report, IDLE)[0]


def test_lifecycle_configuration_outside_the_stack_cannot_be_verified() -> None:
    report = gate(capture(FOREIGN_LIFECYCLE))
    assert findings(report, "nb-3") == {(IDLE, "notebook")}
    assert "'team-shared-config' is not declared in this stack" in message_list(report, IDLE)[0]


def test_lifecycle_script_without_idle_check() -> None:
    script = base64.b64encode(b"#!/bin/bash\npip install --upgrade jupyterlab\n").decode()
    report = gate(set_input(capture(BASELINE), "autostop", "onStart", script))
    assert findings(report, "nb-3") == {(IDLE, "notebook")}
    assert "lifecycle configuration 'autostop' has no idle check" in message_list(report, IDLE)[0]


def test_workbench_disks_default_gmek_or_missing_key() -> None:
    report = gate(set_input(capture(BASELINE), "workbench", "gceSetup.bootDisk", DELETE))
    assert findings(report, "nb-3") == {(WB_CMEK, "workbench")}
    assert message_list(report, WB_CMEK) == [
        "Workbench instance 'workbench': gceSetup.bootDisk.diskEncryption is not set (Google default: GMEK); it must "
        "be CMEK."
    ]
    c = set_input(capture(BASELINE), "workbench", "gceSetup.dataDisks.diskEncryption", "GMEK")
    assert findings(gate(c), "nb-3") == {(WB_CMEK, "workbench")}
    report = gate(set_input(capture(BASELINE), "workbench", "gceSetup.dataDisks.kmsKey", DELETE))
    assert findings(report, "nb-3") == {(WB_CMEK, "workbench")}
    assert "gceSetup.dataDisks.kmsKey is not set" in message_list(report, WB_CMEK)[0]


def test_workbench_idle_timeout_absent_or_zero() -> None:
    report = gate(set_input(capture(BASELINE), "workbench", "gceSetup.metadata", DELETE))
    assert findings(report, "nb-3") == {(WB_IDLE, "workbench")}
    assert "'idle-timeout-seconds'] is not set" in message_list(report, WB_IDLE)[0]
    c = set_input(capture(BASELINE), "workbench", ["gceSetup", "metadata", "idle-timeout-seconds"], "0")
    assert findings(gate(c), "nb-3") == {(WB_IDLE, "workbench")}


def test_sandbox_is_advisory() -> None:
    c = set_input(capture(BASELINE), "notebook", "kmsKeyId", DELETE)
    set_input(c, "workbench", "gceSetup.metadata", DELETE)
    report = gate(c, environment="sandbox")
    assert findings(report, "nb-3", level="advisory") == {(CMK, "notebook"), (WB_IDLE, "workbench")}
    assert findings(report, "nb-3", level="mandatory") == set()


def test_unknown_at_preview_is_advisory_not_a_pass() -> None:
    c = capture(BASELINE, preview_mode=True)  # the key ARN is unknown at preview
    set_input(c, "autostop", "onStart", UNKNOWN)
    set_input(c, "workbench", "gceSetup.bootDisk.diskEncryption", UNKNOWN)
    set_input(c, "workbench", ["gceSetup", "metadata", "idle-timeout-seconds"], UNKNOWN)
    report = gate(c)
    assert unknowns(report, "nb-3") == {
        (CMK, "notebook", "advisory"),
        (IDLE, "notebook", "advisory"),
        (WB_CMEK, "workbench", "advisory"),
        (WB_IDLE, "workbench", "advisory"),
    }
    assert findings(report, "nb-3") == set()
