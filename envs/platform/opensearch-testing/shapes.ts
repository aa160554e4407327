/** Test support: the request bodies OpenSearch accepts for what the setup Job sends. */
import { z } from "zod";

// Request bodies, after the OpenSearch API specification (opensearch-project/
// opensearch-api-specification spec/schemas/ism._common.yaml, PutPolicyRequest / AddPolicyRequest /
// ChangePolicyRequest) and the security plugin's REST API (roles, rolesmapping). Strict: OpenSearch
// rejects unknown fields with HTTP 400.
const ismTemplate = z.strictObject({
  index_patterns: z.array(z.string().min(1)).min(1),
  priority: z.number().int().min(0),
});
const ismAction = z.strictObject({
  delete: z.strictObject({}).optional(),
  rollover: z.record(z.string(), z.unknown()).optional(),
  read_only: z.strictObject({}).optional(),
});
/** PUT _plugins/_ism/policies/<id>. */
export const IsmPolicyRequest = z.strictObject({
  policy: z.strictObject({
    description: z.string(),
    default_state: z.string(),
    states: z
      .array(
        z.strictObject({
          name: z.string(),
          actions: z.array(ismAction),
          transitions: z.array(
            z.strictObject({
              state_name: z.string(),
              conditions: z
                .strictObject({
                  min_index_age: z.string().regex(/^\d+(d|h|m|s|ms)$/),
                })
                .optional(),
            }),
          ),
        }),
      )
      .min(1),
    ism_template: z.array(ismTemplate).min(1),
  }),
});
/** POST _plugins/_ism/add/<index> and _plugins/_ism/change_policy/<index>. */
export const IsmAttachRequest = z.strictObject({ policy_id: z.string().min(1) });

/** Built-in action groups of the security plugin (static_config/static_action_groups.yml). */
export const STATIC_ACTION_GROUPS = [
  "create_index",
  "write",
  "crud",
  "read",
  "index",
  "delete",
  "manage",
  "cluster_monitor",
  "cluster_composite_ops",
  "cluster_composite_ops_ro",
] as const;
const permission = z.string().regex(/^([a-z_]+|(indices|cluster):[a-z_/*[\]]+)$/);
/** PUT _plugins/_security/api/roles/<name>. */
export const RoleRequest = z.strictObject({
  description: z.string().optional(),
  cluster_permissions: z.array(permission),
  index_permissions: z.array(
    z.strictObject({
      index_patterns: z.array(z.string().min(1)).min(1),
      allowed_actions: z.array(permission).min(1),
    }),
  ),
});
/** PUT _plugins/_security/api/rolesmapping/<role>. */
export const RoleMappingRequest = z.strictObject({
  backend_roles: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/)).min(1),
});
