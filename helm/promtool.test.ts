/**
 * The chart's PrometheusRule, evaluated by Prometheus's own tool: `promtool check rules` on the
 * rule groups rendered for every environment (with the deploy's flags), and `promtool test rules`
 * unit tests that each alert with `for: 5m` fires after 5 minutes of breach and not before, and
 * that the p50/p95/p99 recording rules equal what the dashboard's latency panel plots.
 * promtool comes from Debian's `prometheus` package; .ci/run installs it, and a missing binary
 * fails these tests.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { REQUEST_DURATION_BUCKETS } from "../api/src/metrics.ts";
import { CHART_DIR, ENVIRONMENTS } from "./chart-files.ts";

const PROMTOOL = "/usr/bin/promtool";
const HELM = process.env.HELM_BIN ?? "helm";
const NAMESPACE = "expense";
const JOB = "expense-api";

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}
interface Group {
  name: string;
  rules: Rule[];
}

/** The rule groups of the PrometheusRule rendered for `environment` with the deploy's flags. */
function renderedGroups(environment: string): Group[] {
  const out = execFileSync(
    HELM,
    [
      "template",
      "expense-api",
      CHART_DIR,
      "--namespace",
      NAMESPACE,
      "--values",
      join(CHART_DIR, `values-${environment}.yaml`),
      "--set",
      "image.repository=123456789012.dkr.ecr.eu-west-1.amazonaws.com/expense-api",
      "--set",
      "image.tag=0123456789abcdef0123456789abcdef01234567",
      "--set",
      "config.existingConfigMap=expense-api-platform",
      "--set",
      "secret.existingSecret=expense-api-platform",
      "--set-string",
      "podAnnotations.checksum/platform-config=0123456789abcdef",
      "--show-only",
      "templates/prometheusrule.yaml",
    ],
    { encoding: "utf8" },
  );
  const [rule] = parseAllDocuments(out).map((d) => d.toJSON() as { spec: { groups: Group[] } });
  return rule!.spec.groups;
}

