import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the app-identity module. */
export const appIdentityOutputs = {
  apiRoleArn: stringOutput(
    "IAM role of the API's service account (IRSA): rds-db:connect as the app user, elasticache:Connect as the Redis user.",
  ),
  migrationRoleArn: stringOutput(
    "IAM role of the migration Job's service account (IRSA): reads the master secret to create the users, connects as the migration user.",
  ),
  dbAppUser: stringOutput("MySQL user of the API (DB_USER)."),
  dbMigrationUser: stringOutput("MySQL user of the migrations (DB_MIGRATION_USER)."),
} as const;
