import {
  common,
  numberVar,
  stringListVar,
  stringVar,
  type InputSpec,
} from "../../kit/variables.ts";

/**
 * ACL of the API's Redis user: only its own keys (`expense:` prefix, see api/src/cache) and only
 * the commands the cache and ioredis send (connection handshake, INFO for the ready check, the
 * two Lua scripts and what they call). No FLUSH*, KEYS, CONFIG, DEBUG or other users' keys.
 * The API's Redis integration test applies the same rules to a real Redis.
 */
export const APP_ACCESS_STRING =
  "on ~expense:* -@all +auth +hello +ping +info +get +set +exists +incr +time +eval +evalsha";

/** Inputs of the elasticache module. */
export interface ElasticacheInputs {
  /** Prefix of every name, `<project>-<env>`; the replication group is `<name>-redis`. */
  name: string;
  /** IDs of the isolated data subnets (one per AZ) for the cache subnet group. */
  subnetIds: string[];
  /** ID of the Redis security group from the security-groups module. */
  securityGroupId: string;
  /** Node type of every node, e.g. cache.t4g.small. */
  nodeType: string;
  /** Redis OSS version, major.minor. @default "7.1" */
  engineVersion?: string;
  /** Nodes in the group: one primary plus replicas, spread over the AZs. @default 2 */
  numCacheClusters?: number;
  /** Days of daily snapshots kept; 0 turns snapshots off. @default 1 */
  snapshotRetentionDays?: number;
  /** Daily snapshot window, UTC, `hh:mm-hh:mm`. @default "02:00-03:00" */
  snapshotWindow?: string;
  /** Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm`. @default "mon:03:30-mon:04:30" */
  maintenanceWindow?: string;
  /**
   * Redis ACL rules of the application's IAM-authenticated user: which keys and commands it may
   * use. @default APP_ACCESS_STRING
   */
  appAccessString?: string;
  /** Retention of the slow-log and engine-log groups, days. */
  logRetentionDays: number;
}

const HH_MM = "([01][0-9]|2[0-3]):[0-5][0-9]";
const DAY = "(mon|tue|wed|thu|fri|sat|sun)";

/** Variable spec of the elasticache module. */
export const elasticacheInputs: InputSpec<ElasticacheInputs> = {
  name: common.name(
    "Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev; the replication group is `<name>-redis`.",
  ),
  subnetIds: stringListVar({
    description:
      "IDs of the isolated data subnets for the cache subnet group, at least two in different availability zones (multi-AZ placement needs them).",
    minItems: 2,
    maxItems: 6,
    item: { regex: "^subnet-[0-9a-f]+$", what: "subnet ids such as subnet-0abc123" },
  }),
  securityGroupId: stringVar({
    description: "ID of the security group attached to the cache nodes (Redis from EKS nodes).",
    pattern: { regex: "^sg-[0-9a-f]+$", what: "a security group id such as sg-0abc123" },
  }),
  nodeType: common.cacheNodeType(
    "ElastiCache node type of every node in the replication group, e.g. cache.t4g.small.",
  ),
  engineVersion: stringVar({
    description:
      "Redis OSS engine version as major.minor (7.x, for the redis7 parameter group family); patch versions are applied in the maintenance window.",
    default: "7.1",
    pattern: { regex: "^7\\.[0-9]+$", what: "a Redis 7 version such as 7.1" },
  }),
  numCacheClusters: numberVar({
    description:
      "Number of nodes (one primary plus replicas, 2 to 6); at least 2 so automatic failover and multi-AZ placement work.",
    default: 2,
    min: 2,
    max: 6,
  }),
  snapshotRetentionDays: numberVar({
    description: "Days a daily snapshot is kept (0 to 35); 0 turns automatic snapshots off.",
    default: 1,
    min: 0,
    max: 35,
  }),
  snapshotWindow: stringVar({
    description:
      "Daily snapshot window in UTC, `hh:mm-hh:mm`, at least 60 minutes, not overlapping the maintenance window.",
    default: "02:00-03:00",
    pattern: {
      regex: `^${HH_MM}-${HH_MM}$`,
      what: "a UTC time range hh:mm-hh:mm such as 02:00-03:00",
    },
  }),
  maintenanceWindow: stringVar({
    description:
      "Weekly maintenance window in UTC, `ddd:hh:mm-ddd:hh:mm` with lower-case days, at least 60 minutes.",
    default: "mon:03:30-mon:04:30",
    pattern: {
      regex: `^${DAY}:${HH_MM}-${DAY}:${HH_MM}$`,
      what: "a weekly UTC range ddd:hh:mm-ddd:hh:mm with lower-case days such as mon:03:30-mon:04:30",
    },
  }),
  appAccessString: stringVar({
    description:
      "Redis ACL rules of the application's IAM-authenticated user (keys and commands it may use), e.g. `on ~expense:* -@all +get +set`; must start with `on` (an enabled user).",
    default: APP_ACCESS_STRING,
    pattern: {
      regex: "^on( [~%&+\\-][^ ]+)+$",
      what: "an ACL rule list starting with `on`, such as on ~expense:* -@all +get",
    },
  }),
  logRetentionDays: common.logRetentionDays(
    "Retention in days of the slow-log and engine-log groups (a CloudWatch Logs retention period).",
  ),
};
