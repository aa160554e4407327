import { describe, expect, it } from "vitest";
import { SLO_P95_SECONDS } from "../api/src/slo.ts";
import { at, chartFile, mergedValues, templateSource } from "./chart-files.ts";

/** One rule of the PrometheusRule template, as written in the template. */
interface RuleSource {
  name: string;
  expr: string;
  for?: string;
  severity?: string;
}

/** The alert and record rules of templates/prometheusrule.yaml, read from the template text. */
function ruleSources(): RuleSource[] {
  const source = templateSource("prometheusrule.yaml");
  const blocks = source.split(/^ {8}- (?=alert:|record:)/m).slice(1);
  return blocks.map((block) => ({
    name: /^(?:alert|record): (\S+)/.exec(block)![1]!,
    expr: /expr: \|-\n\s+(.+)\n/.exec(block)![1]!,
    for: /^\s+for: (.+)$/m.exec(block)?.[1],
    severity: /^\s+severity: (.+)$/m.exec(block)?.[1],
  }));
}

const rules = ruleSources();
const rule = (name: string): RuleSource => {
  const found = rules.find((r) => r.name === name);
  if (!found) throw new Error(`no rule ${name} in prometheusrule.yaml`);
  return found;
};
const values = mergedValues();

/** The histogram_quantile(0.95, ...) form every latency SLO alert must use. */
const p95 = (filters: string, threshold: string) =>
  new RegExp(
    "^histogram_quantile\\(0\\.95, sum by \\(le, (?:[a-z_]+, )*route\\) " +
      "\\(rate\\(http_request_duration_seconds_bucket\\{ \\{\\{- \\$sel \\}\\}, " +
      filters.replace(/[|()[\]{}.*+?^$\\]/g, "\\$&") +
      "\\}\\[\\{\\{ \\$r\\.rateWindow \\}\\}\\]\\)\\)\\) > \\{\\{ \\$r\\.slo\\." +
      threshold +
      " \\}\\}$",
  );

