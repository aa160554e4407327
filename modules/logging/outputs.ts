import { listOutput, stringOutput } from "../../kit/outputs.ts";

/** Outputs of the logging module. */
export const loggingOutputs = {
  logGroupNames: listOutput(
    "Names of the application log groups, one per namespace, in input order.",
  ),
  fluentBitRoleArn: stringOutput(
    "ARN of the IAM role Fluent Bit's service account assumes (IRSA) to write the log groups.",
  ),
  grafanaRoleArn: stringOutput(
    "ARN of the read-only IAM role Grafana's service account assumes (IRSA) for its CloudWatch data source.",
  ),
  kmsKeyArn: stringOutput("ARN of the KMS key that encrypts the application log groups."),
} as const;
