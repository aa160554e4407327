import { S3Backend, TerraformOutput } from "cdktf";
import { Stack } from "../kit/stack.ts";
import type { Construct } from "constructs";
import { configureAwsRoot } from "../kit/root-stack.ts";
import {
  boolVar,
  common,
  declareVariables,
  numberVar,
  stringListVar,
  type InputSpec,
} from "../kit/variables.ts";
import { PATTERNS } from "../kit/patterns.ts";
import { network } from "../modules/network/index.ts";
import { networkInputs } from "../modules/network/inputs.ts";
import { securityGroups } from "../modules/security-groups/index.ts";
import type { EnvironmentConfig } from "./schema.ts";

/** The tunables of an environment: top-level variables whose defaults come from `envs/<env>.ts`. */
export interface EnvironmentTunables {
  environment: "dev" | "staging" | "production";
  region: string;
  vpcCidr: string;
  azCount: number;
  natGateways: "single" | "per_az";
  logRetentionDays: number;
  bastionEnabled: boolean;
  bastionInstanceType: string;
  bastionSshCidrs: string[];
  nodeInstanceTypes: string[];
  minNodes: number;
  maxNodes: number;
  desiredNodes: number;
  onDemandBaseNodes: number;
  spotPercentage: number;
  rdsInstanceClass: string;
  redisNodeType: string;
  monthlyBudgetUsd: number;
}

/** Variable spec of the environment tunables (defaults are supplied per environment). */
export const environmentTunables: InputSpec<EnvironmentTunables> = {
  environment: common.environment(),
  region: common.region(),
  vpcCidr: networkInputs.vpcCidr,
  azCount: networkInputs.azCount,
  natGateways: networkInputs.natGateways,
  logRetentionDays: common.logRetentionDays(
    "Retention in days of every CloudWatch log group of the environment (flow logs, EKS control plane, application logs).",
  ),
  bastionEnabled: boolVar({
    description: "Whether the environment has a bastion host (Session Manager).",
  }),
  bastionInstanceType: common.ec2InstanceType(
    "EC2 instance type of the bastion host, e.g. t3.small.",
  ),
  bastionSshCidrs: common.cidrList(
    "IPv4 CIDRs allowed to SSH to the bastion; empty means Session Manager only.",
  ),
  nodeInstanceTypes: stringListVar({
    description:
      "EC2 instance types of the EKS nodes, all of one size; the first is used on demand, all of them for spot capacity.",
    minItems: 1,
    maxItems: 10,
    item: { regex: PATTERNS.ec2InstanceType, what: "EC2 instance types such as t3.medium" },
  }),
  minNodes: numberVar({
    description: "Minimum number of EKS worker nodes across all node groups.",
    min: 1,
    max: 100,
  }),
  maxNodes: numberVar({
    description: "Maximum number of EKS worker nodes across all node groups.",
    min: 1,
    max: 100,
  }),
  desiredNodes: numberVar({
    description:
      "Initial number of EKS worker nodes; the cluster autoscaler owns it after creation.",
    min: 1,
    max: 100,
  }),
  onDemandBaseNodes: numberVar({
    description: "EKS nodes that always run on demand, before the spot share applies.",
    min: 0,
    max: 100,
  }),
  spotPercentage: numberVar({
    description: "Percentage (0-100) of the EKS nodes above the on-demand base that run on spot.",
    min: 0,
    max: 100,
  }),
  rdsInstanceClass: common.rdsInstanceClass(
    "RDS instance class of the MySQL database, e.g. db.t3.micro.",
  ),
  redisNodeType: common.cacheNodeType(
    "ElastiCache node type of the Redis replication group, e.g. cache.t4g.small.",
  ),
  monthlyBudgetUsd: numberVar({
    description: "Monthly AWS cost budget of the environment in US dollars.",
    min: 1,
    max: 1_000_000,
  }),
};

/** The tunables' defaults for one environment, straight from its config. */
export function tunableDefaults(config: EnvironmentConfig): EnvironmentTunables {
  return {
    environment: config.environment,
    region: config.region,
    vpcCidr: config.network.vpcCidr,
    azCount: config.network.azCount,
    natGateways: config.network.natGateways,
    logRetentionDays: config.logRetentionDays,
    bastionEnabled: config.bastion.enabled,
    bastionInstanceType: config.bastion.instanceType,
    bastionSshCidrs: config.bastion.sshAllowedCidrs,
    nodeInstanceTypes: config.eks.nodeInstanceTypes,
    minNodes: config.eks.minNodes,
    maxNodes: config.eks.maxNodes,
    desiredNodes: config.eks.desiredNodes,
    onDemandBaseNodes: config.eks.onDemandBaseNodes,
    spotPercentage: config.eks.spotPercentage,
    rdsInstanceClass: config.rds.instanceClass,
    redisNodeType: config.redis.nodeType,
    monthlyBudgetUsd: config.budget.monthlyLimitUsd,
  };
}

/**
 * The `<env>` root configuration: S3 backend, AWS provider with default tags, the tunables as
 * top-level variables, and the module calls wired output to input.
 */
export class EnvironmentStack extends Stack {
  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config.environment);
    const { account } = config;
    const vars = declareVariables(this, environmentTunables, tunableDefaults(config));
    configureAwsRoot(this, {
      region: vars.region,
      accountId: account.accountId,
      tags: {
        Project: account.project,
        Environment: vars.environment,
        ManagedBy: "terraform",
        CostCenter: account.costCenter,
      },
    });

    // Terraform forbids variables in a backend block; these come from the config at synth time
    // and can be overridden with `terraform init -backend-config=...`.
    new S3Backend(this, {
      bucket: account.state.bucket,
      key: `envs/${config.environment}/terraform.tfstate`,
      region: account.region,
      encrypt: true,
      kmsKeyId: account.state.kmsKeyArn || undefined,
      dynamodbTable: account.state.lockTable,
    });
    // S3-native locking (Terraform >= 1.10); the DynamoDB table stays for older clients and is
    // what Terraform documents for the transition. CDKTF 0.21 predates the argument.
    this.addOverride("terraform.backend.s3.use_lockfile", true);

    const name = `${account.project}-${vars.environment}`;
    const net = network.call(this, "network", {
      name,
      vpcCidr: vars.vpcCidr,
      azCount: vars.azCount,
      natGateways: vars.natGateways,
      flowLogRetentionDays: vars.logRetentionDays,
    });
    const groups = securityGroups.call(this, "security_groups", {
      name,
      vpcId: net.outputs.vpcId,
      vpcCidr: net.outputs.vpcCidr,
      bastionSshCidrs: vars.bastionSshCidrs,
    });

    const outputs: Record<string, [unknown, string]> = {
      vpc_id: [net.outputs.vpcId, "ID of the VPC."],
      vpc_cidr: [net.outputs.vpcCidr, "IPv4 CIDR block of the VPC."],
      public_subnet_ids: [net.outputs.publicSubnetIds, "IDs of the public subnets."],
      private_subnet_ids: [net.outputs.privateSubnetIds, "IDs of the private subnets (EKS nodes)."],
      data_subnet_ids: [
        net.outputs.dataSubnetIds,
        "IDs of the isolated data subnets (RDS, ElastiCache).",
      ],
      nat_public_ips: [net.outputs.natPublicIps, "Egress IPs of the VPC (NAT gateways)."],
      alb_security_group_id: [
        groups.outputs.albSecurityGroupId,
        "Security group for the application load balancer.",
      ],
      node_security_group_id: [
        groups.outputs.nodeSecurityGroupId,
        "Security group of the EKS nodes.",
      ],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, id, { value, description });
    }
  }
}
