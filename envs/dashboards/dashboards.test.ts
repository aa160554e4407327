import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { errorHandler } from "../../api/src/http/errors.ts";
import type { AppEnv } from "../../api/src/http/env.ts";
import { observe } from "../../api/src/http/observe.ts";
import { createLogger } from "../../api/src/logger.ts";
import { createMetrics } from "../../api/src/metrics.ts";
import {
  allTargets,
  API_DASHBOARD,
  DASHBOARDS_DIR,
  PLATFORM_DASHBOARDS,
  platformDashboardPath,
  readDashboard,
  type Dashboard,
} from "./index.ts";
import { EXPORTER_METRICS } from "./known-metrics.ts";
import { metricNames, substituteGrafanaVariables } from "./promql.ts";
import { dashboardProblems } from "./schema.ts";

const PROMTOOL = process.env.PROMTOOL_BIN ?? "promtool";
const HELM = process.env.HELM_BIN ?? "helm";

const dashboards: [string, Dashboard][] = [
  [API_DASHBOARD, readDashboard(API_DASHBOARD)],
  ...Object.values(PLATFORM_DASHBOARDS).map(
    (file) => [platformDashboardPath(file), readDashboard(platformDashboardPath(file))] as const,
  ),
].map(([path, d]) => [path, d] as [string, Dashboard]);

/** Every PromQL expression of the dashboards, with where it comes from. */
const dashboardExpressions = dashboards.flatMap(([path, d]) =>
  allTargets(d)
    .filter(({ target }) => target.expr !== undefined)
    .map(({ panel, target }) => ({
      where: `${path} panel ${panel.id} ${target.refId}`,
      expr: substituteGrafanaVariables(target.expr!),
    })),
);

