/**
 * The one list of emulator gaps: resource and data types whose API moto 5.2.1 lacks (overridden in
 * the rehearsal's `terraform test` file, with plausible values) and attributes moto invents or drops
 * (masked in the no-changes check). The summary prints both lists. Add an entry only after checking
 * the failure is the emulator's (the rehearsal names the type and the failing call), never to hide a
 * real defect: a mask would hide a real perpetual diff.
 */

/** Account and region moto answers with; override values use them so ARNs look like the real ones. */
export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";

/** A type the rehearsal does not create for real. */
export interface Override {
  readonly kind: "resource" | "data";
  readonly type: string;
  /** Why the emulator cannot create or read it: the missing call, as measured. */
  readonly reason: string;
  /** Values for computed attributes that callers read (ids, ARNs, endpoints); HCL literals. */
  readonly values: Readonly<Record<string, string>>;
}

const arn = (service: string, resource: string) =>
  `"arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}"`;

export const OVERRIDES: readonly Override[] = [
  {
    kind: "resource",
    type: "aws_eks_access_entry",
    reason: "moto 5.2.1 has no EKS CreateAccessEntry",
    values: { access_entry_arn: arn("eks", "access-entry/rehearsal/role/rehearsal") },
  },
  {
    kind: "resource",
    type: "aws_eks_access_policy_association",
    reason: "moto 5.2.1 has no EKS AssociateAccessPolicy",
    values: { associated_at: '"2026-11-28T00:00:00Z"', modified_at: '"2026-11-28T00:00:00Z"' },
  },
  {
    kind: "resource",
    type: "aws_eks_addon",
    reason: "moto 5.2.1 has no EKS CreateAddon",
    values: { arn: arn("eks", "addon/rehearsal/addon/rehearsal") },
  },
  {
    kind: "data",
    type: "aws_eks_addon_version",
    reason: "moto 5.2.1 has no EKS DescribeAddonVersions",
    // A version string of the shape EKS returns; the add-on using it is overridden as well.
    values: { version: '"v1.0.0-eksbuild.1"' },
  },
  {
    kind: "resource",
    type: "aws_elasticache_parameter_group",
    reason: "moto 5.2.1 has no ElastiCache CreateCacheParameterGroup",
    values: { arn: arn("elasticache", "parametergroup:rehearsal") },
  },
  {
    kind: "resource",
    type: "aws_elasticache_subnet_group",
    reason: "moto 5.2.1 has no ElastiCache DeleteCacheSubnetGroup (the destroy would fail)",
    values: { arn: arn("elasticache", "subnetgroup:rehearsal") },
  },
  {
    kind: "resource",
    type: "aws_elasticache_replication_group",
    reason:
      "moto 5.2.1 creates replication groups without member clusters, so the provider's reads fail",
    values: {
      arn: arn("elasticache", "replicationgroup:rehearsal"),
      primary_endpoint_address: '"master.rehearsal.abc123.euw1.cache.amazonaws.com"',
      reader_endpoint_address: '"replica.rehearsal.abc123.euw1.cache.amazonaws.com"',
      member_clusters: '["rehearsal-001", "rehearsal-002"]',
    },
  },
  {
    kind: "resource",
    type: "aws_elasticache_user_group",
    // Measured on the merged tree: "NotImplementedError: The create_user_group action has not been implemented".
    reason: "moto 5.2.1 has no ElastiCache CreateUserGroup",
    values: { arn: arn("elasticache", "usergroup:rehearsal") },
  },
  {
    kind: "resource",
    type: "aws_codeconnections_connection",
    reason: "moto 5.2.1 has no CodeConnections service",
    values: {
      id: arn("codeconnections", "connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"),
      arn: arn("codeconnections", "connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"),
      connection_status: '"PENDING"',
    },
  },
  {
    kind: "data",
    type: "aws_codestarconnections_connection",
    reason: "moto 5.2.1 has no CodeStar Connections service",
    values: {
      arn: arn("codeconnections", "connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"),
      connection_status: '"AVAILABLE"',
    },
  },
  {
    kind: "resource",
    type: "aws_codebuild_webhook",
    reason: "moto 5.2.1's CodeBuild has no CreateWebhook",
    values: { url: '"https://codebuild.eu-west-1.amazonaws.com/webhooks/rehearsal"' },
  },
  {
    kind: "resource",
    type: "aws_budgets_budget",
    reason: "moto 5.2.1 has no Budgets DescribeSubscribersForNotification",
    values: { arn: `"arn:aws:budgets::${ACCOUNT}:budget/rehearsal"` },
  },
  {
    kind: "resource",
    type: "aws_instance",
    reason: "moto 5.2.1 has no EC2 MonitorInstances (the bastion sets monitoring = true)",
    values: {
      id: '"i-0123456789abcdef0"',
      arn: arn("ec2", "instance/i-0123456789abcdef0"),
      private_ip: '"10.0.0.10"',
    },
  },
];

