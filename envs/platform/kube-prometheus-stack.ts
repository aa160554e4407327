import type { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { ADDON_ACCOUNTS } from "./accounts.ts";
import { alertmanagerConfig } from "./alertmanager.ts";
import type { PlatformContext } from "./context.ts";
import { grafanaCloudWatchValues } from "./grafana-cloudwatch.ts";
import { grafanaIngressValues } from "./ingress.ts";
import { pinnedRelease, ROLE_ANNOTATION, type PinnedChart } from "./release.ts";

/** Prometheus Operator, Prometheus, Alertmanager, Grafana, kube-state-metrics, node-exporter. */
export const KUBE_PROMETHEUS_STACK_CHART = {
  chart: "kube-prometheus-stack",
  repository: "https://prometheus-community.github.io/helm-charts",
  // Verified 2026-11-28: tag kube-prometheus-stack-88.5.3 (ea930ba, 2026-08-21, the newest) of
  // github.com/prometheus-community/helm-charts; app v0.93.1, Grafana subchart 12.11.1.
  version: "88.5.3",
} as const satisfies PinnedChart;

/** Share of the Prometheus volume its samples may fill before the oldest blocks are dropped. */
export const PROMETHEUS_RETENTION_SIZE_SHARE = 0.9;

/**
 * Control-plane components EKS runs out of reach (controller manager, scheduler, etcd) and
 * kube-proxy, whose metrics listen on 127.0.0.1 in EKS's add-on: their scrape targets and rules
 * would only ever report them down.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/prometheus.html
 */
export const UNREACHABLE_ON_EKS = [
  "kubeControllerManager",
  "kubeScheduler",
  "kubeEtcd",
  "kubeProxy",
] as const;

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
  const alertmanager = ADDON_ACCOUNTS.alertmanager;
  return {
    ...Object.fromEntries(UNREACHABLE_ON_EKS.map((component) => [component, { enabled: false }])),
    alertmanager: {
      serviceAccount: {
        create: true,
        name: alertmanager.serviceAccount,
        annotations: { [ROLE_ANNOTATION]: ctx.output("alertmanager_role_arn") },
      },
      config: alertmanagerConfig({
        topicArn: ctx.output("alerts_topic_arn"),
        region: ctx.region,
        environment: ctx.config.environment,
      }),
    },
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
      // The cluster, node and workload dashboards of the chart (R4.5).
      defaultDashboardsEnabled: true,
      ingress: grafanaIngressValues(ctx),
      // No adminPassword (nor admin.existingSecret): the Grafana chart generates a random one into
      // the Secret `kube-prometheus-stack-grafana` (key admin-password) and keeps it on upgrades
      // (its `grafana.password` helper looks the Secret up); it is never in git nor in Terraform
      // state. Read it with kubectl (docs/deployment.md).
      // No volume: dashboards and data sources are provisioned from ConfigMaps, and the
      // sqlite database holds only UI state (users, preferences) that may be lost.
      persistence: { enabled: false },
      // CloudWatch data source with the read-only IRSA role (logs dashboard, billing dashboard).
      ...grafanaCloudWatchValues(ctx),
      sidecar: {
        // The Prometheus data source, provisioned as the default one (R4.3).
        datasources: { enabled: true, defaultDatasourceEnabled: true, isDefaultDatasource: true },
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
