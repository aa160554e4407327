import { readFileSync } from "node:fs";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS } from "../index.ts";
import { undocumentedPaths, type DocumentedKeys } from "./chart-keys.ts";
import { platformReleases, withIngress } from "./chart-keys-releases.ts";
import { PlatformStack } from "./index.ts";

const documented = JSON.parse(
  readFileSync(new URL("./chart-values-keys.json", import.meta.url), "utf8"),
) as Record<string, DocumentedKeys>;

describe("platform chart values", () => {
  it.each(
    ENVIRONMENTS.flatMap((c) => [
      [c.environment, c] as const,
      [`${c.environment} with ingress hosts`, withIngress(c)] as const,
    ]),
  )("%s: every key set is documented in the pinned chart's values.yaml", (_, config) => {
    const releases = platformReleases(new PlatformStack(new App(), config));
    expect(releases.length).toBeGreaterThanOrEqual(5);
    for (const { chart, values } of releases) {
      const keys = documented[chart.chart];
      expect(keys, chart.chart).toBeDefined();
      // The copy was read from the pinned version: re-run scripts/chart-values-keys.ts on a pin change.
      expect(keys!.version, chart.chart).toBe(chart.version);
      expect(undocumentedPaths(values, keys!), chart.chart).toEqual([]);
    }
  });

  it("flags a misspelt key", () => {
    const keys: DocumentedKeys = { version: "1", source: "x", keys: ["a.b"], open: ["c"] };
    expect(undocumentedPaths({ a: { b: 1, bb: 2 }, c: { any: 1 } }, keys)).toEqual(["a.bb"]);
  });
});
