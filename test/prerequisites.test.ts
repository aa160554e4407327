import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS } from "../envs/index.ts";

/** vCPUs of the instance types the configs use; a new type must be added here to be counted. */
const VCPUS: Record<string, number> = {
  "t2.medium": 2,
  "t3.small": 2,
  "t3.medium": 2,
  "t3a.medium": 2,
  "t3.large": 2,
  "t3a.large": 2,
  "m5.large": 2,
};
const vcpus = (type: string) => {
  const n = VCPUS[type];
  if (n === undefined)
    throw new Error(`add the vCPU count of ${type} to test/prerequisites.test.ts`);
  return n;
};

/** The on-demand share of `nodes`, as modules/eks computes it (local.node_on_demand). */
const onDemand = (nodes: number, base: number, spotPercentage: number) =>
  Math.min(nodes, base) + Math.floor((Math.max(nodes - base, 0) * (100 - spotPercentage)) / 100);

/** The "needed" cell of the quota table row whose first cell starts with `quota`. */
function needed(markdown: string, quota: string): number {
  const row = markdown.split("\n").find((l) => l.startsWith(`| ${quota}`));
  if (!row) throw new Error(`docs/prerequisites.md has no quota row "${quota}"`);
  return Number(row.split("|")[2]!.trim());
}

describe("docs/prerequisites.md quota figures", () => {
  const doc = readFileSync("docs/prerequisites.md", "utf8");
  const envs = ENVIRONMENTS;

  it("match the NAT layout of every environment", () => {
    const eips = envs.reduce(
      (sum, e) => sum + (e.network.natGateways === "single" ? 1 : e.network.azCount),
      0,
    );
    expect(needed(doc, "EC2-VPC Elastic IPs")).toBe(eips);
    // Gateway i sits in the region's AZ i (modules/network): the first AZ has one of each env.
    const perAz = Math.max(
      ...[0, 1, 2, 3].map(
        (az) =>
          envs.filter((e) => az < (e.network.natGateways === "single" ? 1 : e.network.azCount))
            .length,
      ),
    );
    expect(needed(doc, "NAT gateways per Availability Zone")).toBe(perAz);
    expect(needed(doc, "VPCs per Region")).toBe(envs.length);
    expect(needed(doc, "EKS clusters")).toBe(envs.length);
  });

  it("match the node groups at their maximum and the bastions", () => {
    let onDemandVcpus = 0;
    let spotVcpus = 0;
    for (const { eks, bastion } of envs) {
      const od = onDemand(eks.maxNodes, eks.onDemandBaseNodes, eks.spotPercentage);
      // The on-demand group uses the first type; spot may get any of them: count the largest.
      onDemandVcpus += od * vcpus(eks.nodeInstanceTypes[0]!);
      spotVcpus += (eks.maxNodes - od) * Math.max(...eks.nodeInstanceTypes.map(vcpus));
      if (bastion.enabled) onDemandVcpus += vcpus(bastion.instanceType);
    }
    expect(needed(doc, "Running On-Demand Standard")).toBe(onDemandVcpus);
    expect(needed(doc, "All Standard (A, C, D, H, I, M, R, T, Z) Spot")).toBe(spotVcpus);
  });
});
