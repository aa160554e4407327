import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { Testing, TerraformStack } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { renderStackHcl } from "../../kit/hcl/tree.ts";
import { VariableError, type VariableSpec } from "../../kit/variables.ts";
import { resourceOf, resourcesOf, synthModule, type StackJson } from "../../test/synth.ts";
import {
  describeDiagnostics,
  init,
  terraform,
  terraformBinary,
  validate,
} from "../../test/terraform.ts";
import { CONTROL_PLANE_LOG_TYPES, eks } from "./index.ts";
import { eksInputs, type EksInputs } from "./inputs.ts";
import { METADATA_HOP_LIMIT } from "./node-groups.ts";

const { stack, json, text } = synthModule(eks as never);
const resource = (type: string, name: string) => resourceOf(json, type, name);
type Doc = { statement: Record<string, unknown>[] };
const policyDocument = (name: string) => json.data?.aws_iam_policy_document?.[name] as Doc;
const statement = (doc: Doc, sid: string) => doc.statement.find((s) => s.sid === sid);

/** Literal arguments that satisfy every input, shaped like the dev environment. */
const validArgs: EksInputs = {
  name: "expense-dev",
  privateSubnetIds: ["subnet-0a1b2c", "subnet-0d4e5f"],
  nodeSecurityGroupId: "sg-0123abcd",
  logRetentionDays: 7,
  adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
  deployRoleArn: "arn:aws:iam::123456789012:role/expense-deploy",
  nodeInstanceTypes: ["t3.medium", "t3a.medium", "t2.medium"],
  minNodes: 2,
  maxNodes: 4,
  desiredNodes: 2,
  onDemandBaseNodes: 0,
  spotPercentage: 100,
};

