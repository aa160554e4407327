import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Fn, TerraformLocal, Token, type IResolvable } from "cdktf";
import { defineModule } from "../../kit/module.ts";
import { AwsContext, cloudWatchLogsKeyStatement, EncryptionKey } from "../../kit/kms.ts";
import { ClusterAccess } from "./access.ts";
import { ControlPlaneRules } from "./control-plane-rules.ts";
import { CoreAddons } from "./core-addons.ts";
import { EbsCsiDriver } from "./ebs-csi.ts";
import { CLUSTER_POLICIES, NODE_POLICIES, ServiceRole } from "./iam.ts";
import { eksInputs, varRef, type EksInputs } from "./inputs.ts";
import { NodeGroups } from "./node-groups.ts";
import { eksOutputs } from "./outputs.ts";

/** Module name: folder, stack and `Component` tag. */
const COMPONENT = "eks";

/** Every control-plane log type EKS can send to CloudWatch Logs. */
export const CONTROL_PLANE_LOG_TYPES = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;

/**
 * EKS cluster with envelope-encrypted secrets, every control-plane log type in a KMS-encrypted log
 * group the module owns, a private API endpoint (public only for listed CIDRs), access entries
 * instead of the aws-auth ConfigMap, an IAM OIDC provider for IRSA, an on-demand plus a spot
 * managed node group sized from one set of totals, the core add-ons (vpc-cni with IRSA and
 * network policy enforcement, coredns, kube-proxy) and the EBS CSI driver add-on (persistent
 * volumes encrypted with the nodes' EBS key).
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/introduction.html
 */
