import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Fn } from "cdktf";
import type { PlatformContext } from "./context.ts";

/** Name of the ConfigMap and the Secret the API's chart reads (`config.existingConfigMap`, `secret.existingSecret`). */
export const API_PLATFORM_OBJECT = "expense-api-platform";

/**
 * The API's ConfigMap and Secret `expense-api-platform`, with exactly the connection keys the
 * chart expects from the platform (names from `API_ENV_VARS`).
 */
export function createApiSettings(ctx: PlatformContext, app: NamespaceV1): void {
  const { scope, output } = ctx;
  // SECRETS IN STATE: both data sources save the secret values in this stack's state, and the
  // kubernetes_secret_v1 below keeps another copy (state is in the KMS-encrypted, versioned,
  // TLS-only bucket; the platform state key is readable only by the CI apply role and admins).
  // The alternative that keeps them out of Terraform entirely is the External Secrets Operator
  // (an ExternalSecret syncing the two Secrets Manager secrets into this Secret, with an IRSA
  // role that may read only them); it also follows RDS's automatic rotation of the master
  // password, which this stack picks up only on its next apply.
  const dbSecret = new DataAwsSecretsmanagerSecretVersion(scope, "db-master-secret", {
    secretId: output("db_master_secret_arn"),
  });
  const redisSecret = new DataAwsSecretsmanagerSecretVersion(scope, "redis-auth-secret", {
    secretId: output("redis_auth_secret_arn"),
  });
  const dbCredentials = Fn.jsondecode(dbSecret.secretString);
  const metadata = {
    name: API_PLATFORM_OBJECT,
    namespace: app.metadata.name,
    labels: {
      "app.kubernetes.io/managed-by": "terraform",
      "app.kubernetes.io/part-of": "expense",
    },
  };
  new ConfigMapV1(scope, "api-config", {
    metadata,
    data: {
      DB_HOST: output("db_endpoint"),
      DB_PORT: Fn.tostring(output("db_port")),
      DB_USER: Fn.lookupNested(dbCredentials, ["username"]),
      DB_NAME: output("db_name"),
      DB_TLS: "true",
      REDIS_HOST: output("redis_primary_endpoint"),
      REDIS_PORT: Fn.tostring(output("redis_port")),
      REDIS_TLS: "true",
    },
  });
  new SecretV1(scope, "api-secret", {
    metadata,
    type: "Opaque",
    data: {
      DB_PASSWORD: Fn.lookupNested(dbCredentials, ["password"]),
      REDIS_PASSWORD: redisSecret.secretString,
    },
  });
}
