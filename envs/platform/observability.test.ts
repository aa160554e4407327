import { readFileSync } from "node:fs";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import type { StackJson } from "../../test/synth.ts";
import {
  CLOUDWATCH_DATASOURCE_UID,
  LOG_GROUP_PLACEHOLDER,
  PLATFORM_DASHBOARDS,
  platformDashboardPath,
} from "../dashboards/index.ts";
import { dev } from "../dev.ts";
import { EnvironmentStack } from "../root-stack.ts";
import type { EnvironmentConfig } from "../schema.ts";
import { FLUENT_BIT_MERGE_LOG_KEY } from "./aws-for-fluent-bit.ts";
import { OPENCOST_CHART, PROMETHEUS_SERVICE } from "./opencost.ts";
import { LOG_INDEX_PREFIX } from "./opensearch.ts";
import { PlatformStack } from "./stack.ts";

const remote = (output: string) => `data.terraform_remote_state.env.outputs.${output}`;
const efk: EnvironmentConfig = { ...dev, openSearch: { ...dev.openSearch, enabled: true } };

function synth(config: EnvironmentConfig): { platform: StackJson; env: StackJson } {
  const app = Testing.app();
  return {
    platform: JSON.parse(Testing.synth(new PlatformStack(app, config))) as StackJson,
    env: JSON.parse(Testing.synth(new EnvironmentStack(app, config))) as StackJson,
  };
}
const off = synth(dev);
const on = synth(efk);

/** A release's values expression without whitespace, so HCL-ish spacing does not matter. */
const squash = (text: string) => text.replace(/\s+/g, "");
const values = (json: StackJson, release: string) =>
  squash((json.resource?.helm_release?.[release]?.values as string[])[0]!);
const configMaps = (json: StackJson) =>
  (json.resource?.kubernetes_config_map_v1 ?? {}) as Record<
    string,
    {
      metadata: { name: string; namespace: string; labels: Record<string, string> };
      data: Record<string, string>;
    }
  >;

describe("Grafana's CloudWatch data source", () => {
  it("is provisioned with the default AWS credential chain and the env's region, no keys", () => {
    const grafana = values(off.platform, "kube_prometheus_stack");
    expect(grafana).toContain(
      squash(
        `"additionalDataSources" = [{ "name" = "CloudWatch", "type" = "cloudwatch", "uid" = "${CLOUDWATCH_DATASOURCE_UID}", "access" = "proxy", "editable" = false, "jsonData" = { "authType" = "default", "defaultRegion" = var.region } }]`,
      ),
    );
    expect(grafana).not.toMatch(/accessKey|secretKey|secureJsonData/);
  });

  it("authenticates Grafana's service account through the <env> stack's read-only IRSA role", () => {
    expect(values(off.platform, "kube_prometheus_stack")).toContain(
      squash(
        `"serviceAccount" = { "annotations" = { "eks.amazonaws.com/role-arn" = ${remote("grafana_cloudwatch_role_arn")} } }`,
      ),
    );
    expect(off.env.output?.grafana_cloudwatch_role_arn?.value).toBe(
      "${module.logging.grafana_role_arn}",
    );
  });
});

describe("platform dashboards", () => {
  it("ship every dashboard file as a sidecar ConfigMap in the monitoring namespace", () => {
    const maps = Object.values(configMaps(off.platform)).filter(
      (m) => m.metadata.labels.grafana_dashboard === "1",
    );
    expect(maps.map((m) => Object.keys(m.data)[0]).sort()).toEqual(
      Object.values(PLATFORM_DASHBOARDS).sort(),
    );
    for (const m of maps)
      expect(m.metadata.namespace).toBe(
        "${kubernetes_namespace_v1.namespace_monitoring.metadata[0].name}",
      );
  });

  it("carry each file unchanged (base64, decoded by Terraform) and point the logs dashboard at the env's API log group", () => {
    const maps = configMaps(off.platform);
    /** The parts of a `join("", [base64decode("..."), <expr>, ...])` expression, decoded. */
    const decode = (expression: string) =>
      [
        ...expression
          .replace(/^\$\{join\("", \[/, "")
          .matchAll(/base64decode\("([^"]*)"\)|"((?:[^"\\]|\\.)*)"/g),
      ]
        .map(([, b64, text]) =>
          b64 !== undefined ? Buffer.from(b64, "base64").toString("utf8") : text,
        )
        .join("");
    const file = (name: string) => readFileSync(platformDashboardPath(name), "utf8");
    expect(decode(maps.dashboard_aws_billing!.data["aws-billing.json"]!)).toBe(
      file(PLATFORM_DASHBOARDS.awsBilling),
    );
    const logs = decode(maps.dashboard_logs!.data["logs.json"]!);
    expect(logs).toBe(
      file(PLATFORM_DASHBOARDS.logs).replaceAll(
        LOG_GROUP_PLACEHOLDER,
        `/aws/eks/\${${remote("cluster_name")}}/expense`,
      ),
    );
  });
});

describe("OpenCost", () => {
  it("is pinned and reads and feeds kube-prometheus-stack's Prometheus", () => {
    const release = off.platform.resource?.helm_release?.opencost as Record<string, unknown>;
    expect(release).toMatchObject({
      chart: OPENCOST_CHART.chart,
      repository: OPENCOST_CHART.repository,
      version: "2.5.17",
      namespace: "${kubernetes_namespace_v1.namespace_monitoring.metadata[0].name}",
      depends_on: ["helm_release.kube_prometheus_stack"],
    });
    const v = values(off.platform, "opencost");
    expect(v).toContain(
      squash(`"internal" = { "enabled" = true, "serviceName" = "${PROMETHEUS_SERVICE.name}"`),
    );
    expect(v).toContain(squash(`"serviceMonitor" = { "enabled" = true }`));
  });
});

describe("EFK switch", () => {
  it("off (the default): no domain, Fluent Bit's OpenSearch output disabled, no setup objects", () => {
    expect(dev.openSearch.enabled).toBe(false);
    expect(off.env.module?.opensearch?.enabled).toBe(false);
    expect(values(off.platform, "aws_for_fluent_bit")).toContain(
      squash(`"opensearch" = { "enabled" = false }`),
    );
    // The API's service accounts exist either way; only the setup account follows the switch.
    expect(off.platform.resource?.kubernetes_service_account_v1).not.toHaveProperty(
      "opensearch_setup_account",
    );
    expect(configMaps(off.platform)["opensearch_setup_config"]).toBeUndefined();
  });

  it("on: the domain module is enabled and Fluent Bit signs requests to it with its IRSA role", () => {
    expect(on.env.module?.opensearch?.enabled).toBe(true);
    const fluentBit = values(on.platform, "aws_for_fluent_bit");
    expect(fluentBit).toContain(
      squash(
        `"opensearch" = { "enabled" = true, "match" = "*", "host" = ${remote("opensearch_endpoint")}, "port" = "443", "tls" = "On", "awsAuth" = "On", "awsRegion" = var.region, "logstashFormat" = "On", "logstashPrefix" = "${LOG_INDEX_PREFIX}"`,
      ),
    );
    // Both outputs receive the API's JSON merged under the key the logs dashboard queries.
    expect(fluentBit).toContain(squash(`"mergeLogKey" = "${FLUENT_BIT_MERGE_LOG_KEY}"`));
  });
  // The setup account, ConfigMap and Job: opensearch.test.ts and opensearch-setup.test.ts.
});