describe("PrometheusRule SLO alerts", () => {
  it("take their thresholds from values equal to api/src/slo.ts", () => {
    expect(at(values, "prometheusRule.slo")).toMatchObject({
      cachedReadP95Seconds: SLO_P95_SECONDS.cachedRead,
      uncachedReadP95Seconds: SLO_P95_SECONDS.uncachedRead,
      writeP95Seconds: SLO_P95_SECONDS.write,
    });
  });

  it("fire after 5 minutes over 5-minute rate windows", () => {
    expect(at(values, "prometheusRule.for")).toBe("5m");
    expect(at(values, "prometheusRule.rateWindow")).toBe("5m");
  });

  const slo: [string, string, string][] = [
    ["ExpenseApiCachedReadLatencyHigh", 'method="GET", cache="hit"', "cachedReadP95Seconds"],
    ["ExpenseApiUncachedReadLatencyHigh", 'method="GET", cache="miss"', "uncachedReadP95Seconds"],
    ["ExpenseApiWriteLatencyHigh", 'method=~"POST|DELETE"', "writeP95Seconds"],
  ];
  it.each(slo)(
    "%s compares the p95 per route of the histogram with its objective",
    (name, filters, key) => {
      const alert = rule(name);
      expect(alert.expr).toMatch(p95(filters, key));
      expect(alert.for).toBe("{{ $r.for }}");
      expect(alert.severity).toBe("{{ $r.slo.severity }}");
    },
  );

  it("scope every query to the release's job and namespace", () => {
    expect(templateSource("_helpers.tpl")).toMatch(
      /define "expense-api\.promSelector"[\s\S]*job="\{\{ include "expense-api\.fullname" \. \}\}", namespace="\{\{ \.Release\.Namespace \}\}"/,
    );
    for (const r of rules.filter((r) => r.name !== "ExpenseApiPodRestarting")) {
      expect(r.expr, r.name).toMatch(/\{ ?\{\{- \$sel/);
    }
  });
});

describe("PrometheusRule other alerts and recording rules", () => {
  it("alerts on the 5xx share of http_requests_total", () => {
    const alert = rule("ExpenseApiHighErrorRate");
    expect(alert.expr).toMatch(/rate\(http_requests_total\{ \{\{- \$sel \}\}, status=~"5\.\."\}/);
    expect(alert.expr).toMatch(/\/ sum by \(namespace\) \(rate\(http_requests_total\{/);
    expect(alert.expr).toMatch(/> \{\{ \$r\.errorRateThreshold \}\}$/);
    expect(alert.for).toBe("{{ $r.for }}");
    expect(at(values, "prometheusRule.errorRateThreshold")).toBe(0.05);
  });

  it("alerts on the Redis fallback from expense_redis_up and expense_cache_errors_total", () => {
    expect(rule("ExpenseApiRedisFallback").expr).toMatch(/expense_redis_up\{.*\}\) == 0$/);
    expect(rule("ExpenseApiCacheErrors").expr).toMatch(/rate\(expense_cache_errors_total\{/);
    expect(rule("ExpenseApiRedisFallback").for).toBe("{{ $r.for }}");
  });

  it("alerts on container restarts from kube-state-metrics", () => {
    const alert = rule("ExpenseApiPodRestarting");
    expect(alert.expr).toMatch(/increase\(kube_pod_container_status_restarts_total\{/);
    expect(alert.expr).toContain('container="{{ .Chart.Name }}"');
    expect(alert.expr).toMatch(/> \{\{ \$r\.podRestartThreshold \}\}$/);
  });

  it("records p50, p95 and p99 per route", () => {
    const source = templateSource("prometheusrule.yaml");
    expect(source).toContain('dict "p50" "0.5" "p95" "0.95" "p99" "0.99"');
    const record = rule("namespace_job_route:http_request_duration_seconds:{{");
    expect(record.expr).toMatch(
      /^histogram_quantile\(\{\{ \$q \}\}, sum by \(le, namespace, job, route\) \(rate\(http_request_duration_seconds_bucket\{/,
    );
  });
});

describe("Grafana dashboard", () => {
  const dashboard = JSON.parse(chartFile("dashboards/expense-api.json")) as {
    uid: string;
    title: string;
    templating: { list: { name: string; type: string }[] };
    panels: {
      type: string;
      title: string;
      targets?: { expr: string }[];
      fieldConfig?: { defaults: { thresholds?: { steps: { value: number | null }[] } } };
    }[];
  };
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join("\n");

  it("is a Grafana dashboard with a Prometheus data source variable", () => {
    expect(dashboard.uid).toBe("expense-api");
    expect(dashboard.title).toBe("Expense API");
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: "datasource", type: "datasource" }),
    );
    expect(dashboard.panels.filter((p) => p.type === "timeseries").length).toBeGreaterThan(10);
  });

  it.each([
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "expense_transactions_created_total",
    "expense_transactions_deleted_total",
    "expense_transaction_amount_bucket",
    "expense_cache_hits_total",
    "expense_cache_misses_total",
    "expense_cache_errors_total",
    "expense_db_query_duration_seconds_bucket",
    "expense_redis_up",
    "expense_db_up",
    "expense_db_pool_connections",
    "kube_horizontalpodautoscaler_status_current_replicas",
    "kube_pod_container_status_restarts_total",
  ])("charts %s", (metric) => {
    expect(exprs).toMatch(new RegExp(`\\b${metric}\\{`));
  });

  it.each([
    ["p95 cached GET", SLO_P95_SECONDS.cachedRead],
    ["p95 uncached GET", SLO_P95_SECONDS.uncachedRead],
    ["p95 POST/DELETE", SLO_P95_SECONDS.write],
  ])("draws the SLO line of %s at the objective", (prefix, objective) => {
    const panel = dashboard.panels.find((p) => p.title.startsWith(prefix));
    expect(panel?.targets?.[0]?.expr).toMatch(/^histogram_quantile\(0\.95, sum by \(le, route\)/);
    const steps = panel?.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value);
    expect(steps).toEqual([null, objective]);
    expect(panel?.title).toContain(`${objective * 1000} ms`);
  });

  it("is loaded by the dashboard ConfigMap with the sidecar label", () => {
    const source = templateSource("dashboard-configmap.yaml");
    expect(source).toContain('.Files.Get "dashboards/expense-api.json"');
    expect(source).toContain(
      "{{ .Values.dashboard.sidecarLabel }}: {{ .Values.dashboard.sidecarLabelValue | quote }}",
    );
    expect(at(values, "dashboard.sidecarLabel")).toBe("grafana_dashboard");
    expect(at(values, "dashboard.sidecarLabelValue")).toBe("1");
  });
});

describe("ServiceMonitor", () => {
  it("scrapes /metrics on the named http port with the label kube-prometheus-stack selects", () => {
    const source = templateSource("servicemonitor.yaml");
    expect(source).toMatch(/- port: http\n\s+path: \{\{ \.Values\.serviceMonitor\.path \}\}/);
    expect(at(values, "serviceMonitor.path")).toBe("/metrics");
    expect(at(values, "serviceMonitor.labels")).toEqual({ release: "kube-prometheus-stack" });
    expect(templateSource("service.yaml")).toMatch(
      /- name: http\n\s+port: .*\n\s+targetPort: http/,
    );
  });
});
