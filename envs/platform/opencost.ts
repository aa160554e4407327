import type { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import type { PlatformContext } from "./context.ts";
import { pinnedRelease, type PinnedChart } from "./release.ts";

/**
 * OpenCost 1.120.1 (chart 2.5.17): prices the cluster's CPU, memory and volumes per namespace and
 * workload from the AWS public price list, reading usage from Prometheus and exporting its cost
 * metrics back to it. Verified 2026-11-28 against github.com/opencost/opencost-helm-chart, tag
 * opencost-2.5.17 (commit 725bb939, charts/opencost/Chart.yaml: version 2.5.17, appVersion 1.120.1).
 * @see https://www.opencost.io/docs/installation/helm
 */
export const OPENCOST_CHART = {
  chart: "opencost",
  repository: "https://opencost.github.io/opencost-helm-chart",
  // Verified 2026-11-28: tag opencost-2.5.17 (725bb939) of github.com/opencost/opencost-helm-chart.
  version: "2.5.17",
} as const satisfies PinnedChart;

/** kube-prometheus-stack's Prometheus Service (release `kube-prometheus-stack`, chart fullname). */
export const PROMETHEUS_SERVICE = { name: "kube-prometheus-stack-prometheus", port: 9090 } as const;

/** The OpenCost values: in-cluster Prometheus, a ServiceMonitor for its metrics, no cloud costs. */
export function openCostValues(ctx: PlatformContext, namespace: string): Record<string, unknown> {
  return {
    opencost: {
      exporter: { defaultClusterId: ctx.clusterName },
      prometheus: {
        internal: {
          enabled: true,
          serviceName: PROMETHEUS_SERVICE.name,
          namespaceName: namespace,
          port: PROMETHEUS_SERVICE.port,
        },
      },
      // Its cost metrics go back into Prometheus for the cluster-cost dashboard.
      metrics: { serviceMonitor: { enabled: true } },
      // Cloud cost ingestion needs CUR access (keys or a role); the billing dashboard covers the
      // account's bill from CloudWatch instead.
      cloudCost: { enabled: false },
      // The UI stays inside the cluster (kubectl port-forward); Grafana is the entry point.
      ui: { enabled: true },
    },
  };
}

/** Installs OpenCost next to Prometheus in the monitoring namespace. */
export function installOpenCost(
  ctx: PlatformContext,
  namespace: string,
  dependsOn: ITerraformDependable[],
): Release {
  return pinnedRelease(
    ctx.scope,
    "opencost",
    OPENCOST_CHART,
    namespace,
    openCostValues(ctx, namespace),
    {
      dependsOn,
    },
  );
}
