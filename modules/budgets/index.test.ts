import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { VariableError } from "../../kit/variables.ts";
import { resourceOf, synthModule } from "../../test/synth.ts";
import { budgets } from "./index.ts";
import { budgetsInputs } from "./inputs.ts";

const { json, text } = synthModule(budgets as never);
type Statement = {
  sid?: string;
  actions: string[];
  principals: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
};
const statements = (name: string) =>
  (json.data?.aws_iam_policy_document?.[name] as { statement: Statement[] }).statement;
const accountId = "${data.aws_caller_identity.context_caller.account_id}";

describe("budgets module", () => {
  it("declares only variables, resources, data, outputs and required_providers, every variable described", () => {
    expect(json.provider).toBeUndefined();
    expect(json.terraform).toEqual({
      required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 6.0.0" } },
      required_version: ">= 1.11.0",
    });
    expect(Object.keys(json.variable ?? {}).sort()).toEqual([
      "alert_emails",
      "environment_tag",
      "monthly_limit_usd",
      "name",
    ]);
    for (const [name, variable] of Object.entries(json.variable ?? {})) {
      expect(variable.description, name).toMatch(/^[A-Z].{30,}\.$/);
      expect(variable.validation, name).not.toHaveLength(0);
    }
  });

  it("creates a monthly USD cost budget whose limit is the variable", () => {
    expect(text).toHaveResourceWithProperties(BudgetsBudget, {
      name: "${var.name}-monthly",
      budget_type: "COST",
      time_unit: "MONTHLY",
      limit_amount: "${var.monthly_limit_usd}",
      limit_unit: "USD",
    });
  });

  it("alerts at 80 % and 100 % actual and 100 % forecasted, to the e-mails and the topic", () => {
    const budget = resourceOf(json, "aws_budgets_budget", "budget");
    const notifications = budget.notification as Record<string, unknown>[];
    expect(notifications.map((n) => [n.notification_type, n.threshold])).toEqual([
      ["ACTUAL", 80],
      ["ACTUAL", 100],
      ["FORECASTED", 100],
    ]);
    for (const n of notifications) {
      expect(n).toMatchObject({
        comparison_operator: "GREATER_THAN",
        threshold_type: "PERCENTAGE",
        subscriber_email_addresses: "${var.alert_emails}",
        subscriber_sns_topic_arns: ["${aws_sns_topic.topic.arn}"],
      });
    }
    // Budgets checks its publish permission when it creates a notification.
    expect(budget.depends_on).toEqual(["aws_sns_topic_policy.topic_policy"]);
  });

  it("filters by the Environment cost allocation tag only when one is given", () => {
    const budget = resourceOf(json, "aws_budgets_budget", "budget");
    const filter = (budget.dynamic as Record<string, Record<string, unknown>>).cost_filter!;
    expect(filter.for_each).toBe(
      '${toset((length(var.environment_tag) < 1) ? [] : [format("user:Environment$%s", var.environment_tag)])}',
    );
    expect(filter.content).toEqual({ name: "TagKeyValue", values: ["${each.value}"] });
    expect(json.variable?.environment_tag?.default).toBe("");
  });

  it("encrypts the topic with a rotating key that Budgets of this account may use", () => {
    const topic = resourceOf(json, "aws_sns_topic", "topic");
    expect(topic.kms_master_key_id).toBe("${aws_kms_key.key.arn}");
    expect(resourceOf(json, "aws_kms_key", "key").enable_key_rotation).toBe(true);
    const budgetsUse = statements("key_policy").find((s) => s.sid === "BudgetsUseKey")!;
    expect(budgetsUse.actions.sort()).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(budgetsUse.principals).toEqual([
      { type: "Service", identifiers: ["budgets.amazonaws.com"] },
    ]);
    expect(budgetsUse.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
    ]);
  });

  it("lets only Budgets of this account publish to the topic", () => {
    expect(resourceOf(json, "aws_sns_topic_policy", "topic_policy")).toEqual({
      arn: "${aws_sns_topic.topic.arn}",
      policy: "${data.aws_iam_policy_document.topic_policy_document.json}",
    });
    const [publish, ...others] = statements("topic_policy_document");
    expect(others).toEqual([]);
    expect(publish).toMatchObject({
      actions: ["SNS:Publish"],
      principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
      resources: ["${aws_sns_topic.topic.arn}"],
    });
    expect(publish!.condition).toContainEqual({
      test: "StringEquals",
      variable: "aws:SourceAccount",
      values: [accountId],
    });
  });

  it("mails the addresses once: directly from Budgets, not again through a topic subscription", () => {
    expect(json.resource?.aws_sns_topic_subscription).toBeUndefined();
  });

  it("tags its resources with a Name and the Component", () => {
    for (const [type, name] of [
      ["aws_budgets_budget", "budget"],
      ["aws_sns_topic", "topic"],
      ["aws_kms_key", "key"],
    ] as const) {
      expect(resourceOf(json, type, name).tags, type).toMatchObject({ Component: "budgets" });
      expect(resourceOf(json, type, name).tags, type).toHaveProperty("Name");
    }
  });

  it("exposes the budget name, topic ARN and key ARN", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      "budget_name",
      "kms_key_arn",
      "sns_topic_arn",
    ]);
    expect(json.output?.sns_topic_arn?.value).toBe("${aws_sns_topic.topic.arn}");
  });
});

