import type { Resource, Rule } from "../types.ts";
import { blocks, companions, Findings, isSet, referenced, show, stringList } from "../values.ts";

/** One security group rule, whichever of the four ways Terraform can declare it. */
interface SgRule {
  readonly label: string;
  readonly direction: "ingress" | "egress";
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly cidrs: unknown;
  readonly description: unknown;
  /** The group the rule belongs to, when it is defined in the same unit. */
  readonly group: Resource | undefined;
}

const OPEN = new Set(["0.0.0.0/0", "::/0"]);
// The only group allowed to take the internet's 80/443 is the load balancer's; it is recognised
// by its construct id (`alb`, `lb`, `load_balancer`, as the security-groups module names it).
const ALB_GROUP = /(^|_)(alb|lb|load_balancer)(_|$)/;
const PUBLIC_PORTS = new Set([80, 443]);

function sgRules(r: Resource): SgRule[] {
  const body = r.body;
  if (r.type === "aws_security_group") {
    return (["ingress", "egress"] as const).flatMap((direction) =>
      blocks(body[direction]).map((b, i) => ({
        label: `${direction}[${i}]`,
        direction,
        protocol: b.protocol,
        fromPort: b.from_port,
        toPort: b.to_port,
        cidrs: [b.cidr_blocks, b.ipv6_cidr_blocks],
        description: b.description,
        group: r,
      })),
    );
  }
  const group = referenced(body.security_group_id, r);
  if (r.type === "aws_security_group_rule") {
    return [
      {
        label: "rule",
        direction: body.type === "egress" ? "egress" : "ingress",
        protocol: body.protocol,
        fromPort: body.from_port,
        toPort: body.to_port,
        cidrs: [body.cidr_blocks, body.ipv6_cidr_blocks],
        description: body.description,
        group,
      },
    ];
  }
  return [
    {
      label: "rule",
      direction: r.type.endsWith("egress_rule") ? "egress" : "ingress",
      protocol: body.ip_protocol,
      fromPort: body.from_port,
      toPort: body.to_port,
      cidrs: [body.cidr_ipv4, body.cidr_ipv6],
      description: body.description,
      group,
    },
  ];
}

/** The CIDRs of a rule; an element(var.list, count.index) CIDR arrives as the whole list. */
function cidrsOf(rule: SgRule): string[] | "unknown" {
  const all: string[] = [];
  for (const part of rule.cidrs as unknown[]) {
    const list = stringList(Array.isArray(part) ? part.flat() : part);
    if (list === "unknown") return "unknown";
    all.push(...list);
  }
  return all;
}

const SG_TYPES = [
  "aws_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
];

const isAllProtocols = (p: unknown) => p === "-1" || p === -1 || p === "all";

/** Network exposure: security groups and VPC flow logs. */
export const networkRules: Rule[] = [
  {
    id: "SG-OPEN-INGRESS",
    title: "No ingress from the whole internet except HTTP/HTTPS to the load balancer",
    types: SG_TYPES,
    expected: "no ingress from 0.0.0.0/0 or ::/0 except tcp 80/443 on the ALB security group",
    check: (r) =>
      sgRules(r)
        .filter((rule) => rule.direction === "ingress")
        .flatMap((rule) => {
          const cidrs = cidrsOf(rule);
          if (cidrs === "unknown") return [`cannot prove the CIDRs of ${rule.label}`];
          const open = cidrs.filter((c) => OPEN.has(c));
          if (open.length === 0) return [];
          const port = Number(rule.fromPort);
          const allowed =
            rule.group !== undefined &&
            ALB_GROUP.test(rule.group.name) &&
            (rule.protocol === "tcp" || rule.protocol === "6") &&
            rule.fromPort === rule.toPort &&
            PUBLIC_PORTS.has(port);
          return allowed
            ? []
            : [
                `${rule.label} allows ${show(rule.protocol)} ${show(rule.fromPort)}-${show(rule.toPort)} from ${open.join(", ")}`,
              ];
        }),
  },
  {
    id: "SG-OPEN-EGRESS",
    title: "No all-protocol egress to the whole internet",
    types: SG_TYPES,
    expected: "no egress with protocol -1 (all) to 0.0.0.0/0 or ::/0",
    check: (r) =>
      sgRules(r)
        .filter((rule) => rule.direction === "egress")
        .flatMap((rule) => {
          const cidrs = cidrsOf(rule);
          const open = cidrs === "unknown" ? [] : cidrs.filter((c) => OPEN.has(c));
          if (cidrs === "unknown" && isAllProtocols(rule.protocol))
            return [`cannot prove the CIDRs of all-protocol ${rule.label}`];
          if (open.length === 0) return [];
          if (isAllProtocols(rule.protocol))
            return [`${rule.label} allows all traffic to ${open.join(", ")}`];
          return typeof rule.protocol === "string" && !rule.protocol.includes("${")
            ? []
            : [`cannot prove the protocol of ${rule.label} (${show(rule.protocol)})`];
        }),
  },
  {
    id: "SG-DESCRIPTION",
    title: "Every security group and rule says what it is for",
    types: SG_TYPES,
    expected: "a non-empty description on the group and on every rule",
    check: (r) => {
      const f = new Findings();
      if (r.type === "aws_security_group")
        f.require(isSet(r.body.description), "description", r.body.description);
      for (const rule of sgRules(r)) {
        f.require(isSet(rule.description), `${rule.label} description`, rule.description);
      }
      return f.problems;
    },
  },
  {
    id: "VPC-FLOW-LOGS",
    title: "Every VPC has flow logs",
    types: ["aws_vpc"],
    expected: "an aws_flow_log whose vpc_id references the VPC",
    check: (vpc) =>
      companions(vpc, "aws_flow_log", "vpc_id").length > 0 ? [] : ["no aws_flow_log for the VPC"],
  },
];
