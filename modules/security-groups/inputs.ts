import { cidrVar, common, numberVar, stringVar, type InputSpec } from "../../kit/variables.ts";

/** Inputs of the security-groups module. */
export interface SecurityGroupsInputs {
  /** Prefix of every name, `<project>-<env>`. */
  name: string;
  vpcId: string;
  /** The VPC's CIDR, the only destination of node DNS traffic. */
  vpcCidr: string;
  /** Port the API containers listen on. */
  appPort?: number;
  /** Port Grafana's pods listen on; the load balancer forwards Grafana's host to it. */
  grafanaPort?: number;
  /** Sources allowed to reach the load balancer on 80/443. */
  albIngressCidrs?: string[];
  /** Sources allowed to SSH to the bastion; empty means Session Manager only. */
  bastionSshCidrs?: string[];
}

/** Variable spec of the security-groups module. */
export const securityGroupsInputs: InputSpec<SecurityGroupsInputs> = {
  name: common.name("Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev."),
  vpcId: stringVar({
    description: "ID of the VPC the groups belong to.",
    pattern: { regex: "^vpc-[0-9a-f]+$", what: "a VPC id such as vpc-0abc123" },
  }),
  vpcCidr: cidrVar({
    description: "IPv4 CIDR block of the VPC; node DNS queries may go only there.",
    minPrefix: 16,
    maxPrefix: 28,
  }),
  appPort: numberVar({
    description: "TCP port the API pods listen on; the load balancer forwards to it.",
    default: 4000,
    min: 1024,
    max: 65535,
  }),
  grafanaPort: numberVar({
    description:
      "TCP port the Grafana pods listen on (kube-prometheus-stack's Grafana); the load balancer forwards to it.",
    default: 3000,
    min: 1024,
    max: 65535,
  }),
  albIngressCidrs: common.cidrList(
    "IPv4 CIDRs allowed to reach the public load balancer on ports 80 and 443 (80 only redirects to 443).",
    ["0.0.0.0/0"],
  ),
  bastionSshCidrs: common.cidrList(
    "IPv4 CIDRs allowed to SSH to the bastion. Empty (the default) means no SSH at all: use Session Manager.",
    [],
  ),
};
