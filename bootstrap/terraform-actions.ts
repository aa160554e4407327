/**
 * What Terraform (AWS provider 5.x) needs, in IAM actions, to manage each resource type and read
 * each data source the generator emits. The CI roles' policies are derived from this one table:
 * the apply role of an environment gets the `write` and `read` actions of the types its stacks use,
 * the plan role only the `read` actions. A test walks every synthesized `<env>`, `<env>-platform`,
 * module and bootstrap stack and fails when a type has no entry here, so a new resource type
 * cannot ship without deciding what it may do.
 *
 * Keys are resource types (`aws_vpc`) and data sources (`data.aws_region`). Actions are the
 * provider's create/update/delete/tag calls (`write`) and its refresh calls (`read`); reads use the
 * service's `Describe*`/`List*`/`Get*` families where the provider calls many of them. IAM writes
 * are marked by kind (see `IamWrite`), so the policy can attach the boundary condition or scope.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */

/** How an IAM write is constrained in the apply policy. */
export type IamWrite =
  /** Role creation and role policies: only with the environment's permissions boundary. */
  | "boundary"
  /** Other IAM objects of the environment: only on names with the `<project>-<env>-` prefix. */
  | "own"
  /** Handing an own role to an AWS service (EKS, EC2, RDS monitoring, flow logs). */
  | "pass"
  /** Service-linked roles, only for the services listed in `SERVICE_LINKED_ROLES`. */
  | "service-linked";

/** IAM needs of one Terraform type. */
export interface TypeActions {
  /** Calls on refresh (plan) and after writes. */
  readonly read: readonly string[];
  /** Non-IAM calls to create, change, tag and delete. */
  readonly write?: readonly string[];
  /** IAM calls, by how they are constrained. */
  readonly iam?: Partial<Record<IamWrite, readonly string[]>>;
  /** Why an entry is empty or unusual. */
  readonly note?: string;
}

const EC2_READ = ["ec2:Describe*"];
const EC2_TAGS = ["ec2:CreateTags", "ec2:DeleteTags"];
const EKS_READ = ["eks:Describe*", "eks:List*"];
const EKS_TAGS = ["eks:TagResource", "eks:UntagResource"];
const RDS_READ = ["rds:Describe*", "rds:ListTagsForResource"];
const RDS_TAGS = ["rds:AddTagsToResource", "rds:RemoveTagsFromResource"];
const CACHE_READ = ["elasticache:Describe*", "elasticache:ListTagsForResource"];
const CACHE_TAGS = ["elasticache:AddTagsToResource", "elasticache:RemoveTagsFromResource"];
const IAM_READ = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies"];
const ATTACHED_READ = ["iam:ListAttachedRolePolicies", "iam:GetPolicy", "iam:GetPolicyVersion"];
const KMS_READ = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus"];
const LOGS_READ = ["logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup"];
/** What AWS services do with a customer key on the caller's behalf when creating resources. */
const KMS_USE = ["kms:CreateGrant", "kms:DescribeKey", "kms:GenerateDataKey*"];
const S3_READ = [
  "s3:GetBucket*",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetAccelerateConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:ListBucket",
];
const NONE: TypeActions = { read: [], note: "computed locally or by STS; no permission needed" };

