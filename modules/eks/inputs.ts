import { toSnakeCase } from "../../kit/naming.ts";
import { PATTERNS } from "../../kit/patterns.ts";
import {
  common,
  enumVar,
  numberVar,
  stringListVar,
  stringVar,
  type Check,
  type InputSpec,
  type VariableSpec,
} from "../../kit/variables.ts";

/**
 * Graviton (arm64) instance families: `a1`, and every family with a `g` among the attribute
 * letters after the generation (t4g, m7g, m7gd, c7gn, r8g, x2gd, im4gn, is4gen, g5g, hpc7g).
 * x86 GPU families (g5, g6) have no letter `g` after the generation. `[.]`, not `\.`, so the same
 * text is a valid pattern in HCL, JSON and JavaScript.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html
 */
export const GRAVITON_INSTANCE_TYPE = "^(a1|[a-z]+[0-9]+[a-z]*g[a-z]*)[.]";

/** True for a Graviton (arm64) instance type such as `t4g.medium`. */
export function isGraviton(instanceType: string): boolean {
  return new RegExp(GRAVITON_INSTANCE_TYPE).test(instanceType);
}

/** EKS AMI type of the node groups for their (single-architecture) instance types. */
export const NODE_AMI_TYPES = {
  x86_64: "AL2023_x86_64_STANDARD",
  arm64: "AL2023_ARM_64_STANDARD",
} as const;

/** Inputs of the eks module. */
export interface EksInputs {
  /** Prefix of every name, `<project>-<env>`; the cluster is `<name>-eks`. */
  name: string;
  /**
   * Kubernetes minor version of the control plane and the node groups.
   * @default "1.34"
   */
  clusterVersion?: string;
  /**
   * Support policy at the end of standard support.
   * @default "STANDARD"
   * @see https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html
   */
  supportType?: "STANDARD" | "EXTENDED";
  /** Private subnets (at least two AZs) for the control-plane ENIs and the nodes. */
  privateSubnetIds: string[];
  /** The nodes' security group from the security-groups module. */
  nodeSecurityGroupId: string;
  /**
   * CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private only.
   * @default []
   */
  publicAccessCidrs?: string[];
  /** Retention of the control-plane log group, days. */
  logRetentionDays: number;
  /** IAM roles that get cluster-admin access entries (at least one: nobody else is admin). */
  adminRoleArns: string[];
  /**
   * The CI deploy role; empty for none.
   * @default ""
   */
  deployRoleArn?: string;
  /**
   * Namespaces the deploy role may change.
   * @default ["expense"]
   */
  deployNamespaces?: string[];
  /**
   * EKS access policy of the deploy role, scoped to `deployNamespaces`.
   * @default "AmazonEKSEditPolicy"
   */
  deployAccessPolicy?: "AmazonEKSEditPolicy" | "AmazonEKSAdminPolicy";
  /**
   * Kubernetes groups of the deploy role's access entry, for RBAC the access policy lacks.
   * @default []
   */
  deployKubernetesGroups?: string[];
  /**
   * The CI platform-plan role (refreshes the `<env>-platform` root); empty for none. Its access
   * entry carries only Kubernetes groups, no access policy: RBAC in the cluster grants the reads.
   * @default ""
   */
  platformPlanRoleArn?: string;
  /**
   * Kubernetes groups of the platform-plan role's access entry (at least one when the role is set).
   * @default []
   */
  platformPlanKubernetesGroups?: string[];
  /** Node instance types of one size; the first runs on demand, all of them serve spot. */
  nodeInstanceTypes: string[];
  /** Minimum nodes across both groups. */
  minNodes: number;
  /** Maximum nodes across both groups. */
  maxNodes: number;
  /** Initial nodes across both groups; the cluster autoscaler owns the number afterwards. */
  desiredNodes: number;
  /**
   * Nodes that always run on demand, before the spot percentage applies.
   * @default 0
   */
  onDemandBaseNodes?: number;
  /**
   * Share (0-100) of the nodes above the base that run on spot.
   * @default 0
   */
  spotPercentage?: number;
  /**
   * Root volume size of each node, GiB.
   * @default 30
   */
  nodeDiskSizeGb?: number;
  /**
   * Nodes of a group replaced at once during a rolling update, percent.
   * @default 33
   */
  nodeMaxUnavailablePercentage?: number;
}

/** `var.<name>` of an input, for hand-written expressions; renaming the input breaks tsc. */
export const varRef = (key: keyof EksInputs): string => `var.${toSnakeCase(key)}`;

/** IAM role ARN in any partition, paths allowed (SSO roles have one). */
const ROLE_ARN = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$";
/** Kubernetes namespace name (RFC 1123 label). */
const NAMESPACE = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

