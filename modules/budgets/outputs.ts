import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the budgets module. */
export const budgetsOutputs = {
  budgetName: stringOutput("Name of the monthly cost budget."),
  snsTopicArn: stringOutput(
    "ARN of the KMS-encrypted SNS topic that receives the budget alerts (subscribe chat or paging here).",
  ),
  kmsKeyArn: stringOutput("ARN of the KMS key that encrypts the alert topic."),
} as const;
