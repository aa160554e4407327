import { AwsContext } from "../../kit/kms.ts";
import { defineModule } from "../../kit/module.ts";
import { ServiceAccountRole } from "../../kit/service-account-role.ts";
import { appIdentityInputs, type AppIdentityInputs } from "./inputs.ts";
import { appIdentityOutputs } from "./outputs.ts";

/**
 * The API's AWS identities, with no password anywhere: the API pods' role may open IAM-authenticated
 * connections as exactly one MySQL user and one Redis user (tokens signed by the pod, valid 15
 * minutes); the migration Job's role may connect as the migration user and read the RDS-managed
 * master secret at run time, to create both users idempotently. Terraform never reads a secret.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
 */
export const appIdentity = defineModule({
  name: "app-identity",
  description:
    "IRSA roles of the API (rds-db:connect as its MySQL user, elasticache:Connect as its Redis user) and of its migration Job (migration user, master secret read at run time).",
  inputs: appIdentityInputs,
  outputs: appIdentityOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const dbUser = (user: string) => context.arn("rds-db", `dbuser:${vars.dbResourceId}/${user}`);
    const irsa = {
      oidcProviderArn: vars.oidcProviderArn,
      oidcIssuerHost: vars.oidcIssuerHost,
      namespace: vars.namespace,
    };
    const api = new ServiceAccountRole(scope, "api", {
      ...irsa,
      roleName: `${vars.name}-api`,
      description: "Expense API pods (IRSA): IAM authentication to its MySQL and Redis users",
      serviceAccount: vars.apiServiceAccount,
      policyName: "connect-as-app-users",
      statements: [
        { sid: "MySql", actions: ["rds-db:connect"], resources: [dbUser(vars.dbAppUser)] },
        {
          sid: "Redis",
          actions: ["elasticache:Connect"],
          resources: [vars.redisReplicationGroupArn, vars.redisUserArn],
        },
      ],
    });
    const migration = new ServiceAccountRole(scope, "migration", {
      ...irsa,
      roleName: `${vars.name}-api-migrate`,
      description: "Expense API migration Job (IRSA): creates the DB users, migrates the schema",
      serviceAccount: vars.migrationServiceAccount,
      policyName: "provision-and-migrate",
      statements: [
        {
          sid: "MySql",
          actions: ["rds-db:connect"],
          resources: [dbUser(vars.dbMigrationUser)],
        },
        {
          sid: "MasterSecret",
          actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          resources: [vars.dbMasterSecretArn],
        },
        {
          sid: "MasterSecretKey",
          actions: ["kms:Decrypt"],
          resources: [vars.dbKmsKeyArn],
          condition: [
            {
              test: "StringEquals",
              variable: "kms:ViaService",
              values: [`secretsmanager.${context.region}.amazonaws.com`],
            },
          ],
        },
      ],
    });
    return {
      apiRoleArn: api.arn,
      migrationRoleArn: migration.arn,
      dbAppUser: vars.dbAppUser,
      dbMigrationUser: vars.dbMigrationUser,
    };
  },
});

export type { AppIdentityInputs };
