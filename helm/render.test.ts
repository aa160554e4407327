/**
 * Lints and renders the chart with a real `helm` binary (HELM_BIN, or `helm` on PATH). Skipped
 * on a laptop without helm; in CI (.ci/run provides one) a missing helm is an error.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { API_ENV_VARS } from "../api/src/env-vars.ts";
import { SLO_P95_SECONDS } from "../api/src/slo.ts";
import { CHART_DIR, ENVIRONMENTS } from "./chart-files.ts";

const HELM = process.env.HELM_BIN ?? "helm";
const hasHelm = spawnSync(HELM, ["version"], { encoding: "utf8" }).status === 0;
// In CI the render tests must run: .ci/run provides helm, and its absence is an error, not a skip.
if (!hasHelm && process.env.CI === "true")
  throw new Error(`no helm binary (HELM_BIN=${HELM}) in CI`);

/** A rendered Kubernetes object, loosely typed. */
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec?: any;
  data?: Record<string, string>;
}

function helm(args: string[]) {
  const result = spawnSync(HELM, args, { encoding: "utf8", cwd: CHART_DIR });
  return { ok: result.status === 0, out: result.stdout, err: result.stderr };
}

const lintValues = ["-f", "ci/lint-values.yaml"];

function render(args: string[]): Manifest[] {
  const result = helm(["template", "expense-api", ".", "--namespace", "expense", ...args]);
  if (!result.ok) throw new Error(result.err);
  return parseAllDocuments(result.out)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

describe.skipIf(!hasHelm)("helm lint and template", () => {
  it.each(ENVIRONMENTS)("lints strictly with values-%s.yaml", (env) => {
    const result = helm(["lint", "--strict", ".", "-f", `values-${env}.yaml`, ...lintValues]);
    expect(result.err + result.out).toContain("0 chart(s) failed");
  });

  it("lints strictly with every optional feature on", () => {
    const result = helm(["lint", "--strict", ".", "-f", "ci/all-features-values.yaml"]);
    expect(result.err + result.out).toContain("0 chart(s) failed");
  });

  it.each(ENVIRONMENTS)("renders values-%s.yaml into the expected resources", (env) => {
    const manifests = render(["-f", `values-${env}.yaml`, ...lintValues]);
    const kinds = manifests.map((m) => m.kind).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        "ConfigMap",
        "Deployment",
        "HorizontalPodAutoscaler",
        "Job",
        "PodDisruptionBudget",
        "PrometheusRule",
        "Secret",
        "Service",
        "ServiceAccount",
        "ServiceMonitor",
      ]),
    );
    for (const m of manifests)
      expect(m.metadata.name.length, m.metadata.name).toBeLessThanOrEqual(63);
  });

  it("sets exactly the API's variable names in the Deployment", () => {
    const manifests = render(["-f", "values-production.yaml", ...lintValues]);
    const deployment = byKind(manifests, "Deployment")[0]!;
    const container = deployment.spec.template.spec.containers[0];
    const configMap = manifests.find(
      (m) => m.kind === "ConfigMap" && m.metadata.name === container.envFrom[0].configMapRef.name,
    )!;
    const names = [
      ...Object.keys(configMap.data ?? {}),
      ...container.env.map((e: { name: string }) => e.name),
    ];
    expect(names.filter((n) => !(n in API_ENV_VARS))).toEqual([]);
    expect(configMap.data?.CACHE_TTL_SECONDS).toBe("300");
    expect(container.env.find((e: { name: string }) => e.name === "PORT").value).toBe("4000");
  });

  it("renders the SLO thresholds of api/src/slo.ts into the alerts", () => {
    const rule = byKind(render(["-f", "values-dev.yaml", ...lintValues]), "PrometheusRule")[0]!;
    const alerts = rule.spec.groups.flatMap(
      (g: { rules: { alert?: string; expr: string; for?: string }[] }) => g.rules,
    );
    const expr = (name: string) => alerts.find((r: { alert?: string }) => r.alert === name);
    expect(expr("ExpenseApiCachedReadLatencyHigh").expr).toMatch(
      new RegExp(`> ${SLO_P95_SECONDS.cachedRead}$`),
    );
    expect(expr("ExpenseApiUncachedReadLatencyHigh").expr).toMatch(
      new RegExp(`> ${SLO_P95_SECONDS.uncachedRead}$`),
    );
    expect(expr("ExpenseApiWriteLatencyHigh").expr).toMatch(
      new RegExp(`> ${SLO_P95_SECONDS.write}$`),
    );
    expect(expr("ExpenseApiWriteLatencyHigh").for).toBe("5m");
  });

  it("keeps migration pods out of the Service's selector", () => {
    const manifests = render(lintValues);
    const selector = byKind(manifests, "Service")[0]!.spec.selector as Record<string, string>;
    const podLabels = byKind(manifests, "Job")[0]!.spec.template.metadata.labels as Record<
      string,
      string
    >;
    const matches = Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(matches).toBe(false);
  });

  it("uses the platform's ConfigMap and Secret when given", () => {
    const manifests = render(["-f", "ci/all-features-values.yaml"]);
    expect(byKind(manifests, "Secret")).toEqual([]);
    const container = byKind(manifests, "Deployment")[0]!.spec.template.spec.containers[0];
    expect(container.envFrom[0].configMapRef.name).toBe("expense-api-connection");
    expect(container.env.map((e: { name: string }) => e.name)).toContain("DATABASE_URL");
    expect(byKind(manifests, "Ingress")[0]!.metadata.annotations).toMatchObject({
      "alb.ingress.kubernetes.io/healthcheck-path": "/health",
      "alb.ingress.kubernetes.io/ssl-redirect": "443",
    });
  });

  it.each([
    [
      "minReplicas above maxReplicas",
      ["--set", "autoscaling.minReplicas=5", "--set", "autoscaling.maxReplicas=3"],
      /minReplicas must not exceed/,
    ],
    [
      "a preStop sleep as long as the grace period",
      ["--set", "lifecycle.preStopSleepSeconds=30"],
      /preStopSleepSeconds must be shorter/,
    ],
    ["a missing image repository", ["--set", "image.repository="], /image\.repository is required/],
    [
      "a NetworkPolicy without clients",
      ["--set", "networkPolicy.enabled=true", "--set", "networkPolicy.ingress.cidrs=null"],
      /needs a client source/,
    ],
    [
      "an unknown top-level value",
      ["--set", "replicas=3"],
      /[Aa]dditional propert(y|ies) '?replicas'? (is )?not allowed/,
    ],
  ])("refuses %s", (_name, args, message) => {
    const result = helm(["template", "expense-api", ".", ...lintValues, ...(args as string[])]);
    expect(result.ok).toBe(false);
    expect(result.err).toMatch(message as RegExp);
  });
});
