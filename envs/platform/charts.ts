import { AWS_FOR_FLUENT_BIT_CHART } from "./aws-for-fluent-bit.ts";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from "./aws-load-balancer-controller.ts";
import { CLUSTER_AUTOSCALER_CHART } from "./cluster-autoscaler.ts";
import { KUBE_PROMETHEUS_STACK_CHART } from "./kube-prometheus-stack.ts";
import { METRICS_SERVER_CHART } from "./metrics-server.ts";
import { OPENCOST_CHART } from "./opencost.ts";
import type { PinnedChart } from "./release.ts";

/**
 * The cluster add-ons the `<env>-platform` stack installs, each pinned in its add-on's file:
 * upgrading one is a reviewed change of that file (read the chart's upgrade notes first;
 * kube-prometheus-stack majors change CRDs).
 */
export const PLATFORM_CHARTS = {
  kubePrometheusStack: KUBE_PROMETHEUS_STACK_CHART,
  awsForFluentBit: AWS_FOR_FLUENT_BIT_CHART,
  clusterAutoscaler: CLUSTER_AUTOSCALER_CHART,
  awsLoadBalancerController: AWS_LOAD_BALANCER_CONTROLLER_CHART,
  metricsServer: METRICS_SERVER_CHART,
  openCost: OPENCOST_CHART,
} as const satisfies Record<string, PinnedChart>;