describe("eks cluster", () => {
  const cluster = resource("aws_eks_cluster", "cluster");

  it("uses access entries only, with no implicit admin for the creator", () => {
    expect(text).toHaveResourceWithProperties(EksCluster, {
      access_config: {
        authentication_mode: "API",
        bootstrap_cluster_creator_admin_permissions: false,
      },
    });
  });

  it("encrypts secrets with the module's rotating KMS key, usable by the cluster role", () => {
    expect(cluster.encryption_config).toEqual({
      resources: ["secrets"],
      provider: { key_arn: "${aws_kms_key.secrets_key_key.arn}" },
    });
    expect(resource("aws_kms_key", "secrets_key_key").enable_key_rotation).toBe(true);
    const grant = statement(policyDocument("secrets_key_policy"), "ClusterRoleUseKey");
    expect(grant?.principals).toEqual([
      { type: "AWS", identifiers: ["${aws_iam_role.cluster_role_role.arn}"] },
    ]);
    expect(grant?.actions).toEqual(expect.arrayContaining(["kms:Encrypt", "kms:Decrypt"]));
  });

  it("sends all five control-plane log types to its own log group, created first", () => {
    expect(cluster.enabled_cluster_log_types).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    expect(resource("aws_cloudwatch_log_group", "log_group")).toMatchObject({
      name: "/aws/eks/${var.name}-eks/cluster",
      retention_in_days: "${var.log_retention_days}",
      kms_key_id: "${aws_kms_key.logs_key_key.arn}",
    });
    expect(cluster.name).toBe("${var.name}-eks");
    expect(cluster.depends_on).toContain("aws_cloudwatch_log_group.log_group");
    expect(
      statement(policyDocument("logs_key_policy"), "CloudWatchLogsUseKey")?.principals,
    ).toEqual([
      {
        type: "Service",
        identifiers: ["logs.${data.aws_region.context_region.name}.amazonaws.com"],
      },
    ]);
  });

  it("keeps the private endpoint on and opens the public one only for listed CIDRs", () => {
    expect(cluster.vpc_config).toEqual({
      subnet_ids: "${var.private_subnet_ids}",
      endpoint_private_access: true,
      endpoint_public_access: "${length(var.public_access_cidrs) > 0}",
      public_access_cidrs:
        "${length(var.public_access_cidrs) > 0 ? var.public_access_cidrs : null}",
    });
  });

  it("runs the control plane as a role with AmazonEKSClusterPolicy, attached before the cluster", () => {
    expect(resource("aws_iam_role_policy_attachment", "cluster_role_cluster").policy_arn).toMatch(
      /:iam::aws:policy\/AmazonEKSClusterPolicy$/,
    );
    expect(cluster.depends_on).toContain("aws_iam_role_policy_attachment.cluster_role_cluster");
    expect(cluster.version).toBe("${var.cluster_version}");
  });

  it("registers the cluster's OIDC issuer for IRSA with the STS audience and no tls provider", () => {
    const oidc = resource("aws_iam_openid_connect_provider", "oidc_provider");
    expect(oidc.url).toBe("${aws_eks_cluster.cluster.identity[0].oidc[0].issuer}");
    expect(oidc.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(oidc).not.toHaveProperty("thumbprint_list");
    expect(Object.keys(json.terraform?.required_providers ?? {})).toEqual(["aws"]);
    expect(json.output?.oidc_issuer_host?.value).toBe(
      '${replace(aws_eks_cluster.cluster.identity[0].oidc[0].issuer, "https://", "")}',
    );
  });
});

describe("eks access entries", () => {
  it("gives every admin role a STANDARD entry with cluster-wide AmazonEKSClusterAdminPolicy", () => {
    expect(resource("aws_eks_access_entry", "access_admin_entries")).toMatchObject({
      count: "${length(var.admin_role_arns)}",
      principal_arn: "${element(var.admin_role_arns, count.index)}",
      type: "STANDARD",
    });
    expect(resource("aws_eks_access_policy_association", "access_admin_policies")).toMatchObject({
      count: "${length(var.admin_role_arns)}",
      principal_arn:
        "${element(aws_eks_access_entry.access_admin_entries[*].principal_arn, count.index)}",
      policy_arn:
        "arn:${data.aws_partition.context_partition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
    });
  });

  it("gives the deploy role, when set, a policy scoped to the app namespaces only", () => {
    expect(resource("aws_eks_access_entry", "access_deploy_entry")).toMatchObject({
      count: '${var.deploy_role_arn == "" ? 0 : 1}',
      principal_arn: "${var.deploy_role_arn}",
      type: "STANDARD",
      kubernetes_groups: "${var.deploy_kubernetes_groups}",
    });
    expect(resource("aws_eks_access_policy_association", "access_deploy_policy")).toMatchObject({
      count: '${var.deploy_role_arn == "" ? 0 : 1}',
      policy_arn:
        "arn:${data.aws_partition.context_partition.partition}:eks::aws:cluster-access-policy/${var.deploy_access_policy}",
      access_scope: { type: "namespace", namespaces: "${var.deploy_namespaces}" },
    });
    expect(json.variable?.deploy_access_policy?.default).toBe("AmazonEKSEditPolicy");
    expect(json.variable?.deploy_namespaces?.default).toEqual(["expense"]);
  });

  it("gives the platform-plan role, when set, an entry with Kubernetes groups and no access policy", () => {
    expect(resource("aws_eks_access_entry", "access_platform_plan_entry")).toMatchObject({
      count: '${var.platform_plan_role_arn == "" ? 0 : 1}',
      principal_arn: "${var.platform_plan_role_arn}",
      type: "STANDARD",
      kubernetes_groups: "${var.platform_plan_kubernetes_groups}",
    });
    // Its reads come only from RBAC bound to its groups: no association names it.
    expect(Object.keys(resourcesOf(json, "aws_eks_access_policy_association")).sort()).toEqual([
      "access_admin_policies",
      "access_deploy_policy",
    ]);
    expect(JSON.stringify(resourcesOf(json, "aws_eks_access_policy_association"))).not.toContain(
      "platform_plan",
    );
    expect(json.variable?.platform_plan_role_arn?.default).toBe("");
    expect(json.variable?.platform_plan_kubernetes_groups?.default).toEqual([]);
  });
});

describe("eks nodes", () => {
  const template = resource("aws_launch_template", "nodes_launch_template");
  const groups = resourcesOf(json, "aws_eks_node_group");

  it("requires IMDSv2 with a hop limit of 1, so pods cannot reach the node role", () => {
    expect(METADATA_HOP_LIMIT).toBe(1);
    expect(template.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "disabled",
    });
  });

  it("boots from an encrypted gp3 root volume with the module's EBS key", () => {
    expect(template.block_device_mappings).toEqual([
      {
        device_name: "/dev/xvda",
        ebs: {
          volume_size: "${var.node_disk_size_gb}",
          volume_type: "gp3",
          iops: 3000,
          throughput: 125,
          encrypted: "true",
          kms_key_id: "${aws_kms_key.nodes_ebs_key_key.arn}",
          delete_on_termination: "true",
        },
      },
    ]);
    expect(json.variable?.node_disk_size_gb?.default).toBe(30);
  });

  it("lets the Auto Scaling service-linked role use the EBS key, grants only for AWS resources", () => {
    const doc = policyDocument("nodes_ebs_key_policy");
    const role =
      "arn:${data.aws_partition.context_partition.partition}:iam::${data.aws_caller_identity.context_caller.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    expect(statement(doc, "AutoScalingUseKey")?.principals).toEqual([
      { type: "AWS", identifiers: [role] },
    ]);
    expect(statement(doc, "AutoScalingAttachPersistentResources")).toMatchObject({
      actions: ["kms:CreateGrant"],
      condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
    });
    expect(resource("aws_kms_key", "nodes_ebs_key_key").enable_key_rotation).toBe(true);
  });

  it("has no SSH key or remote access, and attaches only the nodes' own security group", () => {
    expect(template).not.toHaveProperty("key_name");
    for (const group of Object.values(groups)) expect(group).not.toHaveProperty("remote_access");
    // Not the cluster security group: its allow-all egress would void the nodes' narrow rules
    // (and naming any group here is what stops EKS from adding it by itself).
    expect(template.vpc_security_group_ids).toEqual(["${var.node_security_group_id}"]);
  });

  it("tags instances and volumes itself, since default_tags do not reach ASG launches", () => {
    const tags =
      '${merge(data.aws_default_tags.nodes_default_tags.tags, {"Name" = "${var.name}-eks-node", "Component" = "eks"})}';
    expect(template.tag_specifications).toEqual([
      { resource_type: "instance", tags },
      { resource_type: "volume", tags },
    ]);
  });

  it("has an on-demand group with the first instance type and a spot group with all of them", () => {
    expect(Object.keys(groups).sort()).toEqual(["nodes_on_demand", "nodes_spot"]);
    expect(groups.nodes_on_demand).toMatchObject({
      capacity_type: "ON_DEMAND",
      instance_types: "${slice(var.node_instance_types, 0, 1)}",
      count: "${local.node_group_counts.on_demand}",
      labels: { "capacity-type": "on-demand" },
    });
    expect(groups.nodes_spot).toMatchObject({
      capacity_type: "SPOT",
      instance_types: "${var.node_instance_types}",
      count: "${local.node_group_counts.spot}",
      labels: { "capacity-type": "spot" },
    });
  });

  it("sizes each group from the sizing locals and spreads it over every private subnet", () => {
    for (const [name, local] of [
      ["nodes_on_demand", "node_on_demand"],
      ["nodes_spot", "node_spot"],
    ] as const) {
      expect(groups[name]).toMatchObject({
        subnet_ids: "${var.private_subnet_ids}",
        scaling_config: {
          min_size: `\${local.${local}.min}`,
          max_size: `\${local.${local}.max}`,
          desired_size: `\${local.${local}.desired}`,
        },
        launch_template: {
          id: "${aws_launch_template.nodes_launch_template.id}",
          version: "${aws_launch_template.nodes_launch_template.latest_version}",
        },
        update_config: { max_unavailable_percentage: "${var.node_max_unavailable_percentage}" },
        version: "${aws_eks_cluster.cluster.version}",
      });
    }
  });

  it("leaves desired_size to the cluster autoscaler and carries its discovery tags", () => {
    for (const group of Object.values(groups)) {
      expect(group.lifecycle).toMatchObject({
        ignore_changes: ["scaling_config[0].desired_size"],
        create_before_destroy: true,
      });
      expect(group.tags).toMatchObject({
        "k8s.io/cluster-autoscaler/enabled": "true",
        "k8s.io/cluster-autoscaler/${var.name}-eks": "owned",
        Component: "eks",
      });
    }
  });

  it("renders ignore_changes as a bare reference in the HCL tree (no deprecation warning)", () => {
    const main = renderStackHcl(stack).get("main.tf") ?? "";
    expect(main).toContain("ignore_changes = [\n      scaling_config[0].desired_size,\n    ]");
    expect(main).not.toContain('"scaling_config[0].desired_size"');
  });

  it("waits for every node role policy attachment, the vpc-cni add-on and the control plane rules before creating a group", () => {
    const attachments = resourcesOf(json, "aws_iam_role_policy_attachment");
    const nodePolicies = Object.entries(attachments)
      .filter(([name]) => name.startsWith("node_role_"))
      .map(([, a]) => String(a.policy_arn).split("/").pop());
    expect(nodePolicies.sort()).toEqual([
      "AmazonEC2ContainerRegistryReadOnly",
      "AmazonEKSWorkerNodePolicy",
      "AmazonSSMManagedInstanceCore",
    ]);
    const expected = [
      ...Object.keys(attachments)
        .filter((name) => name.startsWith("node_role_"))
        .map((name) => `aws_iam_role_policy_attachment.${name}`),
      "aws_eks_addon.addons_vpc_cni",
      ...Object.keys(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).map(
        (name) => `aws_vpc_security_group_ingress_rule.${name}`,
      ),
      ...Object.keys(resourcesOf(json, "aws_vpc_security_group_egress_rule")).map(
        (name) => `aws_vpc_security_group_egress_rule.${name}`,
      ),
    ].sort();
    for (const group of Object.values(groups)) {
      expect([...(group.depends_on as string[])].sort()).toEqual(expected);
    }
  });

  it("keeps the sizing formula in one local, counting a group only when its max is >= 1", () => {
    expect(json.locals).toEqual({
      cluster_security_group_id:
        "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
      node_totals: "${{ min = var.min_nodes, max = var.max_nodes, desired = var.desired_nodes }}",
      node_on_demand:
        "${{ for bound, n in local.node_totals : bound => min(n, var.on_demand_base_nodes) + floor(max(n - var.on_demand_base_nodes, 0) * (100 - var.spot_percentage) / 100) }}",
      node_spot:
        "${{ for bound, n in local.node_totals : bound => n - local.node_on_demand[bound] }}",
      node_group_counts:
        "${{ on_demand = local.node_on_demand.max > 0 ? 1 : 0, spot = local.node_spot.max > 0 ? 1 : 0 }}",
      node_ami_type:
        '${anytrue([for t in var.node_instance_types : can(regex("^(a1|[a-z]+[0-9]+[a-z]*g[a-z]*)[.]", t))]) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD"}',
    });
    for (const group of Object.values(groups))
      expect(group.ami_type).toBe("${local.node_ami_type}");
  });
});

