/**
 * The `<env>-platform` root: one file per add-on (pinned chart, IRSA annotation, values), the
 * stack that assembles them, and the shared parts (providers, namespaces, storage class, the API's
 * settings).
 */
export { ADDON_ACCOUNTS } from "./accounts.ts";
export { API_PLATFORM_OBJECT } from "./api-settings.ts";
export { CLUSTER_AUTOSCALER_KUBERNETES_MINOR } from "./cluster-autoscaler.ts";
export { PLATFORM_CHARTS } from "./charts.ts";
export { PROMETHEUS_RETENTION_SIZE_SHARE } from "./kube-prometheus-stack.ts";
export { MONITORING_NAMESPACE } from "./namespaces.ts";
export { PLATFORM_PROVIDERS } from "./providers.ts";
export type { PinnedChart } from "./release.ts";
export { PlatformStack, platformTunables, type PlatformTunables } from "./stack.ts";
export { STORAGE_CLASS } from "./storage-class.ts";
