"""SUP-3: the notebook lifecycle configuration installs a package straight from a Git branch at every
start (`pip install git+https://...@main`): unreviewed code runs with the notebook's role."""

import base64

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "research",
}
ON_START = (
    "#!/bin/bash\nsudo -u ec2-user -i pip install git+https://github.com/example-org/ml-utils.git@main\n"
)

aws.sagemaker.NotebookInstanceLifecycleConfiguration(
    "research-setup", on_start=base64.b64encode(ON_START.encode()).decode(), tags=TAGS
)
