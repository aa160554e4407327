import { common, cidrVar, enumVar, numberVar, type InputSpec } from "../../kit/variables.ts";

/** Inputs of the network module. */
export interface NetworkInputs {
  /** Prefix of every name, `<project>-<env>`. */
  name: string;
  /** IPv4 CIDR of the VPC, /16 to /18. */
  vpcCidr: string;
  /** Availability zones to spread subnets over (the first N available in the region). */
  azCount?: number;
  /** One NAT gateway for the whole VPC, or one per AZ. */
  natGateways?: "single" | "per_az";
  /** Retention of the VPC flow log group, days. */
  flowLogRetentionDays: number;
}

/** Variable spec of the network module. */
export const networkInputs: InputSpec<NetworkInputs> = {
  name: common.name("Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev."),
  vpcCidr: cidrVar({
    description:
      "IPv4 CIDR block of the VPC (/16 to /18). Private subnets take /19-equivalents from its start, public and data subnets /24-equivalents from its end.",
    minPrefix: 16,
    maxPrefix: 18,
  }),
  azCount: numberVar({
    description:
      "Number of availability zones to use (2 to 4); one public, private and data subnet each.",
    default: 2,
    min: 2,
    max: 4,
  }),
  natGateways: enumVar({
    description:
      "NAT gateway layout: `single` (one shared gateway, cheapest, one AZ is a dependency) or `per_az` (one per AZ, no cross-AZ traffic or dependency).",
    default: "single",
    oneOf: ["single", "per_az"] as const,
  }),
  flowLogRetentionDays: common.logRetentionDays(
    "Retention of the VPC flow log group in days (a CloudWatch Logs retention period).",
  ),
};