describe("eks EBS CSI driver", () => {
  const addon = resource("aws_eks_addon", "ebs_csi_addon");

  it("installs the managed add-on with its IRSA role, overwriting conflicts, at the cluster's default version", () => {
    expect(addon).toMatchObject({
      cluster_name: "${aws_eks_cluster.cluster.name}",
      addon_name: "aws-ebs-csi-driver",
      addon_version: "${data.aws_eks_addon_version.ebs_csi_version.version}",
      service_account_role_arn: "${aws_iam_role.ebs_csi_role.arn}",
      resolve_conflicts_on_create: "OVERWRITE",
      resolve_conflicts_on_update: "OVERWRITE",
    });
    expect(json.data?.aws_eks_addon_version?.ebs_csi_version).toMatchObject({
      addon_name: "aws-ebs-csi-driver",
      kubernetes_version: "${aws_eks_cluster.cluster.version}",
      most_recent: false,
    });
  });

  it("waits for the node groups (its pods need a node to become ACTIVE) and the role's policies", () => {
    expect(addon.depends_on).toEqual(
      expect.arrayContaining([
        "aws_eks_node_group.nodes_on_demand",
        "aws_eks_node_group.nodes_spot",
        "aws_iam_role_policy.ebs_csi_role_policy",
        "aws_iam_role_policy_attachment.ebs_csi_role_ebs_csi_driver_policy",
      ]),
    );
  });

  it("lets only kube-system/ebs-csi-controller-sa assume the role, through the cluster's OIDC provider", () => {
    const trust = policyDocument("ebs_csi_role_trust").statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: [
        {
          type: "Federated",
          identifiers: ["${aws_iam_openid_connect_provider.oidc_provider.arn}"],
        },
      ],
      condition: [
        {
          test: "StringEquals",
          variable:
            '${replace(aws_eks_cluster.cluster.identity[0].oidc[0].issuer, "https://", "")}:sub',
          values: ["system:serviceaccount:kube-system:ebs-csi-controller-sa"],
        },
        {
          test: "StringEquals",
          variable:
            '${replace(aws_eks_cluster.cluster.identity[0].oidc[0].issuer, "https://", "")}:aud',
          values: ["sts.amazonaws.com"],
        },
      ],
    });
    expect(resource("aws_iam_role", "ebs_csi_role")).toMatchObject({
      name: "${var.name}-eks-ebs-csi-driver",
      assume_role_policy: "${data.aws_iam_policy_document.ebs_csi_role_trust.json}",
    });
  });

  it("attaches AmazonEBSCSIDriverPolicy in the current partition", () => {
    expect(
      resource("aws_iam_role_policy_attachment", "ebs_csi_role_ebs_csi_driver_policy"),
    ).toEqual({
      role: "${aws_iam_role.ebs_csi_role.name}",
      policy_arn:
        "arn:${data.aws_partition.context_partition.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    });
  });

  it("may use the nodes' EBS key only, and create grants only for AWS resources", () => {
    const doc = policyDocument("ebs_csi_role_permissions");
    expect(doc.statement).toHaveLength(2);
    const key = "${aws_kms_key.nodes_ebs_key_key.arn}";
    expect(statement(doc, "GrantsForAttachedVolumes")).toEqual({
      sid: "GrantsForAttachedVolumes",
      actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      resources: [key],
      condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
    });
    expect(statement(doc, "EncryptVolumes")).toEqual({
      sid: "EncryptVolumes",
      actions: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
      ],
      resources: [key],
    });
    expect(resource("aws_iam_role_policy", "ebs_csi_role_policy")).toMatchObject({
      role: "${aws_iam_role.ebs_csi_role.id}",
      policy: "${data.aws_iam_policy_document.ebs_csi_role_permissions.json}",
    });
  });

  it("relies on the EBS key policy delegating to IAM (account root), so the role's policy suffices", () => {
    expect(
      statement(policyDocument("nodes_ebs_key_policy"), "AccountAdministersKey"),
    ).toMatchObject({
      actions: ["kms:*"],
      principals: [
        {
          type: "AWS",
          identifiers: [
            "arn:${data.aws_partition.context_partition.partition}:iam::${data.aws_caller_identity.context_caller.account_id}:root",
          ],
        },
      ],
    });
    expect(json.output?.ebs_csi_driver_role_arn?.value).toBe("${aws_iam_role.ebs_csi_role.arn}");
  });
});

