import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.ts";
import { rootStack } from "./fixtures.ts";
import { buildUnits } from "./load.ts";
import { resolve } from "./resolve.ts";
import { RULES } from "./rules/index.ts";
import { Unknown, type StackJson } from "./types.ts";

/** A module stack (no provider block) whose log group retention comes from a variable. */
const logsModule: StackJson = {
  variable: { retention_days: { default: 0 }, name: {}, kms_key_arn: {} },
  resource: {
    aws_cloudwatch_log_group: {
      app: {
        name: "/aws/eks/${var.name}/app",
        retention_in_days: "${var.retention_days}",
        kms_key_id: "${var.kms_key_arn}",
      },
    },
  },
};

const call = (args: Record<string, unknown>) => ({
  logs: { source: "../logs", name: "expense-dev", kms_key_arn: "${module.kms.arn}", ...args },
});

describe("resolve", () => {
  const vars = new Map<string, unknown>([
    ["env", "dev"],
    ["cidrs", ["10.0.0.0/8"]],
    ["mode", "single"],
    ["azs", 3],
    ["later", new Unknown("var.later")],
    ["ref", "${module.network.vpc_id}"],
  ]);

  it("substitutes exact references, templates and simple expressions", () => {
    expect(resolve("${var.azs}", vars)).toBe(3);
    expect(resolve("expense-${var.env}-logs", vars)).toBe("expense-dev-logs");
    expect(resolve("${element(var.cidrs, count.index)}", vars)).toEqual(["10.0.0.0/8"]);
    expect(resolve('${(var.mode == "single") ? 1 : var.azs}', vars)).toBe(1);
    expect(resolve("${length(var.cidrs)}", vars)).toBe(1);
    expect(resolve("${var.ref}", vars)).toBe("${module.network.vpc_id}");
    expect(resolve({ "//": "metadata", a: ["${var.env}"] }, vars)).toEqual({ a: ["dev"] });
  });

  it("keeps plain references and marks expressions over unknown variables unknown", () => {
    expect(resolve("${aws_kms_key.k.arn}", vars)).toBe("${aws_kms_key.k.arn}");
    expect(resolve("${var.later}", vars)).toBeInstanceOf(Unknown);
    expect(resolve("${var.later ? 1 : 0}", vars)).toBeInstanceOf(Unknown);
    expect(resolve("${var.missing}", vars)).toBeInstanceOf(Unknown);
  });
});

describe("module calls", () => {
  const retention = (module: StackJson["module"], vars: Record<string, unknown> = {}) => {
    const stacks = { logs: logsModule, dev: rootStack({}, { module, vars }) };
    const { units } = buildUnits(stacks);
    const unit = units.find((u) => u.prefix === "dev.module.logs")!;
    return unit.resources[0]!.body;
  };
  const gate = (module: StackJson["module"], vars: Record<string, unknown> = {}) =>
    evaluate(
      { logs: logsModule, dev: rootStack({}, { module, vars }) },
      [],
      RULES.filter((r) => r.id === "LOG-RETENTION" || r.id === "ENC-LOGS"),
    ).violations;

  it("judges the module with a literal the root passes", () => {
    expect(retention(call({ retention_days: 30 }))).toMatchObject({
      retention_in_days: 30,
      name: "/aws/eks/expense-dev/app",
      kms_key_id: "${module.kms.arn}",
    });
    expect(gate(call({ retention_days: 30 }))).toEqual([]);
  });

  it("judges the module with the default of the root variable passed to it", () => {
    const module = call({ retention_days: "${var.log_retention_days}" });
    expect(retention(module, { log_retention_days: 14 }).retention_in_days).toBe(14);
    expect(gate(module, { log_retention_days: 14 })).toEqual([]);
    expect(gate(module, { log_retention_days: 0 })).toMatchObject([
      {
        rule: "LOG-RETENTION",
        stack: "dev",
        address: "dev.module.logs.aws_cloudwatch_log_group.app",
        found: "retention_in_days is 0",
      },
    ]);
  });

  it("falls back to the module default when the call omits the argument", () => {
    expect(gate(call({}))).toMatchObject([
      { rule: "LOG-RETENTION", found: "retention_in_days is 0" },
    ]);
  });

  it("cannot prove a value that only exists at apply time", () => {
    const found = gate(
      call({ retention_days: "${module.settings.days}", kms_key_arn: "${var.key}" }),
    );
    expect(found.map((v) => [v.rule, v.found])).toEqual([
      ["ENC-LOGS", "cannot prove kms_key_id (unknown (${var.key}))"],
      ["LOG-RETENTION", 'cannot prove retention_in_days ("${module.settings.days}")'],
    ]);
  });

  it("skips resources whose count resolves to 0 and reports unknown module sources", () => {
    const counted: StackJson = {
      variable: { enabled: { default: false } },
      resource: { aws_sns_topic: { t: { count: "${var.enabled ? 1 : 0}" } } },
    };
    const stacks = {
      topic: counted,
      dev: rootStack(
        {},
        { module: { on: { source: "../topic", enabled: true }, off: { source: "../topic" } } },
      ),
    };
    const enc = RULES.filter((r) => r.id === "ENC-SNS");
    expect(evaluate(stacks, [], enc).violations.map((v) => v.address)).toEqual([
      "dev.module.on.aws_sns_topic.t",
    ]);
    const missing = evaluate({ dev: rootStack({}, { module: { x: { source: "../nope" } } }) }, []);
    expect(missing.violations).toMatchObject([{ rule: "GATE-MODULE", address: "dev.module.x" }]);
  });
});
