import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { terraform, terraformBinary } from "../test/terraform.ts";
import {
  cidrVar,
  common,
  declareVariable,
  enumVar,
  numberVar,
  stringListVar,
  VariableError,
  type VariableSpec,
} from "./variables.ts";

/** Specs and values that must be judged identically by zod and by the Terraform condition. */
const cases: { name: string; spec: VariableSpec<unknown>; good: unknown[]; bad: unknown[] }[] = [
  {
    name: "region",
    spec: common.region() as VariableSpec<unknown>,
    good: ["eu-west-1", "us-east-2", "ap-southeast-4", "us-gov-west-1", "il-central-1"],
    bad: ["eu-west", "EU-WEST-1", "us-east-9x", "eu-west-1a", ""],
  },
  {
    name: "environment",
    spec: common.environment() as VariableSpec<unknown>,
    good: ["dev", "staging", "production"],
    bad: ["prod", "Dev", "test", ""],
  },
  {
    name: "ec2 instance type",
    spec: common.ec2InstanceType("x") as VariableSpec<unknown>,
    good: [
      "t3.small",
      "t3.medium",
      "m5.xlarge",
      "m7g.2xlarge",
      "c6in.large",
      "t3a.nano",
      "m5.metal",
    ],
    bad: ["t3.big", "t3", "db.t3.micro", "T3.small", "t3.medium "],
  },
  {
    name: "rds instance class",
    spec: common.rdsInstanceClass("x") as VariableSpec<unknown>,
    good: ["db.t3.micro", "db.t3.small", "db.r7g.large", "db.r6g.xlarge", "db.m6i.2xlarge"],
    bad: ["t3.micro", "db.t3", "db.t3.big", "cache.t3.micro"],
  },
  {
    name: "cache node type",
    spec: common.cacheNodeType("x") as VariableSpec<unknown>,
    good: ["cache.t4g.micro", "cache.t4g.small", "cache.r7g.large", "cache.r7g.xlarge"],
    bad: ["t4g.small", "cache.t4g", "db.t3.micro"],
  },
  {
    name: "vpc cidr",
    spec: cidrVar({ description: "x", minPrefix: 16, maxPrefix: 18 }) as VariableSpec<unknown>,
    good: ["10.0.0.0/16", "10.20.0.0/16", "172.16.0.0/17", "192.168.64.0/18"],
    bad: ["10.0.0.1/16", "10.0.0.0/15", "10.0.0.0/19", "10.0.0.0", "300.0.0.0/16", "::/0"],
  },
  {
    name: "count",
    spec: numberVar({ description: "x", min: 2, max: 4 }) as VariableSpec<unknown>,
    good: [2, 3, 4],
    bad: [1, 5, 2.5],
  },
  {
    name: "log retention",
    spec: common.logRetentionDays("x") as VariableSpec<unknown>,
    good: [7, 30, 90, 365],
    bad: [8, 0, 31],
  },
  {
    name: "cidr list",
    spec: common.cidrList("x") as VariableSpec<unknown>,
    good: [[], ["0.0.0.0/0"], ["10.0.0.0/8", "203.0.113.7/32"]],
    bad: [["10.0.0.1/8"], ["nope"]],
  },
  {
    name: "instance type list",
    spec: stringListVar({
      description: "x",
      minItems: 1,
      maxItems: 3,
      item: { regex: "^[a-z]+$", what: "words" },
    }) as VariableSpec<unknown>,
    good: [["a"], ["a", "b", "c"]],
    bad: [[], ["a", "b", "c", "d"], ["A"]],
  },
  {
    name: "nat layout",
    spec: enumVar({
      description: "x",
      oneOf: ["single", "per_az"] as const,
    }) as VariableSpec<unknown>,
    good: ["single", "per_az"],
    bad: ["none", "SINGLE"],
  },
];

describe("variable specs (zod side)", () => {
  for (const { name, spec, good, bad } of cases) {
    it(`${name}: accepts good values and rejects bad ones`, () => {
      for (const value of good)
        expect(spec.schema.safeParse(value).success, JSON.stringify(value)).toBe(true);
      for (const value of bad)
        expect(spec.schema.safeParse(value).success, JSON.stringify(value)).toBe(false);
    });
  }

  it("declareVariable refuses a default that breaks the spec, naming the variable and the value", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    expect(() =>
      declareVariable(stack, "bastionInstanceType", common.ec2InstanceType("x"), "t3.big"),
    ).toThrow(VariableError);
    expect(() => declareVariable(stack, "region", common.region(), "mars-1")).toThrow(
      'variable region = "mars-1": must be an AWS region such as eu-west-1',
    );
  });

  it("renders one validation block per check with a message naming the variable", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    declareVariable(
      stack,
      "vpcCidr",
      cidrVar({ description: "The VPC CIDR.", minPrefix: 16, maxPrefix: 18 }),
      "10.0.0.0/16",
    );
    const json = JSON.parse(Testing.synth(stack)) as {
      variable: Record<string, { validation: { error_message: string }[]; nullable: boolean }>;
    };
    expect(json.variable.vpc_cidr!.nullable).toBe(false);
    expect(json.variable.vpc_cidr!.validation).toHaveLength(1);
    expect(json.variable.vpc_cidr!.validation[0]!.error_message).toMatch(
      /^vpc_cidr must be an IPv4 CIDR block/,
    );
  });
});

// The same rules, evaluated by Terraform itself: each condition must agree with zod on every value.
describe.runIf(terraformBinary())("variable specs (terraform side)", () => {
  it("evaluates every condition exactly as zod does, in terraform console", async () => {
    const dir = mkdtempSync(join(tmpdir(), "expense-console-"));
    const expressions: string[] = [];
    const expected: boolean[] = [];
    for (const { spec, good, bad } of cases) {
      for (const [value, ok] of [
        ...good.map((v) => [v, true] as const),
        ...bad.map((v) => [v, false] as const),
      ]) {
        const literal = JSON.stringify(value);
        const all = spec.checks.map((check) => `(${check.condition(literal)})`).join(" && ");
        expressions.push(`try(${all}, false)`);
        expected.push(ok);
      }
    }
    // Non-interactive console answers only the last expression: ask for all of them at once.
    const { stdout: output } = await terraform(
      dir,
      ["console"],
      `jsonencode([${expressions.join(", ")}])\n`,
    );
    const answers = JSON.parse(JSON.parse(output.trim()) as string) as boolean[];
    expect(answers).toHaveLength(expected.length);
    answers.forEach((answer, i) => expect(answer, expressions[i]).toBe(expected[i]));
  });
});
