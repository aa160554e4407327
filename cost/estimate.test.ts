import { describe, expect, it } from "vitest";
import { dev } from "../envs/dev.ts";
import { ENVIRONMENTS } from "../envs/index.ts";
import { production } from "../envs/production.ts";
import { staging } from "../envs/staging.ts";
import type { EnvironmentConfig } from "../envs/schema.ts";
import { HOURS_PER_MONTH } from "./assumptions.ts";
import { estimate, splitNodes } from "./estimate.ts";
import { inventory } from "./inventory.ts";
import { PRICES } from "./prices.ts";

const byEnv = Object.fromEntries(ENVIRONMENTS.map((c) => [c.environment, estimate(c, PRICES)]));
const line = (env: string, prefix: string) => {
  const found = byEnv[env]!.lines.find((l) => l.item.startsWith(prefix));
  if (!found) throw new Error(`${env}: no line starting with ${prefix}`);
  return found;
};
const withEks = (eks: Partial<EnvironmentConfig["eks"]>): EnvironmentConfig["eks"] => ({
  ...dev.eks,
  ...eks,
});

describe("price table", () => {
  it("is for the configs' region and states its date and source", () => {
    for (const config of ENVIRONMENTS) expect(config.region).toBe(PRICES.region);
    expect(PRICES.date).toMatch(/^20\d\d-\d\d(-\d\d)?$/);
    expect(PRICES.source).toMatch(/price list/);
    expect(PRICES.spotAssumption).toMatch(/spot/i);
  });

  it("prices every instance type, RDS class and cache node type the configs use", () => {
    for (const c of ENVIRONMENTS) {
      for (const type of [...c.eks.nodeInstanceTypes, c.bastion.instanceType])
        expect(PRICES.ec2, `${c.environment}: ${type}`).toHaveProperty([type]);
      expect(PRICES.rds, c.environment).toHaveProperty([c.rds.instanceClass]);
      expect(PRICES.elasticache, c.environment).toHaveProperty([c.redis.nodeType]);
    }
  });

  it("keeps spot below on-demand and multi-AZ at twice single-AZ", () => {
    for (const [type, p] of Object.entries(PRICES.ec2)) {
      expect(p.spotHourly, type).toBeGreaterThan(0);
      expect(p.spotHourly, type).toBeLessThan(p.onDemandHourly);
    }
    for (const [cls, p] of Object.entries(PRICES.rds))
      expect(p.multiAzHourly, cls).toBeCloseTo(p.singleAzHourly * 2, 6);
  });

  it("fails with the field and value when a config uses an unpriced type", () => {
    const unpriced = { ...dev, eks: withEks({ nodeInstanceTypes: ["c7i.large"] }) };
    expect(() => estimate(unpriced, PRICES, inventory(dev))).toThrow(
      'envs/dev: eks.nodeInstanceTypes[0] = "c7i.large"',
    );
    const otherRegion = { ...dev, region: "us-east-1" };
    expect(() => estimate(otherRegion, PRICES, inventory(dev))).toThrow(
      "price table is for eu-west-1",
    );
  });
});

describe("node split", () => {
  it.each([
    // desired, base, spot %, on-demand, spot
    [2, 0, 100, 0, 2],
    [2, 1, 75, 1, 1],
    [3, 3, 0, 3, 0],
    [6, 1, 75, 2, 4], // 1 + floor(5 x 25 / 100) = 2
    [5, 0, 50, 2, 3], // floor(2.5) = 2
    [4, 2, 0, 4, 0],
    [2, 4, 50, 2, 0], // a base above desired puts every node on demand
  ])("desired %i, base %i, %i %% spot -> %i on-demand, %i spot", (d, b, s, od, sp) => {
    expect(
      splitNodes(
        withEks({ desiredNodes: d, onDemandBaseNodes: b, spotPercentage: s, maxNodes: 9 }),
      ),
    ).toEqual({ onDemand: od, spot: sp });
  });

  it("matches the configs: dev all spot, staging one of each, production all on demand", () => {
    expect(splitNodes(dev.eks)).toEqual({ onDemand: 0, spot: 2 });
    expect(splitNodes(staging.eks)).toEqual({ onDemand: 1, spot: 1 });
    expect(splitNodes(production.eks)).toEqual({ onDemand: 3, spot: 0 });
  });
});

