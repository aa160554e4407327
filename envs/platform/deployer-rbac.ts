import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { DEPLOYER_GROUP } from "../root-stack.ts";
import type { PlatformContext } from "./context.ts";

/**
 * Lets the CI deploy role manage the chart's monitoring objects. Its EKS access policy
 * (AmazonEKSEditPolicy in the app namespace) does not cover the Prometheus Operator's custom
 * resources that the chart ships; its access entry carries `DEPLOYER_GROUP`, bound here to exactly
 * those resources in the app namespace.
 */
export function createDeployerMonitoringRbac(ctx: PlatformContext, app: NamespaceV1): void {
  const monitoringObjects = new RoleV1(ctx.scope, "deployer-monitoring-role", {
    metadata: { name: "expense-deployer-monitoring", namespace: app.metadata.name },
    rule: [
      {
        apiGroups: ["monitoring.coreos.com"],
        resources: ["servicemonitors", "prometheusrules"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
      },
    ],
  });
  new RoleBindingV1(ctx.scope, "deployer-monitoring-binding", {
    metadata: { name: "expense-deployer-monitoring", namespace: app.metadata.name },
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: monitoringObjects.metadata.name,
    },
    subject: [{ kind: "Group", name: DEPLOYER_GROUP, apiGroup: "rbac.authorization.k8s.io" }],
  });
}
