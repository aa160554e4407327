import type { Resource, Rule } from "../types.ts";
import {
  block,
  blocks,
  companions,
  Findings,
  isExpression,
  isFalse,
  isNumber,
  isSet,
  isTrue,
  referenced,
  show,
} from "../values.ts";

/** The instance's parameter group must be in the same unit and force TLS. */
function rdsTls(r: Resource): string[] {
  const name = r.body.parameter_group_name;
  const f = new Findings();
  if (isSet(name) !== "pass") return f.require(isSet(name), "parameter_group_name", name).problems;
  const group = referenced(name, r);
  if (!group) {
    // A literal name is a default or foreign group; a reference from elsewhere cannot be read.
    return f.add(
      isExpression(name)
        ? `cannot prove parameter group ${show(name)} sets require_secure_transport`
        : `parameter_group_name ${show(name)} is not a group defined here`,
    ).problems;
  }
  const param = blocks(group.body.parameter).find((p) => p.name === "require_secure_transport");
  const value = param?.value;
  if (value === 1 || value === "1" || String(value).toUpperCase() === "ON") return [];
  return f.require(
    isExpression(value) ? "unknown" : "fail",
    `${group.address} require_secure_transport`,
    value,
  ).problems;
}

/** Companion resource of a bucket satisfying `ok`, or a problem naming what is missing. */
function bucketCompanion(
  bucket: Resource,
  type: string,
  what: string,
  ok: (body: Record<string, unknown>) => Findings,
): string[] {
  const found = companions(bucket, type, "bucket");
  if (found.length === 0) return [`no ${type} for the bucket (${what})`];
  return found.flatMap((c) => ok(c.body).problems);
}

/** Encryption in transit, backups, recovery and exposure of data stores. */
export const dataProtectionRules: Rule[] = [
  {
    id: "TLS-RDS",
    title: "RDS requires TLS from clients",
    types: ["aws_db_instance"],
    expected:
      "a parameter_group_name of an aws_db_parameter_group with require_secure_transport = 1",
    check: rdsTls,
  },
  {
    id: "TLS-ELASTICACHE",
    title: "Redis traffic is encrypted in transit",
    types: ["aws_elasticache_replication_group"],
    expected: "transit_encryption_enabled = true",
    check: (r) =>
      new Findings().require(
        isTrue(r.body.transit_encryption_enabled),
        "transit_encryption_enabled",
        r.body.transit_encryption_enabled,
      ).problems,
  },
  {
    id: "S3-PUBLIC-ACCESS",
    title: "S3 buckets block every kind of public access",
    types: ["aws_s3_bucket"],
    expected: "an aws_s3_bucket_public_access_block with all four settings true",
    check: (bucket) =>
      bucketCompanion(bucket, "aws_s3_bucket_public_access_block", "all four true", (b) => {
        const f = new Findings();
        for (const key of [
          "block_public_acls",
          "block_public_policy",
          "ignore_public_acls",
          "restrict_public_buckets",
        ])
          f.require(isTrue(b[key]), key, b[key]);
        return f;
      }),
  },
  {
    id: "S3-VERSIONING",
    title: "S3 buckets keep object versions",
    types: ["aws_s3_bucket"],
    expected: 'an aws_s3_bucket_versioning with status "Enabled"',
    check: (bucket) => {
      const inline = block(bucket.body.versioning)?.enabled;
      if (inline === true) return [];
      return bucketCompanion(bucket, "aws_s3_bucket_versioning", "status Enabled", (b) => {
        const status = block(b.versioning_configuration)?.status;
        return new Findings().require(
          status === "Enabled" ? "pass" : isExpression(status) ? "unknown" : "fail",
          "versioning_configuration.status",
          status,
        );
      });
    },
  },
  {
    id: "S3-LIFECYCLE",
    title: "S3 buckets bound the cost of old versions and uploads",
    types: ["aws_s3_bucket"],
    expected: "an aws_s3_bucket_lifecycle_configuration with at least one rule",
    check: (bucket) =>
      bucketCompanion(bucket, "aws_s3_bucket_lifecycle_configuration", "rules", (b) =>
        blocks(b.rule).length > 0 ? new Findings() : new Findings().add("lifecycle has no rule"),
      ),
  },
  {
    id: "DYNAMODB-PITR",
    title: "DynamoDB tables have point-in-time recovery",
    types: ["aws_dynamodb_table"],
    expected: "point_in_time_recovery { enabled = true }",
    check: (r) => {
      const enabled = block(r.body.point_in_time_recovery)?.enabled;
      return new Findings().require(isTrue(enabled), "point_in_time_recovery.enabled", enabled)
        .problems;
    },
  },
  {
    id: "RDS-BACKUPS",
    title: "RDS keeps automated backups for at least 7 days",
    types: ["aws_db_instance", "aws_rds_cluster"],
    expected: "backup_retention_period >= 7",
    check: (r) =>
      new Findings().require(
        isNumber(r.body.backup_retention_period, (n) => n >= 7),
        "backup_retention_period",
        r.body.backup_retention_period,
      ).problems,
  },
  {
    id: "RDS-PRIVATE",
    title: "RDS instances are not publicly accessible",
    types: ["aws_db_instance"],
    expected: "publicly_accessible = false (or absent: the provider default is false)",
    check: (r) => {
      const value = r.body.publicly_accessible;
      if (value === undefined) return [];
      return new Findings().require(isFalse(value), "publicly_accessible", value).problems;
    },
  },
  {
    id: "RDS-DELETION-PROTECTION",
    title: "Production databases cannot be deleted by accident",
    types: ["aws_db_instance", "aws_rds_cluster"],
    expected: "deletion_protection = true in production",
    check: (r) =>
      r.unit.environment !== "production"
        ? []
        : new Findings().require(
            isTrue(r.body.deletion_protection),
            "deletion_protection",
            r.body.deletion_protection,
          ).problems,
  },
  {
    id: "LOG-RETENTION",
    title: "CloudWatch log groups expire their events",
    types: ["aws_cloudwatch_log_group"],
    expected: "retention_in_days set to a positive number of days",
    check: (r) =>
      new Findings().require(
        isNumber(r.body.retention_in_days, (n) => n > 0),
        "retention_in_days",
        r.body.retention_in_days,
      ).problems,
  },
  {
    id: "ECR-IMAGES",
    title: "ECR image tags are immutable and images are scanned on push",
    types: ["aws_ecr_repository"],
    expected:
      'image_tag_mutability = "IMMUTABLE" and image_scanning_configuration { scan_on_push = true }',
    check: (r) => {
      const f = new Findings();
      const mutability = r.body.image_tag_mutability;
      if (mutability !== "IMMUTABLE") f.add(`image_tag_mutability is ${show(mutability)}`);
      const scan = block(r.body.image_scanning_configuration)?.scan_on_push;
      return f.require(isTrue(scan), "image_scanning_configuration.scan_on_push", scan).problems;
    },
  },
];
