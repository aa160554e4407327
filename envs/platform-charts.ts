/** A Helm chart pinned to one version from one repository. */
export interface PinnedChart {
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
}

/**
 * The cluster add-ons the `<env>-platform` stack installs, each pinned: upgrading one is a
 * reviewed change of this file (read the chart's upgrade notes first; kube-prometheus-stack
 * majors change CRDs).
 */
export const PLATFORM_CHARTS = {
  /** Prometheus Operator, Prometheus, Alertmanager, Grafana, kube-state-metrics, node-exporter. */
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    repository: "https://prometheus-community.github.io/helm-charts",
    version: "81.4.5",
  },
  /** Fluent Bit with the AWS output plugins, shipping container logs to CloudWatch Logs. */
  awsForFluentBit: {
    chart: "aws-for-fluent-bit",
    repository: "https://aws.github.io/eks-charts",
    version: "0.2.1",
  },
  /**
   * Cluster autoscaler 1.34.1: its minor version must match the clusters' Kubernetes minor
   * (a test checks every environment).
   * @see https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler#releases
   */
  clusterAutoscaler: {
    chart: "cluster-autoscaler",
    repository: "https://kubernetes.github.io/autoscaler",
    version: "9.52.1",
  },
  /** AWS Load Balancer Controller v2.14.0, whose IAM policy modules/addon-roles carries. */
  awsLoadBalancerController: {
    chart: "aws-load-balancer-controller",
    repository: "https://aws.github.io/eks-charts",
    version: "1.14.0",
  },
} as const satisfies Record<string, PinnedChart>;

/** Kubernetes minor version the pinned cluster autoscaler is built for. */
export const CLUSTER_AUTOSCALER_KUBERNETES_MINOR = "1.34";
