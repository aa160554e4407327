import type { Target } from "./targets.ts";

/**
 * Type-name prefixes (after `aws_`) and the AWS provider endpoint (the `endpoints` block key) of
 * their service; the first match wins, so longer prefixes come first. All endpoints point at the
 * one emulator. A type matching none stops the rehearsal before it applies (`serviceOf`), so a new
 * service is added here on purpose.
 */
export const SERVICES: readonly (readonly [prefix: string, endpoint: string])[] = [
  ["cloudwatch_log", "logs"],
  ["cloudwatch", "cloudwatch"],
  ["route53", "route53"],
  ["acm", "acm"],
  ["autoscaling", "autoscaling"],
  ["budgets", "budgets"],
  ["codebuild", "codebuild"],
  ["codeconnections", "codeconnections"],
  ["codestarconnections", "codestarconnections"],
  ["db_", "rds"],
  ["rds", "rds"],
  ["dynamodb", "dynamodb"],
  ["ecr", "ecr"],
  ["eks", "eks"],
  ["elasticache", "elasticache"],
  ["iam", "iam"],
  ["kms", "kms"],
  ["opensearch", "opensearch"],
  ["s3", "s3"],
  ["secretsmanager", "secretsmanager"],
  ["sns", "sns"],
  ["sqs", "sqs"],
  ["ssm", "ssm"],
  ...[
    "availability_zones",
    "default_",
    "ebs",
    "eip",
    "flow_log",
    "instance",
    "internet_gateway",
    "launch_template",
    "nat_gateway",
    "route",
    "security_group",
    "subnet",
    "vpc",
  ].map((prefix) => [prefix, "ec2"] as const),
];

/** Data sources answered by the provider itself or by STS (always configured). */
const NO_SERVICE = new Set([
  "aws_caller_identity",
  "aws_partition",
  "aws_region",
  "aws_default_tags",
  "aws_iam_policy_document",
]);

/** The endpoint a resource or data type talks to; undefined when it needs none. */
export function serviceOf(type: string): string | undefined {
  if (NO_SERVICE.has(type)) return undefined;
  const name = type.replace(/^aws_/, "");
  const match = SERVICES.find(([prefix]) => name.startsWith(prefix));
  if (!match)
    throw new Error(
      `rehearsal: no emulator endpoint for ${type}; add its service to SERVICES in scripts/rehearse/render.ts`,
    );
  return match[1];
}

/**
 * `rehearse_override.tf` for a root in the temporary copy: fake credentials, no metadata or
 * credential checks, path-style S3, one retry (the harness decides about retries), and an
 * endpoint for every service at the emulator.
 */
export function renderProviderOverride(endpoint: string, services: Iterable<string>): string {
  const names = [...new Set([...services, "sts"])].sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    "# Written by the rehearsal into a temporary copy; never part of the committed tree.",
    'provider "aws" {',
    '  access_key                  = "testing"',
    '  secret_key                  = "testing"',
    "  skip_credentials_validation = true",
    "  skip_metadata_api_check     = true",
    "  s3_use_path_style           = true",
    "  max_retries                 = 1",
    "  endpoints {",
    ...names.map((n) => `    ${n.padEnd(width)} = "${endpoint}"`),
    "  }",
    "}",
    "",
  ].join("\n");
}

/** One step of the rehearsal's test file. */
export type Step =
  | { readonly kind: "apply" | "plan"; readonly name: string }
  | { readonly kind: "hook"; readonly name: string };

/** Folder (relative to the root) of the hook module that runs a harness step via local-exec. */
export const HOOK_DIR = "rehearse-hook";

/**
 * The rehearsal's `terraform test` file: one override block per overridden address (values
 * from gaps.ts), then the steps in order. Hooks apply the hook module with `step` set to their name.
 */
export function renderTestFile(targets: readonly Target[], steps: readonly Step[]): string {
  const overrides = targets.map(({ override, address }) =>
    [
      `# ${override.type}: ${override.reason}`,
      `override_${override.kind} {`,
      `  target = ${address}`,
      "  values = {",
      ...Object.entries(override.values).map(([key, value]) => `    ${key} = ${value}`),
      "  }",
      "}",
    ].join("\n"),
  );
  const runs = steps.map((step) =>
    step.kind === "hook"
      ? [
          `run "${step.name}" {`,
          `  module {\n    source = "./${HOOK_DIR}"\n  }`,
          `  variables {\n    step = "${step.name}"\n  }`,
          "}",
        ].join("\n")
      : `run "${step.name}" {\n  command = ${step.kind}\n}`,
  );
  return [
    "# Written by the rehearsal into a temporary copy; never part of the committed tree.",
    ...overrides,
    ...runs,
    "",
  ].join("\n\n");
}

/** The hook module: runs `command` once per step (a new step replaces the resource). */
export function renderHookModule(command: string): string {
  return [
    'variable "step" {',
    "  type = string",
    "}",
    "",
    'resource "terraform_data" "step" {',
    "  triggers_replace = var.step",
    '  provisioner "local-exec" {',
    `    command = ${JSON.stringify(command)}`,
    "    environment = {",
    "      REHEARSE_STEP = var.step",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");
}
