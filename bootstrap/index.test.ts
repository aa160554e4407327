import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { account } from "../envs/account.ts";
import { resourceOf, type StackJson } from "../test/synth.ts";
import { BootstrapStack } from "./index.ts";

const stack = new BootstrapStack(Testing.app(), "bootstrap", account);
const json = JSON.parse(Testing.synth(stack, true)) as StackJson;

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
