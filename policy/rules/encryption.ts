import type { Resource, Rule } from "../types.ts";
import { block, blocks, companions, Findings, isSet, isTrue, show, stringList } from "../values.ts";

const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);

/** S3 bucket default encryption: inline (deprecated) or the separate configuration resource. */
function s3Encryption(bucket: Resource): string[] {
  const configs = [
    ...blocks(bucket.body.server_side_encryption_configuration),
    ...companions(bucket, "aws_s3_bucket_server_side_encryption_configuration", "bucket").map(
      (r) => r.body,
    ),
  ];
  if (configs.length === 0) return ["no server-side encryption configuration"];
  const algorithms = configs
    .flatMap((c) => blocks(c.rule))
    .map((rule) => block(rule.apply_server_side_encryption_by_default)?.sse_algorithm);
  if (algorithms.length > 0 && algorithms.every((a) => KMS_ALGORITHMS.has(String(a)))) return [];
  return [`sse_algorithm is ${algorithms.map(show).join(", ") || "absent"}`];
}

/** EBS: every block device of a launch template, and an instance's root and extra volumes. */
function ebsEncryption(r: Resource): string[] {
  const f = new Findings();
  if (r.type === "aws_launch_template") {
    const devices = blocks(r.body.block_device_mappings).filter((d) => block(d.ebs) !== undefined);
    // Without a mapping the root volume follows the AMI (unencrypted unless account default).
    if (devices.length === 0) f.add("no block_device_mappings with an encrypted ebs volume");
    for (const d of devices) {
      f.require(
        isTrue(block(d.ebs)!.encrypted),
        `${show(d.device_name)} ebs.encrypted`,
        block(d.ebs)!.encrypted,
      );
    }
  } else if (r.type === "aws_instance") {
    const root = block(r.body.root_block_device);
    f.require(isTrue(root?.encrypted), "root_block_device.encrypted", root?.encrypted);
    for (const d of blocks(r.body.ebs_block_device)) {
      f.require(
        isTrue(d.encrypted),
        `ebs_block_device ${show(d.device_name)} encrypted`,
        d.encrypted,
      );
    }
  } else {
    f.require(isTrue(r.body.encrypted), "encrypted", r.body.encrypted);
  }
  return f.problems;
}

/** Encryption at rest with customer-managed keys. */
export const encryptionRules: Rule[] = [
  {
    id: "ENC-S3",
    title: "S3 buckets encrypt objects with KMS",
    types: ["aws_s3_bucket"],
    expected: "a server-side encryption configuration with sse_algorithm aws:kms",
    check: s3Encryption,
  },
  {
    id: "ENC-DYNAMODB",
    title: "DynamoDB tables encrypt with a KMS key",
    types: ["aws_dynamodb_table"],
    expected: "server_side_encryption { enabled = true, kms_key_arn = <key> }",
    check: (r) => {
      const sse = block(r.body.server_side_encryption);
      return new Findings()
        .require(isTrue(sse?.enabled), "server_side_encryption.enabled", sse?.enabled)
        .require(isSet(sse?.kms_key_arn), "server_side_encryption.kms_key_arn", sse?.kms_key_arn)
        .problems;
    },
  },
  {
    id: "ENC-RDS",
    title: "RDS storage is encrypted with a customer-managed key",
    types: ["aws_db_instance", "aws_rds_cluster"],
    expected: "storage_encrypted = true and kms_key_id set",
    check: (r) =>
      new Findings()
        .require(isTrue(r.body.storage_encrypted), "storage_encrypted", r.body.storage_encrypted)
        .require(isSet(r.body.kms_key_id), "kms_key_id", r.body.kms_key_id).problems,
  },
  {
    id: "ENC-ELASTICACHE",
    title: "ElastiCache data at rest is encrypted with a customer-managed key",
    types: ["aws_elasticache_replication_group"],
    expected: "at_rest_encryption_enabled = true and kms_key_id set",
    check: (r) =>
      new Findings()
        .require(
          isTrue(r.body.at_rest_encryption_enabled),
          "at_rest_encryption_enabled",
          r.body.at_rest_encryption_enabled,
        )
        .require(isSet(r.body.kms_key_id), "kms_key_id", r.body.kms_key_id).problems,
  },
  {
    id: "ENC-EBS",
    title: "EBS volumes of instances and launch templates are encrypted",
    types: ["aws_launch_template", "aws_instance", "aws_ebs_volume"],
    expected:
      "encrypted = true on every EBS volume (launch template block_device_mappings, instance root_block_device)",
    check: ebsEncryption,
  },
  {
    id: "ENC-SNS",
    title: "SNS topics are encrypted with KMS",
    types: ["aws_sns_topic"],
    expected: "kms_master_key_id set",
    check: (r) =>
      new Findings().require(
        isSet(r.body.kms_master_key_id),
        "kms_master_key_id",
        r.body.kms_master_key_id,
      ).problems,
  },
  {
    id: "ENC-LOGS",
    title: "CloudWatch log groups are encrypted with KMS",
    types: ["aws_cloudwatch_log_group"],
    expected: "kms_key_id set",
    check: (r) =>
      new Findings().require(isSet(r.body.kms_key_id), "kms_key_id", r.body.kms_key_id).problems,
  },
  {
    id: "ENC-EKS-SECRETS",
    title: "EKS encrypts Kubernetes secrets with a KMS key",
    types: ["aws_eks_cluster"],
    expected: 'encryption_config { resources = ["secrets"], provider { key_arn = <key> } }',
    check: (r) => {
      const configs = blocks(r.body.encryption_config);
      const f = new Findings();
      const resources = configs.map((c) => stringList(c.resources));
      if (resources.includes("unknown"))
        return f.add("cannot prove encryption_config.resources").problems;
      const secrets = configs.filter((_, i) => (resources[i] as string[]).includes("secrets"));
      if (secrets.length === 0) return f.add('no encryption_config for "secrets"').problems;
      const key = block(secrets[0]!.provider)?.key_arn;
      return f.require(isSet(key), "encryption_config.provider.key_arn", key).problems;
    },
  },
  {
    id: "ENC-ECR",
    title: "ECR repositories encrypt images with KMS",
    types: ["aws_ecr_repository"],
    expected: 'encryption_configuration { encryption_type = "KMS" }',
    check: (r) => {
      const type = block(r.body.encryption_configuration)?.encryption_type;
      return type === "KMS" ? [] : [`encryption_type is ${show(type)}`];
    },
  },
];
