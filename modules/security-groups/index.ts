import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, TerraformCount, Token } from "cdktf";
import type { Construct } from "constructs";
import { defineModule } from "../../kit/module.ts";
import { securityGroupsInputs, type SecurityGroupsInputs } from "./inputs.ts";
import { securityGroupsOutputs } from "./outputs.ts";

/** One rule: a port (or `all`) from/to either a CIDR list (one rule per CIDR) or another group. */
interface RuleProps {
  readonly group: SecurityGroup;
  readonly description: string;
  readonly protocol: "tcp" | "udp" | "-1";
  /** Single port; omitted for protocol -1 (all traffic). */
  readonly port?: number;
  readonly peerGroup?: SecurityGroup;
  readonly cidrs?: string[];
}

function rule(
  scope: Construct,
  id: string,
  direction: "ingress" | "egress",
  props: RuleProps,
): void {
  const Rule = direction === "ingress" ? VpcSecurityGroupIngressRule : VpcSecurityGroupEgressRule;
  const ports = props.protocol === "-1" ? {} : { fromPort: props.port, toPort: props.port };
  const common = {
    securityGroupId: props.group.id,
    description: props.description,
    ipProtocol: props.protocol,
    ...ports,
  };
  if (props.peerGroup) {
    new Rule(scope, id, {
      ...common,
      referencedSecurityGroupId: props.peerGroup.id,
      tags: { Name: id },
    });
    return;
  }
  const cidrs = props.cidrs ?? [];
  if (Token.isUnresolved(cidrs)) {
    // A list only Terraform knows (a variable): one rule per element.
    const perCidr = TerraformCount.of(Fn.lengthOf(cidrs));
    new Rule(scope, id, {
      ...common,
      count: perCidr,
      cidrIpv4: Fn.element(cidrs, perCidr.index),
      tags: { Name: id },
    });
    return;
  }
  cidrs.forEach((cidr, index) => {
    const ruleId = cidrs.length === 1 ? id : `${id}-${index}`;
    new Rule(scope, ruleId, { ...common, cidrIpv4: cidr, tags: { Name: ruleId } });
  });
}

/**
 * Security groups for every tier, with a description on each group and rule and only the traffic
 * the application needs. Rules are separate `aws_vpc_security_group_*_rule` resources (one per
 * CIDR), so each has its own ID, description and tags. Groups created by Terraform lose AWS's
 * default allow-all egress rule; the data tier gets no egress rules at all (security groups are
 * stateful, so replies still flow).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
 */