/** The API chart's PrometheusRule groups, rendered by helm with the rules enabled. */
function chartRuleGroups(): { name: string; rules: Record<string, string>[] }[] {
  const result = spawnSync(
    HELM,
    [
      "template",
      "expense-api",
      "helm/expense-api",
      "--namespace",
      "expense",
      "-f",
      "helm/expense-api/ci/lint-values.yaml",
      "--set",
      "prometheusRule.enabled=true",
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`helm template: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as { kind?: string; spec?: { groups: never[] } } | null)
    .filter((m) => m?.kind === "PrometheusRule")
    .flatMap((m) => m!.spec!.groups);
}

/** Runs `promtool check rules` on groups; returns its exit status and output. */
function promtoolCheck(groups: unknown[]): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "promql-"));
  const file = join(dir, "rules.yaml");
  writeFileSync(file, stringify({ groups }));
  const result = spawnSync(PROMTOOL, ["check", "rules", file], { encoding: "utf8" });
  if (result.error) throw result.error;
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** Metric names the API's own registry exposes (histograms with their series suffixes). */
async function apiMetricNames(): Promise<Set<string>> {
  const text = await createMetrics().registry.metrics();
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === "histogram" || type === "summary")
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
  }
  return names;
}

describe("dashboard JSON", () => {
  it("lists every platform dashboard file", () => {
    expect(
      readdirSync(DASHBOARDS_DIR)
        .filter((f) => f.endsWith(".json"))
        .sort(),
    ).toEqual(Object.values(PLATFORM_DASHBOARDS).sort());
  });

  it.each(dashboards)("%s is valid for the schemaVersion it declares", (_, dashboard) => {
    expect(dashboardProblems(dashboard)).toEqual([]);
  });

  it("rejects what Grafana would not load: unknown version, a panel off the grid, a missing variable", () => {
    const [, api] = dashboards[0]!;
    expect(dashboardProblems({ ...api, schemaVersion: 12 })).toEqual([
      "schemaVersion 12 has no schema here",
    ]);
    const wide = structuredClone(api);
    wide.panels[1]!.gridPos.w = 25;
    expect(dashboardProblems(wide).join()).toMatch(/gridPos\/w must be <= 24/);
    const unbound = structuredClone(api);
    unbound.templating.list = unbound.templating.list.filter((v) => v.name !== "datasource");
    expect(dashboardProblems(unbound).join()).toMatch(/variable datasource, which is not defined/);
  });
});

describe("PromQL in dashboards and rules", () => {
  let groups: { name: string; rules: Record<string, string>[] }[];
  let known: Set<string>;
  beforeAll(async () => {
    groups = chartRuleGroups();
    known = new Set([
      ...(await apiMetricNames()),
      ...Object.values(EXPORTER_METRICS).flatMap((e) => e.metrics),
      ...groups.flatMap((g) => g.rules.map((r) => r.record).filter((r): r is string => !!r)),
    ]);
  });

  it("finds expressions in every Prometheus dashboard and in the chart's rules", () => {
    expect(dashboardExpressions.length).toBeGreaterThan(20);
    expect(dashboardExpressions.some((e) => e.where.includes("cluster-cost"))).toBe(true);
    expect(groups.flatMap((g) => g.rules).length).toBeGreaterThan(5);
  });

  it("parse with promtool: every rule of the chart and every dashboard expression", () => {
    const dashboardGroup = {
      name: "dashboards",
      rules: dashboardExpressions.map((e, i) => ({ record: `dashboard:check:${i}`, expr: e.expr })),
    };
    const { ok, output } = promtoolCheck([...groups, dashboardGroup]);
    expect(output, output).toMatch(/SUCCESS/);
    expect(ok).toBe(true);
  });

  it("promtool refuses a broken expression (the check is real)", () => {
    const broken = promtoolCheck([
      { name: "broken", rules: [{ record: "x:y", expr: "sum by (le (rate(x[5m]))" }] },
    ]);
    expect(broken.ok).toBe(false);
  });

  it("name only metrics the API registers, a documented exporter exposes, or a rule records", () => {
    const all = [
      ...dashboardExpressions,
      ...groups.flatMap((g) => g.rules.map((r) => ({ where: r.alert ?? r.record, expr: r.expr! }))),
    ];
    const unknown = all.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !known.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it("extracts metric names, not functions, labels or keywords", () => {
    expect(
      metricNames(
        'sum by (route) (rate(http_requests_total{status=~"5.."}[5m])) / on (job) group_left () up offset 5m > bool 1e3',
      ),
    ).toEqual(["http_requests_total", "up"]);
  });
});

describe("Logs Insights queries", () => {
  const logQueries = dashboards.flatMap(([path, d]) =>
    allTargets(d)
      .filter(({ target }) => target.queryMode === "Logs")
      .map(({ panel, target }) => ({
        where: `${path} panel ${panel.id} ${target.refId}`,
        query: target.expression!,
      })),
  );

  /** Real lines of the API's logger: access lines, a 500's error line, a 503's warning with a code. */
  async function apiLogLines(): Promise<Record<string, unknown>[]> {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (s: string) => void lines.push(s) } });
    const app = new Hono<AppEnv>();
    app.use(observe({ metrics: createMetrics({ defaultMetrics: false }), logger }));
    app.onError(errorHandler(logger));
    app.get("/transactions/:id", (c) => c.json({ ok: true }));
    app.get("/boom", () => {
      throw new Error("boom");
    });
    app.get("/db-down", () => {
      // What mysql2 throws when MySQL refuses connections.
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    });
    await app.request("/transactions/1", { headers: { "X-Request-Id": "req-1" } });
    await app.request("/boom", { headers: { "X-Request-Id": "req-2" } });
    await app.request("/db-down", { headers: { "X-Request-Id": "req-3" } });
    return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  it("cover the four questions: 5xx rate, errors by route, slowest requests, one request by id", () => {
    const text = logQueries.map((q) => q.query).join("\n");
    expect(text).toMatch(/data\.status >= 500[\s\S]*stats count\(\*\) as errors by data\.route/);
    expect(text).toMatch(/sort data\.durationMs desc/);
    expect(text).toContain('filter data.requestId = "$request_id"');
    const logs = readDashboard(platformDashboardPath(PLATFORM_DASHBOARDS.logs));
    expect(logs.templating.list.map((v) => v.name)).toEqual(
      expect.arrayContaining(["cloudwatch", "log_group", "request_id"]),
    );
  });

  it("are pipelines of Logs Insights commands", () => {
    const commands = /^(fields|filter|stats|sort|limit|display|parse|dedup)\b/;
    for (const { where, query } of logQueries)
      for (const stage of query.split("|"))
        expect(stage.trim(), `${where}: ${stage}`).toMatch(commands);
  });

  it("use only fields the API really logs (under Fluent Bit's `data` merge key) or Fluent Bit adds", async () => {
    const lines = await apiLogLines();
    expect(lines.map((l) => l.message)).toEqual(
      expect.arrayContaining(["request", "unhandled error", "database unavailable"]),
    );
    const has = (path: string[]) =>
      lines.some((line) => {
        let node: unknown = line;
        for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
        return node !== undefined;
      });
    const fluentBitFields = new Set(["kubernetes.pod_name", "kubernetes.namespace_name"]);
    for (const { where, query } of logQueries) {
      for (const [field] of query.matchAll(/\b(?:data|kubernetes)(?:\.[A-Za-z_]\w*)+/g)) {
        if (field.startsWith("kubernetes.")) {
          expect(fluentBitFields.has(field), `${where}: ${field}`).toBe(true);
          continue;
        }
        expect(
          has(field.split(".").slice(1)),
          `${where}: ${field} is not in any API log line`,
        ).toBe(true);
      }
    }
  });
});
