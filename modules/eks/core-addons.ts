import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import type { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import type { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { Construct } from "constructs";
import type { AwsContext } from "../../kit/kms.ts";
import { ServiceAccountRole } from "../../kit/service-account-role.ts";

/** Where EKS runs the VPC CNI daemon set (`aws-node`); the IRSA role trusts exactly this. */
export const VPC_CNI_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  serviceAccount: "aws-node",
} as const;

/** AWS-managed policy of the VPC CNI (assign ENIs and IPs to nodes). */
export const VPC_CNI_MANAGED_POLICY = "AmazonEKS_CNI_Policy";

/**
 * Configuration of the `vpc-cni` add-on: the network policy agent enforces Kubernetes
 * NetworkPolicy objects (the chart's policies are inert without it). The schema's value is the
 * string "true".
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: "true" } as const;

/** Props of the core add-ons. */
export interface CoreAddonsProps {
  readonly context: AwsContext;
  readonly cluster: EksCluster;
  readonly clusterName: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuerHost: string;
}

/**
 * The three add-ons every EKS cluster runs, as EKS managed add-ons so a cluster version upgrade
 * moves them too: `vpc-cni` (IRSA role for `aws-node`, network policy enforcement on) before any
 * node exists — a node's pods get IPs only through it, so the nodes wait for it — and `coredns`
 * plus `kube-proxy` through {@link CoreAddons.afterNodes} (coredns needs a node to report ACTIVE).
 *
 * Versions: `data.aws_eks_addon_version` with `most_recent = true` for the cluster's Kubernetes
 * version, re-resolved on every plan; raising `cluster_version` raises them in the same apply.
 * Conflicts: EKS takes ownership on create (it adopts the self-managed objects EKS installed with
 * the cluster) and keeps hand edits on update (`PRESERVE`), so an upgrade never silently reverts
 * an operator's emergency change; the configuration we set is applied either way.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managing-add-ons.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html
 */
export class CoreAddons extends Construct {
  readonly vpcCniRole: ServiceAccountRole;
  readonly vpcCni: EksAddon;
  private readonly props: CoreAddonsProps;

  constructor(scope: Construct, id: string, props: CoreAddonsProps) {
    super(scope, id);
    this.props = props;
    const { context, clusterName } = props;
    this.vpcCniRole = new ServiceAccountRole(this, "vpc-cni-role", {
      roleName: `${clusterName}-vpc-cni`,
      description: "VPC CNI (IRSA for kube-system/aws-node): assigns ENIs and pod IPs",
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerHost: props.oidcIssuerHost,
      ...VPC_CNI_SERVICE_ACCOUNT,
      // Everything it needs is in the managed policy: no inline policy.
      policyName: "none",
      statements: [],
      managedPolicyArns: {
        "cni-policy": `arn:${context.partition}:iam::aws:policy/${VPC_CNI_MANAGED_POLICY}`,
      },
    });
    this.vpcCni = this.addon("vpc-cni", {
      serviceAccountRoleArn: this.vpcCniRole.arn,
      configurationValues: JSON.stringify(VPC_CNI_CONFIGURATION),
      dependsOn: this.vpcCniRole.attachments,
    });
  }

  /** `coredns` and `kube-proxy`, created once the node groups exist. */
  afterNodes(nodeGroups: EksNodeGroup[]): EksAddon[] {
    return ["coredns", "kube-proxy"].map((name) => this.addon(name, { dependsOn: nodeGroups }));
  }

  private addon(
    name: string,
    extra: Pick<
      ConstructorParameters<typeof EksAddon>[2],
      "serviceAccountRoleArn" | "configurationValues" | "dependsOn"
    >,
  ): EksAddon {
    const { cluster, clusterName } = this.props;
    const version = new DataAwsEksAddonVersion(this, `${name}-version`, {
      addonName: name,
      kubernetesVersion: cluster.version,
      mostRecent: true,
    });
    return new EksAddon(this, name, {
      clusterName: cluster.name,
      addonName: name,
      addonVersion: version.version,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      tags: { Name: `${clusterName}-${name}` },
      ...extra,
    });
  }
}
