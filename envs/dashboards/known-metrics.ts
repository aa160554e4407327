/**
 * Metrics the dashboards may use besides the API's own (which the tests read from the API's
 * prom-client registry): the exporters kube-prometheus-stack and OpenCost run, each list limited to
 * what the dashboards name and each name as documented by its exporter.
 */
export const EXPORTER_METRICS: Readonly<Record<string, { source: string; metrics: string[] }>> = {
  kubeStateMetrics: {
    source:
      "kube-state-metrics v2 (kube-prometheus-stack): https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics",
    metrics: [
      "kube_deployment_status_replicas_available",
      "kube_horizontalpodautoscaler_spec_max_replicas",
      "kube_horizontalpodautoscaler_spec_min_replicas",
      "kube_horizontalpodautoscaler_status_current_replicas",
      "kube_horizontalpodautoscaler_status_desired_replicas",
      "kube_pod_container_resource_requests",
      "kube_pod_container_status_restarts_total",
      "kube_pod_owner",
    ],
  },
  cadvisor: {
    source:
      "cAdvisor through the kubelet (kube-prometheus-stack's kubelet ServiceMonitor): https://github.com/google/cadvisor/blob/master/docs/storage/prometheus.md",
    metrics: ["container_cpu_usage_seconds_total", "container_memory_working_set_bytes"],
  },
  openCost: {
    source:
      "OpenCost cost-model exporter (chart opencost, ServiceMonitor): https://www.opencost.io/docs/integrations/prometheus",
    metrics: [
      "node_total_hourly_cost",
      "node_cpu_hourly_cost",
      "node_ram_hourly_cost",
      "pv_hourly_cost",
      "container_cpu_allocation",
      "container_memory_allocation_bytes",
      "pod_pvc_allocation",
      "kubecost_load_balancer_cost",
      "kubecost_node_is_spot",
    ],
  },
};
