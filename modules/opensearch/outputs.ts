import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the opensearch module (empty strings when the domain is disabled). */
export const openSearchOutputs = {
  domainEndpoint: stringOutput(
    "HTTPS endpoint (host name) of the domain inside the VPC, where Fluent Bit writes; empty when disabled.",
  ),
  dashboardsUrl: stringOutput(
    "URL of OpenSearch Dashboards inside the VPC (reach it through a port-forward or the bastion); empty when disabled.",
  ),
  domainArn: stringOutput("ARN of the domain; empty when disabled."),
  adminRoleArn: stringOutput(
    "ARN of the IAM role that is the domain's fine-grained-access-control master user, assumed by the setup job (IRSA); empty when disabled.",
  ),
} as const;