/** Runs promtool; its output and exit code. */
function promtool(args: string[], cwd: string): { code: number; output: string } {
  const result = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8" });
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

/** Histogram bucket series where every request takes `seconds`, `perMinute` of them a minute. */
function histogram(
  labels: Record<string, string>,
  seconds: number,
  perMinute: number,
  minutes: number,
) {
  const selector = (le: string) =>
    `http_request_duration_seconds_bucket{${Object.entries({ ...labels, le })
      .map(([k, v]) => `${k}="${v}"`)
      .join(",")}}`;
  const les = [...REQUEST_DURATION_BUCKETS.map(String), "+Inf"];
  return les.map((le) => ({
    series: selector(le),
    values: le === "+Inf" || Number(le) >= seconds ? `0+${perMinute}x${minutes}` : `0x${minutes}`,
  }));
}

/** A bucket boundary just above `threshold`: the latency of a breaching request. */
const slowerThan = (threshold: number) => REQUEST_DURATION_BUCKETS.find((b) => b > threshold)!;

/** The threshold at the end of an alert's expression (`> 0.05`). */
const thresholdOf = (rule: Rule) => Number(/>\s*([\d.]+)\s*$/.exec(rule.expr)![1]);

/** Input series that breach each `for: 5m` alert from minute 0 (the first rate needs 2 samples). */
function breachFor(rule: Rule): { series: string; values: string }[] {
  const base = { job: JOB, namespace: NAMESPACE, route: "/expenses" };
  switch (rule.alert) {
    case "ExpenseApiCachedReadLatencyHigh":
      return histogram(
        { ...base, method: "GET", cache: "hit" },
        slowerThan(thresholdOf(rule)),
        60,
        20,
      );
    case "ExpenseApiUncachedReadLatencyHigh":
      return histogram(
        { ...base, method: "GET", cache: "miss" },
        slowerThan(thresholdOf(rule)),
        60,
        20,
      );
    case "ExpenseApiWriteLatencyHigh":
      return histogram({ ...base, method: "POST" }, slowerThan(thresholdOf(rule)), 60, 20);
    case "ExpenseApiHighErrorRate":
      return [
        {
          series: `http_requests_total{job="${JOB}",namespace="${NAMESPACE}",status="500"}`,
          values: "0+10x20",
        },
        {
          series: `http_requests_total{job="${JOB}",namespace="${NAMESPACE}",status="200"}`,
          values: "0+90x20",
        },
      ];
    case "ExpenseApiRedisFallback":
      return [
        {
          series: `expense_redis_up{job="${JOB}",namespace="${NAMESPACE}",pod="a"}`,
          values: "0x20",
        },
      ];
    case "ExpenseApiCacheErrors":
      return [
        {
          series: `expense_cache_errors_total{job="${JOB}",namespace="${NAMESPACE}",operation="get"}`,
          values: "0+5x20",
        },
      ];
    case "ExpenseApiDatabaseErrors":
      return [
        {
          series: `expense_db_errors_total{job="${JOB}",namespace="${NAMESPACE}",operation="insert",reason="timeout"}`,
          values: "0+5x20",
        },
      ];
    case "ExpenseApiDatabaseUnavailable":
      return [
        { series: `expense_db_up{job="${JOB}",namespace="${NAMESPACE}",pod="a"}`, values: "0x20" },
      ];
    default:
      throw new Error(`no breach scenario for ${rule.alert}: add one`);
  }
}

/**
 * Minute at which the breach becomes visible to the expression: rate() and increase() need two
 * samples (minute 1), a gauge compares at once (minute 0).
 */
const breachStart = (rule: Rule) => (/\brate\(/.test(rule.expr) ? 1 : 0);

/** The dashboard's latency-panel expression for quantile `q`, its variables filled in. */
function dashboardLatency(q: string): string {
  const dashboard = JSON.parse(
    readFileSync(join(CHART_DIR, "dashboards/expense-api.json"), "utf8"),
  ) as { panels: { title: string; targets?: { expr: string }[] }[] };
  const panel = dashboard.panels.find((p) => p.title === "Latency p50 / p95 / p99 by route");
  const expr = panel?.targets?.find((t) => t.expr.startsWith(`histogram_quantile(${q}, `))?.expr;
  expect(expr, `dashboard p${q}`).toBeDefined();
  return expr!
    .replaceAll("$namespace", NAMESPACE)
    .replaceAll("$job", JOB)
    .replaceAll("$__rate_interval", "5m");
}

it("promtool is installed", () => {
  expect(existsSync(PROMTOOL), `${PROMTOOL} (Debian package prometheus) is required`).toBe(true);
});

describe.each(ENVIRONMENTS)("%s: the chart's rules under promtool", (environment) => {
  const groups = renderedGroups(environment);
  const dir = mkdtempSync(join(tmpdir(), `rules-${environment}-`));
  writeFileSync(join(dir, "rules.yaml"), stringify({ groups }));

  it("pass promtool check rules", () => {
    const { code, output } = promtool(["check", "rules", "rules.yaml"], dir);
    expect(code, output).toBe(0);
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("fire each 5-minute alert after 5 minutes of breach, not before; p50/p95/p99 equal the dashboard's", () => {
    const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert && r.for === "5m");
    expect(alerts.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        "ExpenseApiCachedReadLatencyHigh",
        "ExpenseApiUncachedReadLatencyHigh",
        "ExpenseApiWriteLatencyHigh",
        "ExpenseApiHighErrorRate",
      ]),
    );
    const tests = alerts.map((rule) => {
      const start = breachStart(rule);
      const firing = `ALERTS{alertname="${rule.alert}",alertstate="firing"`;
      return {
        interval: "1m",
        input_series: breachFor(rule),
        promql_expr_test: [
          // One minute short of `for`: pending at most.
          {
            expr: `count(${firing}}) or vector(0)`,
            eval_time: `${start + 4}m`,
            exp_samples: [{ labels: "{}", value: 0 }],
          },
          {
            expr: `count(${firing}}) or vector(0)`,
            eval_time: `${start + 5}m`,
            exp_samples: [{ labels: "{}", value: 1 }],
          },
          {
            expr: `count(${firing},severity="${rule.labels!.severity}"}) or vector(0)`,
            eval_time: `${start + 6}m`,
            exp_samples: [{ labels: "{}", value: 1 }],
          },
        ],
      };
    });
    // Recording rules: for every route, recorded quantile - dashboard quantile = 0, and the
    // quantile of a known distribution (all requests in the (0.1, 0.2] bucket) is interpolated.
    const route = (r: string) =>
      histogram(
        { job: JOB, namespace: NAMESPACE, route: r, method: "GET", cache: "miss" },
        0.2,
        60,
        20,
      );
    tests.push({
      interval: "1m",
      input_series: [...route("/expenses"), ...route("/expenses/:id")],
      promql_expr_test: ["0.5", "0.95", "0.99"].flatMap((q) => {
        const recorded = `namespace_job_route:http_request_duration_seconds:p${q === "0.5" ? "50" : q.slice(2)}`;
        return [
          {
            expr: `count(${recorded} - on (route) (${dashboardLatency(q)}) == 0)`,
            eval_time: "10m",
            exp_samples: [{ labels: "{}", value: 2 }],
          },
          {
            expr: `${recorded}{route="/expenses"} == bool (0.1 + 0.1 * ${q})`,
            eval_time: "10m",
            exp_samples: [
              { labels: `{job="${JOB}",namespace="${NAMESPACE}",route="/expenses"}`, value: 1 },
            ],
          },
        ];
      }),
    });
    writeFileSync(
      join(dir, "tests.yaml"),
      stringify({ rule_files: ["rules.yaml"], evaluation_interval: "1m", tests }),
    );
    const { code, output } = promtool(["test", "rules", "tests.yaml"], dir);
    expect(code, output).toBe(0);
    expect(output).toContain("SUCCESS");
  });
});
