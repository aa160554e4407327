import { readFileSync } from "node:fs";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { Fn } from "cdktf";
import {
  LOG_GROUP_PLACEHOLDER,
  PLATFORM_DASHBOARDS,
  platformDashboardPath,
} from "../dashboards/index.ts";
import { APP_NAMESPACE } from "../root-stack.ts";
import type { PlatformContext } from "./context.ts";

/** Label and value the Grafana sidecar loads dashboards from (kube-prometheus-stack values). */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/**
 * The platform's dashboards (logs, cluster cost, AWS billing) as ConfigMaps in the monitoring
 * namespace, which Grafana's sidecar loads like the API chart's dashboard. The logs dashboard's
 * log group variable defaults to this environment's API log group.
 */
export function createDashboards(ctx: PlatformContext, namespace: string): ConfigMapV1[] {
  const apiLogGroup = `/aws/eks/${ctx.clusterName}/${APP_NAMESPACE}`;
  return Object.entries(PLATFORM_DASHBOARDS).map(([key, file]) => {
    // The file travels base64-encoded and is decoded by Terraform: Grafana's own `${variable}`
    // references stay literal (no template escaping), and the HCL tree shows one plain string per
    // part instead of a heredoc of JSON. Reviewers read the JSON file itself.
    const json = readFileSync(platformDashboardPath(file), "utf8");
    const parts = key === "logs" ? json.split(LOG_GROUP_PLACEHOLDER) : [json];
    const decoded = parts.map((part) => Fn.base64decode(Buffer.from(part).toString("base64")));
    const content = Fn.join(
      "",
      decoded.flatMap((part, i) => (i === 0 ? [part] : [apiLogGroup, part])),
    );
    return new ConfigMapV1(ctx.scope, `dashboard-${file.replace(/\.json$/, "")}`, {
      metadata: {
        name: `dashboard-${file.replace(/\.json$/, "")}`,
        namespace,
        labels: { "app.kubernetes.io/managed-by": "terraform", ...DASHBOARD_LABEL },
      },
      data: { [file]: content },
    });
  });
}
