import { describe, expect, it } from "vitest";
import { API_ENV_VARS } from "../api/src/env-vars.ts";
import { chartFile, chartYaml, helperBody, templateSource } from "./chart-files.ts";

type ApiVar = keyof typeof API_ENV_VARS;

/** Variables the API needs from any deployment of it. */
const REQUIRED: ApiVar[] = [
  "PORT",
  "LOG_LEVEL",
  "DB_HOST",
  "DB_PORT",
  "DB_USER",
  "DB_NAME",
  "DB_PASSWORD",
  "DB_TLS",
  "REDIS_HOST",
  "REDIS_PORT",
  "REDIS_TLS",
  "REDIS_PASSWORD",
  "CACHE_TTL_SECONDS",
];

/** Keys of the ConfigMap data (`KEY: {{ ... }}` lines of the configData helper). */
const configKeys = (body: string): string[] =>
  [...body.matchAll(/^([A-Z][A-Z0-9_]*): /gm)].map((m) => m[1]!);

/** Names of `- name: KEY` env entries. */
const envNames = (body: string): string[] =>
  [...body.matchAll(/^\s*- name: ([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1]!);

const configData = helperBody("expense-api.configData");
const fromConfigMap = configKeys(configData);
const fromSecret = envNames(helperBody("expense-api.secretEnv"));
const fromDeployment = envNames(templateSource("deployment.yaml"));
const chartSets = new Set([...fromConfigMap, ...fromSecret, ...fromDeployment]);

describe("environment variables the chart sets", () => {
  it("are found in the templates (the extraction works)", () => {
    expect(fromConfigMap).toContain("CACHE_TTL_SECONDS");
    expect(fromSecret).toContain("DB_PASSWORD");
    expect(fromDeployment).toEqual(["PORT"]);
  });

  it("are all variables the API reads (api/src/env-vars.ts)", () => {
    const unknown = [...chartSets].filter((name) => !(name in API_ENV_VARS));
    expect(unknown).toEqual([]);
  });

  it("include every variable the API needs", () => {
    expect(REQUIRED.filter((name) => !chartSets.has(name))).toEqual([]);
  });

  it("put non-secret variables in the ConfigMap and secret ones in the Secret", () => {
    for (const name of fromConfigMap) expect(API_ENV_VARS[name as ApiVar].secret, name).toBe(false);
    for (const name of fromSecret) expect(API_ENV_VARS[name as ApiVar].secret, name).toBe(true);
    const secretNames = Object.entries(API_ENV_VARS).filter(([, v]) => v.secret);
    expect(secretNames.map(([name]) => name).sort()).toEqual([...fromSecret].sort());
  });

  it("appear once each", () => {
    const all = [...fromConfigMap, ...fromSecret, ...fromDeployment];
    expect(all.length).toBe(chartSets.size);
  });

  it("use the same helpers in the API pods and the migration Job", () => {
    for (const file of ["deployment.yaml", "migration-job.yaml"]) {
      const source = templateSource(file);
      expect(source, file).toContain('include "expense-api.secretEnv"');
      expect(source, file).toContain('include "expense-api.envFrom"');
    }
    for (const file of ["configmap.yaml", "migration-configmap.yaml"]) {
      expect(templateSource(file), file).toContain('include "expense-api.configData"');
    }
    for (const file of ["secret.yaml", "migration-secret.yaml"]) {
      expect(templateSource(file), file).toContain('include "expense-api.secretData"');
    }
  });
});

describe("a platform-provided ConfigMap", () => {
  // The keys rendered only without config.existingConfigMap are the ones the platform must provide.
  const block = /\{\{- if not \$c\.existingConfigMap \}\}([\s\S]*?)\{\{- end \}\}/.exec(configData);
  const connectionKeys = configKeys(block?.[1] ?? "");

  it("replaces exactly the connection settings", () => {
    expect(connectionKeys.sort()).toEqual(
      [
        "DB_HOST",
        "DB_NAME",
        "DB_PORT",
        "DB_TLS",
        "DB_USER",
        "REDIS_HOST",
        "REDIS_PORT",
        "REDIS_TLS",
      ].sort(),
    );
  });

  it("is documented with the keys it must hold", () => {
    const values = chartFile("values.yaml");
    const line = values.split("\n").find((l) => l.includes("@param config.existingConfigMap"))!;
    for (const key of connectionKeys) expect(line).toContain(key);
    expect(chartFile("README.md")).toContain("`config.existingConfigMap`");
  });

  it("leaves the secret keys' defaults equal to the API's variable names", () => {
    const keys = chartYaml("values.yaml").secret as { keys: Record<string, string> };
    expect(keys.keys.dbPassword).toBe("DB_PASSWORD");
    expect(keys.keys.redisPassword).toBe("REDIS_PASSWORD");
  });
});
