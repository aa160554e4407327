import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the security-groups module. */
export const securityGroupsOutputs = {
  albSecurityGroupId: stringOutput("ID of the load balancer's security group."),
  nodeSecurityGroupId: stringOutput("ID of the EKS worker nodes' security group."),
  rdsSecurityGroupId: stringOutput("ID of the RDS MySQL security group."),
  redisSecurityGroupId: stringOutput("ID of the ElastiCache Redis security group."),
  bastionSecurityGroupId: stringOutput("ID of the bastion's security group."),
} as const;
