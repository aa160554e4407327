import {
  cidrVar,
  common,
  enumVar,
  numberVar,
  stringListVar,
  stringVar,
  type InputSpec,
} from "../../kit/variables.ts";

/** Inputs of the ci-runner module. */
export interface CiRunnerInputs {
  /** Prefix of every name, `<project>-<env>`; the CodeBuild project is `<name>-ci-runner`. */
  name: string;
  /** HTTPS clone URL of the GitHub repository whose workflow jobs the runner takes. */
  repositoryUrl: string;
  /** ARN of the authorised CodeConnections (CodeStar Connections) GitHub connection. */
  connectionArn: string;
  vpcId: string;
  /** The VPC's CIDR, the only destination of the runner's DNS traffic. */
  vpcCidr: string;
  /** Private subnets (egress through NAT) the runner's network interfaces are placed in. */
  privateSubnetIds: string[];
  /** The EKS cluster security group; it admits the runner on 443 (the private API endpoint). */
  clusterSecurityGroupId: string;
  /** Retention of the runner's build logs, days. */
  logRetentionDays: number;
  /**
   * CodeBuild compute type of each runner.
   * @default "BUILD_GENERAL1_SMALL"
   */
  computeType?: "BUILD_GENERAL1_SMALL" | "BUILD_GENERAL1_MEDIUM" | "BUILD_GENERAL1_LARGE";
  /**
   * CodeBuild curated image the runner starts from (has the AWS CLI and git).
   * @default "aws/codebuild/amazonlinux-x86_64-standard:5.0"
   */
  image?: string;
  /**
   * Minutes a runner may run before CodeBuild stops it (the longest job: an EKS apply).
   * @default 120
   */
  buildTimeoutMinutes?: number;
}

/** Variable spec of the ci-runner module. */
export const ciRunnerInputs: InputSpec<CiRunnerInputs> = {
  name: common.name(
    "Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev; the CodeBuild project is `<name>-ci-runner`.",
  ),
  repositoryUrl: stringVar({
    description:
      "HTTPS clone URL of the GitHub repository whose queued workflow jobs start a runner, e.g. https://github.com/acme/expense.git.",
    pattern: {
      regex: "^https://github\\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\\.git$",
      what: "a GitHub clone URL such as https://github.com/acme/expense.git",
    },
  }),
  connectionArn: stringVar({
    description:
      "ARN of the GitHub connection (CodeConnections, created by the bootstrap and authorised once in the console) CodeBuild uses to register runners and the webhook.",
    pattern: {
      regex:
        "^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]+$",
      what: "a CodeConnections connection ARN",
    },
  }),
  vpcId: stringVar({
    description: "ID of the VPC the runner runs in (the cluster's VPC).",
    pattern: { regex: "^vpc-[0-9a-f]+$", what: "a VPC id such as vpc-0abc123" },
  }),
  vpcCidr: cidrVar({
    description: "IPv4 CIDR block of the VPC; the runner's DNS queries may go only there.",
    minPrefix: 16,
    maxPrefix: 28,
  }),
  privateSubnetIds: stringListVar({
    description:
      "IDs of the private subnets (routed through NAT) the runner's network interfaces are placed in.",
    minItems: 1,
    maxItems: 6,
    item: { regex: "^subnet-[0-9a-f]+$", what: "subnet ids such as subnet-0abc123" },
  }),
  clusterSecurityGroupId: stringVar({
    description:
      "ID of the EKS cluster security group; the module adds a rule admitting the runner on TCP 443 (the private API endpoint).",
    pattern: { regex: "^sg-[0-9a-f]+$", what: "a security group id such as sg-0123abcd" },
  }),
  logRetentionDays: common.logRetentionDays(
    "Retention in days of the runner's CloudWatch build logs.",
  ),
  computeType: enumVar({
    description: "CodeBuild compute type of each runner (SMALL: 2 vCPU, 3 GB).",
    default: "BUILD_GENERAL1_SMALL",
    oneOf: ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"] as const,
  }),
  image: stringVar({
    description:
      "CodeBuild curated Linux image the runner starts from, e.g. aws/codebuild/amazonlinux-x86_64-standard:5.0.",
    default: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
    pattern: {
      regex: "^aws/codebuild/[a-z0-9._-]+:[0-9.]+$",
      what: "a CodeBuild curated image such as aws/codebuild/amazonlinux-x86_64-standard:5.0",
    },
  }),
  buildTimeoutMinutes: numberVar({
    description:
      "Minutes (5-480) a runner may run before CodeBuild stops it; at least the longest job's timeout.",
    default: 120,
    min: 5,
    max: 480,
  }),
};
