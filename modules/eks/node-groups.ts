import { DataAwsDefaultTags } from "@cdktf/provider-aws/lib/data-aws-default-tags";
import type { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import {
  Fn,
  ref,
  TerraformCount,
  TerraformLocal,
  TerraformStack,
  Token,
  type ITerraformDependable,
} from "cdktf";
import { Construct } from "constructs";
import { splat } from "../../kit/expressions.ts";
import { EncryptionKey, type AwsContext } from "../../kit/kms.ts";
import { toSnakeCase } from "../../kit/naming.ts";
import type { ModuleVars } from "../../kit/variables.ts";
import type { ServiceRole } from "./iam.ts";
import { GRAVITON_INSTANCE_TYPE, NODE_AMI_TYPES, varRef, type EksInputs } from "./inputs.ts";

/** `local.<name>` of a local value, for hand-written expressions. */
const local = (value: TerraformLocal) => `local.${value.friendlyUniqueId}`;

/**
 * IMDSv2 hop limit of the nodes. 1: only the node itself (and host-network pods such as aws-node
 * and kube-proxy) reaches the instance metadata service; a pod in its own network namespace is one
 * hop further and gets no answer, so it cannot borrow the node role's credentials. Every add-on and
 * the app get their own role through IRSA instead. Add-ons that read the region or VPC from IMDS
 * must be told them (AWS Load Balancer Controller: `region`, `vpcId`; the EBS CSI driver falls
 * back to Kubernetes metadata by itself).
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
 */
export const METADATA_HOP_LIMIT = 1;

/** Root device of the Amazon Linux 2023 EKS AMIs. */
const ROOT_DEVICE = "/dev/xvda";

/** Props of the worker nodes. */
export interface NodeGroupsProps {
  readonly context: AwsContext;
  readonly vars: ModuleVars<EksInputs>;
  readonly cluster: EksCluster;
  readonly clusterName: string;
  readonly nodeRole: ServiceRole;
  /** Value of the `Component` tag (default_tags do not reach instances launched by the ASG). */
  readonly component: string;
  /**
   * Created before any node: the VPC CNI add-on (a node's pods get no IP without it) and the
   * control plane <-> node rules (a node that cannot reach the API never joins).
   */
  readonly after?: ITerraformDependable[];
}

/**
 * Two managed node groups over all private subnets sharing one launch template: `on_demand` (the
 * first instance type) and `spot` (every instance type, for capacity). The input totals are split
 * between them in Terraform locals (see `sizing`); a group whose maximum comes out 0 is not
 * created, because EKS requires `max_size >= 1`.
 */
export class NodeGroups extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly onDemand: EksNodeGroup;
  readonly spot: EksNodeGroup;
  readonly ebsKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: NodeGroupsProps) {
    super(scope, id);
    const { context, vars, cluster, clusterName, nodeRole } = props;
    const stack = TerraformStack.of(this);
    const sizes = sizing(stack);

    const autoscalingRole = context.arn(
      "iam",
      "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
      { region: false },
    );
    // EKS managed node groups launch through an Auto Scaling group, so the Auto Scaling
    // service-linked role encrypts the volumes. KMS rejects a policy naming a principal that does
    // not exist: the role must exist in the account before this key (it appears with the first
    // Auto Scaling group; `aws iam create-service-linked-role --aws-service-name
    // autoscaling.amazonaws.com` creates it in a fresh account).
    // @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
    this.ebsKey = new EncryptionKey(this, "ebs-key", {
      context,
      alias: `${vars.name}-eks-nodes-ebs`,
      description: `Encrypts the root volumes of the EKS worker nodes of ${vars.name}`,
      serviceStatements: [
        {
          sid: "AutoScalingUseKey",
          actions: [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
          ],
          resources: ["*"],
          principals: [{ type: "AWS", identifiers: [autoscalingRole] }],
        },
        {
          sid: "AutoScalingAttachPersistentResources",
          actions: ["kms:CreateGrant"],
          resources: ["*"],
          principals: [{ type: "AWS", identifiers: [autoscalingRole] }],
          condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
        },
      ],
    });

    // Instances and volumes launched by the node groups' Auto Scaling groups get no provider
    // default_tags; copy them (plus Name and Component) into the launch template's tag
    // specifications so cost allocation and ownership tags reach the EC2 resources too.
    const defaultTags = new DataAwsDefaultTags(this, "default-tags");
    const instanceTags = Fn.merge([
      defaultTags.getStringMapAttribute("tags"),
      { Name: `${clusterName}-node`, Component: props.component },
    ]) as unknown as Record<string, string>;

    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      namePrefix: `${clusterName}-nodes-`,
      description: `Worker nodes of the EKS cluster ${clusterName}: IMDSv2 only, encrypted gp3 root volume, no SSH key`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: METADATA_HOP_LIMIT,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings: [
        {
          deviceName: ROOT_DEVICE,
          ebs: {
            volumeSize: vars.nodeDiskSizeGb,
            volumeType: "gp3",
            iops: 3000,
            throughput: 125,
            encrypted: "true",
            kmsKeyId: this.ebsKey.arn,
            deleteOnTermination: "true",
          },
        },
      ],
      // Only the nodes' own group. Naming groups here stops EKS from adding the cluster security
      // group, whose allow-all egress would void the nodes' narrow egress rules; the control
      // plane <-> node traffic it carried is opened port by port in control-plane-rules.ts.
      vpcSecurityGroupIds: [vars.nodeSecurityGroupId],
      tagSpecifications: [
        { resourceType: "instance", tags: instanceTags },
        { resourceType: "volume", tags: instanceTags },
      ],
      tags: { Name: `${clusterName}-nodes` },
      lifecycle: { createBeforeDestroy: true },
    });

    // The AMI type follows the instance types' architecture (the input's validation keeps them to
    // one): a Graviton type on the x86_64 AMI would never join the cluster.
    const amiType = Token.asString(
      ref(
        local(
          new TerraformLocal(
            stack,
            "node-ami-type",
            `\${anytrue([for t in ${varRef("nodeInstanceTypes")} : can(regex("${GRAVITON_INSTANCE_TYPE}", t))]) ? "${NODE_AMI_TYPES.arm64}" : "${NODE_AMI_TYPES.x86_64}"}`,
          ),
        ),
        stack,
      ),
    );
    const group = (
      groupId: "on-demand" | "spot",
      capacityType: "ON_DEMAND" | "SPOT",
      instanceTypes: string[],
    ) => {
      const sized = groupId === "spot" ? sizes.spot : sizes.onDemand;
      const size = (bound: "min" | "max" | "desired") =>
        Token.asNumber(ref(`${local(sized)}.${bound}`, stack));
      return new EksNodeGroup(this, groupId, {
        count: TerraformCount.of(
          Token.asNumber(ref(`${local(sizes.counts)}.${toSnakeCase(groupId)}`, stack)),
        ),
        clusterName: cluster.name,
        // A prefix, so a replacement (new instance types, AMI type) is created before the old
        // group is drained and deleted; the name stays within EKS's 63 characters.
        nodeGroupNamePrefix: `${groupId}-`,
        nodeRoleArn: nodeRole.role.arn,
        subnetIds: vars.privateSubnetIds,
        version: cluster.version,
        amiType,
        capacityType,
        instanceTypes,
        launchTemplate: {
          id: this.launchTemplate.id,
          version: Token.asString(this.launchTemplate.latestVersion),
        },
        scalingConfig: { minSize: size("min"), maxSize: size("max"), desiredSize: size("desired") },
        updateConfig: { maxUnavailablePercentage: vars.nodeMaxUnavailablePercentage },
        nodeRepairConfig: { enabled: true },
        labels: { "capacity-type": groupId },
        tags: {
          Name: `${clusterName}-${groupId}`,
          // EKS also puts these on the group's Auto Scaling group, where the cluster autoscaler's
          // auto-discovery looks for them; on the node group they document the intent.
          "k8s.io/cluster-autoscaler/enabled": "true",
          [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
        },
        lifecycle: {
          createBeforeDestroy: true,
          // The cluster autoscaler owns the node count after creation. Raising min above the
          // current count needs the count raised first (EKS rejects desired < min).
          ignoreChanges: ["scaling_config[0].desired_size"],
        },
        // The node role must be able to join and pull, and the VPC CNI add-on must exist, before
        // the first node boots; both stay until the last node is gone on destroy.
        dependsOn: [...nodeRole.attachments, ...(props.after ?? [])],
      });
    };
    this.onDemand = group("on-demand", "ON_DEMAND", Fn.slice(vars.nodeInstanceTypes, 0, 1));
    this.spot = group("spot", "SPOT", vars.nodeInstanceTypes);
  }

  /** Name of a counted node group, or "" when it has no instance. */
  static nameOf(group: EksNodeGroup): string {
    return Fn.join("", splat(group, "node_group_name"));
  }
}

