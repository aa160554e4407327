import { Release } from "@cdktf/provider-helm/lib/release";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from "cdktf";
import { resourceTypesOf } from "../../kit/resource-types.ts";
import { PLATFORM_READER_GROUP } from "../root-stack.ts";
import type { PlatformContext } from "./context.ts";

/** A Kubernetes resource type: API group (`""` for core) and plural resource name. */
export interface KubernetesResource {
  readonly apiGroup: string;
  readonly resource: string;
}

/**
 * What refreshing each in-cluster Terraform type of the platform root reads. `helm_release` reads
 * its release records, which Helm (storage driver `secret`) keeps as Secrets of the release's
 * namespace; every `kubernetes_*` type reads its own object. A type the platform root emits and
 * this table lacks fails the synth (see {@link createPlanReaderRbac}).
 */
export const REFRESH_READS: Readonly<Record<string, KubernetesResource>> = {
  helm_release: { apiGroup: "", resource: "secrets" },
  kubernetes_namespace_v1: { apiGroup: "", resource: "namespaces" },
  kubernetes_config_map_v1: { apiGroup: "", resource: "configmaps" },
  kubernetes_service_account_v1: { apiGroup: "", resource: "serviceaccounts" },
  kubernetes_job_v1: { apiGroup: "batch", resource: "jobs" },
  kubernetes_storage_class_v1: { apiGroup: "storage.k8s.io", resource: "storageclasses" },
  kubernetes_role_v1: { apiGroup: "rbac.authorization.k8s.io", resource: "roles" },
  kubernetes_role_binding_v1: { apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings" },
  kubernetes_cluster_role_v1: { apiGroup: "rbac.authorization.k8s.io", resource: "clusterroles" },
  kubernetes_cluster_role_binding_v1: {
    apiGroup: "rbac.authorization.k8s.io",
    resource: "clusterrolebindings",
  },
};

/** The only verbs the reader roles grant. */
export const READ_VERBS = ["get", "list", "watch"] as const;

/** Names of the two ClusterRoles (and their bindings). */
export const PLAN_READER_NAMES = {
  objects: "expense-platform-reader",
  secrets: "expense-platform-release-reader",
} as const;

/** The types this file creates itself: the reader must be able to refresh its own RBAC too. */
const OWN_TYPES = [
  "kubernetes_cluster_role_v1",
  "kubernetes_cluster_role_binding_v1",
  "kubernetes_role_binding_v1",
];

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** `rule` blocks granting read verbs on `resources`, one per API group, sorted. */
function readRules(resources: readonly KubernetesResource[]) {
  const byGroup = new Map<string, Set<string>>();
  for (const { apiGroup, resource } of resources)
    byGroup.set(apiGroup, (byGroup.get(apiGroup) ?? new Set()).add(resource));
  return [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([apiGroup, names]) => ({
      apiGroups: [apiGroup],
      resources: [...names].sort(),
      verbs: [...READ_VERBS],
    }));
}

/**
 * Read-only RBAC for the CI platform-plan role, whose EKS access entry carries
 * `PLATFORM_READER_GROUP` and no access policy, so that `terraform plan` of the `<env>-platform`
 * root can refresh on main. Derived from the stack: call it last, after every resource exists.
 *
 * - `expense-platform-reader` (ClusterRole + ClusterRoleBinding): get/list/watch on exactly the
 *   Kubernetes types the root manages, Secrets excluded.
 * - `expense-platform-release-reader`: get/list/watch on Secrets, bound by a RoleBinding only in
 *   the namespaces that hold a Helm release. Helm keeps releases in Secrets and lists them by
 *   label, so reading a release needs `list secrets` there, which returns every Secret of that
 *   namespace. RoleBindings (rather than a cluster-wide binding) keep that out of every namespace
 *   without a release, the app's namespace included; the list follows the releases. It is still
 *   read access to Grafana's and Alertmanager's Secrets in `monitoring`, which is why only the
 *   main-only platform-plan role gets this group and pull requests plan without refresh.
 *
 * On the first deployment none of this exists yet; nothing needs it then: the platform state is
 * empty, so its first plan has nothing to refresh.
 */
export function createPlanReaderRbac(ctx: PlatformContext): void {
  const stack = TerraformStack.of(ctx.scope);
  const inCluster = [...resourceTypesOf(stack), ...OWN_TYPES].filter((t) =>
    /^(kubernetes_|helm_)/.test(t),
  );
  const missing = inCluster.filter((t) => !(t in REFRESH_READS));
  if (missing.length > 0)
    throw new Error(
      `envs/platform/plan-reader-rbac.ts: REFRESH_READS has no entry for ${missing.join(", ")}; add the Kubernetes resource its refresh reads, or the platform plan on main is refused`,
    );
  const reads = [...new Set(inCluster)].map((t) => REFRESH_READS[t]!);
  const objects = reads.filter((r) => !(r.apiGroup === "" && r.resource === "secrets"));
  const group = { kind: "Group", name: PLATFORM_READER_GROUP, apiGroup: RBAC_GROUP };

  const reader = new ClusterRoleV1(ctx.scope, "plan-reader-role", {
    metadata: { name: PLAN_READER_NAMES.objects },
    rule: readRules(objects),
  });
  new ClusterRoleBindingV1(ctx.scope, "plan-reader-binding", {
    metadata: { name: PLAN_READER_NAMES.objects },
    roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: reader.metadata.name },
    subject: [group],
  });

  const releases = stack.node.findAll().filter((c): c is Release => c instanceof Release);
  if (releases.length === 0) return;
  const secrets = new ClusterRoleV1(ctx.scope, "plan-release-reader-role", {
    metadata: { name: PLAN_READER_NAMES.secrets },
    rule: readRules([REFRESH_READS.helm_release!]),
  });
  // A release's namespace is a literal (kube-system) or a reference to a namespace this stack
  // creates: map references to the namespace's name for a stable Terraform address, and keep the
  // reference itself so the RoleBinding waits for the namespace.
  const resolved = (value: string) =>
    String(
      Tokenization.resolve(value, {
        scope: stack,
        preparing: false,
        resolver: new DefaultTokenResolver(new StringConcat()),
      }),
    );
  const created = new Map(
    stack.node
      .findAll()
      .filter((c): c is NamespaceV1 => c instanceof NamespaceV1)
      .map((n) => [resolved(n.metadata.name), n.metadata.nameInput!]),
  );
  const namespaces = new Map<string, string>();
  for (const release of releases) {
    const value = release.namespaceInput ?? "default";
    const name = Token.isUnresolved(value) ? created.get(resolved(value)) : value;
    if (!name) throw new Error(`release ${release.node.id}: namespace ${value} is not resolvable`);
    if (!namespaces.has(name)) namespaces.set(name, value);
  }
  for (const [name, namespace] of [...namespaces].sort(([a], [b]) => a.localeCompare(b)))
    new RoleBindingV1(ctx.scope, `plan-release-reader-binding-${name}`, {
      metadata: { name: PLAN_READER_NAMES.secrets, namespace },
      roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: secrets.metadata.name },
      subject: [group],
    });
}
