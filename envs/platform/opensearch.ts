import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { openSearchInputs } from "../../modules/opensearch/inputs.ts";
import type { PlatformContext } from "./context.ts";
import { ROLE_ANNOTATION } from "./release.ts";

/** Index prefix of the API's logs in OpenSearch (daily indices `expense-logs-YYYY.MM.DD`). */
export const LOG_INDEX_PREFIX = "expense-logs";

/** OpenSearch role the setup maps Fluent Bit's IAM role to. */
export const LOG_WRITER_ROLE = "expense_log_writer";

/**
 * The ISM policy that deletes log indices after the environment's log retention, the same number
 * of days CloudWatch keeps them; `ism_template` attaches it to every new log index.
 * @see https://opensearch.org/docs/latest/im-plugin/ism/policies/
 */
export function ismRetentionPolicy(retentionDays: number): Record<string, unknown> {
  return {
    policy: {
      description: `Delete ${LOG_INDEX_PREFIX} indices after ${retentionDays} days (the environment's log retention).`,
      default_state: "hot",
      states: [
        {
          name: "hot",
          actions: [],
          transitions: [
            { state_name: "delete", conditions: { min_index_age: `${retentionDays}d` } },
          ],
        },
        { name: "delete", actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [`${LOG_INDEX_PREFIX}-*`], priority: 100 }],
    },
  };
}

/** The fine-grained-access-control role Fluent Bit's IAM role is mapped to: write log indices only. */
export const LOG_WRITER_ROLE_BODY = {
  cluster_permissions: ["cluster_monitor", "cluster_composite_ops", "indices:admin/template/*"],
  index_permissions: [
    { index_patterns: [`${LOG_INDEX_PREFIX}-*`], allowed_actions: ["create_index", "crud"] },
  ],
} as const;

/** The setup job's service account, as the opensearch module's admin role trusts it. */
export const OPENSEARCH_SETUP_ACCOUNT = {
  namespace: openSearchInputs.setupNamespace.default,
  name: openSearchInputs.setupServiceAccount.default,
};
const setupAccount = OPENSEARCH_SETUP_ACCOUNT;

/**
 * With `openSearch.enabled`: the setup service account (the only one the domain's IAM master role
 * trusts) and a ConfigMap holding what it applies through the OpenSearch REST API: the ISM
 * retention policy, the log writer role and its mapping to Fluent Bit's IAM role. These are
 * OpenSearch objects, not AWS resources, and no OpenSearch Terraform provider is available here,
 * so an operator applies them once after the domain exists (docs/architecture.md, "EFK option: applying the OpenSearch objects").
 */
export function createOpenSearchSetup(ctx: PlatformContext, namespace: string): void {
  if (!ctx.config.openSearch.enabled) return;
  const metadata = {
    name: setupAccount.name,
    namespace,
    labels: { "app.kubernetes.io/managed-by": "terraform" },
  };
  new ServiceAccountV1(ctx.scope, "opensearch-setup-account", {
    metadata: {
      ...metadata,
      annotations: { [ROLE_ANNOTATION]: ctx.output("opensearch_admin_role_arn") },
    },
  });
  new ConfigMapV1(ctx.scope, "opensearch-setup-config", {
    metadata,
    data: {
      endpoint: ctx.output("opensearch_endpoint"),
      "ism-policy.json": JSON.stringify(ismRetentionPolicy(ctx.config.logRetentionDays), null, 2),
      "writer-role.json": JSON.stringify(LOG_WRITER_ROLE_BODY, null, 2),
      // Mapping by backend role = the IAM role ARN Fluent Bit signs its requests with.
      "writer-role-mapping.json": `{"backend_roles": ["${ctx.output("fluent_bit_role_arn")}"]}`,
    },
  });
}
