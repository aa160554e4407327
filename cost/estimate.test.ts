import { describe, expect, it } from "vitest";
import { dev } from "../envs/dev.ts";
import { ENVIRONMENTS } from "../envs/index.ts";
import { production } from "../envs/production.ts";
import { staging } from "../envs/staging.ts";
import type { EnvironmentConfig } from "../envs/schema.ts";
import { HOURS_PER_MONTH } from "./assumptions.ts";
import { estimate, splitNodes } from "./estimate.ts";
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
    expect(() => estimate(unpriced, PRICES)).toThrow(
      'envs/dev: eks.nodeInstanceTypes[0] = "c7i.large"',
    );
    const otherRegion = { ...dev, region: "us-east-1" };
    expect(() => estimate(otherRegion, PRICES)).toThrow("price table is for eu-west-1");
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
  });

  it("flags an estimate above 80 % of the budget", () => {
    expect(byEnv.dev!.overWarningShare).toBe(false);
    const total = byEnv.dev!.totalUsd;
    const tight = estimate({ ...dev, budget: { monthlyLimitUsd: total / 0.85 } }, PRICES);
    expect(tight.overWarningShare).toBe(true);
    const loose = estimate({ ...dev, budget: { monthlyLimitUsd: total / 0.75 } }, PRICES);
    expect(loose.overWarningShare).toBe(false);
  });
});
