import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the addon-roles module. */
export const addonRolesOutputs = {
  clusterAutoscalerRoleArn: stringOutput(
    "ARN of the IAM role the cluster autoscaler's service account assumes (IRSA).",
  ),
  loadBalancerControllerRoleArn: stringOutput(
    "ARN of the IAM role the AWS Load Balancer Controller's service account assumes (IRSA).",
  ),
} as const;
