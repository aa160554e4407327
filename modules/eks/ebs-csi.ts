import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import type { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import type { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { Construct } from "constructs";
import type { AwsContext } from "../../kit/kms.ts";
import { ServiceAccountRole } from "../../kit/service-account-role.ts";

/** Name of the EKS managed add-on. */
export const EBS_CSI_ADDON = "aws-ebs-csi-driver";

/**
 * Where the managed add-on runs its controller; EKS fixes both, so they are not inputs. The IRSA
 * role trusts exactly this service account.
 */
export const EBS_CSI_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  serviceAccount: "ebs-csi-controller-sa",
} as const;

/** AWS-managed policy of the driver (create/attach/delete volumes and snapshots it tags). */
export const EBS_CSI_MANAGED_POLICY = "service-role/AmazonEBSCSIDriverPolicy";

/** Props of the EBS CSI driver. */
export interface EbsCsiDriverProps {
  readonly context: AwsContext;
  readonly cluster: EksCluster;
  readonly clusterName: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuerHost: string;
  /** The customer-managed key the driver may encrypt volumes with (the nodes' EBS key). */
  readonly ebsKeyArn: string;
  /** The node groups; the add-on's pods need a node before EKS reports it ACTIVE. */
  readonly nodeGroups: EksNodeGroup[];
}

/**
 * The EBS CSI driver as an EKS managed add-on, with an IRSA role for its controller: the AWS
 * managed `AmazonEBSCSIDriverPolicy` plus use of the nodes' EBS key for encrypted volumes.
 *
 * KMS: the key policy of every `EncryptionKey` gives the account root `kms:*`, which delegates key
 * use to IAM; the inline policy below (scoped to this one key) is therefore enough and the key
 * policy needs no statement naming this role (one would also tie the key's policy to the role's
 * lifetime). Grants are limited to AWS resources (`kms:GrantIsForAWSResource`): EC2 creates one
 * per volume attachment.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/csi-iam-role.html
 */
export class EbsCsiDriver extends Construct {
  readonly role: ServiceAccountRole;
  readonly addon: EksAddon;

  constructor(scope: Construct, id: string, props: EbsCsiDriverProps) {
    super(scope, id);
    const { context, cluster, clusterName } = props;
    this.role = new ServiceAccountRole(this, "role", {
      roleName: `${clusterName}-ebs-csi-driver`,
      description: "EBS CSI driver controller (IRSA): creates, attaches and deletes EBS volumes",
      oidcProviderArn: props.oidcProviderArn,
      oidcIssuerHost: props.oidcIssuerHost,
      ...EBS_CSI_SERVICE_ACCOUNT,
      policyName: "use-ebs-kms-key",
      statements: [
        {
          sid: "GrantsForAttachedVolumes",
          actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
          resources: [props.ebsKeyArn],
          condition: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
        },
        {
          sid: "EncryptVolumes",
          actions: [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
          ],
          resources: [props.ebsKeyArn],
        },
      ],
      managedPolicyArns: {
        "ebs-csi-driver-policy": `arn:${context.partition}:iam::aws:policy/${EBS_CSI_MANAGED_POLICY}`,
      },
    });

    // The default (not the newest) version for the cluster's Kubernetes version: it moves with
    // cluster upgrades, and EKS has validated it for that version.
    const version = new DataAwsEksAddonVersion(this, "version", {
      addonName: EBS_CSI_ADDON,
      kubernetesVersion: cluster.version,
      mostRecent: false,
    });

    // EKS reports the add-on ACTIVE only once its controller pods run, so it needs nodes: wait for
    // the node groups (a group the sizing leaves out has count 0 and is simply no dependency), and
    // for the role's policies so the controller's first API calls are authorised.
    this.addon = new EksAddon(this, "addon", {
      clusterName: cluster.name,
      addonName: EBS_CSI_ADDON,
      addonVersion: version.version,
      serviceAccountRoleArn: this.role.arn,
      // EKS owns the add-on's objects; fields edited by hand are overwritten.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: { Name: `${clusterName}-${EBS_CSI_ADDON}` },
      dependsOn: [
        ...props.nodeGroups,
        ...(this.role.policy ? [this.role.policy] : []),
        ...this.role.attachments,
      ],
    });
  }
}
