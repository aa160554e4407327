import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Fn, Op, TerraformCount, TerraformLocal, Token, type TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { defineModule } from "../../kit/module.ts";
import { AwsContext } from "../../kit/kms.ts";
import { splat } from "../../kit/expressions.ts";
import { FlowLogs } from "./flow-logs.ts";
import { networkInputs, type NetworkInputs } from "./inputs.ts";
import { networkOutputs } from "./outputs.ts";

/**
 * Subnet plan inside the VPC CIDR (shown for a /16): private subnets are /19 (8,190 addresses
 * each, room for EKS pod IPs with the VPC CNI) from the start; public and data subnets are /24
 * from the top (index 240+ and 248+), so up to four AZs never overlap.
 */
export const SUBNET_PLAN = {
  private: { newBits: 3, firstIndex: 0 },
  public: { newBits: 8, firstIndex: 240 },
  data: { newBits: 8, firstIndex: 248 },
} as const;

/**
 * VPC with public, private and isolated data subnets across AZs, an internet gateway, NAT gateways
 * (single or one per AZ), route tables, an S3 gateway endpoint, the default security group
 * stripped of rules, and flow logs to a KMS-encrypted log group.
 */
export const network = defineModule({
  name: "network",
  description:
    "VPC with public, private and isolated data subnets across availability zones, NAT gateways, route tables, flow logs and a locked-down default security group.",
  inputs: networkInputs,
  outputs: networkOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const available = new DataAwsAvailabilityZones(scope, "available", {
      state: "available",
      filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    });
    requireAvailableZones(scope, available);
    const azs = new TerraformLocal(scope, "azs", Fn.slice(available.names, 0, vars.azCount)).asList;

    const vpc = new Vpc(scope, "vpc", {
      cidrBlock: vars.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: vars.name },
    });
    // Without rules, the default group denies everything; nothing should ever use it.
    new DefaultSecurityGroup(scope, "default-security-group", {
      vpcId: vpc.id,
      tags: { Name: `${vars.name}-default-deny-all` },
    });
    const igw = new InternetGateway(scope, "internet-gateway", {
      vpcId: vpc.id,
      tags: { Name: vars.name },
    });

    const subnets = (tier: keyof typeof SUBNET_PLAN, extraTags: Record<string, string>) => {
      const perAz = TerraformCount.of(vars.azCount);
      const { newBits, firstIndex } = SUBNET_PLAN[tier];
      return new Subnet(scope, `${tier}-subnets`, {
        count: perAz,
        vpcId: vpc.id,
        availabilityZone: Fn.element(azs, perAz.index),
        cidrBlock: Fn.cidrsubnet(
          vars.vpcCidr,
          newBits,
          Token.asNumber(Op.add(firstIndex, perAz.index)),
        ),
        mapPublicIpOnLaunch: false,
        tags: {
          Name: `${vars.name}-${tier}-${Fn.element(azs, perAz.index)}`,
          Tier: tier,
          ...extraTags,
        },
      });
    };
    // The AWS Load Balancer Controller picks subnets by these role tags.
    const publicSubnets = subnets("public", { "kubernetes.io/role/elb": "1" });
    const privateSubnets = subnets("private", { "kubernetes.io/role/internal-elb": "1" });
    const dataSubnets = subnets("data", {});

    const natCount = TerraformCount.of(
      Token.asNumber(Fn.conditional(Op.eq(vars.natGateways, "single"), 1, vars.azCount)),
    );
    const natIps = new Eip(scope, "nat-eips", {
      count: natCount,
      domain: "vpc",
      // Named by AZ like the subnets; a number token (count.index) in a template literal would
      // stringify as a junk float, so the index goes through element() as an expression.
      tags: { Name: `${vars.name}-nat-${Fn.element(azs, natCount.index)}` },
      dependsOn: [igw],
    });
    const natGateways = new NatGateway(scope, "nat-gateways", {
      count: natCount,
      allocationId: Fn.element(splat(natIps, "id"), natCount.index),
      subnetId: Fn.element(splat(publicSubnets, "id"), natCount.index),
      // Named by AZ like the subnets; a number token (count.index) in a template literal would
      // stringify as a junk float, so the index goes through element() as an expression.
      tags: { Name: `${vars.name}-nat-${Fn.element(azs, natCount.index)}` },
      dependsOn: [igw],
    });

    const publicRoutes = new RouteTable(scope, "public-route-table", {
      vpcId: vpc.id,
      tags: { Name: `${vars.name}-public` },
    });
    new Route(scope, "public-internet-route", {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    associate(scope, "public", publicSubnets, publicRoutes.id, vars.azCount);

    const perAz = TerraformCount.of(vars.azCount);
    const privateRoutes = new RouteTable(scope, "private-route-tables", {
      count: perAz,
      vpcId: vpc.id,
      tags: { Name: `${vars.name}-private-${Fn.element(azs, perAz.index)}` },
    });
    const natRoute = TerraformCount.of(vars.azCount);
    new Route(scope, "private-nat-routes", {
      count: natRoute,
      routeTableId: Fn.element(splat(privateRoutes, "id"), natRoute.index),
      destinationCidrBlock: "0.0.0.0/0",
      // element() wraps around, so with a single gateway every AZ routes through gateway 0.
      natGatewayId: Fn.element(splat(natGateways, "id"), natRoute.index),
    });
    associate(scope, "private", privateSubnets, splat(privateRoutes, "id"), vars.azCount);

    const dataRoutes = new RouteTable(scope, "data-route-table", {
      vpcId: vpc.id,
      tags: { Name: `${vars.name}-data` },
    });
    associate(scope, "data", dataSubnets, dataRoutes.id, vars.azCount);

    // S3 traffic (ECR image layers, state, backups) stays off the NAT gateways: free and private.
    new VpcEndpoint(scope, "s3-endpoint", {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${context.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: Fn.concat([splat(privateRoutes, "id"), [dataRoutes.id]]),
      tags: { Name: `${vars.name}-s3` },
    });

    const flowLogs = new FlowLogs(scope, "flow-logs", {
      context,
      name: vars.name,
      vpcId: vpc.id,
      retentionDays: vars.flowLogRetentionDays,
    });

    return {
      vpcId: vpc.id,
      vpcCidr: vpc.cidrBlock,
      availabilityZones: azs,
      publicSubnetIds: splat(publicSubnets, "id"),
      privateSubnetIds: splat(privateSubnets, "id"),
      dataSubnetIds: splat(dataSubnets, "id"),
      publicRouteTableId: publicRoutes.id,
      privateRouteTableIds: splat(privateRoutes, "id"),
      dataRouteTableId: dataRoutes.id,
      natPublicIps: splat(natIps, "public_ip"),
      flowLogGroupName: flowLogs.logGroup.name,
    };
  },
});

/**
 * Checks `az_count` against the region's available AZs at plan time (a variable validation may
 * reference other objects since Terraform 1.9): without it, `az_count = 4` in a three-AZ region
 * such as eu-west-1 passes the static 2..4 range and the plan fails later inside `slice` with an
 * index error that names neither the variable nor the region.
 */
function requireAvailableZones(scope: Construct, available: DataAwsAvailabilityZones): void {
  const variable = scope.node.findChild("variable-az_count") as TerraformVariable;
  const names = `${available.fqn}.names`;
  variable.addValidation({
    condition: `\${var.az_count <= length(${names})}`,
    errorMessage: `az_count is \${var.az_count}, but the region \${${available.fqn}.id} has only \${length(${names})} available availability zones (\${join(", ", ${names})}): set az_count to at most \${length(${names})}.`,
  });
}

/** Associates each subnet of a counted subnet resource with a route table (or the i-th of a list). */
function associate(
  scope: Construct,
  tier: string,
  subnets: Subnet,
  routeTable: string | string[],
  count: number,
): void {
  const perAz = TerraformCount.of(count);
  new RouteTableAssociation(scope, `${tier}-route-table-associations`, {
    count: perAz,
    subnetId: Fn.element(splat(subnets, "id"), perAz.index),
    routeTableId: Array.isArray(routeTable) ? Fn.element(routeTable, perAz.index) : routeTable,
  });
}

export type { NetworkInputs };
