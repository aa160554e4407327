import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the certificate module. */
export const certificateOutputs = {
  certificateArn: stringOutput(
    "ARN of the issued ACM certificate (after DNS validation) for the ALB's HTTPS listener.",
  ),
} as const;
