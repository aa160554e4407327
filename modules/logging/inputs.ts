import { common, stringListVar, stringVar, type InputSpec } from "../../kit/variables.ts";

/** Inputs of the logging module. */
export interface LoggingInputs {
  /** Prefix of every name, `<project>-<env>`. */
  name: string;
  clusterName: string;
  /** Kubernetes namespaces whose container logs are shipped, one log group each. */
  namespaces: string[];
  retentionDays: number;
  /** The cluster's IAM OIDC provider, for Fluent Bit's IRSA role. */
  oidcProviderArn: string;
  /** The issuer without `https://`, as IAM condition keys spell it. */
  oidcIssuerHost: string;
  /** Namespace and service account Fluent Bit runs as. */
  fluentBitNamespace?: string;
  fluentBitServiceAccount?: string;
  /** Namespace and service account of Grafana, whose CloudWatch data source reads logs and metrics. */
  grafanaNamespace?: string;
  grafanaServiceAccount?: string;
}

const k8sName = {
  regex: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  what: "a Kubernetes name (lower-case letters, digits, hyphens)",
};

/** Variable spec of the logging module. */
export const loggingInputs: InputSpec<LoggingInputs> = {
  name: common.name("Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev."),
  clusterName: stringVar({
    description: "Name of the EKS cluster; log groups are /aws/eks/<cluster>/<namespace>.",
  }),
  namespaces: stringListVar({
    description:
      "Kubernetes namespaces whose container logs Fluent Bit ships to CloudWatch, one log group each.",
    minItems: 1,
    item: k8sName,
  }),
  retentionDays: common.logRetentionDays(
    "Retention of the application log groups in days (a CloudWatch Logs retention period).",
  ),
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
  fluentBitNamespace: stringVar({
    description: "Namespace Fluent Bit runs in.",
    default: "amazon-cloudwatch",
    pattern: k8sName,
  }),
  fluentBitServiceAccount: stringVar({
    description: "Service account Fluent Bit runs as.",
    default: "fluent-bit",
    pattern: k8sName,
  }),
  grafanaNamespace: stringVar({
    description: "Namespace Grafana runs in (kube-prometheus-stack's).",
    default: "monitoring",
    pattern: k8sName,
  }),
  grafanaServiceAccount: stringVar({
    description:
      "Service account Grafana runs as; kube-prometheus-stack names it <release>-grafana.",
    default: "kube-prometheus-stack-grafana",
    pattern: k8sName,
  }),
};
