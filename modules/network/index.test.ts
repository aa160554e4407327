import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { isIpv4Cidr } from "../../kit/patterns.ts";
import { VariableError } from "../../kit/variables.ts";
import { resourceOf, resourcesOf, synthModule } from "../../test/synth.ts";
import { network } from "./index.ts";

const { json, text } = synthModule(network as never);

describe("network module", () => {
  it("creates a VPC with DNS support and hostnames", () => {
    expect(text).toHaveResourceWithProperties(Vpc, {
      cidr_block: "${var.vpc_cidr}",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("creates public, private and data subnets per AZ with the load balancer role tags", () => {
    const subnets = resourcesOf(json, "aws_subnet");
    expect(Object.keys(subnets).sort()).toEqual([
      "data_subnets",
      "private_subnets",
      "public_subnets",
    ]);
    for (const subnet of Object.values(subnets)) {
      expect(subnet.count).toBe("${var.az_count}");
      expect(subnet.map_public_ip_on_launch).toBe(false);
    }
    expect(subnets.public_subnets!.tags).toMatchObject({
      "kubernetes.io/role/elb": "1",
      Tier: "public",
    });
    expect(subnets.private_subnets!.tags).toMatchObject({
      "kubernetes.io/role/internal-elb": "1",
      Tier: "private",
    });
    expect(subnets.data_subnets!.tags).not.toHaveProperty("kubernetes.io/role/elb");
  });

  it("routes public subnets to the internet gateway, private ones to NAT and leaves data subnets isolated", () => {
    expect(resourceOf(json, "aws_route", "public_internet_route")).toMatchObject({
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: "${aws_internet_gateway.internet_gateway.id}",
    });
    expect(resourceOf(json, "aws_route", "private_nat_routes")).toMatchObject({
      count: "${var.az_count}",
      nat_gateway_id: "${element(aws_nat_gateway.nat_gateways[*].id, count.index)}",
    });
    const routes = Object.values(resourcesOf(json, "aws_route"));
    expect(routes.some((r) => String(r.route_table_id).includes("data_route_table"))).toBe(false);
  });

  it("creates one NAT gateway for `single` and one per AZ for `per_az`", () => {
    const nat = resourceOf(json, "aws_nat_gateway", "nat_gateways");
    expect(nat.count).toBe('${(var.nat_gateways == "single") ? 1 : var.az_count}');
    expect(resourceOf(json, "aws_eip", "nat_eips").count).toBe(nat.count);
  });

  it("names each NAT gateway and its EIP after the AZ it serves", () => {
    const name = "${var.name}-nat-${element(local.azs, count.index)}";
    expect(resourceOf(json, "aws_nat_gateway", "nat_gateways").tags).toMatchObject({ Name: name });
    expect(resourceOf(json, "aws_eip", "nat_eips").tags).toMatchObject({ Name: name });
  });

  it("strips every rule from the default security group", () => {
    const group = resourceOf(json, "aws_default_security_group", "default_security_group");
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  it("sends all flow logs to a KMS-encrypted log group with retention, through a service-scoped role", () => {
    expect(text).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
    });
    const group = resourceOf(json, "aws_cloudwatch_log_group", "flow_logs_log_group");
    expect(group.retention_in_days).toBe("${var.flow_log_retention_days}");
    expect(group.kms_key_id).toBe("${aws_kms_key.flow_logs_key.arn}");
    expect(resourceOf(json, "aws_kms_key", "flow_logs_key").enable_key_rotation).toBe(true);
    const trust = (
      json.data?.aws_iam_policy_document?.flow_logs_trust as {
        statement: { condition: unknown[] }[];
      }
    ).statement[0]!;
    expect(trust.condition).toEqual([
      {
        test: "StringEquals",
        variable: "aws:SourceAccount",
        values: ["${data.aws_caller_identity.context_caller.account_id}"],
      },
    ]);
  });

  it("keeps S3 traffic off the NAT gateways with a gateway endpoint", () => {
    expect(text).toHaveResourceWithProperties(VpcEndpoint, { vpc_endpoint_type: "Gateway" });
  });

  it("exposes the ids the other modules need", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(
      [
        "availability_zones",
        "data_route_table_id",
        "data_subnet_ids",
        "flow_log_group_name",
        "nat_public_ips",
        "private_route_table_ids",
        "private_subnet_ids",
        "public_route_table_id",
        "public_subnet_ids",
        "vpc_cidr",
        "vpc_id",
      ].sort(),
    );
  });

  it("rejects a bad literal argument at the call site, naming the field and the value", () => {
    const stack = new TerraformStack(Testing.app(), "root");
    expect(() =>
      network.call(stack, "network", {
        name: "expense-dev",
        vpcCidr: "10.0.0.0/20",
        flowLogRetentionDays: 7,
      }),
    ).toThrow(VariableError);
    expect(() =>
      network.call(stack, "network2", {
        name: "expense-dev",
        vpcCidr: "10.0.0.0/16",
        flowLogRetentionDays: 8,
      }),
    ).toThrow("module network (network2): flowLogRetentionDays = 8: must be one of 1, 3, 5, 7");
  });
});

/** The subnet plan of index.ts, recomputed: cidrsubnet(vpc, newBits, index) for every tier. */
function subnet(vpc: string, newBits: number, index: number): [number, number] {
  const [address, prefix] = vpc.split("/") as [string, string];
  const base = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(prefix) - newBits);
  return [base + index * size, base + (index + 1) * size - 1];
}

describe("subnet plan", () => {
  it.each([16, 17, 18])(
    "never overlaps and stays inside a /%i VPC for up to four AZs",
    (prefix) => {
      const vpc = `10.0.0.0/${prefix}`;
      expect(isIpv4Cidr(vpc)).toBe(true);
      const ranges: [number, number][] = [];
      for (let az = 0; az < 4; az++) {
        ranges.push(subnet(vpc, 3, az), subnet(vpc, 8, 240 + az), subnet(vpc, 8, 248 + az));
      }
      const [vpcStart, vpcEnd] = subnet(vpc, 0, 0);
      ranges.sort((a, b) => a[0] - b[0]);
      ranges.forEach(([start, end], i) => {
        expect(start).toBeGreaterThanOrEqual(vpcStart);
        expect(end).toBeLessThanOrEqual(vpcEnd);
        if (i > 0) expect(start).toBeGreaterThan(ranges[i - 1]![1]);
      });
    },
  );
});