describe("eks interface", () => {
  it("declares the outputs the root stacks wire", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual(
      [
        "cluster_name",
        "cluster_arn",
        "cluster_endpoint",
        "cluster_certificate_authority_data",
        "cluster_version",
        "cluster_security_group_id",
        "oidc_provider_arn",
        "oidc_issuer_url",
        "oidc_issuer_host",
        "node_role_arn",
        "node_role_name",
        "node_security_group_id",
        "on_demand_node_group_name",
        "spot_node_group_name",
        "control_plane_log_group_name",
        "ebs_kms_key_arn",
        "ebs_csi_driver_role_arn",
        "ebs_csi_addon_version",
      ].sort(),
    );
    expect(json.output?.spot_node_group_name?.value).toBe(
      '${join("", aws_eks_node_group.nodes_spot[*].node_group_name)}',
    );
  });

  it("describes every variable and defaults the optional ones sensibly", () => {
    for (const [name, variable] of Object.entries(json.variable ?? {})) {
      expect(String(variable.description), name).toMatch(/^[A-Z].*\.$/);
    }
    expect(json.variable?.cluster_version?.default).toBe("1.34");
    expect(json.variable?.public_access_cidrs?.default).toEqual([]);
    expect(json.variable?.deploy_role_arn?.default).toBe("");
  });

  const accepts = <K extends keyof EksInputs>(key: K, value: unknown) =>
    (eksInputs[key] as VariableSpec<unknown>).schema.safeParse(value).success;

  it.each<[keyof EksInputs, unknown[], unknown[]]>([
    ["clusterVersion", ["1.34", "1.33"], ["1.3", "v1.34", "2.10", "1.34.1"]],
    ["privateSubnetIds", [["subnet-0a", "subnet-0b"]], [["subnet-0a"], ["subnet-0a", "sg-0b"]]],
    ["nodeSecurityGroupId", ["sg-0123abcd"], ["subnet-0a", ""]],
    ["publicAccessCidrs", [[], ["203.0.113.0/24"]], [["0.0.0.0/0"], ["203.0.113.1/24"]]],
    ["logRetentionDays", [7, 30, 90], [8, 0]],
    ["adminRoleArns", [["arn:aws:iam::123456789012:role/a/b"]], [[], ["arn:aws:iam::123:role/a"]]],
    [
      "deployRoleArn",
      ["", "arn:aws:iam::123456789012:role/deploy"],
      ["arn:aws:iam::123456789012:user/u"],
    ],
    ["deployNamespaces", [["expense"], ["a", "b-c"]], [[], ["Expense"], ["-x"]]],
    [
      "platformPlanRoleArn",
      ["", "arn:aws:iam::123456789012:role/expense-dev-github-platform-plan"],
      ["arn:aws:iam::123456789012:user/u", "expense-dev-github-platform-plan"],
    ],
    [
      "platformPlanKubernetesGroups",
      [[], ["expense-platform-readers"]],
      [["system:masters"], ["Readers"]],
    ],
    [
      "nodeInstanceTypes",
      [
        ["t3.medium", "t3a.medium", "t2.medium"],
        ["t3.large", "m5.large"],
      ],
      [[], ["t3.medium", "t3.large"], ["t3.big"]],
    ],
    ["spotPercentage", [0, 75, 100], [-1, 101, 50.5]],
    ["onDemandBaseNodes", [0, 3], [-1]],
    ["maxNodes", [1, 100], [0, 101]],
    ["nodeDiskSizeGb", [20, 30, 200], [8, 19]],
    ["nodeMaxUnavailablePercentage", [1, 33, 100], [0, 101]],
  ])("validates %s", (key, good, bad) => {
    for (const value of good) expect(accepts(key, value), JSON.stringify(value)).toBe(true);
    for (const value of bad) expect(accepts(key, value), JSON.stringify(value)).toBe(false);
  });

  it("rejects a bad literal argument at the call site with a one-line error naming it", () => {
    const call = (args: Partial<EksInputs>) => () =>
      eks.call(new TerraformStack(Testing.app(), "root"), "eks", { ...validArgs, ...args });
    expect(call({})).not.toThrow();
    expect(call({ spotPercentage: 120 })).toThrow(VariableError);
    expect(call({ spotPercentage: 120 })).toThrow(
      /eks \(eks\): spotPercentage = 120: must be <= 100/,
    );
    expect(call({ nodeInstanceTypes: ["m7g.large", "m6i.large"] })).toThrow(
      /nodeInstanceTypes .*must all be of one architecture/,
    );
    expect(eksInputs.nodeInstanceTypes.schema.safeParse(["t4g.medium", "m7g.medium"]).success).toBe(
      true,
    );
    expect(call({ nodeInstanceTypes: ["t3.medium", "t3.large"] })).toThrow(
      /nodeInstanceTypes .*must all be of one size/,
    );
  });
});

