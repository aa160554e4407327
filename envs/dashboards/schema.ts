import { Ajv, type ValidateFunction } from "ajv";
import { allPanels, type Dashboard } from "./index.ts";

/** Grafana panel plugins the dashboards may use (core panels of Grafana 10-12). */
const PANEL_TYPES = ["row", "timeseries", "stat", "table", "logs", "bargauge", "gauge", "text"];

const datasourceRef = {
  type: "object",
  required: ["type", "uid"],
  properties: { type: { type: "string", minLength: 1 }, uid: { type: "string", minLength: 1 } },
};

const panel = {
  type: "object",
  required: ["id", "type", "title", "gridPos"],
  properties: {
    id: { type: "integer", minimum: 1 },
    type: { enum: PANEL_TYPES },
    title: { type: "string" },
    description: { type: "string" },
    datasource: datasourceRef,
    gridPos: {
      type: "object",
      required: ["h", "w", "x", "y"],
      additionalProperties: false,
      properties: {
        h: { type: "integer", minimum: 1 },
        w: { type: "integer", minimum: 1, maximum: 24 },
        x: { type: "integer", minimum: 0, maximum: 23 },
        y: { type: "integer", minimum: 0 },
      },
    },
    fieldConfig: {
      type: "object",
      required: ["defaults", "overrides"],
      properties: { defaults: { type: "object" }, overrides: { type: "array" } },
    },
    options: { type: "object" },
    targets: {
      type: "array",
      items: {
        type: "object",
        required: ["refId"],
        properties: {
          refId: { type: "string", pattern: "^[A-Za-z0-9_]+$" },
          datasource: datasourceRef,
        },
      },
    },
    panels: { type: "array" },
  },
};

/**
 * The dashboard JSON model of schemaVersion 39 (Grafana 10.x-12.x read it without migration): the
 * fields and types Grafana's dashboard schema requires, for the parts these dashboards use.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */
export const DASHBOARD_SCHEMA_V39 = {
  type: "object",
  required: ["title", "uid", "schemaVersion", "panels", "templating", "time"],
  properties: {
    title: { type: "string", minLength: 1 },
    // Grafana limits uids to 40 characters of letters, digits, '-' and '_'.
    uid: { type: "string", pattern: "^[A-Za-z0-9_-]{1,40}$" },
    schemaVersion: { const: 39 },
    version: { type: "integer" },
    editable: { type: "boolean" },
    graphTooltip: { enum: [0, 1, 2] },
    timezone: { type: "string" },
    refresh: { type: "string" },
    tags: { type: "array", items: { type: "string" } },
    time: {
      type: "object",
      required: ["from", "to"],
      properties: { from: { type: "string" }, to: { type: "string" } },
    },
    annotations: { type: "object", properties: { list: { type: "array" } } },
    links: { type: "array" },
    templating: {
      type: "object",
      required: ["list"],
      properties: {
        list: {
          type: "array",
          items: {
            type: "object",
            required: ["name", "type"],
            properties: {
              name: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
              type: {
                enum: ["query", "custom", "textbox", "constant", "datasource", "interval", "adhoc"],
              },
            },
          },
        },
      },
    },
    panels: { type: "array", items: panel },
  },
} as const;

/** Schema validators by the schemaVersion a dashboard declares. */
const VALIDATORS: Record<number, ValidateFunction> = {
  39: new Ajv({ allErrors: true, strict: false }).compile(DASHBOARD_SCHEMA_V39),
};

/**
 * Problems of a dashboard against the schema of the version it declares, plus what a schema
 * cannot say: unique panel ids, panels inside the 24-column grid, unique refIds per panel, and
 * data source variables that exist.
 */
export function dashboardProblems(dashboard: Dashboard): string[] {
  const validate = VALIDATORS[dashboard.schemaVersion];
  if (!validate) return [`schemaVersion ${dashboard.schemaVersion} has no schema here`];
  const problems = validate(dashboard)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
  if (problems.length > 0) return problems;
  const variables = new Set(dashboard.templating.list.map((v) => v.name));
  const ids = new Set<number>();
  for (const p of allPanels(dashboard)) {
    if (ids.has(p.id)) problems.push(`panel id ${p.id} is used twice`);
    ids.add(p.id);
    if (p.gridPos.x + p.gridPos.w > 24) problems.push(`panel ${p.id} is wider than the grid`);
    const refIds = (p.targets ?? []).map((t) => t.refId);
    if (new Set(refIds).size !== refIds.length) problems.push(`panel ${p.id} repeats a refId`);
    for (const ref of [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]) {
      const variable = /^\$\{(\w+)\}$/.exec(ref?.uid ?? "")?.[1];
      if (variable && !variables.has(variable))
        problems.push(`panel ${p.id} uses data source variable ${variable}, which is not defined`);
    }
  }
  return problems;
}
