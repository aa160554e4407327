import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the alerts module. */
export const alertsOutputs = {
  topicArn: stringOutput(
    "ARN of the KMS-encrypted SNS topic Alertmanager publishes the cluster's alerts to.",
  ),
  alertmanagerRoleArn: stringOutput(
    "ARN of the IAM role Alertmanager's service account assumes (IRSA) to publish to the topic.",
  ),
} as const;
