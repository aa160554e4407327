import { describe, expect, it } from "vitest";
import { dev } from "../envs/dev.ts";
import { production } from "../envs/production.ts";
import { evaluateExpression, UNKNOWN, type Scope } from "./hcl-eval.ts";
import { inventory } from "./inventory.ts";

const scope = (vars: Record<string, unknown>): Scope => ({
  variable: (name) => (name in vars ? (vars[name] as never) : UNKNOWN),
  local: () => UNKNOWN,
});

describe("count expressions", () => {
  it.each([
    [
      '(var.nat_gateways == "single") ? 1 : var.az_count',
      { nat_gateways: "per_az", az_count: 3 },
      3,
    ],
    [
      '(var.nat_gateways == "single") ? 1 : var.az_count',
      { nat_gateways: "single", az_count: 3 },
      1,
    ],
    ["var.enabled ? 1 : 0", { enabled: false }, 0],
    ["length(var.namespaces)", { namespaces: ["expense", "other"] }, 2],
    ['var.arn == "" ? 0 : 1', { arn: "arn:${data.aws_partition.p.partition}:iam::x" }, 1],
    ["length(concat([data.x.y], var.more))", { more: ["a", "b"] }, 3],
  ])("%s with %j is %s", (expression, vars, expected) => {
    expect(evaluateExpression(expression, scope(vars))).toBe(expected);
  });

  it("is UNKNOWN when it depends on the infrastructure, and refuses syntax it does not know", () => {
    expect(evaluateExpression("aws_vpc.vpc.id == var.x ? 1 : 0", scope({ x: "a" }))).toBe(UNKNOWN);
    expect(() => evaluateExpression("[for x in var.l : x]", scope({ l: [] }))).toThrow(
      /cannot evaluate/,
    );
  });
});

describe("inventory of the synthesized stacks", () => {
  it("counts what the <env> stack and its modules create", () => {
    const d = inventory(dev);
    // Flow logs, EKS secrets, EKS logs, EBS, app logs, RDS, RDS logs, ElastiCache, its logs,
    // bastion, budget alerts, the Alertmanager topic, the CI runner's logs: one key per purpose.
    expect(d.kmsKeys).toBe(13);
    expect(d.natGateways).toBe(1);
    expect(d.elasticIps).toBe(1);
    expect(d.instances).toBe(1);
    expect(d.instanceVolumeGb).toBeGreaterThan(0);
    expect(d.openSearch).toEqual([]);
    expect(d.logGroups).toBeGreaterThanOrEqual(7);
    expect(inventory(production).natGateways).toBe(production.network.azCount);
  });

  it("counts the OpenSearch domain, its key and its sizes only when the switch is on", () => {
    const on = inventory({
      ...dev,
      openSearch: {
        enabled: true,
        instanceType: "m6g.large.search",
        instanceCount: 4,
        volumeGb: 50,
      },
    });
    expect(on.openSearch).toEqual([
      { instanceType: "m6g.large.search", instanceCount: 4, volumeGb: 50 },
    ]);
    expect(on.kmsKeys).toBe(inventory(dev).kmsKeys + 1);
  });
});
