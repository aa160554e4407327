import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Folder of the platform's dashboards (the API's own lives in the chart: helm/expense-api/dashboards). */
export const DASHBOARDS_DIR = "envs/dashboards";

/** The chart's dashboard, shipped by the API chart's ConfigMap. */
export const API_DASHBOARD = "helm/expense-api/dashboards/expense-api.json";

/**
 * The platform's dashboards, each shipped as a ConfigMap the Grafana sidecar loads
 * (label `grafana_dashboard: "1"`), like the API chart's dashboard.
 */
export const PLATFORM_DASHBOARDS = {
  /** CloudWatch Logs Insights over the API's log group (`__LOG_GROUP__` is replaced per env). */
  logs: "logs.json",
  /** OpenCost: cluster cost by namespace and workload. */
  clusterCost: "cluster-cost.json",
  /** AWS/Billing EstimatedCharges (us-east-1). */
  awsBilling: "aws-billing.json",
} as const;

/** Placeholder in logs.json for the environment's API log group, filled in by the platform stack. */
export const LOG_GROUP_PLACEHOLDER = "__LOG_GROUP__";

/** Uid of the CloudWatch data source the platform provisions; dashboards select it by type. */
export const CLOUDWATCH_DATASOURCE_UID = "cloudwatch";

/** A Grafana dashboard's JSON, loosely typed. */
export interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
  [key: string]: unknown;
}

/** One panel (rows may nest panels). */
export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
  panels?: Panel[];
  [key: string]: unknown;
}

/** One query of a panel: PromQL (`expr`), CloudWatch (`queryMode`) or a server-side expression. */
export interface Target {
  refId: string;
  datasource?: { type: string; uid: string };
  expr?: string;
  queryMode?: "Logs" | "Metrics";
  expression?: string;
  [key: string]: unknown;
}

/** Reads a dashboard file relative to the repository root. */
export const readDashboard = (path: string): Dashboard =>
  JSON.parse(readFileSync(path, "utf8")) as Dashboard;

/** Path of a platform dashboard, relative to the repository root. */
export const platformDashboardPath = (file: string): string => join(DASHBOARDS_DIR, file);

/** Every panel of a dashboard, rows flattened. */
export const allPanels = (dashboard: Dashboard): Panel[] =>
  dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

/** Every target with the panel it belongs to. */
export const allTargets = (dashboard: Dashboard): { panel: Panel; target: Target }[] =>
  allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel, target })),
  );