/**
 * Real Terraform over the module as it is committed (HCL) and as cdktf applies it (JSON): validate
 * both, then evaluate the sizing locals and the validation blocks with `terraform console`, which
 * needs neither credentials nor state.
 */
describe.runIf(terraformBinary())("eks with terraform", () => {
  let hclDir: string;
  let jsonDir: string;
  const required = {
    name: "expense-test",
    private_subnet_ids: ["subnet-0a1b2c", "subnet-0d4e5f"],
    node_security_group_id: "sg-0123abcd",
    log_retention_days: 7,
    admin_role_arns: ["arn:aws:iam::123456789012:role/platform-admin"],
    node_instance_types: ["t3.medium", "t3a.medium"],
  };

  /** Runs `terraform console` with `vars`, evaluating `expression`; resolves whatever the exit code. */
  const consoleEval = (vars: Record<string, unknown>, expression: string) => {
    const run = `run-${Math.random().toString(36).slice(2)}`;
    const varFile = join(hclDir, `${run}.tfvars.json`);
    writeFileSync(varFile, JSON.stringify({ ...required, ...vars }));
    // A state path per run: console locks the (empty) state, and the runs go in parallel.
    return terraform(
      hclDir,
      ["console", "-no-color", `-var-file=${varFile}`, `-state=${join(hclDir, `${run}.tfstate`)}`],
      `${expression}\n`,
    );
  };

  /** The sizing locals for `vars`, through `terraform console`. */
  const sizes = async (vars: Record<string, number>) => {
    const result = await consoleEval(
      vars,
      "jsonencode({ on_demand = local.node_on_demand, spot = local.node_spot, counts = local.node_group_counts })",
    );
    if (result.code !== 0) throw new Error(result.stderr);
    return JSON.parse(JSON.parse(result.stdout.trim()) as string) as unknown;
  };

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), "expense-eks-"));
    hclDir = join(root, "hcl");
    jsonDir = join(root, "json");
    mkdirSync(hclDir);
    mkdirSync(jsonDir);
    for (const [file, content] of renderStackHcl(stack)) writeFileSync(join(hclDir, file), content);
    writeFileSync(join(jsonDir, "main.tf.json"), JSON.stringify(json as StackJson, null, 2));
    await Promise.all([init(hclDir), init(jsonDir)]);
  });

  it("validates the module's HCL and JSON without errors or warnings", async () => {
    for (const dir of [hclDir, jsonDir]) {
      const result = await validate(dir);
      expect(result.valid, describeDiagnostics(result)).toBe(true);
      expect(result.warning_count, describeDiagnostics(result)).toBe(0);
    }
  });

  // Concurrent: each console run loads the AWS provider schema (a few seconds).
  it.concurrent.for([
    [
      "dev-like: all spot, no base",
      {
        min_nodes: 2,
        max_nodes: 4,
        desired_nodes: 2,
        on_demand_base_nodes: 0,
        spot_percentage: 100,
      },
      {
        on_demand: { min: 0, max: 0, desired: 0 },
        spot: { min: 2, max: 4, desired: 2 },
        counts: { on_demand: 0, spot: 1 },
      },
    ],
    [
      "staging-like: base 1, 75 % spot",
      {
        min_nodes: 2,
        max_nodes: 6,
        desired_nodes: 2,
        on_demand_base_nodes: 1,
        spot_percentage: 75,
      },
      {
        // max: 1 + floor(5 * 25 / 100) = 2 on demand, 4 spot
        on_demand: { min: 1, max: 2, desired: 1 },
        spot: { min: 1, max: 4, desired: 1 },
        counts: { on_demand: 1, spot: 1 },
      },
    ],
    [
      "production-like: base 3, no spot",
      { min_nodes: 3, max_nodes: 9, desired_nodes: 3, on_demand_base_nodes: 3, spot_percentage: 0 },
      {
        on_demand: { min: 3, max: 9, desired: 3 },
        spot: { min: 0, max: 0, desired: 0 },
        counts: { on_demand: 1, spot: 0 },
      },
    ],
    [
      "a base above the maximum caps at the totals",
      {
        min_nodes: 2,
        max_nodes: 4,
        desired_nodes: 3,
        on_demand_base_nodes: 5,
        spot_percentage: 50,
      },
      {
        on_demand: { min: 2, max: 4, desired: 3 },
        spot: { min: 0, max: 0, desired: 0 },
        counts: { on_demand: 1, spot: 0 },
      },
    ],
    [
      "the on-demand share rounds down",
      {
        min_nodes: 0,
        max_nodes: 10,
        desired_nodes: 1,
        on_demand_base_nodes: 0,
        spot_percentage: 33,
      },
      {
        // max: floor(10 * 67 / 100) = 6 on demand; desired: floor(0.67) = 0
        on_demand: { min: 0, max: 6, desired: 0 },
        spot: { min: 0, max: 4, desired: 1 },
        counts: { on_demand: 1, spot: 1 },
      },
    ],
  ] as const)("splits the nodes between the groups: %s", async ([, vars, expected], { expect }) => {
    expect(await sizes(vars)).toEqual(expected);
  });

  it.concurrent(
    "rejects bad values through the variables' validation blocks",
    async ({ expect }) => {
      const result = await consoleEval(
        {
          cluster_version: "1.3",
          min_nodes: 2,
          max_nodes: 4,
          desired_nodes: 5,
          spot_percentage: 101,
          node_instance_types: ["t3.medium", "t3.large"],
          public_access_cidrs: ["0.0.0.0/0"],
          admin_role_arns: ["arn:aws:iam::123456789012:role/platform-admin"],
          deploy_role_arn: "arn:aws:iam::123456789012:role/platform-admin",
          private_subnet_ids: ["subnet-0a1b2c"],
        },
        "local.node_totals",
      );
      expect(result.code).not.toBe(0);
      const mixed = await consoleEval(
        { node_instance_types: ["m7g.large", "m6i.large"] },
        "local.node_ami_type",
      );
      expect(mixed.code).not.toBe(0);
      expect(mixed.stderr.replace(/\s+/g, " ")).toContain(
        "node_instance_types must all be of one architecture",
      );
      for (const message of [
        "cluster_version must be a Kubernetes minor version such as 1.34.",
        "desired_nodes must be between min_nodes and max_nodes.",
        "spot_percentage must be a whole number >= 0 and <= 100.",
        "node_instance_types must all be of one size",
        "public_access_cidrs must not contain 0.0.0.0/0",
        "deploy_role_arn must not also be listed in admin_role_arns.",
        "private_subnet_ids must have at least 2 items.",
      ]) {
        expect(result.stderr.replace(/\s+/g, " ")).toContain(message);
      }
    },
  );

  // Separate runs: Terraform skips a cross-variable check whose other variable failed its own.
  it.concurrent.for<[Record<string, unknown>, string]>([
    [
      {
        platform_plan_role_arn: "arn:aws:iam::123456789012:role/platform-admin",
        platform_plan_kubernetes_groups: ["expense-platform-readers"],
      },
      "platform_plan_role_arn must not also be listed in admin_role_arns or be the deploy_role_arn.",
    ],
    [
      {
        deploy_role_arn: "arn:aws:iam::123456789012:role/expense-dev-github-deploy",
        platform_plan_role_arn: "arn:aws:iam::123456789012:role/expense-dev-github-deploy",
        platform_plan_kubernetes_groups: ["expense-platform-readers"],
      },
      "platform_plan_role_arn must not also be listed in admin_role_arns or be the deploy_role_arn.",
    ],
    [
      { platform_plan_role_arn: "arn:aws:iam::123456789012:role/expense-dev-github-platform-plan" },
      "platform_plan_kubernetes_groups must name at least one group when platform_plan_role_arn is set.",
    ],
  ])("rejects the platform-plan entry %j", async ([vars, message], { expect }) => {
    const result = await consoleEval(
      { admin_role_arns: ["arn:aws:iam::123456789012:role/platform-admin"], ...vars },
      "local.node_totals",
    );
    // console reports failed validations on stderr and still prints the value (exit code 0).
    expect(result.stderr).toContain("Error: Invalid value for variable");
    expect(result.stderr.replace(/\s+/g, " ")).toContain(message);
  });

  it.concurrent("accepts a platform-plan role with its group", async ({ expect }) => {
    const result = await consoleEval(
      {
        admin_role_arns: ["arn:aws:iam::123456789012:role/platform-admin"],
        platform_plan_role_arn: "arn:aws:iam::123456789012:role/expense-dev-github-platform-plan",
        platform_plan_kubernetes_groups: ["expense-platform-readers"],
      },
      "local.node_totals",
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("Error");
  });

  it.concurrent.for<[string[], string]>([
    [["t3.medium", "t3a.medium"], "AL2023_x86_64_STANDARD"],
    [["g5.xlarge"], "AL2023_x86_64_STANDARD"],
    [["t4g.medium"], "AL2023_ARM_64_STANDARD"],
    [["m7g.large", "m7gd.large", "c7gn.large", "r8g.large"], "AL2023_ARM_64_STANDARD"],
    [["a1.large"], "AL2023_ARM_64_STANDARD"],
  ])("derives the node AMI type from %j: %s", async ([types, amiType], { expect }) => {
    const result = await consoleEval({ node_instance_types: types }, "local.node_ami_type");
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toBe(amiType);
  });

  it.concurrent("accepts the defaults with the required values", async ({ expect }) => {
    const result = await consoleEval(
      { min_nodes: 1, max_nodes: 1, desired_nodes: 1 },
      "jsonencode(local.node_group_counts)",
    );
    expect(result.code, result.stderr).toBe(0);
    // Defaults: no base, no spot, so everything runs on demand.
    expect(JSON.parse(JSON.parse(result.stdout.trim()) as string)).toEqual({
      on_demand: 1,
      spot: 0,
    });
  });
});
