/**
 * Renders the chart for every environment exactly as api.yml's deploy job runs it: the same
 * `helm upgrade --install` arguments, read from the workflow file (values file and every --set),
 * with the values a deploy really passes (ECR repository URL, image digest, ConfigMap checksum) and
 * no ci/lint-values.yaml; then checks every rendered object strictly against its Kubernetes type,
 * the prometheus-operator custom resources against their vendored CRDs (crd-schema.ts).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { ENVIRONMENTS } from "./chart-files.ts";
import { crErrors } from "./crd-schema.ts";
import { modelName, unknownFields } from "./strict-fields.ts";

const HELM = process.env.HELM_BIN ?? "helm";
const hasHelm = spawnSync(HELM, ["version"], { encoding: "utf8" }).status === 0;
if (!hasHelm && process.env.CI === "true")
  throw new Error(`no helm binary (HELM_BIN=${HELM}) in CI`);

interface Step {
  id?: string;
  run?: string;
}
const api = parse(readFileSync(".github/workflows/api.yml", "utf8")) as {
  env: Record<string, string>;
  jobs: { deploy: { steps: Step[] } };
};
const script = api.jobs.deploy.steps.find((s) => s.id === "upgrade")!.run!;

/** Splits the shell command into words (double quotes, `\` line continuations), expanding `vars`. */
function words(command: string, vars: Record<string, string>): string[] {
  const joined = command.replace(/\\\n/g, " ");
  const expand = (w: string) =>
    w.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
      const v = vars[name];
      if (v === undefined) throw new Error(`deploy script uses $${name}, unknown to the test`);
      return v;
    });
  return [...joined.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => expand(m[0].replace(/"/g, "")));
}

/** Arguments of `helm template` equivalent to the deploy's `helm upgrade --install`. */
export function deployArgs(environment: string): string[] {
  const vars = {
    ...api.env,
    ENVIRONMENT: environment,
    ECR_REPOSITORY_URL: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/expense-api",
    DIGEST: `sha256:${"3f9a".repeat(16)}`,
    PLATFORM_CHECKSUM: "0123456789abcdef",
  };
  const w = words(script, vars);
  expect(w.slice(0, 3)).toEqual(["helm", "upgrade", "--install"]);
  const args = ["template", ...w.slice(3)];
  // Cluster-only flags: template neither waits nor times out.
  const i = args.indexOf("--timeout");
  if (i >= 0) args.splice(i, 2);
  return args.filter((a) => a !== "--wait");
}

describe.skipIf(!hasHelm)("the deploy job's exact render", () => {
  it("parses every flag the chart needs from the workflow", () => {
    const args = deployArgs("dev");
    expect(args).toContain("helm/expense-api/values-dev.yaml");
    expect(args).not.toContain("ci/lint-values.yaml");
    for (const s of [
      "image.repository=123456789012.dkr.ecr.eu-west-1.amazonaws.com/expense-api",
      "config.existingConfigMap=expense-api-platform",
      "serviceAccount.create=false",
      "migration.serviceAccountName=expense-api-migrate",
    ])
      expect(args).toContain(s);
  });

  it.each(ENVIRONMENTS)(
    "%s renders, by digest, and every object has only fields of its Kubernetes type",
    async (env) => {
      const result = spawnSync(HELM, deployArgs(env), { encoding: "utf8" });
      expect(result.stderr).not.toMatch(/Error/);
      expect(result.status).toBe(0);
      const objects = parseAllDocuments(result.stdout)
        .map((d) => d.toJS() as { apiVersion: string; kind: string } | null)
        .filter((o): o is { apiVersion: string; kind: string } => o !== null);
      const deployment = objects.find((o) => o.kind === "Deployment") as unknown as {
        spec: { template: { spec: { containers: { image: string }[] } } };
      };
      expect(deployment.spec.template.spec.containers[0]!.image).toMatch(
        /^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/expense-api@sha256:[0-9a-f]{64}$/,
      );
      const checked: string[] = [];
      for (const o of objects) {
        if (o.apiVersion.startsWith("monitoring.coreos.com/")) {
          // Custom resources: the CRD's schema, unknown fields rejected; metadata as ObjectMeta.
          expect(crErrors(o), `${o.kind}`).toEqual([]);
          const { metadata } = o as { metadata?: unknown };
          expect(await unknownFields(metadata, "V1ObjectMeta", ".metadata"), o.kind).toEqual([]);
        } else {
          expect(await unknownFields(o, modelName(o.apiVersion, o.kind)), o.kind).toEqual([]);
        }
        checked.push(o.kind);
      }
      expect(checked).toEqual(
        expect.arrayContaining([
          "Deployment",
          "Service",
          "ConfigMap",
          "ServiceMonitor",
          "PrometheusRule",
        ]),
      );
    },
    60_000,
  );

  it("the strict check rejects an unknown field deep in a pod spec", async () => {
    const bad = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      spec: { template: { spec: { containers: [{ name: "a", imagee: "x" }] } } },
    };
    expect(await unknownFields(bad, modelName("apps/v1", "Deployment"))).toEqual([
      ".spec.template.spec.containers[0].imagee",
    ]);
  });
});
