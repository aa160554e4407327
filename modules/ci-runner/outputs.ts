import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the ci-runner module. */
export const ciRunnerOutputs = {
  projectName: stringOutput(
    "Name of the CodeBuild project; workflow jobs run on it with runs-on: codebuild-<project>-<run id>-<run attempt>.",
  ),
  securityGroupId: stringOutput("ID of the runner's security group."),
  serviceRoleArn: stringOutput("ARN of the runner's CodeBuild service role."),
  logGroupName: stringOutput("Name of the CloudWatch log group of the runner builds."),
} as const;
