import {
  boolVar,
  common,
  enumVar,
  numberVar,
  stringListVar,
  stringVar,
  type Check,
  type InputSpec,
  type VariableSpec,
} from "../../kit/variables.ts";

/** Inputs of the rds module. */
export interface RdsInputs {
  /** Prefix of every name, `<project>-<env>`; the instance is `<name>-mysql`. */
  name: string;
  /** IDs of the isolated data subnets (one per AZ) for the DB subnet group. */
  subnetIds: string[];
  /** ID of the RDS security group from the security-groups module. */
  securityGroupId: string;
  /** DB instance class, e.g. db.t3.micro (dev) or db.t3.small (production). */
  instanceClass: string;
  /**
   * MySQL version: the major `8.4` (LTS) lets RDS pick and upgrade the minor version; a full
   * `8.4.x` pins the initial minor (later minors still arrive through auto minor version
   * upgrades). `8.0` is past RDS standard support and needs `engineLifecycleSupport` set to
   * `open-source-rds-extended-support` (see {@link ENGINE_SUPPORT_RULE}).
   * @default "8.4"
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html
   */
  engineVersion?: string;
  /**
   * What RDS does when the major version leaves standard support: `...-disabled` upgrades it to
   * the next major version (no extra charge), `open-source-rds-extended-support` keeps it and
   * bills RDS Extended Support per vCPU-hour.
   * @default "open-source-rds-extended-support-disabled"
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html
   */
  engineLifecycleSupport?: EngineLifecycleSupport;
  /** Standby replica in a second AZ with automatic failover. @default false */
  multiAz?: boolean;
  /** Initial gp3 storage, GiB. @default 20 */
  allocatedStorageGb?: number;
  /**
   * Upper limit of storage autoscaling, GiB. Its Terraform validation refers to
   * `var.allocated_storage_gb`, so a stack reusing this spec needs a variable of that name.
   * @default 100
   */
  maxAllocatedStorageGb?: number;
  /** Days of automated backups (point-in-time recovery window). @default 7 */
  backupRetentionDays?: number;
  /** Daily backup window, UTC, `hh:mm-hh:mm`. @default "02:00-03:00" */
  backupWindow?: string;
  /** Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm`. @default "Mon:03:30-Mon:04:30" */
  maintenanceWindow?: string;
  /** Refuse deletion through the API (and so `terraform destroy`). @default true */
  deletionProtection?: boolean;
  /**
   * Take a final snapshot `<name>-mysql-final-<creation time>` when the instance is deleted, and keep its automated
   * backups until they expire. A separate flag, not derived from `deletionProtection`: deleting a
   * protected database starts by turning protection off, which must not also drop the snapshot.
   * @default true
   */
  finalSnapshot?: boolean;
  /** Performance Insights (not available for MySQL on db.t3.micro/small). @default false */
  performanceInsightsEnabled?: boolean;
  /** Enhanced monitoring granularity, seconds. @default 60 */
  monitoringIntervalSeconds?: number;
  /** Queries slower than this land in the slow query log, seconds. @default 1 */
  slowQueryThresholdSeconds?: number;
  /** Name of the database created with the instance. @default "webappdb" */
  databaseName?: string;
  /** Master user name; its password is generated and rotated by RDS. @default "expense_admin" */
  masterUsername?: string;
  /** Retention of the error and slow query log groups, days. */
  logRetentionDays: number;
}

/** The two values of `engine_lifecycle_support` for open-source engines. */
export const ENGINE_LIFECYCLE_SUPPORT = [
  "open-source-rds-extended-support-disabled",
  "open-source-rds-extended-support",
] as const;
/** What RDS does at the end of standard support (see {@link RdsInputs.engineLifecycleSupport}). */
export type EngineLifecycleSupport = (typeof ENGINE_LIFECYCLE_SUPPORT)[number];

