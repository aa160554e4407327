import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { mergeValues, type Values } from "../../helm/chart-files.ts";
import { synthAll } from "../../test/synth.ts";
import { ENVIRONMENTS } from "../index.ts";
import { alertmanagerConfig, REPEAT_INTERVAL } from "./alertmanager.ts";
import { platformReleases } from "./chart-keys-releases.ts";
import { PlatformStack } from "./index.ts";
import { UNREACHABLE_ON_EKS } from "./kube-prometheus-stack.ts";

const AMTOOL = "/usr/bin/amtool";
const synthesized = synthAll();

/** The kube-prometheus-stack values of an environment, before encoding. */
function kpsValues(environment: string): Values {
  const config = ENVIRONMENTS.find((c) => c.environment === environment)!;
  const release = platformReleases(new PlatformStack(new App(), config)).find(
    (r) => r.chart.chart === "kube-prometheus-stack",
  );
  return release!.values;
}

/** The encoded values of the release in the synthesized stack (remote-state references as text). */
const encoded = (environment: string) =>
  (
    synthesized.stackJson(`${environment}-platform`).resource?.helm_release
      ?.kube_prometheus_stack as { values: string[] }
  ).values[0]!;

/** The chart's default alertmanager.config (committed copy) with ours merged over it, as Helm does. */
function renderedAlertmanagerConfig(ours: Values): Values {
  const defaults = parse(
    readFileSync(
      new URL("./upstream/kube-prometheus-stack-alertmanager-config.yaml", import.meta.url),
      "utf8",
    ),
  ) as Values;
  return mergeValues(defaults, ours);
}

describe.each(ENVIRONMENTS.map((c) => [c.environment, c] as const))(
  "%s: kube-prometheus-stack",
  (environment, config) => {
    it("routes alerts by severity to the environment's SNS topic with SigV4 under Alertmanager's IRSA role", () => {
      const text = encoded(environment);
      const remote = "data.terraform_remote_state.env.outputs";
      expect(text).toContain(`"eks.amazonaws.com/role-arn" = ${remote}.alertmanager_role_arn`);
      expect(text).toContain(`"topic_arn" = ${remote}.alerts_topic_arn`);
      expect(text).toContain('"sigv4" = {"region" = var.region}');
      const am = (kpsValues(environment).alertmanager as { config: Values }).config as {
        route: { receiver: string; routes: { matchers: string[]; receiver: string }[] };
        receivers: { name: string; sns_configs?: unknown[] }[];
      };
      expect(am.route.receiver).not.toBe("null");
      const routeOf = (matcher: string) =>
        am.route.routes.find((r) => r.matchers.includes(matcher))?.receiver;
      expect(routeOf("severity = critical")).toBe("sns-critical");
      expect(routeOf("severity = warning")).toBe("sns-warning");
      expect(routeOf("alertname = Watchdog")).toBe("null");
      for (const name of ["sns-critical", "sns-warning"])
        expect(am.receivers.find((r) => r.name === name)?.sns_configs, name).toHaveLength(1);
    });

    it("passes amtool check-config once merged over the chart's default configuration", () => {
      expect(existsSync(AMTOOL), `${AMTOOL} (Debian prometheus-alertmanager) is required`).toBe(
        true,
      );
      const rendered = renderedAlertmanagerConfig(
        alertmanagerConfig({
          topicArn: `arn:aws:sns:${config.region}:${config.account.accountId}:${config.account.project}-${environment}-alerts`,
          region: config.region,
          environment,
        }),
      );
      const file = join(mkdtempSync(join(tmpdir(), "am-")), "alertmanager.yaml");
      writeFileSync(file, stringify(rendered));
      const out = execFileSync(AMTOOL, ["check-config", file], { encoding: "utf8" });
      expect(out).toContain("SUCCESS");
      expect(out).toMatch(/ - 3 receivers/);
      expect(REPEAT_INTERVAL.critical).toBe("1h");
    });

    it("turns off the scrape targets EKS does not expose", () => {
      const values = kpsValues(environment);
      expect(UNREACHABLE_ON_EKS).toEqual([
        "kubeControllerManager",
        "kubeScheduler",
        "kubeEtcd",
        "kubeProxy",
      ]);
      for (const component of UNREACHABLE_ON_EKS)
        expect(values[component], component).toEqual({ enabled: false });
      // kubelet, kube-state-metrics, node-exporter, the API server stay on.
      for (const component of ["kubelet", "kubeStateMetrics", "nodeExporter", "kubeApiServer"])
        expect(values[component], component).toBeUndefined();
    });

    it("keeps the chart's cluster and node dashboards and provisions the Prometheus data source", () => {
      const grafana = kpsValues(environment).grafana as {
        defaultDashboardsEnabled: boolean;
        sidecar: { datasources: Values; dashboards: Values };
      };
      expect(grafana.defaultDashboardsEnabled).toBe(true);
      expect(grafana.sidecar.datasources).toEqual({
        enabled: true,
        defaultDatasourceEnabled: true,
        isDefaultDatasource: true,
      });
      expect(grafana.sidecar.dashboards).toMatchObject({ enabled: true, searchNamespace: "ALL" });
    });
  },
);
