import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the bastion module; each is empty when the bastion is disabled. */
export const bastionOutputs = {
  instanceId: stringOutput("ID of the bastion instance, or empty when disabled."),
  privateIp: stringOutput("Private IPv4 address of the bastion, or empty when disabled."),
  roleName: stringOutput(
    "Name of the bastion's IAM role (attach extra policies to it), or empty when disabled.",
  ),
  ssmStartSessionCommand: stringOutput(
    "Ready-to-paste `aws ssm start-session` command that opens a shell on the bastion, or empty when disabled.",
  ),
} as const;
