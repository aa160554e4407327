import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KUBE_PROMETHEUS_STACK_CHART } from "../envs/platform/kube-prometheus-stack.ts";
import { CRD_FILES, crd, crErrors, strictSchema } from "./crd-schema.ts";

const serviceMonitor = () => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "ServiceMonitor",
  metadata: { name: "expense-api" },
  spec: {
    selector: { matchLabels: { app: "expense-api" } },
    endpoints: [{ port: "http", path: "/metrics", interval: "30s" }],
  },
});

const prometheusRule = () => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PrometheusRule",
  metadata: { name: "expense-api" },
  spec: {
    groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", for: "5m" }] }],
  },
});

describe("vendored prometheus-operator CRDs", () => {
  it("are the files of the pinned kube-prometheus-stack (88.5.3 ships operator 0.93.1), unchanged", () => {
    // helm/crd-schemas/README.md: refresh them when the pin moves.
    expect(KUBE_PROMETHEUS_STACK_CHART.version).toBe("88.5.3");
    const readme = readFileSync(new URL("./crd-schemas/README.md", import.meta.url), "utf8");
    for (const [kind, file] of Object.entries(CRD_FILES)) {
      const definition = crd(kind as keyof typeof CRD_FILES);
      expect(definition.spec.names.kind).toBe(kind);
      expect(definition.metadata.annotations["operator.prometheus.io/version"]).toBe("0.93.1");
      const text = readFileSync(new URL(`./crd-schemas/${file}`, import.meta.url));
      expect(readme).toContain(createHash("sha256").update(text).digest("hex"));
    }
  });

  it("accept a valid ServiceMonitor and PrometheusRule", () => {
    expect(crErrors(serviceMonitor())).toEqual([]);
    expect(crErrors(prometheusRule())).toEqual([]);
  });

  it("reject an unknown field at any depth (the API server would prune it)", () => {
    const monitor = serviceMonitor() as ReturnType<typeof serviceMonitor> & { spec: object };
    (monitor.spec.endpoints[0] as Record<string, unknown>).intervall = "30s";
    (monitor.spec as Record<string, unknown>).selectr = {};
    expect(crErrors(monitor).sort()).toEqual([
      "/spec/endpoints/0/intervall: unknown field",
      "/spec/selectr: unknown field",
    ]);
    const rule = prometheusRule();
    (rule.spec.groups[0]!.rules[0] as Record<string, unknown>).severity = "page";
    expect(crErrors(rule)).toEqual(["/spec/groups/0/rules/0/severity: unknown field"]);
  });

  it("reject wrong types and values the CRD constrains", () => {
    const monitor = serviceMonitor();
    monitor.spec.endpoints[0]!.interval = "30 seconds";
    expect(crErrors(monitor)).toEqual([
      expect.stringMatching(/^\/spec\/endpoints\/0\/interval: must match pattern/),
    ]);
    const rule = prometheusRule() as { spec: { groups: unknown } };
    rule.spec.groups = { name: "g" };
    expect(crErrors({ ...prometheusRule(), ...rule })).toEqual(["/spec/groups: must be array"]);
  });

  it("keep preserve-unknown-fields objects and maps open, close everything else", () => {
    expect(
      strictSchema({
        type: "object",
        properties: {
          open: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          map: { type: "object", additionalProperties: { type: "string" } },
          closed: { type: "object", properties: { a: { type: "string" } } },
          flag: { type: "string", pattern: "^(?i)(abort|warn)?$" },
        },
      }),
    ).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        open: { type: "object" },
        map: { type: "object", additionalProperties: { type: "string" } },
        closed: {
          type: "object",
          properties: { a: { type: "string" } },
          additionalProperties: false,
        },
        flag: { type: "string", pattern: "^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$" },
      },
    });
  });

  it("refuse a kind or version no vendored CRD serves", () => {
    expect(() => crErrors({ apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor" })).toThrow(
      /no vendored CRD for kind PodMonitor/,
    );
    expect(() =>
      crErrors({ apiVersion: "monitoring.coreos.com/v2", kind: "ServiceMonitor" }),
    ).toThrow(/does not serve apiVersion monitoring.coreos.com\/v2/);
  });
});
