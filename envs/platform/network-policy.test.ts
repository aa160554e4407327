/**
 * The API chart's NetworkPolicy names its real clients per environment: the ALB (target type ip,
 * so its addresses in the public subnets), Prometheus in `monitoring`; and its real servers
 * (RDS and ElastiCache in the data subnets). The CIDRs in values-<env>.yaml are recomputed here
 * with Terraform's own cidrsubnet over the network module's subnet plan, and the chart is
 * rendered with the deploy's flags (no CI lint values) for every environment.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { chartYaml, CHART_DIR } from "../../helm/chart-files.ts";
import { SUBNET_PLAN } from "../../modules/network/index.ts";
import { terraform, terraformBinary } from "../../test/terraform.ts";
import { APP_NAMESPACE } from "../root-stack.ts";
import { ENVIRONMENTS } from "../index.ts";
import { MONITORING_NAMESPACE } from "./index.ts";

const HELM = process.env.HELM_BIN ?? "helm";

/** The subnets of one tier, as Terraform computes them for the environment's VPC. */
async function tierCidrs(vpcCidr: string, azCount: number, tier: keyof typeof SUBNET_PLAN) {
  const { newBits, firstIndex } = SUBNET_PLAN[tier];
  const expression = `jsonencode([for i in range(${azCount}) : cidrsubnet("${vpcCidr}", ${newBits}, ${firstIndex} + i)])`;
  const result = await terraform(mkdtempSync(join(tmpdir(), "cidr-")), ["console"], expression);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(JSON.parse(result.stdout.trim()) as string) as string[];
}

/** `helm template` with exactly the deploy step's flags (.github/workflows/api.yml). */
function renderForDeploy(environment: string, extra: string[] = []): Record<string, unknown>[] {
  const out = execFileSync(
    HELM,
    [
      "template",
      "expense-api",
      CHART_DIR,
      "--namespace",
      APP_NAMESPACE,
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
      ...extra,
    ],
    { encoding: "utf8" },
  );
  return parseAllDocuments(out)
    .map((doc) => doc.toJSON() as Record<string, unknown> | null)
    .filter((doc): doc is Record<string, unknown> => doc !== null);
}

describe.each(ENVIRONMENTS.map((c) => [c.environment, c] as const))(
  "%s: the API's NetworkPolicy",
  (environment, config) => {
    it("lets in only the ALB's public subnets and Prometheus, and out only to the data subnets", async () => {
      expect(terraformBinary(), "terraform on PATH").toBeDefined();
      const { vpcCidr, azCount } = config.network;
      const values = chartYaml(`values-${environment}.yaml`) as {
        networkPolicy: {
          enabled: boolean;
          ingress: { cidrs: string[] };
          egress: { cidrs: string[] };
        };
      };
      expect(values.networkPolicy.enabled).toBe(true);
      expect(values.networkPolicy.ingress.cidrs).toEqual(
        await tierCidrs(vpcCidr, azCount, "public"),
      );
      expect(values.networkPolicy.egress.cidrs).toEqual(await tierCidrs(vpcCidr, azCount, "data"));
    });

    it("renders with the deploy's flags and names those sources", () => {
      const docs = renderForDeploy(environment);
      const policy = docs.find((d) => d.kind === "NetworkPolicy") as {
        spec: {
          ingress: { from: Record<string, unknown>[]; ports: unknown[] }[];
          egress: { to: Record<string, unknown>[] }[];
        };
      };
      expect(policy, "NetworkPolicy rendered").toBeDefined();
      const values = chartYaml(`values-${environment}.yaml`) as {
        networkPolicy: { ingress: { cidrs: string[] }; egress: { cidrs: string[] } };
      };
      expect(policy.spec.ingress).toEqual([
        {
          from: values.networkPolicy.ingress.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [{ port: "http", protocol: "TCP" }],
        },
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { "kubernetes.io/metadata.name": MONITORING_NAMESPACE },
              },
            },
          ],
          ports: [{ port: "http", protocol: "TCP" }],
        },
      ]);
      const data = policy.spec.egress.find((rule) => rule.to.some((to) => "ipBlock" in to));
      expect(data?.to).toEqual(
        values.networkPolicy.egress.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
      );
    });
  },
);

describe("the API's Ingress on the ALB", () => {
  it("answers /metrics with the ALB's own 404, ahead of the route to the API", () => {
    const docs = renderForDeploy("production", [
      "--set",
      "ingress.enabled=true",
      "--set",
      "ingress.host=api.production.example.com",
    ]);
    const ingress = docs.find((d) => d.kind === "Ingress") as {
      metadata: { annotations: Record<string, string> };
      spec: {
        rules: { http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
      };
    };
    const paths = ingress.spec.rules[0]!.http.paths;
    expect(paths.map((p) => [p.path, p.backend.service.name])).toEqual([
      ["/metrics", "metrics-blocked"],
      ["/", "expense-api"],
    ]);
    expect(
      JSON.parse(
        ingress.metadata.annotations["alb.ingress.kubernetes.io/actions.metrics-blocked"]!,
      ),
    ).toMatchObject({ type: "fixed-response", fixedResponseConfig: { statusCode: "404" } });
  });
});