describe("budgets inputs", () => {
  it.each([
    ["monthlyLimitUsd", 400, true],
    ["monthlyLimitUsd", 99.5, true],
    ["monthlyLimitUsd", 0, false],
    ["monthlyLimitUsd", -10, false],
    ["alertEmails", ["ops@example.com"], true],
    ["alertEmails", ["ops@example.com", "finops+aws@example.co.uk"], true],
    ["alertEmails", [], false],
    ["alertEmails", ["not-an-address"], false],
    ["alertEmails", ["a b@example.com"], false],
    ["alertEmails", "eleven addresses", false],
    ["environmentTag", "", true],
    ["environmentTag", "dev", true],
    ["environmentTag", "257 characters", false],
    ["environmentTag", "dev$prod", false],
    ["name", "expense-dev", true],
    ["name", "Expense_Dev", false],
  ] as const)("%s = %j is valid: %s", (field, value, ok) => {
    const spec = budgetsInputs[field as keyof typeof budgetsInputs];
    const actual =
      value === "257 characters"
        ? "x".repeat(257)
        : value === "eleven addresses"
          ? Array.from({ length: 11 }, (_, i) => `u${i}@example.com`)
          : value;
    expect(spec.schema.safeParse(actual).success).toBe(ok);
  });

  it("rejects a bad literal argument at the call site, naming the field and the value", () => {
    const stack = new TerraformStack(Testing.app(), "root");
    const good = { name: "expense-dev", monthlyLimitUsd: 400, alertEmails: ["ops@example.com"] };
    expect(() => budgets.call(stack, "ok", { ...good, environmentTag: "dev" })).not.toThrow();
    expect(() => budgets.call(stack, "zero", { ...good, monthlyLimitUsd: 0 })).toThrow(
      "module budgets (zero): monthlyLimitUsd = 0: must be a positive amount of US dollars",
    );
    expect(() => budgets.call(stack, "none", { ...good, alertEmails: [] })).toThrow(VariableError);
    expect(() => budgets.call(stack, "bad", { ...good, alertEmails: ["ops"] })).toThrow(
      'module budgets (bad): alertEmails = ["ops"]: must be e-mail addresses',
    );
  });

  it("states the same rules in the Terraform validation blocks", () => {
    const conditions = (name: string) =>
      (json.variable?.[name]?.validation as { condition: string }[]).map((v) => v.condition);
    expect(conditions("monthly_limit_usd")).toEqual(["${var.monthly_limit_usd > 0}"]);
    expect(conditions("alert_emails")[0]).toBe(
      "${length(var.alert_emails) >= 1 && length(var.alert_emails) <= 10}",
    );
  });
});
