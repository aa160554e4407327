import type { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import type { PlatformContext } from "./context.ts";
import { grafanaCloudWatchValues } from "./grafana-cloudwatch.ts";
import { pinnedRelease, type PinnedChart } from "./release.ts";

/** Prometheus Operator, Prometheus, Alertmanager, Grafana, kube-state-metrics, node-exporter. */
export const KUBE_PROMETHEUS_STACK_CHART = {
  chart: "kube-prometheus-stack",
  repository: "https://prometheus-community.github.io/helm-charts",
  version: "81.4.5",
} as const satisfies PinnedChart;

/** Share of the Prometheus volume its samples may fill before the oldest blocks are dropped. */
export const PROMETHEUS_RETENTION_SIZE_SHARE = 0.9;

/** What the kube-prometheus-stack release is wired to. */
export interface KubePrometheusStackProps {
  /** Namespace of the release (`monitoring`). */
  readonly namespace: string;
  /** Name of the StorageClass of the Prometheus volumes. */
  readonly storageClassName: string;
  /** What must exist first (the load balancer controller, the storage class). */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The kube-prometheus-stack values. All of the stack's values live here, one object, so other
 * parts (data sources, dashboards, alert routing) extend it in one place.
 */
export function kubePrometheusStackValues(
  ctx: PlatformContext,
  props: KubePrometheusStackProps,
): Record<string, unknown> {
  const { platform } = ctx.config;
  const storageGb = platform.prometheusStorageGb;
  return {
    prometheus: {
      prometheusSpec: {
        retention: `${platform.prometheusRetentionDays}d`,
        // Whichever limit comes first: a full volume would stop Prometheus.
        retentionSize: `${Math.floor(storageGb * PROMETHEUS_RETENTION_SIZE_SHARE)}GB`,
        replicas: platform.prometheusReplicas,
        // One volume per replica (a StatefulSet claim), so history survives rescheduling.
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: props.storageClassName,
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: `${storageGb}Gi` } },
            },
          },
        },
        // Select ServiceMonitors, PodMonitors, Probes and PrometheusRules of every namespace
        // regardless of labels, so the API chart's objects are picked up.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
      },
    },
    grafana: {
      // Empty: the Grafana chart generates a random password into the Secret
      // `kube-prometheus-stack-grafana` (key admin-password) and keeps it on upgrades; it is
      // never in git nor in Terraform state. Read it with kubectl when needed.
      adminPassword: "",
      // No volume: dashboards and data sources are provisioned from ConfigMaps, and the
      // sqlite database holds only UI state (users, preferences) that may be lost.
      persistence: { enabled: false },
      // CloudWatch data source with the read-only IRSA role (logs dashboard, billing dashboard).
      ...grafanaCloudWatchValues(ctx),
      sidecar: {
        dashboards: {
          enabled: true,
          label: "grafana_dashboard",
          labelValue: "1",
          searchNamespace: "ALL",
        },
      },
    },
  };
}

/** Installs kube-prometheus-stack (its CRDs back the API chart's ServiceMonitor and PrometheusRule). */
export function installKubePrometheusStack(
  ctx: PlatformContext,
  props: KubePrometheusStackProps,
): Release {
  return pinnedRelease(
    ctx.scope,
    "kube-prometheus-stack",
    KUBE_PROMETHEUS_STACK_CHART,
    props.namespace,
    kubePrometheusStackValues(ctx, props),
    { timeout: 900, dependsOn: props.dependsOn },
  );
}
