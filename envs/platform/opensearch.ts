import { readFileSync } from "node:fs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { Fn, type ITerraformDependable } from "cdktf";
import { openSearchInputs } from "../../modules/opensearch/inputs.ts";
import type { PlatformContext } from "./context.ts";
import {
  createOpenSearchSetupJob,
  SETUP_SCRIPT_KEY,
  SETUP_SCRIPT_PATH,
} from "./opensearch-setup-job.ts";
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
export function ismRetentionPolicy(retentionDays: number | string): Record<string, unknown> {
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

/** ID of the ISM policy that deletes the log indices after the environment's log retention. */
export const ISM_POLICY_ID = `${LOG_INDEX_PREFIX}-retention`;

/**
 * The fine-grained-access-control role Fluent Bit's IAM role is mapped to: create and write its
 * log indices, nothing else (no `all_access`, no reads, no templates). `/_bulk` is checked once at
 * cluster level (`indices:data/write/bulk`) and then per index (`write`); `create_index` lets the
 * first record of a day create that day's index.
 * @see https://docs.opensearch.org/latest/security/access-control/default-action-groups/
 */
export const LOG_WRITER_ROLE_BODY = {
  description: `Fluent Bit: create and write ${LOG_INDEX_PREFIX}-* indices only`,
  cluster_permissions: ["indices:data/write/bulk"],
  index_permissions: [
    { index_patterns: [`${LOG_INDEX_PREFIX}-*`], allowed_actions: ["create_index", "write"] },
  ],
} as const;

/**
 * The role mapping body: Fluent Bit's IAM role ARN as a backend role (requests signed by an IAM
 * role reach fine-grained access control with the role's ARN as their backend role).
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-mapping
 */
export function writerRoleMapping(fluentBitRoleArn: string): { backend_roles: string[] } {
  return { backend_roles: [fluentBitRoleArn] };
}

/** Body of the ISM add and change_policy calls that attach the retention policy to log indices. */
export const ISM_ATTACH_BODY = { policy_id: ISM_POLICY_ID } as const;

/**
 * Text Terraform keeps as it is. It travels base64-encoded and is decoded by Terraform, like the
 * dashboards: the shell's `${...}` and curl's `%{...}` would otherwise be read as Terraform
 * interpolations and directives. Reviewers read the script file itself.
 */
const literal = (text: string) => Fn.base64decode(Buffer.from(text, "utf8").toString("base64"));

/** The setup job's service account, as the opensearch module's admin role trusts it. */
export const OPENSEARCH_SETUP_ACCOUNT = {
  namespace: openSearchInputs.setupNamespace.default,
  name: openSearchInputs.setupServiceAccount.default,
};
const setupAccount = OPENSEARCH_SETUP_ACCOUNT;

/**
 * With `openSearch.enabled`: the setup service account (the only identity the domain's IAM master
 * role trusts), a ConfigMap holding what it applies through the OpenSearch REST API (the ISM
 * retention policy, the log writer role and its mapping to Fluent Bit's IAM role, the script), and
 * the Job that applies it during `terraform apply`. These are OpenSearch objects, not AWS
 * resources, and no OpenSearch Terraform provider is available here, hence the Job.
 */
export function createOpenSearchSetup(
  ctx: PlatformContext,
  namespace: string,
  dependsOn: ITerraformDependable[],
): void {
  if (!ctx.config.openSearch.enabled) return;
  const metadata = {
    name: setupAccount.name,
    namespace,
    labels: { "app.kubernetes.io/managed-by": "terraform" },
  };
  const account = new ServiceAccountV1(ctx.scope, "opensearch-setup-account", {
    metadata: {
      ...metadata,
      annotations: { [ROLE_ANNOTATION]: ctx.output("opensearch_admin_role_arn") },
    },
  });
  const data = {
    [SETUP_SCRIPT_KEY]: literal(readFileSync(SETUP_SCRIPT_PATH, "utf8")),
    // The `<env>` stack's retention (its log groups' `retention_in_days`), read from its state so a
    // `log_retention_days` override there reaches the ISM policy too.
    "ism-policy.json": Fn.jsonencode(ismRetentionPolicy(ctx.output("log_retention_days"))),
    "ism-attach.json": JSON.stringify(ISM_ATTACH_BODY),
    "writer-role.json": JSON.stringify(LOG_WRITER_ROLE_BODY, null, 2),
    // Mapped by backend role = the IAM role ARN Fluent Bit signs its requests with.
    "writer-role-mapping.json": Fn.jsonencode(writerRoleMapping(ctx.output("fluent_bit_role_arn"))),
  };
  const config = new ConfigMapV1(ctx.scope, "opensearch-setup-config", { metadata, data });
  createOpenSearchSetupJob(ctx, {
    namespace,
    serviceAccountName: account.metadata.name,
    configMapName: config.metadata.name,
    endpoint: ctx.output("opensearch_endpoint"),
    configuration: Fn.jsonencode(config.data),
    settings: {
      ismPolicyId: ISM_POLICY_ID,
      writerRole: LOG_WRITER_ROLE,
      indexPattern: `${LOG_INDEX_PREFIX}-*`,
    },
    dependsOn,
  });
}
