import type { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import type { PlatformContext } from "./context.ts";
import { pinnedRelease, type PinnedChart } from "./release.ts";

/**
 * metrics-server: the resource metrics API (`metrics.k8s.io`) the API chart's HorizontalPodAutoscaler
 * reads CPU and memory from. EKS does not install it.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/metrics-server.html
 */
export const METRICS_SERVER_CHART = {
  chart: "metrics-server",
  repository: "https://kubernetes-sigs.github.io/metrics-server",
  // Verified 2026-11-28: tag metrics-server-helm-chart-3.13.1 (842dcc8, 2026-06-11, the newest) of
  // github.com/kubernetes-sigs/metrics-server; appVersion 0.8.1.
  version: "3.13.1",
} as const satisfies PinnedChart;

/** Namespace of metrics-server (where the upstream manifests put it). */
export const METRICS_SERVER_NAMESPACE = "kube-system";

/**
 * Installs metrics-server with two replicas and a disruption budget: while it is down, every HPA
 * stops scaling (it reads no metrics), so a node drain must not take both.
 */
export function installMetricsServer(
  ctx: PlatformContext,
  dependsOn: ITerraformDependable[],
): Release {
  return pinnedRelease(
    ctx.scope,
    "metrics-server",
    METRICS_SERVER_CHART,
    METRICS_SERVER_NAMESPACE,
    {
      replicas: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
    },
    { dependsOn },
  );
}
