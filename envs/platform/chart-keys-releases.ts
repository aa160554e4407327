import { Release } from "@cdktf/provider-helm/lib/release";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../schema.ts";
import { releaseValues, type PinnedChart } from "./release.ts";

/** The pinned chart and values of every Helm release in `stack`. */
export function platformReleases(
  stack: Construct,
): { id: string; chart: PinnedChart; values: Record<string, unknown> }[] {
  return stack.node
    .findAll()
    .filter((c): c is Release => c instanceof Release)
    .map((release) => {
      const recorded = releaseValues(release);
      if (!recorded) throw new Error(`${release.node.path} was not made by pinnedRelease`);
      return { id: release.node.id, ...recorded };
    });
}

/**
 * The environment with ingress host names configured (a documentation domain, example.com), so
 * that checks of the values also cover what an exposed environment sets.
 */
export function withIngress(config: EnvironmentConfig): EnvironmentConfig {
  const zone = "example.com";
  return {
    ...config,
    ingress: {
      hostedZone: zone,
      apiHost: `api.${config.environment}.${zone}`,
      grafanaHost: `grafana.${config.environment}.${zone}`,
    },
  };
}
