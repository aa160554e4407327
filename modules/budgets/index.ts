import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { Fn, Op, TerraformIterator, Token } from "cdktf";
import { defineModule } from "../../kit/module.ts";
import { AwsContext, EncryptionKey } from "../../kit/kms.ts";
import { budgetsInputs, type BudgetsInputs } from "./inputs.ts";
import { budgetsOutputs } from "./outputs.ts";

/** Alerts of the budget: [notification type, percent of the limit]. */
const ALERTS = [
  ["ACTUAL", 80],
  ["ACTUAL", 100],
  ["FORECASTED", 100],
] as const;

/**
 * A monthly AWS Budgets cost budget with alerts at 80 % and 100 % of actual cost and 100 % of
 * forecasted cost, sent to e-mail addresses and to a KMS-encrypted SNS topic that only AWS Budgets
 * of this account may publish to.
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html
 */
export const budgets = defineModule({
  name: "budgets",
  description:
    "Monthly AWS Budgets cost budget, optionally filtered by the Environment tag, alerting at 80 % and 100 % actual and 100 % forecasted cost to e-mail and a KMS-encrypted SNS topic.",
  inputs: budgetsInputs,
  outputs: budgetsOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    // Budgets publishes to the encrypted topic with its own identity, so the key must let it
    // create data keys; the SourceAccount condition keeps other accounts' budgets out.
    const key = new EncryptionKey(scope, "key", {
      context,
      alias: `${vars.name}-budget-alerts`,
      description: `Encrypts the budget alert topic of ${vars.name}`,
      serviceStatements: [
        {
          sid: "BudgetsUseKey",
          actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
          resources: ["*"],
          principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] },
          ],
        },
      ],
    });

    const topic = new SnsTopic(scope, "topic", {
      name: `${vars.name}-budget-alerts`,
      kmsMasterKeyId: key.arn,
      tags: { Name: `${vars.name}-budget-alerts` },
    });
    const publish = new DataAwsIamPolicyDocument(scope, "topic-policy-document", {
      statement: [
        {
          sid: "BudgetsPublish",
          actions: ["SNS:Publish"],
          resources: [topic.arn],
          principals: [{ type: "Service", identifiers: ["budgets.amazonaws.com"] }],
          // Confused-deputy guard: only budgets of this account may publish.
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] },
            {
              test: "ArnLike",
              variable: "aws:SourceArn",
              values: [`arn:${context.partition}:budgets::${context.accountId}:*`],
            },
          ],
        },
      ],
    });
    const topicPolicy = new SnsTopicPolicy(scope, "topic-policy", {
      arn: topic.arn,
      policy: publish.json,
    });

    // No e-mail subscriptions on the topic: Budgets already mails the addresses directly, and a
    // subscription would deliver every alert twice. The topic is for chat and paging integrations.

    // One TagKeyValue filter when an environment tag is given, none (whole account) otherwise.
    const tagFilter = TerraformIterator.fromList(
      Token.asList(
        Fn.conditional(
          // Not Op.eq(..., 0) or Op.eq(..., ""): cdktf 0.21 renders a falsy operand as `undefined`.
          Op.lt(Fn.lengthOf(vars.environmentTag), 1),
          [],
          // format(), not a template string: HCL reads "$${" as an escaped literal "${".
          [Fn.format("user:Environment$%s", [vars.environmentTag])],
        ),
      ),
    );
    const budget = new BudgetsBudget(scope, "budget", {
      name: `${vars.name}-monthly`,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: Token.asString(vars.monthlyLimitUsd),
      limitUnit: "USD",
      costFilter: tagFilter.dynamic({ name: "TagKeyValue", values: [tagFilter.value] }),
      notification: ALERTS.map(([type, threshold]) => ({
        notificationType: type,
        comparisonOperator: "GREATER_THAN",
        threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: vars.alertEmails,
        subscriberSnsTopicArns: [topic.arn],
      })),
      tags: { Name: `${vars.name}-monthly` },
      // Budgets checks that it may publish to the topic when a notification is created.
      dependsOn: [topicPolicy],
    });

    return { budgetName: budget.name, snsTopicArn: topic.arn, kmsKeyArn: key.arn };
  },
});

export type { BudgetsInputs };