describe("estimate", () => {
  it("gives plausible totals for the sizes: dev from $150 to its budget, production > staging > dev", () => {
    const [d, s, p] = [byEnv.dev!, byEnv.staging!, byEnv.production!];
    expect(d.totalUsd).toBeGreaterThan(150);
    expect(d.totalUsd).toBeLessThan(dev.budget.monthlyLimitUsd);
    expect(s.totalUsd).toBeGreaterThan(d.totalUsd);
    expect(p.totalUsd).toBeGreaterThan(s.totalUsd);
    expect(p.totalUsd).toBeLessThan(production.budget.monthlyLimitUsd);
  });

  it("adds up its lines and compares the total with the budget", () => {
    for (const e of Object.values(byEnv)) {
      const sum = e.lines.reduce((a, l) => a + l.monthlyUsd, 0);
      expect(e.totalUsd).toBeCloseTo(sum, 2);
      expect(e.budgetShare).toBeCloseTo(e.totalUsd / e.budgetUsd, 6);
      for (const l of e.lines) expect(l.monthlyUsd, l.item).toBeGreaterThanOrEqual(0);
    }
  });

  it("counts one NAT gateway for `single` and one per AZ for `per_az`", () => {
    expect(line("dev", "NAT gateways").quantity).toBe(HOURS_PER_MONTH);
    expect(line("production", "NAT gateways").quantity).toBe(3 * HOURS_PER_MONTH);
    expect(line("production", "NAT gateways").monthlyUsd).toBeCloseTo(
      3 * HOURS_PER_MONTH * PRICES.natGateway.hourly,
      2,
    );
    expect(line("production", "Public IPv4 (NAT").quantity).toBe(3 * HOURS_PER_MONTH);
  });

  it("follows the synthesized stacks when a config changes: per-AZ NAT, no bastion, OpenSearch on", () => {
    const base = byEnv.dev!;
    const perAz = estimate({ ...dev, network: { ...dev.network, natGateways: "per_az" } }, PRICES);
    expect(line("dev", "NAT gateways").item).toBe("NAT gateways (1)");
    expect(perAz.lines.find((l) => l.item.startsWith("NAT gateways"))!.item).toBe(
      `NAT gateways (${dev.network.azCount})`,
    );
    expect(perAz.totalUsd).toBeGreaterThan(base.totalUsd);

    const kms = (e: typeof base) => e.lines.find((l) => l.item.startsWith("KMS"))!.quantity;

    expect(base.lines.some((l) => l.item.startsWith("OpenSearch"))).toBe(false);
    const efk = estimate({ ...dev, openSearch: { ...dev.openSearch, enabled: true } }, PRICES);
    const nodes = efk.lines.find((l) => l.item.startsWith("OpenSearch 2 x t3.small.search"))!;
    expect(nodes.monthlyUsd).toBeCloseTo(
      2 * HOURS_PER_MONTH * PRICES.openSearch.instances["t3.small.search"]!,
      2,
    );
    expect(efk.lines.find((l) => l.item.startsWith("OpenSearch storage"))!.quantity).toBe(40);
    expect(kms(efk)).toBe(kms(base) + 1);
    expect(efk.totalUsd).toBeGreaterThan(base.totalUsd + nodes.monthlyUsd);
  });

  it("bills a load balancer only for an ALB Ingress that exists", () => {
    const counted = inventory(dev);
    const albLines = byEnv.dev!.lines.filter((l) => l.item.includes("Load Balancer"));
    expect(albLines.length > 0).toBe(counted.loadBalancers > 0);
    const withAlb = estimate(dev, PRICES, { ...counted, loadBalancers: 2 });
    expect(
      withAlb.lines.find((l) => l.item.startsWith("Application Load Balancers")),
    ).toMatchObject({
      item: "Application Load Balancers (2)",
      quantity: 2 * HOURS_PER_MONTH,
    });
  });

  it("has zero spot cost in production and spot-only nodes in dev", () => {
    expect(line("production", "EKS nodes spot").monthlyUsd).toBe(0);
    expect(line("dev", "EKS nodes on-demand").monthlyUsd).toBe(0);
    expect(line("dev", "EKS nodes spot").quantity).toBe(2 * HOURS_PER_MONTH);
    expect(line("production", "EKS nodes on-demand").monthlyUsd).toBeCloseTo(
      3 * HOURS_PER_MONTH * PRICES.ec2["t3.large"]!.onDemandHourly,
      2,
    );
  });

  it("doubles RDS for multi-AZ and bills every Redis node", () => {
    expect(line("production", "RDS MySQL").monthlyUsd).toBeCloseTo(
      HOURS_PER_MONTH * PRICES.rds["db.t3.small"]!.multiAzHourly,
      2,
    );
    expect(line("production", "RDS MySQL").item).toContain("multi-AZ");
    expect(line("dev", "RDS MySQL").item).toContain("single-AZ");
    expect(line("production", "ElastiCache").quantity).toBe(3 * HOURS_PER_MONTH);
  });

  it("bills one gp3 volume of the configured size per Prometheus replica", () => {
    expect(line("dev", "Prometheus volumes").quantity).toBe(20);
    expect(line("production", "Prometheus volumes").item).toBe(
      "Prometheus volumes (gp3, 2 x 100 GB)",
    );
    expect(line("production", "Prometheus volumes").monthlyUsd).toBeCloseTo(
      2 * 100 * PRICES.ebsGp3PerGbMonth,
      2,
    );
  });

  it("bills the bastion only when it is enabled", () => {
    expect(line("dev", "Bastion t3.small").monthlyUsd).toBeGreaterThan(0);
    const off = estimate({ ...dev, bastion: { ...dev.bastion, enabled: false } }, PRICES);
    expect(off.lines.some((l) => l.item.startsWith("Bastion"))).toBe(false);
    expect(off.totalUsd).toBeLessThan(byEnv.dev!.totalUsd);
    // Its KMS key too: counted only when the bastion module's count creates it.
    const kms = (e: { lines: { item: string; quantity: number }[] }) =>
      e.lines.find((l) => l.item.startsWith("KMS"))!.quantity;
    expect(kms(off)).toBe(kms(byEnv.dev!) - 1);
  });

  it("flags an estimate above 80 % of the budget", () => {
    expect(byEnv.dev!.overWarningShare).toBe(false);
    const total = byEnv.dev!.totalUsd;
    const counted = inventory(dev);
    const tight = estimate({ ...dev, budget: { monthlyLimitUsd: total / 0.85 } }, PRICES, counted);
    expect(tight.overWarningShare).toBe(true);
    const loose = estimate({ ...dev, budget: { monthlyLimitUsd: total / 0.75 } }, PRICES, counted);
    expect(loose.overWarningShare).toBe(false);
  });
});