/** The table: every type any stack emits. */
export const TERRAFORM_ACTIONS: Readonly<Record<string, TypeActions>> = {
  // Data sources.
  "data.aws_availability_zones": { read: ["ec2:DescribeAvailabilityZones"] },
  "data.aws_caller_identity": NONE,
  "data.aws_default_tags": NONE,
  "data.aws_iam_policy_document": NONE,
  "data.aws_iam_roles": { read: ["iam:ListRoles"] },
  "data.aws_partition": NONE,
  "data.aws_region": { read: ["ec2:DescribeRegions"] },
  "data.aws_eks_addon_version": { read: ["eks:DescribeAddonVersions"] },
  "data.aws_ssm_parameter": {
    read: ["ssm:GetParameter"],
    note: "the public EKS/AL2023 AMI parameters only (scoped in ci-policies.ts)",
  },
  "data.terraform_remote_state": {
    read: [],
    note: "reads the <env> state object, covered by the state statements",
  },

  // Network.
  aws_vpc: {
    read: EC2_READ,
    write: ["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", ...EC2_TAGS],
  },
  aws_subnet: {
    read: EC2_READ,
    write: ["ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute", ...EC2_TAGS],
  },
  aws_default_security_group: {
    read: EC2_READ,
    write: [
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress",
      ...EC2_TAGS,
    ],
  },
  aws_internet_gateway: {
    read: EC2_READ,
    write: [
      "ec2:CreateInternetGateway",
      "ec2:DeleteInternetGateway",
      "ec2:AttachInternetGateway",
      "ec2:DetachInternetGateway",
      ...EC2_TAGS,
    ],
  },
  aws_eip: {
    read: EC2_READ,
    write: ["ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:DisassociateAddress", ...EC2_TAGS],
  },
  aws_nat_gateway: {
    read: EC2_READ,
    write: ["ec2:CreateNatGateway", "ec2:DeleteNatGateway", ...EC2_TAGS],
  },
  aws_route_table: {
    read: EC2_READ,
    write: ["ec2:CreateRouteTable", "ec2:DeleteRouteTable", ...EC2_TAGS],
  },
  aws_route: {
    read: EC2_READ,
    write: ["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute"],
  },
  aws_route_table_association: {
    read: EC2_READ,
    write: [
      "ec2:AssociateRouteTable",
      "ec2:DisassociateRouteTable",
      "ec2:ReplaceRouteTableAssociation",
    ],
  },
  aws_vpc_endpoint: {
    read: EC2_READ,
    write: [
      "ec2:CreateVpcEndpoint",
      "ec2:DeleteVpcEndpoints",
      "ec2:ModifyVpcEndpoint",
      ...EC2_TAGS,
    ],
  },
  aws_flow_log: {
    read: EC2_READ,
    write: ["ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", ...EC2_TAGS],
    iam: { pass: ["iam:PassRole"] },
  },
  aws_security_group: {
    read: EC2_READ,
    write: [
      "ec2:CreateSecurityGroup",
      "ec2:DeleteSecurityGroup",
      // The provider removes the default allow-all egress rule of a new group.
      "ec2:RevokeSecurityGroupEgress",
      ...EC2_TAGS,
    ],
  },
  aws_vpc_security_group_ingress_rule: {
    read: EC2_READ,
    write: [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:ModifySecurityGroupRules",
      ...EC2_TAGS,
    ],
  },
  aws_vpc_security_group_egress_rule: {
    read: EC2_READ,
    write: [
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:ModifySecurityGroupRules",
      ...EC2_TAGS,
    ],
  },

  // Compute.
  aws_launch_template: {
    read: EC2_READ,
    write: [
      "ec2:CreateLaunchTemplate",
      "ec2:CreateLaunchTemplateVersion",
      "ec2:DeleteLaunchTemplate",
      "ec2:DeleteLaunchTemplateVersions",
      "ec2:ModifyLaunchTemplate",
      ...EC2_TAGS,
    ],
  },
  aws_instance: {
    read: EC2_READ,
    write: [
      "ec2:RunInstances",
      "ec2:TerminateInstances",
      "ec2:StartInstances",
      "ec2:StopInstances",
      "ec2:ModifyInstanceAttribute",
      "ec2:ModifyInstanceMetadataOptions",
      ...EC2_TAGS,
      ...KMS_USE,
    ],
    iam: { pass: ["iam:PassRole"] },
  },
  aws_eks_cluster: {
    read: EKS_READ,
    write: [
      "eks:CreateCluster",
      "eks:DeleteCluster",
      "eks:UpdateClusterConfig",
      "eks:UpdateClusterVersion",
      ...EKS_TAGS,
      ...KMS_USE,
    ],
    iam: { pass: ["iam:PassRole"], "service-linked": ["iam:CreateServiceLinkedRole"] },
  },
  aws_eks_node_group: {
    read: EKS_READ,
    write: [
      "eks:CreateNodegroup",
      "eks:DeleteNodegroup",
      "eks:UpdateNodegroupConfig",
      "eks:UpdateNodegroupVersion",
      ...EKS_TAGS,
    ],
    iam: { pass: ["iam:PassRole"], "service-linked": ["iam:CreateServiceLinkedRole"] },
  },
  aws_eks_addon: {
    read: EKS_READ,
    write: ["eks:CreateAddon", "eks:DeleteAddon", "eks:UpdateAddon", ...EKS_TAGS],
    iam: { pass: ["iam:PassRole"] },
  },
  aws_eks_access_entry: {
    read: EKS_READ,
    write: ["eks:CreateAccessEntry", "eks:DeleteAccessEntry", "eks:UpdateAccessEntry", ...EKS_TAGS],
  },
  aws_eks_access_policy_association: {
    read: EKS_READ,
    write: ["eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy"],
  },

  // Data stores.
  aws_db_instance: {
    read: RDS_READ,
    write: [
      "rds:CreateDBInstance",
      "rds:DeleteDBInstance",
      "rds:ModifyDBInstance",
      "rds:RebootDBInstance",
      ...RDS_TAGS,
      // manage_master_user_password: RDS creates and rotates the secret for the caller. Creating
      // it needs these; reading it (GetSecretValue) is deliberately not here.
      "secretsmanager:CreateSecret",
      "secretsmanager:TagResource",
      "secretsmanager:RotateSecret",
      ...KMS_USE,
    ],
    iam: { pass: ["iam:PassRole"], "service-linked": ["iam:CreateServiceLinkedRole"] },
  },
  aws_db_parameter_group: {
    read: RDS_READ,
    write: [
      "rds:CreateDBParameterGroup",
      "rds:DeleteDBParameterGroup",
      "rds:ModifyDBParameterGroup",
      ...RDS_TAGS,
    ],
  },
  aws_db_subnet_group: {
    read: RDS_READ,
    write: [
      "rds:CreateDBSubnetGroup",
      "rds:DeleteDBSubnetGroup",
      "rds:ModifyDBSubnetGroup",
      ...RDS_TAGS,
    ],
  },
  aws_opensearch_domain: {
    read: ["es:DescribeDomain", "es:DescribeDomainConfig", "es:ListTags"],
    write: [
      "es:CreateDomain",
      "es:DeleteDomain",
      "es:UpdateDomainConfig",
      "es:AddTags",
      "es:RemoveTags",
      // A VPC domain places its network interfaces in the environment's subnets.
      "ec2:CreateNetworkInterface",
      "ec2:DeleteNetworkInterface",
      ...KMS_USE,
    ],
    note: "Only with openSearch.enabled; the service-linked role for OpenSearch is a one-time account step (docs/architecture.md).",
  },
  aws_elasticache_replication_group: {
    read: CACHE_READ,
    write: [
      "elasticache:CreateReplicationGroup",
      "elasticache:DeleteReplicationGroup",
      "elasticache:ModifyReplicationGroup",
      ...CACHE_TAGS,
      // Slow/engine log delivery to CloudWatch Logs is set up with the caller's rights.
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:UpdateLogDelivery",
      ...KMS_USE,
    ],
    iam: { "service-linked": ["iam:CreateServiceLinkedRole"] },
  },
  aws_elasticache_parameter_group: {
    read: CACHE_READ,
    write: [
      "elasticache:CreateCacheParameterGroup",
      "elasticache:DeleteCacheParameterGroup",
      "elasticache:ModifyCacheParameterGroup",
      ...CACHE_TAGS,
    ],
  },
  aws_elasticache_subnet_group: {
    read: CACHE_READ,
    write: [
      "elasticache:CreateCacheSubnetGroup",
      "elasticache:DeleteCacheSubnetGroup",
      "elasticache:ModifyCacheSubnetGroup",
      ...CACHE_TAGS,
    ],
  },
  aws_elasticache_user: {
    read: CACHE_READ,
    write: [
      "elasticache:CreateUser",
      "elasticache:DeleteUser",
      "elasticache:ModifyUser",
      ...CACHE_TAGS,
    ],
  },
  aws_elasticache_user_group: {
    read: CACHE_READ,
    write: [
      "elasticache:CreateUserGroup",
      "elasticache:DeleteUserGroup",
      "elasticache:ModifyUserGroup",
      ...CACHE_TAGS,
    ],
  },

  // Keys, logs, alerts.
  aws_kms_key: {
    read: [...KMS_READ, "kms:ListResourceTags"],
    write: [
      "kms:CreateKey",
      "kms:ScheduleKeyDeletion",
      "kms:EnableKeyRotation",
      "kms:PutKeyPolicy",
      "kms:UpdateKeyDescription",
      "kms:TagResource",
      "kms:UntagResource",
    ],
  },
  aws_kms_alias: {
    read: ["kms:ListAliases"],
    write: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
  },
  aws_cloudwatch_log_group: {
    read: LOGS_READ,
    write: [
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:PutRetentionPolicy",
      "logs:AssociateKmsKey",
      "logs:DisassociateKmsKey",
      "logs:TagResource",
      "logs:UntagResource",
      "logs:TagLogGroup",
      "logs:UntagLogGroup",
    ],
  },
  aws_sns_topic: {
    read: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    write: [
      "sns:CreateTopic",
      "sns:DeleteTopic",
      "sns:SetTopicAttributes",
      "sns:TagResource",
      "sns:UntagResource",
    ],
  },
  aws_sns_topic_subscription: {
    read: ["sns:GetSubscriptionAttributes", "sns:ListSubscriptionsByTopic"],
    write: ["sns:Subscribe", "sns:Unsubscribe", "sns:SetSubscriptionAttributes"],
  },
  aws_acm_certificate: {
    read: ["acm:DescribeCertificate", "acm:ListTagsForCertificate"],
    write: [
      "acm:RequestCertificate",
      "acm:DeleteCertificate",
      "acm:AddTagsToCertificate",
      "acm:RemoveTagsFromCertificate",
    ],
  },
  aws_acm_certificate_validation: {
    read: ["acm:DescribeCertificate"],
    note: "Waits for the certificate to be issued; creates nothing.",
  },
  aws_route53_record: {
    read: ["route53:ListResourceRecordSets", "route53:GetHostedZone", "route53:GetChange"],
    write: ["route53:ChangeResourceRecordSets"],
  },
  "data.aws_route53_zone": {
    read: ["route53:ListHostedZones", "route53:GetHostedZone", "route53:ListTagsForResource"],
  },
  aws_codebuild_project: {
    read: ["codebuild:BatchGetProjects"],
    write: [
      "codebuild:CreateProject",
      "codebuild:UpdateProject",
      "codebuild:DeleteProject",
      // The project's source authenticates through the bootstrap's GitHub connection.
      "codeconnections:PassConnection",
      "codeconnections:UseConnection",
      // A project in the VPC: CodeBuild checks the subnets and security groups with the caller's rights.
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcs",
    ],
    iam: { pass: ["iam:PassRole"] },
  },
  aws_codebuild_webhook: {
    read: ["codebuild:BatchGetProjects"],
    write: ["codebuild:CreateWebhook", "codebuild:UpdateWebhook", "codebuild:DeleteWebhook"],
  },
  aws_codeconnections_connection: {
    read: ["codeconnections:GetConnection", "codeconnections:ListTagsForResource"],
    write: [
      "codeconnections:CreateConnection",
      "codeconnections:DeleteConnection",
      "codeconnections:TagResource",
      "codeconnections:UntagResource",
    ],
  },
  "data.aws_codestarconnections_connection": {
    read: ["codestar-connections:ListConnections", "codestar-connections:GetConnection"],
  },
  aws_sns_topic_policy: {
    read: ["sns:GetTopicAttributes"],
    write: ["sns:SetTopicAttributes"],
  },
  aws_budgets_budget: {
    read: ["budgets:ViewBudget", "budgets:ListTagsForResource"],
    write: ["budgets:ModifyBudget", "budgets:TagResource", "budgets:UntagResource"],
  },

  // IAM.
  aws_iam_role: {
    read: [...IAM_READ, ...ATTACHED_READ, "iam:ListInstanceProfilesForRole"],
    iam: {
      boundary: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
      own: [
        "iam:DeleteRole",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
      ],
    },
  },
  aws_iam_role_policy: {
    read: IAM_READ,
    iam: { boundary: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"] },
  },
  aws_iam_role_policy_attachment: {
    read: ATTACHED_READ,
    iam: { boundary: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"] },
  },
  aws_iam_instance_profile: {
    read: ["iam:GetInstanceProfile"],
    iam: {
      own: [
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
      ],
      pass: ["iam:PassRole"],
    },
  },
  aws_iam_openid_connect_provider: {
    read: ["iam:GetOpenIDConnectProvider"],
    iam: {
      own: [
        "iam:CreateOpenIDConnectProvider",
        "iam:DeleteOpenIDConnectProvider",
        "iam:TagOpenIDConnectProvider",
        "iam:UntagOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:RemoveClientIDFromOpenIDConnectProvider",
      ],
    },
  },

  // Bootstrap only (applied by an administrator, never granted to CI).
  aws_iam_policy: {
    read: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"],
    note: "bootstrap only: the permissions boundaries",
  },
  aws_iam_service_linked_role: { read: ["iam:GetRole"], note: "bootstrap only" },
  aws_s3_bucket: { read: S3_READ, note: "bootstrap only" },
  aws_s3_bucket_lifecycle_configuration: { read: S3_READ, note: "bootstrap only" },
  aws_s3_bucket_ownership_controls: { read: S3_READ, note: "bootstrap only" },
  aws_s3_bucket_policy: { read: S3_READ, note: "bootstrap only" },
  aws_s3_bucket_public_access_block: { read: S3_READ, note: "bootstrap only" },
  aws_s3_bucket_server_side_encryption_configuration: { read: S3_READ, note: "bootstrap only" },
  aws_s3_bucket_versioning: { read: S3_READ, note: "bootstrap only" },
  aws_dynamodb_table: {
    read: ["dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups"],
    note: "bootstrap only",
  },
  aws_ecr_repository: { read: ["ecr:DescribeRepositories"], note: "bootstrap only" },
  aws_ecr_lifecycle_policy: { read: ["ecr:GetLifecyclePolicy"], note: "bootstrap only" },

  // In-cluster (the <env>-platform stack): Kubernetes RBAC through the apply role's EKS access
  // entry, no IAM action.
  helm_release: { read: [], note: "Kubernetes API (cluster admin access entry)" },
  kubernetes_cluster_role_binding_v1: { read: [], note: "Kubernetes API" },
  kubernetes_cluster_role_v1: { read: [], note: "Kubernetes API" },
  kubernetes_config_map_v1: { read: [], note: "Kubernetes API" },
  kubernetes_job_v1: { read: [], note: "Kubernetes API" },
  kubernetes_namespace_v1: { read: [], note: "Kubernetes API" },
  kubernetes_role_binding_v1: { read: [], note: "Kubernetes API" },
  kubernetes_role_v1: { read: [], note: "Kubernetes API" },
  kubernetes_service_account_v1: { read: [], note: "Kubernetes API" },
  kubernetes_storage_class_v1: { read: [], note: "Kubernetes API" },
};

/**
 * Services whose service-linked role Terraform's calls may create (first EKS cluster, node group,
 * RDS instance or ElastiCache group in an account).
 */
export const SERVICE_LINKED_ROLES = [
  "eks.amazonaws.com",
  "eks-nodegroup.amazonaws.com",
  "rds.amazonaws.com",
  "elasticache.amazonaws.com",
] as const;

/** Services the environment's roles are handed to (`iam:PassedToService`). */
export const PASS_ROLE_SERVICES = [
  "eks.amazonaws.com",
  "ec2.amazonaws.com",
  "monitoring.rds.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
] as const;

/** The table entry of a type, or an error that says what to add. */
export function actionsOf(type: string): TypeActions {
  const entry = TERRAFORM_ACTIONS[type];
  if (!entry)
    throw new Error(
      `${type} has no entry in bootstrap/terraform-actions.ts: add the IAM actions Terraform needs to manage it`,
    );
  return entry;
}
