import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { Fn } from "cdktf";
import { defineModule } from "../../kit/module.ts";
import { AwsContext, cloudWatchLogsKeyStatement, EncryptionKey } from "../../kit/kms.ts";
import { elasticacheInputs, type ElasticacheInputs } from "./inputs.ts";
import { elasticacheOutputs } from "./outputs.ts";

/** Redis logs delivered to CloudWatch; the module creates their groups. */
const LOG_TYPES = ["slow-log", "engine-log"] as const;

/**
 * ElastiCache for Redis OSS 7 as a replication group with cluster mode disabled: a primary and
 * replicas in different AZs of the isolated data subnets with automatic failover, encrypted at
 * rest with a KMS key and in transit (TLS required), RBAC with an IAM-authenticated application
 * user (no password anywhere), daily
 * snapshots, and slow/engine logs in KMS-encrypted log groups with a retention period.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
 */
export const elasticache = defineModule({
  name: "elasticache",
  description:
    "ElastiCache Redis OSS 7 replication group (cluster mode disabled) across availability zones with automatic failover, encryption at rest and in transit, RBAC with an IAM-authenticated application user, snapshots and CloudWatch logs.",
  inputs: elasticacheInputs,
  outputs: elasticacheOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const id = `${vars.name}-redis`;

    const key = new EncryptionKey(scope, "key", {
      context,
      alias: id,
      description: `Encrypts the data at rest and snapshots of ${id}`,
    });
    const logsKey = new EncryptionKey(scope, "logs-key", {
      context,
      alias: `${id}-logs`,
      description: `Encrypts the CloudWatch log groups of ${id}`,
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });
    const logGroups = LOG_TYPES.map(
      (type) =>
        new CloudwatchLogGroup(scope, `${type}-group`, {
          name: `/aws/elasticache/${id}/${type}`,
          retentionInDays: vars.logRetentionDays,
          kmsKeyId: logsKey.arn,
          tags: { Name: `${id}-${type}` },
        }),
    );

    const subnetGroup = new ElasticacheSubnetGroup(scope, "subnet-group", {
      name: id,
      description: `Isolated data subnets of ${id}`,
      subnetIds: vars.subnetIds,
      tags: { Name: id },
    });
    const parameterGroup = new ElasticacheParameterGroup(scope, "parameter-group", {
      // The family is in the name: a new family means a new group (no name_prefix exists here).
      name: `${vars.name}-redis7`,
      family: "redis7",
      description: `Redis 7 parameters of ${id} (cluster mode disabled)`,
      // Explicit, though the family's default: one primary with replicas, one keyspace.
      parameter: [{ name: "cluster-enabled", value: "no" }],
      tags: { Name: id },
    });

    // RBAC instead of an AUTH token: no password exists anywhere. The application's user
    // authenticates with short-lived IAM (SigV4) tokens, which only roles allowed
    // `elasticache:Connect` on this group and user can make. IAM users need user_id == user_name.
    // @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
    const appUser = new ElasticacheUser(scope, "app-user", {
      userId: `${id}-app`,
      userName: `${id}-app`,
      engine: "redis",
      accessString: vars.appAccessString,
      authenticationMode: { type: "iam" },
      tags: { Name: `${id}-app` },
    });
    // Every user group must contain a user named "default"; this one is switched off ("off",
    // no commands, no keys), so a connection that does not authenticate can do nothing.
    const defaultUser = new ElasticacheUser(scope, "default-user", {
      userId: `${id}-default`,
      userName: "default",
      engine: "redis",
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
      tags: { Name: `${id}-default` },
    });
    const userGroup = new ElasticacheUserGroup(scope, "user-group", {
      userGroupId: id,
      engine: "redis",
      userIds: [defaultUser.userId, appUser.userId],
      tags: { Name: id },
    });

    const group = new ElasticacheReplicationGroup(scope, "redis", {
      replicationGroupId: id,
      description: `Redis cache of ${vars.name}`,
      engine: "redis",
      engineVersion: vars.engineVersion,
      autoMinorVersionUpgrade: "true",
      nodeType: vars.nodeType,
      numCacheClusters: vars.numCacheClusters,
      port: 6379,
      parameterGroupName: parameterGroup.name,
      subnetGroupName: subnetGroup.name,
      securityGroupIds: [vars.securityGroupId],

      // In every environment: a replica in another AZ takes over when the primary fails.
      automaticFailoverEnabled: true,
      multiAzEnabled: true,

      atRestEncryptionEnabled: "true",
      kmsKeyId: key.arn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [userGroup.userGroupId],

      snapshotRetentionLimit: vars.snapshotRetentionDays,
      snapshotWindow: vars.snapshotWindow,
      maintenanceWindow: vars.maintenanceWindow,
      // Changes wait for the maintenance window instead of restarting nodes mid-day.
      applyImmediately: false,

      logDeliveryConfiguration: LOG_TYPES.map((type, index) => ({
        logType: type,
        logFormat: "json",
        destinationType: "cloudwatch-logs",
        destination: logGroups[index]!.name,
      })),
      tags: { Name: id },
    });

    return {
      primaryEndpointAddress: group.primaryEndpointAddress,
      readerEndpointAddress: group.readerEndpointAddress,
      port: group.port,
      tlsEnabled: Fn.tostring(group.transitEncryptionEnabled),
      appUserId: appUser.userId,
      appUserArn: appUser.arn,
      replicationGroupId: group.id,
      replicationGroupArn: group.arn,
      securityGroupId: vars.securityGroupId,
      kmsKeyArn: key.arn,
    };
  },
});

export type { ElasticacheInputs };
