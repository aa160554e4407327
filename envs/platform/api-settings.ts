import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Fn } from "cdktf";
import type { API_ENV_VARS } from "../../api/src/env-vars.ts";
import type { PlatformContext } from "./context.ts";

/** Name of the ConfigMap the API's chart reads (`config.existingConfigMap`). */
export const API_PLATFORM_OBJECT = "expense-api-platform";

/**
 * Service accounts of the API pods and of its migration Job, created here with their IRSA roles
 * (the chart uses them with `serviceAccount.create=false`), so the chart carries no AWS value and
 * the migration Job's account exists before the first install.
 */
export const API_SERVICE_ACCOUNTS = {
  api: "expense-api",
  migration: "expense-api-migrate",
} as const;

/**
 * The API's connection settings: a ConfigMap with endpoints, user names and `iam` as the
 * authentication mode, and the two IRSA service accounts. No Secret: the API signs short-lived
 * IAM tokens for MySQL and Redis with its role, and Terraform never reads or writes a secret
 * value (the migration Job reads the RDS-managed master secret itself, at run time).
 */
export function createApiSettings(ctx: PlatformContext, app: NamespaceV1): void {
  const { scope, output, region } = ctx;
  const labels = {
    "app.kubernetes.io/managed-by": "terraform",
    "app.kubernetes.io/part-of": "expense",
  };
  const data: Partial<Record<keyof typeof API_ENV_VARS, string>> = {
    DB_HOST: output("db_endpoint"),
    DB_PORT: Fn.tostring(output("db_port")),
    DB_NAME: output("db_name"),
    DB_TLS: "true",
    DB_AUTH: "iam",
    DB_USER: output("db_user"),
    DB_MIGRATION_USER: output("db_migration_user"),
    DB_MASTER_SECRET_ARN: output("db_master_secret_arn"),
    REDIS_HOST: output("redis_primary_endpoint"),
    REDIS_PORT: Fn.tostring(output("redis_port")),
    REDIS_TLS: "true",
    REDIS_AUTH: "iam",
    REDIS_USER: output("redis_user"),
    REDIS_CACHE_NAME: output("redis_replication_group_id"),
    AWS_REGION: region,
  };
  new ConfigMapV1(scope, "api-config", {
    metadata: { name: API_PLATFORM_OBJECT, namespace: app.metadata.name, labels },
    data: data as Record<string, string>,
  });
  const account = (id: string, name: string, roleOutput: string) =>
    new ServiceAccountV1(scope, id, {
      metadata: {
        name,
        namespace: app.metadata.name,
        labels,
        annotations: { "eks.amazonaws.com/role-arn": output(roleOutput) },
      },
      // Neither the API nor the migration calls the Kubernetes API; IRSA projects its own token.
      automountServiceAccountToken: false,
    });
  account("api-service-account", API_SERVICE_ACCOUNTS.api, "api_role_arn");
  account(
    "api-migration-service-account",
    API_SERVICE_ACCOUNTS.migration,
    "api_migration_role_arn",
  );
}
