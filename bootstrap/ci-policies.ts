import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import {
  actionsOf,
  PASS_ROLE_SERVICES,
  SERVICE_LINKED_ROLES,
  type IamWrite,
} from "./terraform-actions.ts";

/** Where one environment's IAM objects live, as ARN prefixes (tokens allowed). */
export interface EnvironmentScope {
  /** `arn:<partition>:iam::<account>:` */
  readonly iamArnPrefix: string;
  /** `<project>-<env>`, the prefix of every name the environment creates. */
  readonly namePrefix: string;
  /** ARN of the environment's permissions boundary policy. */
  readonly boundaryArn: string;
  /** `arn:<partition>:ssm:<region>::parameter`, for the public AMI parameters. */
  readonly publicParameterArnPrefix: string;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The `read` actions of `types`, deduplicated and sorted. */
export function readActions(types: Iterable<string>): string[] {
  return sorted([...types].flatMap((t) => actionsOf(t).read));
}

/** The non-IAM `write` actions of `types`. */
export function writeActions(types: Iterable<string>): string[] {
  return sorted([...types].flatMap((t) => actionsOf(t).write ?? []));
}

/** The IAM actions of `types` of one constraint kind. */
export function iamActions(types: Iterable<string>, kind: IamWrite): string[] {
  return sorted([...types].flatMap((t) => actionsOf(t).iam?.[kind] ?? []));
}

/** Reads; SSM parameters are scoped to AWS's public ones (AMI ids), everything else on `*`. */
function readStatements(
  types: Iterable<string>,
  scope: Pick<EnvironmentScope, "publicParameterArnPrefix">,
): DataAwsIamPolicyDocumentStatement[] {
  const reads = readActions(types);
  const ssm = reads.filter((a) => a.startsWith("ssm:"));
  const rest = reads.filter((a) => !a.startsWith("ssm:"));
  return [
    ...(rest.length > 0 ? [{ sid: "Describe", actions: rest, resources: ["*"] }] : []),
    ...(ssm.length > 0
      ? [
          {
            sid: "PublicParameters",
            actions: ssm,
            resources: [`${scope.publicParameterArnPrefix}/aws/service/*`],
          },
        ]
      : []),
  ];
}

/**
 * What the plan role needs for `types`: the table's read actions only. No write, no secret read
 * (the table has no `secretsmanager:GetSecretValue`, and state holds no secret to find).
 */
export function planStatements(
  types: Iterable<string>,
  scope: Pick<EnvironmentScope, "publicParameterArnPrefix">,
): DataAwsIamPolicyDocumentStatement[] {
  return readStatements(types, scope);
}

/**
 * What one environment's apply role needs for `types`, derived from the table: reads, the
 * non-IAM writes, and IAM writes only within the environment (roles only with its boundary, other
 * IAM objects only under its name prefix, roles passed only to the services that run them,
 * service-linked roles only for the listed services).
 */
export function applyStatements(
  types: readonly string[],
  scope: EnvironmentScope,
): DataAwsIamPolicyDocumentStatement[] {
  const { iamArnPrefix, namePrefix, boundaryArn } = scope;
  const own = (kind: string) => `${iamArnPrefix}${kind}/${namePrefix}-*`;
  const statements: DataAwsIamPolicyDocumentStatement[] = [...readStatements(types, scope)];
  const writes = writeActions(types);
  if (writes.length > 0) statements.push({ sid: "Manage", actions: writes, resources: ["*"] });
  const boundary = iamActions(types, "boundary");
  if (boundary.length > 0)
    statements.push({
      sid: "RolesWithinBoundary",
      actions: boundary,
      resources: [own("role")],
      condition: [
        { test: "StringEquals", variable: "iam:PermissionsBoundary", values: [boundaryArn] },
      ],
    });
  const ownActions = iamActions(types, "own");
  if (ownActions.length > 0)
    statements.push({
      sid: "OwnIamObjects",
      actions: ownActions,
      resources: [
        own("role"),
        own("instance-profile"),
        // EKS clusters' IRSA providers are named after their issuer, not after the environment.
        `${iamArnPrefix}oidc-provider/oidc.eks.*`,
      ],
    });
  const pass = iamActions(types, "pass");
  if (pass.length > 0)
    statements.push({
      sid: "PassOwnRoles",
      actions: pass,
      resources: [own("role")],
      condition: [
        { test: "StringEquals", variable: "iam:PassedToService", values: [...PASS_ROLE_SERVICES] },
      ],
    });
  const linked = iamActions(types, "service-linked");
  if (linked.length > 0)
    statements.push({
      sid: "ServiceLinkedRoles",
      actions: linked,
      resources: [`${iamArnPrefix}role/aws-service-role/*`],
      condition: [
        { test: "StringEquals", variable: "iam:AWSServiceName", values: [...SERVICE_LINKED_ROLES] },
      ],
    });
  return statements;
}

/**
 * The permissions boundary of every role an environment's apply role creates: the services the
 * workloads (nodes, add-ons, the API, RDS monitoring, flow logs, the bastion) call, and no IAM
 * beyond service-linked roles and certificate reads (the load balancer controller's). A role
 * created by CI can therefore never create or change IAM, read other secrets than RDS-managed
 * ones, or reach services outside this list, whatever policy it is given.
 */
export function boundaryStatements(secretArnPrefix: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "WorkloadServices",
      actions: [
        "acm:Describe*",
        "acm:List*",
        "autoscaling:*",
        "cloudwatch:*",
        "cognito-idp:DescribeUserPoolClient",
        "ec2:*",
        "ec2messages:*",
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
        "ecr:DescribeRepositories",
        "ecr:GetAuthorizationToken",
        "ecr:GetDownloadUrlForLayer",
        "eks:*",
        "elasticache:Connect",
        "elasticloadbalancing:*",
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ListGrants",
        "kms:ReEncrypt*",
        "kms:RevokeGrant",
        "logs:*",
        "rds-db:connect",
        "shield:*",
        "ssm:*",
        "ssmmessages:*",
        "sts:AssumeRoleWithWebIdentity",
        "sts:GetCallerIdentity",
        "tag:GetResources",
        "waf-regional:*",
        "waf:*",
        "wafv2:*",
      ],
      resources: ["*"],
    },
    {
      sid: "RdsManagedSecretsOnly",
      actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      resources: [`${secretArnPrefix}rds!*`],
    },
    {
      sid: "NoIamBeyondServiceLinkedRoles",
      actions: [
        "iam:CreateServiceLinkedRole",
        "iam:GetServerCertificate",
        "iam:ListServerCertificates",
      ],
      resources: ["*"],
    },
  ];
}