export const securityGroups = defineModule({
  name: "security-groups",
  description:
    "Security groups for the load balancer, EKS nodes, RDS, ElastiCache and the bastion, with least-privilege rules and a description on each.",
  inputs: securityGroupsInputs,
  outputs: securityGroupsOutputs,
  build: (scope, vars) => {
    const group = (id: string, description: string) =>
      new SecurityGroup(scope, id, {
        name: `${vars.name}-${id}`,
        description,
        vpcId: vars.vpcId,
        tags: { Name: `${vars.name}-${id}` },
        lifecycle: { createBeforeDestroy: true },
      });
    const alb = group(
      "alb",
      "Public application load balancer: HTTPS (and HTTP redirect) in, app port to nodes out",
    );
    const nodes = group(
      "nodes",
      "EKS worker nodes: app port from the load balancer, node-to-node, egress to AWS APIs and data stores",
    );
    const rds = group("rds", "RDS MySQL: 3306 from EKS nodes and the bastion only");
    const redis = group("redis", "ElastiCache Redis: 6379 from EKS nodes only");
    const bastion = group(
      "bastion",
      "Bastion host: Session Manager by default, SSH only from configured CIDRs",
    );

    rule(scope, "alb-https-in", "ingress", {
      group: alb,
      protocol: "tcp",
      port: 443,
      cidrs: vars.albIngressCidrs,
      description: "HTTPS from clients",
    });
    rule(scope, "alb-http-in", "ingress", {
      group: alb,
      protocol: "tcp",
      port: 80,
      cidrs: vars.albIngressCidrs,
      description: "HTTP from clients, redirected to HTTPS by the listener",
    });
    rule(scope, "alb-to-nodes", "egress", {
      group: alb,
      protocol: "tcp",
      port: vars.appPort,
      peerGroup: nodes,
      description: "Forward requests to API pods on the app port",
    });

    rule(scope, "nodes-from-alb", "ingress", {
      group: nodes,
      protocol: "tcp",
      port: vars.appPort,
      peerGroup: alb,
      description: "API traffic from the load balancer",
    });
    // Grafana (target type ip, like the API) behind the same ALB.
    rule(scope, "alb-to-grafana", "egress", {
      group: alb,
      protocol: "tcp",
      port: vars.grafanaPort,
      peerGroup: nodes,
      description: "Forward requests to Grafana pods",
    });
    rule(scope, "nodes-from-alb-grafana", "ingress", {
      group: nodes,
      protocol: "tcp",
      port: vars.grafanaPort,
      peerGroup: alb,
      description: "Grafana traffic from the load balancer",
    });
    rule(scope, "nodes-from-nodes", "ingress", {
      group: nodes,
      protocol: "-1",
      peerGroup: nodes,
      description: "Pod-to-pod and node-to-node traffic inside the cluster",
    });
    rule(scope, "nodes-to-nodes", "egress", {
      group: nodes,
      protocol: "-1",
      peerGroup: nodes,
      description: "Pod-to-pod and node-to-node traffic inside the cluster",
    });
    rule(scope, "nodes-https-out", "egress", {
      group: nodes,
      protocol: "tcp",
      port: 443,
      cidrs: ["0.0.0.0/0"],
      description: "HTTPS to the EKS API, ECR, STS, CloudWatch and other AWS APIs (through NAT)",
    });
    rule(scope, "nodes-dns-udp-out", "egress", {
      group: nodes,
      protocol: "udp",
      port: 53,
      cidrs: [vars.vpcCidr],
      description: "DNS to the VPC resolver",
    });
    rule(scope, "nodes-dns-tcp-out", "egress", {
      group: nodes,
      protocol: "tcp",
      port: 53,
      cidrs: [vars.vpcCidr],
      description: "DNS over TCP to the VPC resolver (large answers)",
    });
    rule(scope, "nodes-to-rds", "egress", {
      group: nodes,
      protocol: "tcp",
      port: 3306,
      peerGroup: rds,
      description: "MySQL to RDS",
    });
    rule(scope, "nodes-to-redis", "egress", {
      group: nodes,
      protocol: "tcp",
      port: 6379,
      peerGroup: redis,
      description: "Redis (TLS) to ElastiCache",
    });

    rule(scope, "rds-from-nodes", "ingress", {
      group: rds,
      protocol: "tcp",
      port: 3306,
      peerGroup: nodes,
      description: "MySQL from EKS nodes (API pods)",
    });
    rule(scope, "rds-from-bastion", "ingress", {
      group: rds,
      protocol: "tcp",
      port: 3306,
      peerGroup: bastion,
      description: "MySQL from the bastion for operators",
    });
    rule(scope, "redis-from-nodes", "ingress", {
      group: redis,
      protocol: "tcp",
      port: 6379,
      peerGroup: nodes,
      description: "Redis from EKS nodes (API pods)",
    });

    rule(scope, "bastion-ssh-in", "ingress", {
      group: bastion,
      protocol: "tcp",
      port: 22,
      cidrs: vars.bastionSshCidrs,
      description: "SSH from explicitly allowed CIDRs only",
    });
    rule(scope, "bastion-https-out", "egress", {
      group: bastion,
      protocol: "tcp",
      port: 443,
      cidrs: ["0.0.0.0/0"],
      description: "HTTPS to Session Manager, package repositories and AWS APIs (through NAT)",
    });
    rule(scope, "bastion-to-rds", "egress", {
      group: bastion,
      protocol: "tcp",
      port: 3306,
      peerGroup: rds,
      description: "MySQL to RDS for operators",
    });

    return {
      albSecurityGroupId: alb.id,
      nodeSecurityGroupId: nodes.id,
      rdsSecurityGroupId: rds.id,
      redisSecurityGroupId: redis.id,
      bastionSecurityGroupId: bastion.id,
    };
  },
});

export type { SecurityGroupsInputs };
