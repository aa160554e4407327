/**
 * ExpenseApiDatabaseErrors: the template's shape (next to the other alerts) and its behaviour,
 * evaluated by `promtool test rules` over the rule helm renders: it fires per operation and
 * reason once expense_db_errors_total has kept rising for `for`, and not for a single blip.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { at, CHART_DIR, mergedValues, templateSource } from "./chart-files.ts";

const HELM = process.env.HELM_BIN ?? "helm";
const hasHelm = spawnSync(HELM, ["version"], { encoding: "utf8" }).status === 0;
const hasPromtool = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;
if ((!hasHelm || !hasPromtool) && process.env.CI === "true")
  throw new Error("helm (HELM_BIN) and promtool are required in CI");

describe("ExpenseApiDatabaseErrors in the template", () => {
  it("rates expense_db_errors_total by operation and reason with the chart's window, for and severity", () => {
    const source = templateSource("prometheusrule.yaml");
    const block = source
      .split(/^ {8}- alert: /m)
      .find((b) => b.startsWith("ExpenseApiDatabaseErrors"));
    expect(block).toBeDefined();
    expect(block).toContain(
      "sum by (namespace, operation, reason) (rate(expense_db_errors_total{ {{- $sel -}} }[{{ $r.rateWindow }}])) > 0",
    );
    expect(block).toContain("for: {{ $r.for }}");
    expect(block).toContain("severity: {{ $r.databaseErrorSeverity }}");
    expect(at(mergedValues(), "prometheusRule.databaseErrorSeverity")).toBe("warning");
  });
});

describe.skipIf(!hasHelm || !hasPromtool)("ExpenseApiDatabaseErrors under promtool", () => {
  const dir = mkdtempSync(join(tmpdir(), "expense-db-alert-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("fires per operation and reason after 5m of failures, not for one blip", () => {
    const rendered = spawnSync(
      HELM,
      [
        "template",
        "expense-api",
        ".",
        "--namespace",
        "expense",
        "-f",
        "values-dev.yaml",
        "-f",
        "ci/lint-values.yaml",
      ],
      { encoding: "utf8", cwd: CHART_DIR },
    );
    expect(rendered.status, rendered.stderr).toBe(0);
    const rule = parseAllDocuments(rendered.stdout)
      .map((doc) => doc.toJS() as { kind?: string; spec?: { groups: unknown[] } } | null)
      .find((m) => m?.kind === "PrometheusRule");
    expect(rule?.spec).toBeDefined();
    writeFileSync(join(dir, "rules.yaml"), stringify({ groups: rule!.spec!.groups }));
    const selector = /expense_db_errors_total\{([^}]*)\}/.exec(JSON.stringify(rule))![1]!;
    const labels = Object.fromEntries(
      [...selector.replaceAll('\\"', '"').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const series = (extra: Record<string, string>) =>
      `expense_db_errors_total{${Object.entries({ ...labels, ...extra })
        .map(([k, v]) => `${k}="${v}"`)
        .join(",")}}`;
    const tests = {
      rule_files: ["rules.yaml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [
            // Timeouts on inserts every minute for 15 minutes.
            {
              series: series({ operation: "insert", reason: "timeout", pod: "a" }),
              values: "0+6x15",
            },
            // One refused list at minute 1, nothing after.
            {
              series: series({ operation: "list", reason: "connection_refused", pod: "a" }),
              values: "0 1x15",
            },
          ],
          alert_rule_test: [
            { eval_time: "3m", alertname: "ExpenseApiDatabaseErrors", exp_alerts: [] },
            {
              eval_time: "12m",
              alertname: "ExpenseApiDatabaseErrors",
              exp_alerts: [
                {
                  exp_labels: {
                    severity: "warning",
                    namespace: labels.namespace,
                    operation: "insert",
                    reason: "timeout",
                  },
                  exp_annotations: {
                    summary: `MySQL insert operations fail (timeout) in ${labels.namespace}.`,
                    description:
                      "insert statements have been failing with reason timeout for 5m (100m/s); the API answers 503 for them. Check RDS (connections, CPU, failover events) and the pool gauge expense_db_pool_connections.",
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, "tests.yaml"), stringify(tests));
    const result = spawnSync("promtool", ["test", "rules", "tests.yaml"], {
      encoding: "utf8",
      cwd: dir,
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
