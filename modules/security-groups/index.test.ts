import { describe, expect, it } from "vitest";
import { resourcesOf, synthModule } from "../../test/synth.ts";
import { securityGroups } from "./index.ts";

const { json } = synthModule(securityGroups as never);
const groups = resourcesOf(json, "aws_security_group");
const ingress = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule");
const rules = { ...ingress, ...egress };
const groupOf = (rule: Record<string, unknown>) =>
  String(rule.security_group_id).match(/aws_security_group\.(\w+)\.id/)?.[1];
const peerOf = (rule: Record<string, unknown>) =>
  String(rule.referenced_security_group_id ?? "").match(/aws_security_group\.(\w+)\.id/)?.[1];

describe("security-groups module", () => {
  it("creates one group per tier, each with a description and without inline rules", () => {
    expect(Object.keys(groups).sort()).toEqual(["alb", "bastion", "nodes", "rds", "redis"]);
    for (const [name, group] of Object.entries(groups)) {
      expect(String(group.description).length, name).toBeGreaterThan(20);
      expect(group.ingress, name).toBeUndefined();
      expect(group.egress, name).toBeUndefined();
    }
  });

  it("describes every rule", () => {
    for (const [name, rule] of Object.entries(rules))
      expect(String(rule.description).length, name).toBeGreaterThan(10);
  });

  it("opens only 80 and 443 on the load balancer to client CIDRs", () => {
    const cidrIngress = Object.entries(ingress).filter(([, r]) => r.cidr_ipv4 !== undefined);
    expect(cidrIngress.map(([name, r]) => [name, groupOf(r), r.from_port]).sort()).toEqual([
      ["alb_http_in", "alb", 80],
      ["alb_https_in", "alb", 443],
      ["bastion_ssh_in", "bastion", 22],
    ]);
    expect(ingress.alb_https_in!.cidr_ipv4).toBe("${element(var.alb_ingress_cidrs, count.index)}");
  });

  it("allows SSH to the bastion only from the configured CIDRs (none by default)", () => {
    expect(ingress.bastion_ssh_in!.count).toBe("${length(var.bastion_ssh_cidrs)}");
    expect(json.variable?.bastion_ssh_cidrs?.default).toEqual([]);
  });

  it("lets only the nodes (and the bastion) reach MySQL, and only the nodes reach Redis", () => {
    const into = (group: string) =>
      Object.values(ingress)
        .filter((r) => groupOf(r) === group)
        .map((r) => [peerOf(r), r.from_port, r.to_port]);
    expect(into("rds").sort()).toEqual([
      ["bastion", 3306, 3306],
      ["nodes", 3306, 3306],
    ]);
    expect(into("redis")).toEqual([["nodes", 6379, 6379]]);
    expect(into("nodes").sort()).toEqual([
      ["alb", "${var.app_port}", "${var.app_port}"],
      ["alb", "${var.grafana_port}", "${var.grafana_port}"],
      ["nodes", undefined, undefined],
    ]);
  });

  it("gives the data tier no egress rules and nobody all-traffic egress to the internet", () => {
    expect(
      Object.values(egress).filter((r) => ["rds", "redis"].includes(groupOf(r) ?? "")),
    ).toEqual([]);
    for (const [name, rule] of Object.entries(egress)) {
      if (rule.ip_protocol === "-1") expect(rule.cidr_ipv4, name).toBeUndefined();
    }
  });

  it("limits node DNS to the VPC resolver", () => {
    expect(egress.nodes_dns_udp_out).toMatchObject({
      ip_protocol: "udp",
      from_port: 53,
      cidr_ipv4: "${var.vpc_cidr}",
    });
  });
});
