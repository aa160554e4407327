import type { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { ADDON_ACCOUNTS } from "./accounts.ts";
import type { PlatformContext } from "./context.ts";
import { pinnedRelease, ROLE_ANNOTATION, type PinnedChart } from "./release.ts";

/**
 * Cluster autoscaler 1.34.2: its minor version must match the clusters' Kubernetes minor
 * (a test checks every environment).
 * @see https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler#releases
 */
export const CLUSTER_AUTOSCALER_CHART = {
  chart: "cluster-autoscaler",
  repository: "https://kubernetes.github.io/autoscaler",
  // Verified 2026-11-28: tag cluster-autoscaler-chart-9.53.0 (a2db9eb, 2025-12-03) of
  // github.com/kubernetes/autoscaler, appVersion 1.34.2: the newest chart for Kubernetes 1.34
  // (9.54.0 and later ship 1.35.x).
  version: "9.53.0",
} as const satisfies PinnedChart;

/** Kubernetes minor version the pinned cluster autoscaler is built for. */
export const CLUSTER_AUTOSCALER_KUBERNETES_MINOR = "1.34";

/** Installs the cluster autoscaler with its IRSA role, discovering the cluster's node groups. */
export function installClusterAutoscaler(
  ctx: PlatformContext,
  dependsOn: ITerraformDependable[],
): Release {
  const autoscaler = ADDON_ACCOUNTS.clusterAutoscaler;
  return pinnedRelease(
    ctx.scope,
    "cluster-autoscaler",
    CLUSTER_AUTOSCALER_CHART,
    autoscaler.namespace,
    {
      cloudProvider: "aws",
      awsRegion: ctx.region,
      autoDiscovery: { clusterName: ctx.clusterName },
      rbac: {
        serviceAccount: {
          create: true,
          name: autoscaler.serviceAccount,
          annotations: { [ROLE_ANNOTATION]: ctx.output("cluster_autoscaler_role_arn") },
        },
      },
      extraArgs: {
        // The on-demand and spot groups span the same zones with equivalent nodes.
        "balance-similar-node-groups": true,
        "skip-nodes-with-system-pods": false,
        expander: "least-waste",
      },
    },
    { dependsOn },
  );
}
