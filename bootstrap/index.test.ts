import { describe, expect, it } from "vitest";
import { account } from "../envs/account.ts";
import { resourceOf, synthAll } from "../test/synth.ts";
import { bootstrapInputs } from "./inputs.ts";

const json = synthAll().stackJson("bootstrap");

describe("bootstrap stack", () => {
  it("keeps its own state local (the bucket it creates cannot hold it yet)", () => {
    expect(json.terraform?.backend).toEqual({ local: { path: "terraform.tfstate" } });
  });

  it("versions the state bucket and encrypts it with a rotating KMS key", () => {
    expect(
      resourceOf(json, "aws_s3_bucket_versioning", "state_versioning").versioning_configuration,
    ).toEqual({ status: "Enabled" });
    const sse = resourceOf(
      json,
      "aws_s3_bucket_server_side_encryption_configuration",
      "state_encryption",
    ) as { rule: { apply_server_side_encryption_by_default: unknown }[] };
    expect(sse.rule[0]!.apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "${aws_kms_key.state_key.arn}",
    });
    expect(resourceOf(json, "aws_kms_key", "state_key").enable_key_rotation).toBe(true);
  });

  it("blocks public access, enforces bucket-owner objects and TLS", () => {
    expect(
      resourceOf(json, "aws_s3_bucket_public_access_block", "state_public_access_block"),
    ).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourceOf(json, "aws_s3_bucket_ownership_controls", "state_ownership").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
    const policy = json.data?.aws_iam_policy_document?.state_tls_only as {
      statement: Record<string, unknown>[];
    };
    expect(policy.statement[0]).toMatchObject({
      effect: "Deny",
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  it("expires noncurrent versions after the configured days and aborts incomplete uploads", () => {
    const rules = resourceOf(json, "aws_s3_bucket_lifecycle_configuration", "state_lifecycle")
      .rule as Record<string, unknown>[];
    expect(rules[0]!.noncurrent_version_expiration).toEqual([
      { noncurrent_days: "${var.noncurrent_version_expiration_days}" },
    ]);
    expect(rules[1]!.abort_incomplete_multipart_upload).toEqual([
      { days_after_initiation: "${var.abort_incomplete_upload_days}" },
    ]);
    expect(json.variable?.noncurrent_version_expiration_days?.default).toBe(
      account.state.noncurrentVersionDays,
    );
  });

  it("creates the lock table with LockID, on-demand billing, PITR and KMS", () => {
    expect(resourceOf(json, "aws_dynamodb_table", "state_lock_table")).toMatchObject({
      hash_key: "LockID",
      billing_mode: "PAY_PER_REQUEST",
      attribute: [{ name: "LockID", type: "S" }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: "${aws_kms_key.state_key.arn}" },
    });
  });

  it("takes names from the account config as validated variables", () => {
    expect(json.variable?.state_bucket_name?.default).toBe(account.state.bucket);
    expect(json.variable?.lock_table_name?.default).toBe(account.state.lockTable);
    expect(json.variable?.state_bucket_name?.validation).toHaveLength(1);
  });
});

describe("GitHub Actions identity", () => {
  const documents = json.data?.aws_iam_policy_document ?? {};
  const trustOf = (role: string) =>
    (
      documents[`github_${role}_trust`] as {
        statement: { condition: { test: string; variable: string; values: string[] }[] }[];
      }
    ).statement[0]!;

  it("trusts GitHub's OIDC issuer for STS without stored keys", () => {
    expect(resourceOf(json, "aws_iam_openid_connect_provider", "github_provider")).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  it("matches the customised subject: plan by pattern, apply and deploy exactly", () => {
    const { condition } = trustOf("plan");
    expect(condition).toContainEqual({
      test: "StringEquals",
      variable: "token.actions.githubusercontent.com:aud",
      values: ["sts.amazonaws.com"],
    });
    expect(condition.find((c) => c.variable.endsWith(":sub"))).toEqual({
      test: "StringLike",
      variable: "token.actions.githubusercontent.com:sub",
      values: [
        "repo:${var.github_repository}:pull_request:ref:refs/pull/*/merge:job_workflow_ref:${var.github_repository}/.github/workflows/terraform.yml@refs/pull/*/merge",
        "repo:${var.github_repository}:ref:refs/heads/main:ref:refs/heads/main:job_workflow_ref:${var.github_repository}/.github/workflows/terraform.yml@refs/heads/main",
      ],
    });
    for (const env of ["dev", "staging", "production"]) {
      for (const [kind, file] of [
        ["apply", "terraform.yml"],
        ["deploy", "api.yml"],
      ] as const) {
        const sub = trustOf(`${kind}_${env}`).condition.find((c) => c.variable.endsWith(":sub"))!;
        expect(sub).toEqual({
          test: "StringEquals",
          variable: "token.actions.githubusercontent.com:sub",
          values: [
            `repo:\${var.github_repository}:environment:${env}:ref:refs/heads/main:job_workflow_ref:\${var.github_repository}/.github/workflows/${file}@refs/heads/main`,
          ],
        });
      }
    }
  });

  it("names roles and boundaries after the project variable and outputs the subject template command", () => {
    expect(resourceOf(json, "aws_iam_role", "github_apply_dev").name).toBe(
      "${var.project}-dev-github-apply",
    );
    expect(resourceOf(json, "aws_iam_policy", "github_boundary_dev").name).toBe(
      "${var.project}-dev-permissions-boundary",
    );
    expect(json.output?.github_subject_template_command?.value).toBe(
      "gh api --method PUT repos/${var.github_repository}/actions/oidc/customization/sub -F use_default=false -f 'include_claim_keys[]=repo' -f 'include_claim_keys[]=context' -f 'include_claim_keys[]=ref' -f 'include_claim_keys[]=job_workflow_ref'",
    );
  });

  it("requires the repository as owner/name, never a wildcard", () => {
    const spec = json.variable?.github_repository as { validation: { condition: string }[] };
    expect(spec.validation).toHaveLength(1);
    const schema = bootstrapInputs.githubRepository.schema;
    expect(schema.safeParse("example-org/expense-platform").success).toBe(true);
    for (const bad of ["*", "example-org/*", "example-org", "*/*", "a/b/c"])
      expect(schema.safeParse(bad).success, bad).toBe(false);
  });

  it("lets the deploy role push to the one repository and describe one cluster", () => {
    const policy = documents.github_deploy_dev_policy_document as {
      statement: { sid: string; resources: string[] }[];
    };
    expect(policy.statement.find((s) => s.sid === "PushApiImage")!.resources).toEqual([
      "${aws_ecr_repository.images_repository.arn}",
    ]);
    // The environment's own region, not the bootstrap provider's.
    expect(policy.statement.find((s) => s.sid === "DescribeCluster")!.resources[0]).toBe(
      `arn:\${data.aws_partition.context_partition.partition}:eks:${account.region}:\${data.aws_caller_identity.context_caller.account_id}:cluster/\${var.project}-dev-eks`,
    );
  });

  it("keeps API images immutable, scanned, KMS-encrypted and bounded by a lifecycle policy", () => {
    expect(resourceOf(json, "aws_ecr_repository", "images_repository")).toMatchObject({
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [
        { encryption_type: "KMS", kms_key: "${aws_kms_key.images_key.arn}" },
      ],
    });
    expect(resourceOf(json, "aws_ecr_lifecycle_policy", "images_lifecycle").policy).toContain(
      "untagged",
    );
  });
});