/**
 * A rule over two inputs: Terraform checks it in a `validation` block (Terraform >= 1.9 may refer
 * to another variable there) and TypeScript with `test`, so env configs fail before synth with the
 * same message. `check.condition` receives the first input's reference.
 */
export interface PairRule<A, B> {
  readonly check: Check;
  readonly test: (first: A, second: B) => boolean;
}

/**
 * MySQL 8.0 left RDS standard support on 2026-07-31; a new 8.0 instance runs (and is billed) on
 * RDS Extended Support from its first hour. It is allowed only together with an explicit
 * `engine_lifecycle_support = "open-source-rds-extended-support"`, the deliberate choice of
 * that cost.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html
 */
export const ENGINE_SUPPORT_RULE: PairRule<string, EngineLifecycleSupport> = {
  check: {
    condition: (ref) =>
      `!startswith(${ref}, "8.0") || var.engine_lifecycle_support == "open-source-rds-extended-support"`,
    message:
      'is MySQL 8.0, past RDS end of standard support (2026-07-31): use 8.4, or choose 8.0 deliberately by also setting engine_lifecycle_support = "open-source-rds-extended-support" (billed as RDS Extended Support).',
  },
  test: (version, lifecycle) =>
    !version.startsWith("8.0") || lifecycle === "open-source-rds-extended-support",
};

/**
 * RDS storage autoscaling requires the maximum to be at least 10 % above the allocated storage
 * (CreateDBInstance rejects a smaller `MaxAllocatedStorage`).
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html
 */
export const STORAGE_AUTOSCALING_RULE: PairRule<number, number> = {
  check: {
    condition: (ref) => `${ref} * 10 >= var.allocated_storage_gb * 11`,
    message:
      "must be at least 10 % above allocated_storage_gb (RDS storage autoscaling rejects a smaller limit).",
  },
  test: (max, allocated) => max * 10 >= allocated * 11,
};

/** A spec with one more Terraform-only check (for rules that span two variables). */
function withCheck<T, S extends VariableSpec<T>>(spec: S & VariableSpec<T>, check: Check): S {
  return { ...spec, checks: [...spec.checks, check] };
}

