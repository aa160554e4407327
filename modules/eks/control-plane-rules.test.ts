import { describe, expect, it } from "vitest";
import { AWS_LOAD_BALANCER_CONTROLLER_CHART } from "../../envs/platform/aws-load-balancer-controller.ts";
import { KUBE_PROMETHEUS_STACK_CHART } from "../../envs/platform/kube-prometheus-stack.ts";
import { METRICS_SERVER_CHART } from "../../envs/platform/metrics-server.ts";
import { resourcesOf, synthModule } from "../../test/synth.ts";
import { CONTROL_PLANE_TO_NODE_PORTS } from "./control-plane-rules.ts";
import { eks } from "./index.ts";

const { json } = synthModule(eks as never);
const NODES = "${var.node_security_group_id}";
const CLUSTER = "${local.cluster_security_group_id}";

/** Each rule as "group direction protocol port peer", the way the rehearsal compares them. */
function rules(): string[] {
  const describe = (direction: string) => (r: Record<string, unknown>) =>
    `${r.security_group_id === NODES ? "nodes" : r.security_group_id === CLUSTER ? "cluster" : String(r.security_group_id)} ${direction} ${r.ip_protocol} ${r.from_port}-${r.to_port} ${r.referenced_security_group_id === NODES ? "nodes" : r.referenced_security_group_id === CLUSTER ? "cluster" : String(r.referenced_security_group_id ?? r.cidr_ipv4)}`;
  return [
    ...Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).map(
      describe("ingress"),
    ),
    ...Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule")).map(
      describe("egress"),
    ),
  ].sort();
}

describe("eks: control plane <-> node security group rules", () => {
  it("reads the cluster security group EKS creates through one local (the rehearsal's stand-in replaces it)", () => {
    expect(json.locals?.cluster_security_group_id).toBe(
      "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
    );
    expect(json.output?.cluster_security_group_id?.value).toBe(CLUSTER);
  });

  it("opens exactly the API to the nodes and the kubelet and webhook ports to the control plane, in both groups", () => {
    expect(rules()).toEqual(
      [
        "nodes egress tcp 443-443 cluster",
        "cluster ingress tcp 443-443 nodes",
        "nodes ingress tcp 443-443 cluster",
        "cluster egress tcp 443-443 nodes",
        "nodes ingress tcp 10250-10250 cluster",
        "cluster egress tcp 10250-10250 nodes",
        "nodes ingress tcp 9443-9443 cluster",
        "cluster egress tcp 9443-9443 nodes",
      ].sort(),
    );
  });

  it("was checked against the chart versions the platform pins (an upgrade must re-check the webhook ports)", () => {
    // The ports in CONTROL_PLANE_TO_NODE_PORTS were read from these versions' chart defaults;
    // when a pin moves, read the new chart's webhook container port and update both.
    expect({
      "aws-load-balancer-controller": AWS_LOAD_BALANCER_CONTROLLER_CHART.version,
      "metrics-server": METRICS_SERVER_CHART.version,
      "kube-prometheus-stack": KUBE_PROMETHEUS_STACK_CHART.version,
    }).toEqual({
      "aws-load-balancer-controller": "3.5.0",
      "metrics-server": "3.13.1",
      "kube-prometheus-stack": "88.5.3",
    });
    expect(CONTROL_PLANE_TO_NODE_PORTS.map((p) => p.port)).toEqual([443, 10250, 9443]);
  });

  it("describes and names every rule", () => {
    for (const type of [
      "aws_vpc_security_group_ingress_rule",
      "aws_vpc_security_group_egress_rule",
    ])
      for (const [name, rule] of Object.entries(resourcesOf(json, type))) {
        expect(String(rule.description).length, name).toBeGreaterThan(20);
        expect((rule.tags as Record<string, string>).Name, name).toMatch(/^(node|cluster)-/);
      }
  });
});
