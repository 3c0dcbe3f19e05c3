"""NB-3: the Vertex AI Workbench instance keeps Google-managed disk encryption and has no idle timeout,
so a forgotten GPU notebook runs (and bills) forever with its data under a key the team does not control."""

import pulumi_gcp as gcp

LABELS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "research",
}

gcp.workbench.Instance(
    "research",
    location="us-central1-a",
    labels=LABELS,
    gce_setup=gcp.workbench.InstanceGceSetupArgs(
        machine_type="g2-standard-8",
        disable_public_ip=True,
        metadata={"notebook-disable-root": "true"},
        service_accounts=[
            gcp.workbench.InstanceGceSetupServiceAccountArgs(
                email="research@aiwarden-offline.iam.gserviceaccount.com"
            )
        ],
    ),
)