/**
 * Attributes moto invents or drops, so the re-plan would show a change (or a replacement) that AWS
 * would not. The rehearsal adds them to the resource's `lifecycle.ignore_changes` in the temporary
 * copy only (an override file next to the module, keeping the module's own entries).
 */
export interface Mask {
  readonly type: string;
  readonly attributes: readonly string[];
  readonly reason: string;
}

export const MASKS: readonly Mask[] = [
  {
    type: "aws_eks_cluster",
    attributes: ["access_config", "upgrade_policy"],
    reason:
      "moto 5.2.1 does not return accessConfig or upgradePolicy from DescribeCluster, so the provider reads them as empty (access_config forces a replacement)",
  },
  {
    type: "aws_eks_node_group",
    attributes: ["remote_access", "node_repair_config", "update_config"],
    reason:
      'moto 5.2.1 invents remoteAccess (ec2_ssh_key "eksKeypair", which forces a replacement) and returns no nodeRepairConfig or updateConfig (measured with REHEARSE_UNMASKED=1)',
  },
  {
    type: "aws_launch_template",
    attributes: ["tag_specifications", "vpc_security_group_ids"],
    reason:
      "moto 5.2.1 drops TagSpecifications and SecurityGroupIds from the launch template data it returns",
  },
  {
    type: "aws_db_instance",
    attributes: [
      "monitoring_interval",
      "monitoring_role_arn",
      "network_type",
      "engine_lifecycle_support",
    ],
    reason:
      'moto 5.2.1 reads back monitoring_interval 0, no monitoring role and network_type "" (measured), and has no EngineLifecycleSupport at all (its RDS model never stores it)',
  },
  {
    type: "aws_db_parameter_group",
    attributes: ["parameter"],
    reason: "moto 5.2.1 returns none of the group's parameters on read (measured: parameter = [])",
  },
  {
    type: "aws_vpc_security_group_ingress_rule",
    attributes: ["description"],
    reason: "moto 5.2.1 does not return the description of a security-group rule",
  },
  {
    type: "aws_vpc_security_group_egress_rule",
    attributes: ["description"],
    reason: "moto 5.2.1 does not return the description of a security-group rule",
  },
];

/**
 * Objects AWS creates by itself that moto does not, stood in for by a file written beside a module
 * of the temporary copy (an `_override.tf` may replace an output; new blocks are added). Each says
 * what AWS does instead.
 */
export interface StandIn {
  /** Module folder name under terraform/modules. */
  readonly module: string;
  readonly reason: string;
  /** New blocks (a plain .tf file: override files may only replace existing blocks). */
  readonly add: string;
  /** Replacements of existing blocks (an `_override.tf` file). */
  readonly override: string;
}

export const STAND_INS: readonly StandIn[] = [
  {
    module: "eks",
    reason:
      "moto 5.2.1's DescribeCluster has no clusterSecurityGroupId (EKS creates eks-cluster-sg-<name> in the VPC); a rule-less group in the same VPC stands in so the module's control plane <-> node rules and the callers get a real group id",
    add: `data "aws_security_group" "rehearsal_node_group_vpc" {
  id = var.node_security_group_id
}

resource "aws_security_group" "rehearsal_cluster_sg" {
  name        = "eks-cluster-sg-\${var.name}-rehearsal"
  description = "Rehearsal stand-in for the security group EKS creates for the cluster"
  vpc_id      = data.aws_security_group.rehearsal_node_group_vpc.vpc_id
  # No inline rules (the provider removes AWS's default egress on create, and inline egress would
  # fight the separate rule resources): the module's control plane <-> node rules and the CI
  # runner's 443 are the only ones.
  tags        = { Component = "eks" }
}
`,
    // The module's rules and its output read the group through this local.
    override: `locals {
  cluster_security_group_id = aws_security_group.rehearsal_cluster_sg.id
}
`,
  },
];
