import { describe, expect, it } from "vitest";
import {
  ENVIRONMENTS,
  at,
  chartYaml,
  mergeValues,
  mergedValues,
  schemaValidator,
} from "./chart-files.ts";
import type { Values } from "./chart-files.ts";

const validate = schemaValidator();

const UNITS: Record<string, number> = { "": 1, m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/** A Kubernetes quantity such as "250m", "1" or "256Mi" as a number. */
function quantity(value: unknown): number {
  const match = /^([0-9.]+)(m|Ki|Mi|Gi)?$/.exec(String(value));
  if (!match) throw new Error(`not a quantity: ${String(value)}`);
  return Number(match[1]) * UNITS[match[2] ?? ""]!;
}

/** Schema errors of values.yaml with an override merged over it, as "path message" strings. */
function schemaErrors(override: Values, base = mergedValues()): string[] {
  const ok = validate(mergeValues(base, override));
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("values.schema.json", () => {
  it("is draft-07 and closed at the top level", () => {
    const schema = JSON.parse(JSON.stringify(validate.schema)) as Values;
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties as Values)).toEqual(Object.keys(chartYaml("values.yaml")));
  });

  it("accepts values.yaml", () => {
    expect(schemaErrors({})).toEqual([]);
  });

  it.each(ENVIRONMENTS)("accepts values-%s.yaml merged over values.yaml", (env) => {
    expect(schemaErrors({}, mergedValues(`values-${env}.yaml`))).toEqual([]);
  });

  it.each(["ci/lint-values.yaml", "ci/all-features-values.yaml"])("accepts %s", (file) => {
    expect(schemaErrors({}, mergedValues(file))).toEqual([]);
  });

  const rejected: [string, Values, RegExp][] = [
    ["an unknown top-level key", { replicas: 3 }, /must NOT have additional properties/],
    [
      "a misspelt nested key",
      { autoscaling: { minReplica: 2 } },
      /must NOT have additional properties/,
    ],
    [
      "a string where an integer belongs",
      { autoscaling: { minReplicas: "two" } },
      /must be integer/,
    ],
    ["a boolean as a string", { ingress: { enabled: "true" } }, /must be boolean/],
    ["a number where a string belongs", { config: { database: { host: 10 } } }, /must be string/],
    [
      "an unknown log level",
      { config: { logLevel: "verbose" } },
      /must be equal to one of the allowed values/,
    ],
    ["an unknown service type", { service: { type: "ExternalName" } }, /allowed values/],
    ["a port out of range", { containerPort: 70000 }, /must be <= 65535/],
    [
      "a CPU target above 100%",
      { autoscaling: { targetCPUUtilizationPercentage: 120 } },
      /must be <= 100/,
    ],
    ["zero minReplicas", { autoscaling: { minReplicas: 0 } }, /must be >= 1/],
    ["a malformed digest", { image: { digest: "latest" } }, /must match pattern/],
    ["a malformed duration", { prometheusRule: { for: "five minutes" } }, /must match pattern/],
    ["a negative SLO", { prometheusRule: { slo: { writeP95Seconds: -1 } } }, /must be > 0/],
    ["running as root", { securityContext: { runAsNonRoot: false } }, /must be equal to constant/],
    ["an IRSA value that is no role ARN", { serviceAccount: { irsaRoleArn: "admin" } }, /pattern/],
    [
      "a CIDR without prefix length",
      { networkPolicy: { ingress: { cidrs: ["10.0.0.0"] } } },
      /pattern/,
    ],
    ["a memory size with a unit typo", { resources: { limits: { memory: "256MB" } } }, /pattern/],
  ];
  it.each(rejected)("rejects %s", (_name, override, message) => {
    const errors = schemaErrors(override);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join("\n")).toMatch(message);
  });
});

describe("environment files", () => {
  const envs = ENVIRONMENTS.map((env) => [env, mergedValues(`values-${env}.yaml`)] as const);
  const ttl = { dev: 60, staging: 180, production: 300 } as const;

  it.each(envs)("%s sets the cache TTL of its environment", (env, values) => {
    expect(at(values, "config.cacheTtlSeconds")).toBe(ttl[env]);
  });

  it.each(envs)("%s autoscales on 70%% CPU from 2 pods, min <= max <= 10", (_env, values) => {
    expect(at(values, "autoscaling.enabled")).toBe(true);
    expect(at(values, "autoscaling.targetCPUUtilizationPercentage")).toBe(70);
    expect(at(values, "autoscaling.minReplicas")).toBe(2);
    const max = at(values, "autoscaling.maxReplicas") as number;
    expect(max).toBeGreaterThanOrEqual(2);
    expect(max).toBeLessThanOrEqual(10);
  });

  it("gives production the full 2-10 range", () => {
    expect(at(envs[2][1], "autoscaling.maxReplicas")).toBe(10);
  });

  it.each(envs)(
    "%s scales down only after a long low-load window, one pod at a time",
    (_e, values) => {
      const window = at(values, "autoscaling.scaleDown.stabilizationWindowSeconds") as number;
      expect(window).toBeGreaterThanOrEqual(300);
      expect(window).toBeLessThanOrEqual(600);
      expect(at(values, "autoscaling.scaleDown.podsPerPeriod")).toBe(1);
      expect(at(values, "autoscaling.scaleDown.periodSeconds") as number).toBeGreaterThanOrEqual(
        60,
      );
    },
  );

  it.each(envs)("%s pauses before SIGTERM for less than the grace period", (_env, values) => {
    const sleep = at(values, "lifecycle.preStopSleepSeconds") as number;
    expect(sleep).toBeGreaterThan(0);
    expect(sleep).toBeLessThan(at(values, "terminationGracePeriodSeconds") as number);
  });

  it.each(envs)(
    "%s requests no more CPU and memory than its limits, and keeps a PDB",
    (_env, values) => {
      for (const resource of ["cpu", "memory"]) {
        const request = quantity(at(values, `resources.requests.${resource}`));
        expect(request).toBeGreaterThan(0);
        expect(request).toBeLessThanOrEqual(quantity(at(values, `resources.limits.${resource}`)));
      }
      expect(at(values, "pdb.enabled")).toBe(true);
      expect(at(values, "pdb.minAvailable")).toBe(1);
    },
  );

  it.each(envs)("%s turns on the monitoring for kube-prometheus-stack", (_env, values) => {
    expect(at(values, "serviceMonitor.enabled")).toBe(true);
    expect(at(values, "prometheusRule.enabled")).toBe(true);
    expect(at(values, "dashboard.enabled")).toBe(true);
  });

  it("keeps the pods locked down in every environment", () => {
    for (const [, values] of envs) {
      expect(at(values, "securityContext")).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(at(values, "podSecurityContext.seccompProfile.type")).toBe("RuntimeDefault");
    }
  });
});