/** The sizing locals: per group `{ min, max, desired }` and a 0/1 count. */
interface Sizing {
  readonly onDemand: TerraformLocal;
  readonly spot: TerraformLocal;
  readonly counts: TerraformLocal;
}

/**
 * The split of the node totals between the groups, the only place the formula lives. For each of
 * min, max and desired (total n, base b, spot percentage s):
 *   on_demand = min(n, b) + floor(max(n - b, 0) * (100 - s) / 100)
 *   spot      = n - on_demand
 * Both parts grow by 0 or 1 when n grows by 1, so min <= desired <= max holds in each group when
 * it holds for the totals. A group is created only when its max is at least 1. The locals sit at
 * the stack's top level so their names read plainly in the HCL (`local.node_on_demand`).
 */
function sizing(stack: TerraformStack): Sizing {
  const totals = new TerraformLocal(
    stack,
    "node-totals",
    `\${{ min = ${varRef("minNodes")}, max = ${varRef("maxNodes")}, desired = ${varRef("desiredNodes")} }}`,
  );
  const base = varRef("onDemandBaseNodes");
  const onDemand = new TerraformLocal(
    stack,
    "node-on-demand",
    `\${{ for bound, n in ${local(totals)} : bound => min(n, ${base}) + floor(max(n - ${base}, 0) * (100 - ${varRef("spotPercentage")}) / 100) }}`,
  );
  const spot = new TerraformLocal(
    stack,
    "node-spot",
    `\${{ for bound, n in ${local(totals)} : bound => n - ${local(onDemand)}[bound] }}`,
  );
  const counts = new TerraformLocal(
    stack,
    "node-group-counts",
    `\${{ on_demand = ${local(onDemand)}.max > 0 ? 1 : 0, spot = ${local(spot)}.max > 0 ? 1 : 0 }}`,
  );
  return { onDemand, spot, counts };
}