/**
 * Adds one rule to a spec, as a Terraform condition and the equivalent TypeScript predicate, so
 * both checks keep expressing the same rule.
 */
function withRule<T, S extends VariableSpec<T>>(
  spec: S & VariableSpec<T>,
  check: Check,
  predicate: (value: T) => boolean,
): S {
  return {
    ...spec,
    checks: [...spec.checks, check],
    schema: spec.schema.refine(predicate, check.message.replace(/\.$/, "")),
  };
}

/**
 * Adds a rule that relates one input to others. Terraform (>= 1.9) checks it in the variable's
 * validation block at plan time; a single value cannot be checked in TypeScript, so the zod
 * schema stays as it is and callers with literal values are checked by Terraform only.
 */
function crossCheck<T, S extends VariableSpec<T>>(spec: S & VariableSpec<T>, check: Check): S {
  return { ...spec, checks: [...spec.checks, check] };
}

/** Variable spec of the eks module. */
export const eksInputs: InputSpec<EksInputs> = {
  name: common.name(
    "Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev; the cluster is named `<name>-eks`.",
  ),
  clusterVersion: stringVar({
    description:
      "Kubernetes minor version of the control plane and the managed node groups, e.g. 1.34. Raise it one minor version at a time.",
    default: "1.34",
    pattern: { regex: PATTERNS.kubernetesVersion, what: "a Kubernetes minor version such as 1.34" },
  }),
  supportType: enumVar({
    description:
      "What happens when the version leaves standard support: `STANDARD` (EKS upgrades the control plane; no extra charge) or `EXTENDED` (stays, billed per cluster hour at the extended-support rate).",
    default: "STANDARD",
    oneOf: ["STANDARD", "EXTENDED"] as const,
  }),
  privateSubnetIds: stringListVar({
    description:
      "IDs of the private subnets (in at least two availability zones) that hold the control-plane network interfaces and the worker nodes.",
    minItems: 2,
    item: { regex: "^subnet-[0-9a-f]+$", what: "subnet ids such as subnet-0abc123" },
  }),
  nodeSecurityGroupId: stringVar({
    description:
      "ID of the worker nodes' security group (from the security-groups module); attached to every node next to the EKS cluster security group.",
    pattern: { regex: "^sg-[0-9a-f]+$", what: "a security group id such as sg-0abc123" },
  }),
  publicAccessCidrs: withRule(
    common.cidrList(
      "IPv4 CIDRs allowed to reach the public Kubernetes API endpoint. Empty (the default) turns the public endpoint off: the API is reachable from inside the VPC only.",
      [],
    ),
    {
      condition: (ref) => `!contains(${ref}, "0.0.0.0/0")`,
      message: "must not contain 0.0.0.0/0 (list the networks that need the public endpoint).",
    },
    (cidrs) => !cidrs.includes("0.0.0.0/0"),
  ),
  logRetentionDays: common.logRetentionDays(
    "Retention of the control-plane log group in days (a CloudWatch Logs retention period).",
  ),
  adminRoleArns: stringListVar({
    description:
      "ARNs of the IAM roles that get cluster-admin access (AmazonEKSClusterAdminPolicy, cluster scope). At least one: the role that creates the cluster gets no implicit access.",
    minItems: 1,
    item: { regex: ROLE_ARN, what: "IAM role ARNs" },
  }),
  deployRoleArn: crossCheck(
    stringVar({
      description:
        "ARN of the CI deploy role (from the bootstrap) that gets namespaced access for `helm upgrade`. Empty (the default) means no deploy role.",
      default: "",
      pattern: { regex: `^(${ROLE_ARN.slice(1, -1)})?$`, what: "an IAM role ARN or empty" },
    }),
    {
      // One principal has one access entry; an admin needs no second, narrower one.
      condition: (ref) => `${ref} == "" || !contains(${varRef("adminRoleArns")}, ${ref})`,
      message: "must not also be listed in admin_role_arns.",
    },
  ),
  deployNamespaces: stringListVar({
    description:
      "Kubernetes namespaces the deploy role's access policy is scoped to (they need not exist yet).",
    default: ["expense"],
    minItems: 1,
    maxItems: 5,
    item: { regex: NAMESPACE, what: "Kubernetes namespace names" },
  }),
  deployAccessPolicy: enumVar({
    description:
      "EKS access policy of the deploy role within its namespaces: `AmazonEKSEditPolicy` (workloads, no RBAC objects) or `AmazonEKSAdminPolicy` (also Roles and RoleBindings).",
    default: "AmazonEKSEditPolicy",
    oneOf: ["AmazonEKSEditPolicy", "AmazonEKSAdminPolicy"] as const,
  }),
  deployKubernetesGroups: stringListVar({
    description:
      "Kubernetes groups of the deploy role's access entry, for RBAC that the access policy lacks (e.g. bind a group to a Role for ServiceMonitor and PrometheusRule objects). Empty by default.",
    default: [],
    item: {
      regex: "^[a-z0-9][a-z0-9.-]{0,62}$",
      what: "lower-case group names (no `system:` groups)",
    },
  }),
  platformPlanRoleArn: crossCheck(
    stringVar({
      description:
        "ARN of the CI platform-plan role (from the bootstrap) that refreshes the platform root: an access entry with only the `platform_plan_kubernetes_groups`, no access policy (in-cluster RBAC grants its reads). Empty (the default) means none.",
      default: "",
      pattern: { regex: `^(${ROLE_ARN.slice(1, -1)})?$`, what: "an IAM role ARN or empty" },
    }),
    {
      // One principal has one access entry.
      condition: (ref) =>
        `${ref} == "" || (!contains(${varRef("adminRoleArns")}, ${ref}) && ${ref} != ${varRef("deployRoleArn")})`,
      message: "must not also be listed in admin_role_arns or be the deploy_role_arn.",
    },
  ),
  platformPlanKubernetesGroups: crossCheck(
    stringListVar({
      description:
        "Kubernetes groups of the platform-plan role's access entry, bound to read-only RBAC in the cluster. Needs at least one when platform_plan_role_arn is set (an entry without groups or policy grants nothing).",
      default: [],
      item: {
        regex: "^[a-z0-9][a-z0-9.-]{0,62}$",
        what: "lower-case group names (no `system:` groups)",
      },
    }),
    {
      condition: (ref) => `${varRef("platformPlanRoleArn")} == "" || length(${ref}) > 0`,
      message: "must name at least one group when platform_plan_role_arn is set.",
    },
  ),
  nodeInstanceTypes: withRule(
    withRule(
      stringListVar({
        description:
          "EC2 instance types of the worker nodes, all of one size (the cluster autoscaler assumes equal capacity); the first is used on demand, all of them for spot capacity.",
        minItems: 1,
        maxItems: 10,
        item: { regex: PATTERNS.ec2InstanceType, what: "EC2 instance types such as t3.medium" },
      }),
      {
        condition: (ref) => `length(distinct([for t in ${ref} : split(".", t)[1]])) == 1`,
        message: "must all be of one size, such as t3.medium, t3a.medium and t2.medium.",
      },
      (types) => new Set(types.map((t) => t.split(".")[1])).size === 1,
    ),
    {
      condition: (ref) =>
        `length(distinct([for t in ${ref} : can(regex("${GRAVITON_INSTANCE_TYPE}", t))])) == 1`,
      message:
        "must all be of one architecture: x86_64 (such as t3.medium, m6i.large) or Graviton arm64 (such as t4g.medium, m7g.large), not both; the node AMI type follows from it.",
    },
    (types) => new Set(types.map(isGraviton)).size === 1,
  ),
  minNodes: numberVar({
    description: "Minimum number of worker nodes across the on-demand and spot node groups.",
    min: 0,
    max: 100,
  }),
  maxNodes: numberVar({
    description: "Maximum number of worker nodes across the on-demand and spot node groups.",
    min: 1,
    max: 100,
  }),
  desiredNodes: crossCheck(
    numberVar({
      description:
        "Number of worker nodes at creation, across both node groups; the cluster autoscaler owns it afterwards (Terraform ignores later changes).",
      min: 0,
      max: 100,
    }),
    {
      condition: (ref) => `${ref} >= ${varRef("minNodes")} && ${ref} <= ${varRef("maxNodes")}`,
      message: "must be between min_nodes and max_nodes.",
    },
  ),
  onDemandBaseNodes: numberVar({
    description:
      "Worker nodes that always run on demand, before the spot percentage applies to the rest.",
    default: 0,
    min: 0,
    max: 100,
  }),
  spotPercentage: numberVar({
    description:
      "Percentage (0-100) of the worker nodes above the on-demand base that run on spot; the on-demand share of them is rounded down.",
    default: 0,
    min: 0,
    max: 100,
  }),
  nodeDiskSizeGb: numberVar({
    description: "Size of each worker node's encrypted gp3 root volume in GiB.",
    default: 30,
    min: 20,
    max: 1000,
  }),
  nodeMaxUnavailablePercentage: numberVar({
    description:
      "Percentage of a node group's nodes that may be unavailable at once during a rolling update (at least one node).",
    default: 33,
    min: 1,
    max: 100,
  }),
};
