import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { Fn } from "cdktf";
import { defineModule } from "../../kit/module.ts";
import { AwsContext, cloudWatchLogsKeyStatement, EncryptionKey } from "../../kit/kms.ts";
import { AuthToken } from "./auth-token.ts";
import { elasticacheInputs, type ElasticacheInputs } from "./inputs.ts";
import { elasticacheOutputs } from "./outputs.ts";

/** Redis logs delivered to CloudWatch; the module creates their groups. */
const LOG_TYPES = ["slow-log", "engine-log"] as const;

/**
 * ElastiCache for Redis OSS 7 as a replication group with cluster mode disabled: a primary and
 * replicas in different AZs of the isolated data subnets with automatic failover, encrypted at
 * rest with a KMS key and in transit (TLS required), AUTH token from Secrets Manager, daily
 * snapshots, and slow/engine logs in KMS-encrypted log groups with a retention period.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
 */
export const elasticache = defineModule({
  name: "elasticache",
  description:
    "ElastiCache Redis OSS 7 replication group (cluster mode disabled) across availability zones with automatic failover, encryption at rest and in transit, an AUTH token from Secrets Manager, snapshots and CloudWatch logs.",
  inputs: elasticacheInputs,
  outputs: elasticacheOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const id = `${vars.name}-redis`;

    // One key for the cache's data and its AUTH token: whoever holds the token can read the data
    // anyway, so separate keys would add cost without separating anything.
    const key = new EncryptionKey(scope, "key", {
      context,
      alias: id,
      description: `Encrypts the data at rest, snapshots and AUTH token secret of ${id}`,
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

    const authToken = new AuthToken(scope, "auth-token", {
      name: vars.name,
      kmsKeyArn: key.arn,
      existingSecretArn: vars.authSecretArn,
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
      // SECRET IN STATE: auth_token has no write-only form, so the token is stored in the
      // Terraform state (S3, KMS-encrypted, versioned, TLS-only) and marked sensitive in plans.
      authToken: authToken.value,
      authTokenUpdateStrategy: vars.authTokenUpdateStrategy,

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
      authSecretArn: authToken.secretArn,
      replicationGroupId: group.id,
      replicationGroupArn: group.arn,
      securityGroupId: vars.securityGroupId,
      kmsKeyArn: key.arn,
    };
  },
});

export type { ElasticacheInputs };
