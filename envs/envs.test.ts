import { describe, expect, it } from "vitest";
import { ConfigError } from "../kit/errors.ts";
import { account } from "./account.ts";
import { dev } from "./dev.ts";
import { ENVIRONMENTS } from "./index.ts";
import { production } from "./production.ts";
import { defineEnvironment, type EnvironmentInput } from "./schema.ts";
import { staging } from "./staging.ts";

/** A valid environment input to break one field at a time. */
function devInput(): EnvironmentInput {
  const { account: _account, ...rest } = structuredClone(dev);
  return rest;
}

function errorOf(input: unknown): ConfigError {
  try {
    defineEnvironment(account, input as EnvironmentInput);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("environment configs", () => {
  it("match the sizes of the requirements table", () => {
    expect([
      dev.bastion.instanceType,
      staging.bastion.instanceType,
      production.bastion.instanceType,
    ]).toEqual(["t3.small", "t3.small", "t3.medium"]);
    expect([
      dev.eks.nodeInstanceTypes[0],
      staging.eks.nodeInstanceTypes[0],
      production.eks.nodeInstanceTypes[0],
    ]).toEqual(["t3.medium", "t3.medium", "t3.large"]);
    expect([
      dev.rds.instanceClass,
      staging.rds.instanceClass,
      production.rds.instanceClass,
    ]).toEqual(["db.t3.micro", "db.t3.micro", "db.t3.small"]);
    expect([dev.rds.multiAz, production.rds.multiAz]).toEqual([false, true]);
    expect([
      dev.api.cacheTtlSeconds,
      staging.api.cacheTtlSeconds,
      production.api.cacheTtlSeconds,
    ]).toEqual([60, 180, 300]);
    expect([dev.logRetentionDays, staging.logRetentionDays, production.logRetentionDays]).toEqual([
      7, 30, 90,
    ]);
  });

  it("use spot outside production and on-demand only in production", () => {
    expect(dev.eks.spotPercentage).toBeGreaterThan(0);
    expect(staging.eks.spotPercentage).toBeGreaterThan(0);
    expect(production.eks.spotPercentage).toBe(0);
    expect(production.eks.onDemandBaseNodes).toBe(production.eks.minNodes);
  });

  it("spread production over three AZs with a NAT gateway per AZ; dev shares one", () => {
    expect(production.network).toMatchObject({ azCount: 3, natGateways: "per_az" });
    expect(dev.network).toMatchObject({ azCount: 2, natGateways: "single" });
  });

  it("give every data store a failover replica and production deletion protection", () => {
    for (const env of ENVIRONMENTS) expect(env.redis.nodeCount).toBeGreaterThanOrEqual(2);
    expect(production.redis.nodeCount).toBeGreaterThan(dev.redis.nodeCount);
    expect(production.rds.deletionProtection).toBe(true);
  });

  it("use non-overlapping VPC CIDRs, so environments can be peered later", () => {
    const cidrs = ENVIRONMENTS.map((e) => e.network.vpcCidr);
    expect(new Set(cidrs).size).toBe(cidrs.length);
  });
});

describe("environment validation", () => {
  it.each([
    [
      "region",
      { region: "us-east-9x" },
      'envs/dev: region = "us-east-9x": must be an AWS region such as eu-west-1',
    ],
    [
      "environment",
      { environment: "prod" },
      'envs/prod: environment = "prod": Invalid option: expected one of "dev"|"staging"|"production"',
    ],
  ])("rejects a bad %s with one line naming the field and the value", (_field, patch, message) => {
    const error = errorOf({ ...devInput(), ...patch });
    expect(error.message).toBe(message);
    expect(error.message).not.toContain("\n");
  });

  it.each([
    [
      "bastion.instanceType",
      (i: EnvironmentInput) => (i.bastion.instanceType = "t3.big"),
      '"t3.big"',
    ],
    [
      "eks.nodeInstanceTypes.1",
      (i: EnvironmentInput) => (i.eks.nodeInstanceTypes[1] = "t3a.huge"),
      '"t3a.huge"',
    ],
    [
      "rds.instanceClass",
      (i: EnvironmentInput) => (i.rds.instanceClass = "t3.micro"),
      '"t3.micro"',
    ],
    ["redis.nodeType", (i: EnvironmentInput) => (i.redis.nodeType = "cache.t4g"), '"cache.t4g"'],
    [
      "network.vpcCidr",
      (i: EnvironmentInput) => (i.network.vpcCidr = "10.0.0.1/16"),
      '"10.0.0.1/16"',
    ],
    ["network.azCount", (i: EnvironmentInput) => (i.network.azCount = 1), "1"],
    ["logRetentionDays", (i: EnvironmentInput) => (i.logRetentionDays = 8), "8"],
    ["rds.backupRetentionDays", (i: EnvironmentInput) => (i.rds.backupRetentionDays = 3), "3"],
    ["redis.nodeCount", (i: EnvironmentInput) => (i.redis.nodeCount = 1), "1"],
    ["eks.minNodes", (i: EnvironmentInput) => (i.eks.minNodes = 9), "9"],
    ["api.minReplicas", (i: EnvironmentInput) => (i.api.minReplicas = 20), "20"],
    [
      "platform.prometheusStorageGb",
      (i: EnvironmentInput) => (i.platform.prometheusStorageGb = 5),
      "5",
    ],
    [
      "platform.prometheusStorageGb",
      (i: EnvironmentInput) => (i.platform.prometheusStorageGb = 20.5),
      "20.5",
    ],
  ])("rejects a bad %s", (field, breakIt, shown) => {
    const input = devInput();
    breakIt(input);
    const error = errorOf(input);
    expect(error.message).toContain(`envs/dev: ${field} = ${shown}: `);
    expect(error.message).not.toContain("\n");
  });

  it("rejects unknown keys, so a typo cannot silently fall back to a default", () => {
    const error = errorOf({ ...devInput(), logRetentionDay: 7 });
    expect(error.message).toBe("envs/dev: logRetentionDay: unknown setting (a typo?)");
  });
});
