"""The network the fraud-scoring workloads run in: two private subnets in two zones, the AWS APIs they call
through VPC endpoints, no route to the internet, every flow logged."""

import pulumi

from components._common import Ownership, export_inventory
from components.aws import PrivateNetwork, PrivateNetworkArgs, PrivateSubnet

ownership = Ownership(
    owner="ml-platform", environment="production", data_classification="confidential", purpose="fraud-scoring"
)
net = PrivateNetwork(
    "fraud",
    PrivateNetworkArgs(
        ownership=ownership,
        cidr_block="10.42.0.0/16",
        subnets={
            "a": PrivateSubnet(availability_zone="us-east-1a", cidr_block="10.42.0.0/19"),
            "b": PrivateSubnet(availability_zone="us-east-1b", cidr_block="10.42.32.0/19"),
        },
        workload_ports={"https": 443, "postgres": 5432},
    ),
)
# What the compute components take as `network=`: the VPC, its private subnets, the workloads' security group.
pulumi.export("vpcId", net.network.vpc_id)
pulumi.export("subnetIds", list(net.network.subnet_ids))
pulumi.export("securityGroupIds", list(net.network.security_group_ids))
export_inventory()
