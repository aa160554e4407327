import { listOutput, stringOutput } from "../../kit/outputs.ts";

/** Outputs of the network module. */
export const networkOutputs = {
  vpcId: stringOutput("ID of the VPC."),
  vpcCidr: stringOutput("IPv4 CIDR block of the VPC."),
  availabilityZones: listOutput("Availability zones the subnets are spread over, in subnet order."),
  publicSubnetIds: listOutput(
    "IDs of the public subnets (load balancers, NAT gateways), one per AZ.",
  ),
  privateSubnetIds: listOutput("IDs of the private subnets (EKS nodes and pods), one per AZ."),
  dataSubnetIds: listOutput(
    "IDs of the isolated data subnets (RDS, ElastiCache), one per AZ; no route to the internet.",
  ),
  publicRouteTableId: stringOutput("ID of the public route table."),
  privateRouteTableIds: listOutput("IDs of the private route tables, one per AZ."),
  dataRouteTableId: stringOutput(
    "ID of the data route table (local routes and the S3 gateway endpoint only).",
  ),
  natPublicIps: listOutput(
    "Public IPs of the NAT gateways (the VPC's egress addresses, for allow-lists).",
  ),
  flowLogGroupName: stringOutput(
    "Name of the CloudWatch log group that receives the VPC flow logs.",
  ),
} as const;
