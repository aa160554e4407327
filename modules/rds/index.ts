import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Fn, Op, Token } from "cdktf";
import { defineModule } from "../../kit/module.ts";
import { AwsContext, cloudWatchLogsKeyStatement, EncryptionKey } from "../../kit/kms.ts";
import { MonitoringRole } from "./monitoring.ts";
import { rdsInputs, type RdsInputs } from "./inputs.ts";
import { rdsOutputs } from "./outputs.ts";

/** Logs the instance exports to CloudWatch; the module creates their groups (see below). */
const LOG_EXPORTS = ["error", "slowquery"] as const;

/**
 * RDS for MySQL 8.4 (LTS) in the isolated data subnets: encrypted gp3 storage with autoscaling, TLS
 * required, automated backups with point-in-time recovery, error and slow query logs in
 * KMS-encrypted log groups with a retention period, enhanced monitoring, IAM database
 * authentication, and a master password that RDS generates and rotates in Secrets Manager.
 *
 * Secrets: `manage_master_user_password` means neither Terraform nor this repository ever sees the
 * master password; state holds only the secret's ARN.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
 */
export const rds = defineModule({
  name: "rds",
  description:
    "RDS for MySQL 8.4 (LTS) in the isolated data subnets with encrypted gp3 storage and autoscaling, TLS required, backups and point-in-time recovery, CloudWatch log exports, enhanced monitoring, IAM authentication and an RDS-managed master password in Secrets Manager.",
  inputs: rdsInputs,
  outputs: rdsOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const identifier = `${vars.name}-mysql`;

    // One key for the database and its credential: whoever can read the master secret can read
    // the data anyway, so separate keys would add cost without separating anything.
    const key = new EncryptionKey(scope, "key", {
      context,
      alias: `${vars.name}-rds`,
      description: `Encrypts the storage, snapshots, Performance Insights and master user secret of ${identifier}`,
    });
    const logsKey = new EncryptionKey(scope, "logs-key", {
      context,
      alias: `${vars.name}-rds-logs`,
      description: `Encrypts the CloudWatch log groups of ${identifier}`,
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });
    // RDS would create these groups on first export, without retention or encryption; creating
    // them first (the instance depends on them) keeps both under Terraform's control.
    const logGroups = LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(scope, `${log}-log-group`, {
          name: `/aws/rds/instance/${identifier}/${log}`,
          retentionInDays: vars.logRetentionDays,
          kmsKeyId: logsKey.arn,
          tags: { Name: `${identifier}-${log}` },
        }),
    );

    const subnetGroup = new DbSubnetGroup(scope, "subnet-group", {
      name: identifier,
      description: `Isolated data subnets of ${identifier}`,
      subnetIds: vars.subnetIds,
      tags: { Name: identifier },
    });

    // The major version (8.4 of 8.4.7) names the parameter group family: mysql8.4 or mysql8.0.
    const major = Fn.regex("^[0-9]+[.][0-9]+", vars.engineVersion);
    const parameterGroup = new DbParameterGroup(scope, "parameter-group", {
      // A prefix, so a changed family or parameter set can be created before the old one goes.
      namePrefix: `${identifier}${Fn.replace(major, ".", "")}-`,
      family: `mysql${major}`,
      description: `MySQL ${major} parameters of ${identifier}: TLS only, slow query log`,
      parameter: [
        // Refuse unencrypted connections; clients must use TLS (the RDS CA bundle).
        { name: "require_secure_transport", value: "1" },
        { name: "slow_query_log", value: "1" },
        { name: "long_query_time", value: Token.asString(vars.slowQueryThresholdSeconds) },
        // CloudWatch export reads the log files; TABLE output would export nothing.
        { name: "log_output", value: "FILE" },
      ],
      tags: { Name: identifier },
      lifecycle: { createBeforeDestroy: true },
    });

    const monitoring = new MonitoringRole(scope, "monitoring", { context, name: vars.name });

    const performanceInsights = vars.performanceInsightsEnabled;
    const instance = new DbInstance(scope, "mysql", {
      identifier,
      engine: "mysql",
      // With a major version only, RDS picks the current minor and the provider does not report
      // the difference as drift; auto minor upgrades keep it patched in the maintenance window.
      engineVersion: vars.engineVersion,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      // Explicit, because the API default (extended support on) bills RDS Extended Support
      // silently once the major version leaves standard support (8.4: 2029-07-31).
      engineLifecycleSupport: vars.engineLifecycleSupport,
      instanceClass: vars.instanceClass,
      multiAz: vars.multiAz,

      storageType: "gp3",
      allocatedStorage: vars.allocatedStorageGb,
      maxAllocatedStorage: vars.maxAllocatedStorageGb,
      storageEncrypted: true,
      kmsKeyId: key.arn,

      dbName: vars.databaseName,
      username: vars.masterUsername,
      // RDS generates the password, keeps it in Secrets Manager and rotates it (every 7 days by
      // default); it never passes through Terraform, so it is not in state or plans.
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: key.arn,
      iamDatabaseAuthenticationEnabled: true,

      port: 3306,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [vars.securityGroupId],
      publiclyAccessible: false,
      networkType: "IPV4",
      caCertIdentifier: "rds-ca-rsa2048-g1",
      parameterGroupName: parameterGroup.name,

      backupRetentionPeriod: vars.backupRetentionDays,
      backupWindow: vars.backupWindow,
      maintenanceWindow: vars.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: vars.deletionProtection,
      skipFinalSnapshot: Op.not(vars.finalSnapshot),
      // Unique per created instance: the creation time, fixed by ignore_changes below. A fixed
      // name would collide with the snapshot of the previous instance on the second
      // destroy/create cycle (CreateDBSnapshot: DBSnapshotAlreadyExists).
      finalSnapshotIdentifier: `${identifier}-final-${Fn.formatdate("YYYYMMDDhhmmss", Fn.timestamp())}`,
      // With a final snapshot wanted, the automated backups (point-in-time recovery) outlive the
      // instance until their retention ends too.
      deleteAutomatedBackups: Op.not(vars.finalSnapshot),
      // Changes wait for the maintenance window instead of restarting the database mid-day.
      applyImmediately: false,

      enabledCloudwatchLogsExports: [...LOG_EXPORTS],
      monitoringInterval: vars.monitoringIntervalSeconds,
      monitoringRoleArn: monitoring.role.arn,
      performanceInsightsEnabled: performanceInsights,
      performanceInsightsKmsKeyId: Token.asString(
        Fn.conditional(performanceInsights, key.arn, Token.nullValue()),
      ),
      performanceInsightsRetentionPeriod: Token.asNumber(
        Fn.conditional(performanceInsights, 7, Token.nullValue()),
      ),

      tags: { Name: identifier },
      dependsOn: logGroups,
      // timestamp() changes on every plan; the name chosen at creation stays in state until
      // the instance is deleted (destroy reads it from state).
      lifecycle: { ignoreChanges: ["final_snapshot_identifier"] },
    });

    return {
      endpoint: instance.address,
      port: instance.port,
      databaseName: instance.dbName,
      masterUsername: instance.username,
      masterUserSecretArn: instance.masterUserSecret.get(0).secretArn,
      instanceIdentifier: instance.identifier,
      instanceArn: instance.arn,
      instanceResourceId: instance.resourceId,
      securityGroupId: vars.securityGroupId,
      kmsKeyArn: key.arn,
    };
  },
});

export type { RdsInputs };
