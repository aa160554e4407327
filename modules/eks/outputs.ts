import { stringOutput } from "../../kit/outputs.ts";

/** Outputs of the eks module. */
export const eksOutputs = {
  clusterName: stringOutput("Name of the EKS cluster."),
  clusterArn: stringOutput("ARN of the EKS cluster."),
  clusterEndpoint: stringOutput("HTTPS endpoint of the Kubernetes API server."),
  clusterCertificateAuthorityData: stringOutput(
    "Base64-encoded certificate authority data of the cluster, for kubeconfig and the helm/kubernetes providers.",
  ),
  clusterVersion: stringOutput("Kubernetes minor version of the control plane."),
  clusterSecurityGroupId: stringOutput(
    "ID of the security group EKS created for the cluster (control-plane ENIs and every node).",
  ),
  oidcProviderArn: stringOutput(
    "ARN of the cluster's IAM OIDC provider, the federated principal of IRSA trust policies.",
  ),
  oidcIssuerUrl: stringOutput("URL of the cluster's OIDC issuer (https://...)."),
  oidcIssuerHost: stringOutput(
    "OIDC issuer without `https://`, the prefix of IRSA trust-policy condition keys (`<host>:sub`, `<host>:aud`).",
  ),
  nodeRoleArn: stringOutput("ARN of the worker nodes' IAM role."),
  nodeRoleName: stringOutput("Name of the worker nodes' IAM role."),
  nodeSecurityGroupId: stringOutput(
    "ID of the worker nodes' security group (the input, passed through).",
  ),
  onDemandNodeGroupName: stringOutput(
    "Name of the on-demand managed node group; empty when the sizing gives it no nodes.",
  ),
  spotNodeGroupName: stringOutput(
    "Name of the spot managed node group; empty when the sizing gives it no nodes.",
  ),
  controlPlaneLogGroupName: stringOutput(
    "Name of the CloudWatch log group of the control-plane logs (/aws/eks/<cluster>/cluster).",
  ),
  ebsKmsKeyArn: stringOutput(
    "ARN of the KMS key encrypting the nodes' root volumes and the EBS CSI driver's persistent volumes (its role may use it).",
  ),
  ebsCsiDriverRoleArn: stringOutput(
    "ARN of the IAM role the EBS CSI driver's controller (kube-system/ebs-csi-controller-sa) assumes (IRSA).",
  ),
  ebsCsiAddonVersion: stringOutput(
    "Version of the aws-ebs-csi-driver managed add-on (the EKS default for the cluster version).",
  ),
} as const;
