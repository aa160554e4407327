import { stringVar, common, type InputSpec } from "../../kit/variables.ts";

/** Inputs of the addon-roles module. */
export interface AddonRolesInputs {
  /** Prefix of every name, `<project>-<env>`. */
  name: string;
  /** Name of the EKS cluster; scopes the autoscaler's write actions through the ASG tag. */
  clusterName: string;
  /** The cluster's IAM OIDC provider, the federated principal of every role. */
  oidcProviderArn: string;
  /** The issuer without `https://`, as IAM condition keys spell it. */
  oidcIssuerHost: string;
  /** Namespace and service account of the cluster autoscaler. */
  clusterAutoscalerNamespace?: string;
  clusterAutoscalerServiceAccount?: string;
  /** Namespace and service account of the AWS Load Balancer Controller. */
  loadBalancerControllerNamespace?: string;
  loadBalancerControllerServiceAccount?: string;
}

const k8sName = {
  regex: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  what: "a Kubernetes name (lower-case letters, digits, hyphens)",
};

/** Variable spec of the addon-roles module. */
export const addonRolesInputs: InputSpec<AddonRolesInputs> = {
  name: common.name("Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev."),
  clusterName: stringVar({
    description:
      "Name of the EKS cluster; the autoscaler may only resize Auto Scaling groups tagged k8s.io/cluster-autoscaler/<cluster> = owned.",
    pattern: {
      regex: "^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$",
      what: "an EKS cluster name (letters, digits, hyphens, underscores; at most 100)",
    },
  }),
  oidcProviderArn: stringVar({
    description: "ARN of the cluster's IAM OIDC provider (IRSA).",
    pattern: {
      regex: "^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$",
      what: "an IAM OIDC provider ARN",
    },
  }),
  oidcIssuerHost: stringVar({
    description: "The cluster's OIDC issuer without the https:// scheme.",
  }),
  clusterAutoscalerNamespace: stringVar({
    description: "Namespace the cluster autoscaler runs in.",
    default: "kube-system",
    pattern: k8sName,
  }),
  clusterAutoscalerServiceAccount: stringVar({
    description: "Service account the cluster autoscaler runs as.",
    default: "cluster-autoscaler",
    pattern: k8sName,
  }),
  loadBalancerControllerNamespace: stringVar({
    description: "Namespace the AWS Load Balancer Controller runs in.",
    default: "kube-system",
    pattern: k8sName,
  }),
  loadBalancerControllerServiceAccount: stringVar({
    description: "Service account the AWS Load Balancer Controller runs as.",
    default: "aws-load-balancer-controller",
    pattern: k8sName,
  }),
};
