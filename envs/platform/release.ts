import { Release } from "@cdktf/provider-helm/lib/release";
import { Fn, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";

/** A Helm chart pinned to one version from one repository. */
export interface PinnedChart {
  readonly chart: string;
  readonly repository: string;
  readonly version: string;
}

/** The IRSA annotation EKS's pod identity webhook reads. */
export const ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** Options of a platform release beyond its chart and values. */
export interface ReleaseOptions {
  /** Seconds Helm waits for the release's resources. @default 600 */
  readonly timeout?: number;
  /** What must exist before the release is installed. @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** The values each release was created with, for tests that check them against the chart's keys. */
const VALUES = new WeakMap<Release, { chart: PinnedChart; values: Record<string, unknown> }>();

/** The pinned chart and the values (before encoding) of a release made by `pinnedRelease`. */
export function releaseValues(
  release: Release,
): { chart: PinnedChart; values: Record<string, unknown> } | undefined {
  return VALUES.get(release);
}

/**
 * An atomic Helm release of a pinned chart, named after the chart, with its values as one
 * `yamlencode` expression (so remote-state references stay Terraform expressions).
 * The scope is the stack itself: its id is the release's Terraform address.
 */
export function pinnedRelease(
  scope: Construct,
  releaseId: string,
  chart: PinnedChart,
  namespace: string,
  values: Record<string, unknown>,
  options: ReleaseOptions = {},
): Release {
  const release = new Release(scope, releaseId, {
    name: chart.chart,
    namespace,
    repository: chart.repository,
    chart: chart.chart,
    version: chart.version,
    values: [Fn.yamlencode(values)],
    atomic: true,
    cleanupOnFail: true,
    maxHistory: 5,
    timeout: options.timeout ?? 600,
    dependsOn: options.dependsOn,
  });
  VALUES.set(release, { chart, values });
  return release;
}
