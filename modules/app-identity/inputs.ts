import { common, stringVar, type InputSpec } from "../../kit/variables.ts";

/** Inputs of the app-identity module. */
export interface AppIdentityInputs {
  /** Prefix of every name, `<project>-<env>`. */
  name: string;
  /** The cluster's IAM OIDC provider and its issuer without `https://`. */
  oidcProviderArn: string;
  oidcIssuerHost: string;
  /** Namespace of the API. */
  namespace: string;
  /** Service account of the API pods. @default "expense-api" */
  apiServiceAccount?: string;
  /** Service account of the migration Job (user provisioning, schema changes). @default "expense-api-migrate" */
  migrationServiceAccount?: string;
  /** Resource ID (`db-...`) of the RDS instance. */
  dbResourceId: string;
  /** MySQL user of the API (IAM authentication). @default "expense_app" */
  dbAppUser?: string;
  /** MySQL user of the migrations (IAM authentication). @default "expense_migrator" */
  dbMigrationUser?: string;
  /** RDS-managed master secret and the key that encrypts it (read by the migration Job only). */
  dbMasterSecretArn: string;
  dbKmsKeyArn: string;
  /** ARN of the Redis replication group and of the API's IAM-enabled Redis user. */
  redisReplicationGroupArn: string;
  redisUserArn: string;
}

const k8sName = {
  regex: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  what: "a Kubernetes name (lower-case letters, digits, hyphens)",
};
const mysqlUser = {
  regex: "^[a-z][a-z0-9_]{2,31}$",
  what: "a MySQL user name of 3-32 lower-case letters, digits or underscores",
};
const arn = (service: string, what: string) => ({
  regex: `^arn:aws[a-z-]*:${service}:[a-z0-9-]*:[0-9]{12}:.+$`,
  what,
});

/** Variable spec of the app-identity module. */
export const appIdentityInputs: InputSpec<AppIdentityInputs> = {
  name: common.name("Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev."),
  oidcProviderArn: stringVar({
    description: "ARN of the cluster's IAM OIDC provider (IRSA), the roles' federated principal.",
    pattern: arn("iam", "an IAM OIDC provider ARN"),
  }),
  oidcIssuerHost: stringVar({
    description: "OIDC issuer of the cluster without https://, as IAM condition keys spell it.",
    pattern: { regex: "^[a-z0-9.-]+(/[A-Za-z0-9._-]+)*$", what: "a host name with optional path" },
  }),
  namespace: stringVar({ description: "Kubernetes namespace of the API.", pattern: k8sName }),
  apiServiceAccount: stringVar({
    description: "Service account of the API pods, the only one that may assume the API role.",
    default: "expense-api",
    pattern: k8sName,
  }),
  migrationServiceAccount: stringVar({
    description:
      "Service account of the migration Job, the only one that may assume the migration role.",
    default: "expense-api-migrate",
    pattern: k8sName,
  }),
  dbResourceId: stringVar({
    description:
      "Resource ID of the RDS instance (db-...), the resource part of rds-db:connect ARNs.",
    pattern: { regex: "^db-[A-Z0-9]+$", what: "an RDS resource id such as db-ABC123" },
  }),
  dbAppUser: stringVar({
    description:
      "MySQL user of the API (IAM authentication; SELECT, INSERT and DELETE on its table only).",
    default: "expense_app",
    pattern: mysqlUser,
  }),
  dbMigrationUser: stringVar({
    description: "MySQL user of the migrations (IAM authentication; may change the schema).",
    default: "expense_migrator",
    pattern: mysqlUser,
  }),
  dbMasterSecretArn: stringVar({
    description:
      "ARN of the RDS-managed master user secret; only the migration Job may read it, at run time, to create the two users.",
    pattern: arn("secretsmanager", "a Secrets Manager secret ARN"),
  }),
  dbKmsKeyArn: stringVar({
    description: "ARN of the KMS key that encrypts the master user secret.",
    pattern: arn("kms", "a KMS key ARN"),
  }),
  redisReplicationGroupArn: stringVar({
    description: "ARN of the Redis replication group (elasticache:Connect resource).",
    pattern: arn("elasticache", "an ElastiCache replication group ARN"),
  }),
  redisUserArn: stringVar({
    description: "ARN of the API's IAM-enabled Redis user (elasticache:Connect resource).",
    pattern: arn("elasticache", "an ElastiCache user ARN"),
  }),
};
