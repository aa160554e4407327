import { PATTERNS } from "../kit/patterns.ts";
import { boolVar, common, numberVar, stringVar, type InputSpec } from "../kit/variables.ts";

/** Top-level variables of the bootstrap stack (defaults from `envs/account.ts`). */
export interface BootstrapInputs {
  region: string;
  project: string;
  stateBucketName: string;
  lockTableName: string;
  noncurrentVersionExpirationDays: number;
  abortIncompleteUploadDays?: number;
  githubRepository: string;
  createAutoscalingServiceLinkedRole?: boolean;
}

/** Variable spec of the bootstrap stack. */
export const bootstrapInputs: InputSpec<BootstrapInputs> = {
  region: common.region("AWS region of the state bucket and lock table, e.g. eu-west-1."),
  project: common.name("Short project name, the prefix of the key alias and role names."),
  stateBucketName: stringVar({
    description:
      "Name of the S3 bucket that holds every environment's Terraform state (globally unique).",
    pattern: {
      regex: PATTERNS.s3BucketName,
      what: "an S3 bucket name of 3-63 lower-case letters, digits or hyphens",
    },
  }),
  lockTableName: stringVar({
    description: "Name of the DynamoDB table used for Terraform state locking.",
    pattern: { regex: PATTERNS.dynamoTableName, what: "a DynamoDB table name" },
  }),
  noncurrentVersionExpirationDays: numberVar({
    description:
      "Days a superseded state version is kept before S3 expires it (recovery window for bad applies).",
    min: 1,
    max: 3650,
  }),
  abortIncompleteUploadDays: numberVar({
    description: "Days after which S3 aborts incomplete multipart uploads to the state bucket.",
    default: 7,
    min: 1,
    max: 365,
  }),
  githubRepository: stringVar({
    description:
      "GitHub repository `owner/name` whose Actions workflows may assume the CI roles (never a wildcard).",
    pattern: {
      regex: PATTERNS.githubRepository,
      what: "a GitHub repository as owner/name, without wildcards",
    },
  }),
  createAutoscalingServiceLinkedRole: boolVar({
    description:
      "Create the EC2 Auto Scaling service-linked role AWSServiceRoleForAutoScaling, which the EKS node volume key policy names (KMS rejects a policy naming a role that does not exist). Most accounts already have it (any Auto Scaling group creates it), so the default is false; the plan stops with a message when the role is missing, and then this must be true (new account). Keep it true afterwards: setting it back to false would delete the role.",
    default: false,
  }),
};
