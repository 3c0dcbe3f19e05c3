"""NET-1: the security group of the confidential training instances keeps an allow-all egress rule to
0.0.0.0/0, so a compromised job can send the training data anywhere."""

import pulumi_aws as aws

TAGS = {
    "owner": "ml-platform",
    "environment": "production",
    "data-classification": "confidential",
    "purpose": "training",
}

aws.ec2.SecurityGroup(
    "training-sg",
    vpc_id="vpc-0abc",
    egress=[
        aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"])
    ],
    tags=TAGS,
)