/** Variable spec of the rds module. */
export const rdsInputs: InputSpec<RdsInputs> = {
  name: common.name(
    "Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev; the DB instance is `<name>-mysql`.",
  ),
  subnetIds: stringListVar({
    description:
      "IDs of the isolated data subnets for the DB subnet group, at least two in different availability zones.",
    minItems: 2,
    maxItems: 6,
    item: { regex: "^subnet-[0-9a-f]+$", what: "subnet ids such as subnet-0abc123" },
  }),
  securityGroupId: stringVar({
    description:
      "ID of the security group attached to the instance (MySQL from EKS nodes and the bastion).",
    pattern: { regex: "^sg-[0-9a-f]+$", what: "a security group id such as sg-0abc123" },
  }),
  instanceClass: common.rdsInstanceClass(
    "RDS instance class, e.g. db.t3.micro (dev, staging) or db.t3.small (production).",
  ),
  engineVersion: withCheck(
    stringVar({
      description:
        "MySQL engine version: `8.4` (LTS, RDS standard support until 2029-07-31) lets RDS choose the current minor version, `8.4.x` pins the initial minor; minor upgrades are applied automatically in the maintenance window. `8.0` needs engine_lifecycle_support = open-source-rds-extended-support.",
      default: "8.4",
      pattern: {
        regex: "^8\\.[04](\\.[0-9]+)?$",
        what: "a MySQL 8.4 (or 8.0) version such as 8.4 or 8.4.7",
      },
    }),
    ENGINE_SUPPORT_RULE.check,
  ),
  engineLifecycleSupport: enumVar({
    description:
      "What RDS does when the engine's major version reaches RDS end of standard support: `open-source-rds-extended-support-disabled` (default) upgrades it to the next major version at no extra charge; `open-source-rds-extended-support` keeps it running on RDS Extended Support, billed per vCPU-hour.",
    default: "open-source-rds-extended-support-disabled",
    oneOf: ENGINE_LIFECYCLE_SUPPORT,
  }),
  multiAz: boolVar({
    description:
      "Whether to keep a synchronous standby in a second availability zone with automatic failover (production).",
    default: false,
  }),
  allocatedStorageGb: numberVar({
    description: "Initial gp3 storage of the instance in GiB (20 to 16384).",
    default: 20,
    min: 20,
    max: 16384,
  }),
  maxAllocatedStorageGb: withCheck(
    numberVar({
      description:
        "Upper limit in GiB up to which RDS storage autoscaling may grow the volume; at least 10 % above allocated_storage_gb.",
      default: 100,
      min: 20,
      max: 65536,
    }),
    // Terraform >= 1.9 lets a validation refer to another variable. The TypeScript side cannot
    // see both values here; envs/schema.ts checks the pair with the rule's `test` before synth.
    STORAGE_AUTOSCALING_RULE.check,
  ),
  backupRetentionDays: numberVar({
    description:
      "Days of automated backups kept (7 to 35); point-in-time recovery is possible within this window.",
    default: 7,
    min: 7,
    max: 35,
  }),
  backupWindow: stringVar({
    description:
      "Daily window for automated backups in UTC, `hh:mm-hh:mm`, at least 30 minutes, in low-traffic hours and not overlapping the maintenance window.",
    default: "02:00-03:00",
    pattern: {
      regex: "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$",
      what: "a UTC time range hh:mm-hh:mm such as 02:00-03:00",
    },
  }),
  maintenanceWindow: stringVar({
    description:
      "Weekly maintenance window in UTC, `ddd:hh:mm-ddd:hh:mm`, at least 30 minutes, right after the backup window.",
    default: "Mon:03:30-Mon:04:30",
    pattern: {
      regex:
        "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01][0-9]|2[0-3]):[0-5][0-9]-(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01][0-9]|2[0-3]):[0-5][0-9]$",
      what: "a weekly UTC range ddd:hh:mm-ddd:hh:mm such as Mon:03:30-Mon:04:30",
    },
  }),
  deletionProtection: boolVar({
    description:
      "Whether the instance refuses deletion (including `terraform destroy`) until this is turned off; on in production.",
    default: true,
  }),
  finalSnapshot: boolVar({
    description:
      "Whether deleting the instance first takes a final snapshot named `<name>-mysql-final-<UTC creation time of the instance>` (unique per instance, so destroy/create cycles never collide) and keeps the automated backups until they expire; on in production.",
    default: true,
  }),
  performanceInsightsEnabled: boolVar({
    description:
      "Whether Performance Insights is on (7 days, free tier, encrypted with the module's key); MySQL on db.t3.micro and db.t3.small does not support it.",
    default: false,
  }),
  monitoringIntervalSeconds: numberVar({
    description: "Interval in seconds at which enhanced monitoring collects OS metrics.",
    default: 60,
    oneOf: [1, 5, 10, 15, 30, 60],
  }),
  slowQueryThresholdSeconds: numberVar({
    description:
      "Queries that run longer than this many seconds are written to the slow query log (long_query_time).",
    default: 1,
    min: 1,
    max: 60,
  }),
  databaseName: stringVar({
    description: "Name of the database created with the instance (letters, digits, underscores).",
    default: "webappdb",
    pattern: {
      regex: "^[A-Za-z][A-Za-z0-9_]{0,63}$",
      what: "1-64 letters, digits or underscores starting with a letter",
    },
  }),
  masterUsername: stringVar({
    description:
      "Name of the master user; RDS generates its password, stores it in Secrets Manager and rotates it.",
    default: "expense_admin",
    pattern: {
      regex: "^[A-Za-z][A-Za-z0-9_]{0,15}$",
      what: "1-16 letters, digits or underscores starting with a letter",
    },
  }),
  logRetentionDays: common.logRetentionDays(
    "Retention in days of the error and slow query log groups (a CloudWatch Logs retention period).",
  ),
};
