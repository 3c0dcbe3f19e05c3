"""SUP-3: no curl|sh, URL pip installs or unapproved package indexes in start-up scripts and commands."""

from __future__ import annotations

import base64
import gzip

from tests.harness import UNKNOWN, capture, findings, gate, message_list, set_input, unknowns
from tests.policies.programs import SUP_BASELINE, b64

EC2 = "sup-3-ec2-user-data-installs"
SAGEMAKER = "sup-3-sagemaker-lifecycle-installs"
GCE = "sup-3-gce-startup-script-installs"
PODS = "sup-3-k8s-container-command-installs"


def test_compliant_baseline_has_no_sup3_finding() -> None:
    # includes an IMDS token `TOKEN=$(curl ...)` and pinned `pip install` from the default index
    assert findings(gate(capture(SUP_BASELINE)), "sup-3") == set()


def test_launch_template_user_data_pipes_download_into_shell() -> None:
    script = "#!/bin/bash\ncurl -fsSL https://deploy:s3cr3t-token@get.example.com/install.sh?sig=abc | sudo bash -s --\n"
    c = set_input(capture(SUP_BASELINE), "workers", "userData", b64(script))
    report = gate(c)
    assert findings(report, "sup-3") == {(EC2, "workers")}
    assert message_list(report, EC2) == [
        "LaunchTemplate 'workers': userData runs a download piped into an interpreter from 'get.example.com' (not "
        "in approvedPackageIndexes); install from a pinned, scanned image or an approved package index."
    ]
    assert all("s3cr3t" not in v.message and "install.sh" not in v.message for v in report.violations)


def test_instance_user_data_extra_index_url_and_approved_index() -> None:
    script = (
        "#!/bin/bash\npip3 install torch==2.3.1 --extra-index-url https://pypi.internal.example.com/simple\n"
    )
    c = set_input(capture(SUP_BASELINE), "trainer", "userData", script)
    report = gate(c)
    assert findings(report, "sup-3") == {(EC2, "trainer")}
    assert (
        "pip install --extra-index-url pointing at 'pypi.internal.example.com'"
        in message_list(report, EC2)[0]
    )
    approved = {EC2: {"approvedPackageIndexes": ["*.internal.example.com"]}}
    assert findings(gate(c, approved), "sup-3") == set()


def test_pip_install_from_git_url_and_gzipped_base64_user_data() -> None:
    c = set_input(
        capture(SUP_BASELINE),
        "trainer",
        "userData",
        "python -m pip install git+https://github.com/example/lora.git@main",
    )
    report = gate(c)
    assert findings(report, "sup-3") == {(EC2, "trainer")}
    assert "pip install of a URL on 'github.com'" in message_list(report, EC2)[0]
    packed = base64.b64encode(gzip.compress(b"#!/bin/sh\nwget -qO- http://203.0.113.7/x.sh | sh\n")).decode()
    c = set_input(capture(SUP_BASELINE), "trainer", "userDataBase64", packed)
    assert "from '203.0.113.7'" in message_list(gate(c), EC2)[0]


def test_unreadable_source_host_is_flagged() -> None:
    c = set_input(capture(SUP_BASELINE), "trainer", "userData", 'curl -s "$INSTALLER_URL" | bash')
    report = gate(c)
    assert findings(report, "sup-3") == {(EC2, "trainer")}
    assert "a host that cannot be read from the script" in message_list(report, EC2)[0]


def test_sagemaker_lifecycle_configurations() -> None:
    c = set_input(
        capture(SUP_BASELINE), "notebook-lc", "onCreate", b64("bash <(curl -s https://setup.example.io/nb)")
    )
    report = gate(c)
    assert findings(report, "sup-3") == {(SAGEMAKER, "notebook-lc")}
    assert message_list(report, SAGEMAKER) == [
        "SageMaker NotebookInstanceLifecycleConfiguration 'notebook-lc': onCreate runs a downloaded script executed "
        "by substitution from 'setup.example.io' (not in approvedPackageIndexes); install from a pinned, scanned "
        "image or an approved package index."
    ]
    c = set_input(
        capture(SUP_BASELINE),
        "studio-lc",
        "studioLifecycleConfigContent",
        b64("pip install -i https://pypi.example.net/simple jupyter-ai"),
    )
    assert findings(gate(c), "sup-3") == {(SAGEMAKER, "studio-lc")}


def test_workbench_and_compute_startup_scripts() -> None:
    c = set_input(
        capture(SUP_BASELINE),
        "workbench",
        "gceSetup.metadata.post-startup-script",
        "#!/bin/bash\nwget -qO- https://tools.example.org/bootstrap | python3 -\n",
    )
    report = gate(c)
    assert findings(report, "sup-3") == {(GCE, "workbench")}
    assert message_list(report, GCE)[0].startswith(
        "workbench Instance 'workbench': gceSetup.metadata.post-startup-script runs a download piped into an "
        "interpreter from 'tools.example.org'"
    )
    c = set_input(
        capture(SUP_BASELINE),
        "gce-trainer",
        "metadataStartupScript",
        'sh -c "$(curl -fsSL https://raw.example.com/setup.sh)"',
    )
    assert findings(gate(c), "sup-3") == {(GCE, "gce-trainer")}


def test_kubernetes_container_command() -> None:
    c = set_input(
        capture(SUP_BASELINE),
        "server",
        "spec.template.spec.containers.0.command",
        ["sh", "-c", "pip install https://files.example.com/serve-1.0-py3-none-any.whl && python -m serve"],
    )
    report = gate(c)
    assert findings(report, "sup-3") == {(PODS, "server")}
    assert message_list(report, PODS) == [
        "Deployment 'server': containers 'serve' command/args runs pip install of a URL on 'files.example.com' (not "
        "in approvedPackageIndexes); install from a pinned, scanned image or an approved package index."
    ]
    c = set_input(
        capture(SUP_BASELINE),
        "server",
        "spec.template.spec.initContainers.0.args",
        ["-c", "curl -sSL https://x.example.com/i | sh"],
    )
    assert findings(gate(c), "sup-3") == {(PODS, "server")}


def test_advisory_in_sandbox_mandatory_in_production() -> None:
    c = set_input(capture(SUP_BASELINE), "trainer", "userData", "curl https://get.example.com | sh")
    set_input(c, "server", "spec.template.spec.containers.0.args", ["curl https://get.example.com | sh"])
    expected = {(EC2, "trainer"), (PODS, "server")}
    assert findings(gate(c, environment="sandbox"), "sup-3", level="advisory") == expected
    assert findings(gate(c), "sup-3", level="mandatory") == expected


def test_unknown_scripts_at_preview_are_reported_not_passed() -> None:
    c = capture(SUP_BASELINE, preview_mode=True)
    set_input(c, "workers", "userData", UNKNOWN)
    set_input(c, "notebook-lc", "onStart", UNKNOWN)
    set_input(c, "gce-trainer", "metadataStartupScript", UNKNOWN)
    set_input(c, "server", "spec.template.spec.containers.0.command", UNKNOWN)
    report = gate(c)
    assert unknowns(report, "sup-3") == {
        (EC2, "workers", "advisory"),
        (SAGEMAKER, "notebook-lc", "advisory"),
        (GCE, "gce-trainer", "advisory"),
        (PODS, "server", "advisory"),
    }
    assert findings(report, "sup-3") == set()