export const eks = defineModule({
  name: COMPONENT,
  description:
    "EKS cluster with KMS-encrypted secrets, all control-plane logs in a KMS-encrypted log group, a private endpoint, access entries, an IRSA OIDC provider, on-demand plus spot managed node groups (IMDSv2, encrypted gp3, no SSH), managed core add-ons (vpc-cni with IRSA and network policy, coredns, kube-proxy), and the EBS CSI driver managed add-on with its IRSA role.",
  inputs: eksInputs,
  outputs: eksOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const clusterName = `${vars.name}-eks`;

    const clusterRole = new ServiceRole(scope, "cluster-role", {
      context,
      name: `${clusterName}-cluster`,
      description: `Lets the EKS control plane of ${clusterName} manage AWS resources`,
      service: "eks.amazonaws.com",
      managedPolicies: CLUSTER_POLICIES,
    });
    const nodeRole = new ServiceRole(scope, "node-role", {
      context,
      name: `${clusterName}-nodes`,
      description: `Worker nodes of ${clusterName}: join the cluster, VPC CNI, ECR pulls, Session Manager`,
      service: "ec2.amazonaws.com",
      managedPolicies: NODE_POLICIES,
    });

    // Envelope encryption of Kubernetes secrets: the control plane (as the cluster role) wraps
    // each secret's data key with this key.
    // @see https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html
    const secretsKey = new EncryptionKey(scope, "secrets-key", {
      context,
      alias: `${clusterName}-secrets`,
      description: `Envelope encryption of the Kubernetes secrets of ${clusterName}`,
      serviceStatements: [
        {
          sid: "ClusterRoleUseKey",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          resources: ["*"],
          principals: [{ type: "AWS", identifiers: [clusterRole.role.arn] }],
        },
      ],
    });

    // Created before the cluster: otherwise EKS creates the group itself on the first log line,
    // with no retention or key, and a later Terraform create of the same name collides with it.
    const logsKey = new EncryptionKey(scope, "logs-key", {
      context,
      alias: `${clusterName}-logs`,
      description: `Encrypts the control-plane logs of ${clusterName}`,
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });
    const logGroup = new CloudwatchLogGroup(scope, "log-group", {
      name: `/aws/eks/${clusterName}/cluster`,
      retentionInDays: vars.logRetentionDays,
      kmsKeyId: logsKey.arn,
      tags: { Name: `${clusterName}-control-plane` },
    });

    // Written out rather than with Op/Fn: CDKTF's HCL renderer drops literal 0 operands.
    const cidrs = varRef("publicAccessCidrs");
    const publicEndpoint = `length(${cidrs}) > 0`;
    const cluster = new EksCluster(scope, "cluster", {
      name: clusterName,
      version: vars.clusterVersion,
      roleArn: clusterRole.role.arn,
      vpcConfig: {
        subnetIds: vars.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: Token.asAny(`\${${publicEndpoint}}`) as IResolvable,
        // null when private: EKS then keeps its inert default instead of a perpetual diff.
        publicAccessCidrs: Token.asList(Token.asAny(`\${${publicEndpoint} ? ${cidrs} : null}`)),
      },
      accessConfig: {
        // Access entries only: no aws-auth ConfigMap, and no hidden admin for whoever applied.
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: false,
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: secretsKey.arn } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      upgradePolicy: { supportType: vars.supportType },
      tags: { Name: clusterName },
      // The role needs its policy before the control plane starts and until it is deleted.
      dependsOn: [logGroup, ...clusterRole.attachments],
    });

    // IRSA: one IAM role per service account, trusted through this provider. The AWS provider 5.x
    // fills in the thumbprint itself (IAM no longer checks it for EKS issuers).
    // @see https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html
    const issuer = cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new IamOpenidConnectProvider(scope, "oidc-provider", {
      url: issuer,
      clientIdList: ["sts.amazonaws.com"],
      tags: { Name: `${clusterName}-irsa` },
    });

    new ClusterAccess(scope, "access", { context, vars, clusterName: cluster.name });

    // One name for the group EKS creates, read by the rules and the output (and replaced by the
    // offline rehearsal's stand-in: the emulator's cluster has none).
    const clusterSecurityGroupId = new TerraformLocal(
      scope,
      "cluster-security-group-id",
      cluster.vpcConfig.clusterSecurityGroupId,
    ).asString;
    const controlPlaneRules = new ControlPlaneRules(scope, "control-plane", {
      clusterSecurityGroupId,
      nodeSecurityGroupId: vars.nodeSecurityGroupId,
    });

    const oidcIssuerHost = Fn.replace(issuer, "https://", "");
    const coreAddons = new CoreAddons(scope, "addons", {
      context,
      cluster,
      clusterName,
      oidcProviderArn: oidc.arn,
      oidcIssuerHost,
    });

    const nodes = new NodeGroups(scope, "nodes", {
      context,
      vars,
      cluster,
      clusterName,
      nodeRole,
      component: COMPONENT,
      after: [coreAddons.vpcCni, ...controlPlaneRules.rules],
    });
    coreAddons.afterNodes([nodes.onDemand, nodes.spot]);

    const ebsCsi = new EbsCsiDriver(scope, "ebs-csi", {
      context,
      cluster,
      clusterName,
      oidcProviderArn: oidc.arn,
      oidcIssuerHost,
      ebsKeyArn: nodes.ebsKey.arn,
      nodeGroups: [nodes.onDemand, nodes.spot],
    });

    return {
      clusterName: cluster.name,
      clusterArn: cluster.arn,
      clusterEndpoint: cluster.endpoint,
      clusterCertificateAuthorityData: cluster.certificateAuthority.get(0).data,
      clusterVersion: cluster.version,
      clusterSecurityGroupId,
      oidcProviderArn: oidc.arn,
      oidcIssuerUrl: issuer,
      oidcIssuerHost,
      nodeRoleArn: nodeRole.role.arn,
      nodeRoleName: nodeRole.role.name,
      nodeSecurityGroupId: vars.nodeSecurityGroupId,
      onDemandNodeGroupName: NodeGroups.nameOf(nodes.onDemand),
      spotNodeGroupName: NodeGroups.nameOf(nodes.spot),
      controlPlaneLogGroupName: logGroup.name,
      ebsKmsKeyArn: nodes.ebsKey.arn,
      ebsCsiDriverRoleArn: ebsCsi.role.arn,
      ebsCsiAddonVersion: ebsCsi.addon.addonVersion,
    };
  },
});

export type { EksInputs };
