import { PATTERNS } from "../../kit/patterns.ts";
import { common, stringListVar, stringVar, type InputSpec } from "../../kit/variables.ts";

/** Inputs of the alerts module. */
export interface AlertsInputs {
  /** Prefix of every name, `<project>-<env>`. */
  name: string;
  /** Who receives the cluster's alerts by e-mail (subscriptions of the topic, confirmed by mail). */
  alertEmails: string[];
  /** The cluster's IAM OIDC provider, the federated principal of Alertmanager's role. */
  oidcProviderArn: string;
  /** The issuer without `https://`, as IAM condition keys spell it. */
  oidcIssuerHost: string;
  /** Namespace and service account of Alertmanager. */
  alertmanagerNamespace?: string;
  alertmanagerServiceAccount?: string;
}

const k8sName = {
  regex: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  what: "a Kubernetes name (lower-case letters, digits, hyphens)",
};

/** Variable spec of the alerts module. */
export const alertsInputs: InputSpec<AlertsInputs> = {
  name: common.name(
    "Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev; the topic is `<name>-alerts`.",
  ),
  alertEmails: stringListVar({
    description:
      "E-mail addresses subscribed to the alert topic, 1 to 10; each confirms its subscription from the mail AWS sends.",
    minItems: 1,
    maxItems: 10,
    item: { regex: PATTERNS.email, what: "e-mail addresses" },
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
  alertmanagerNamespace: stringVar({
    description: "Namespace Alertmanager runs in (kube-prometheus-stack's).",
    default: "monitoring",
    pattern: k8sName,
  }),
  alertmanagerServiceAccount: stringVar({
    description: "Service account Alertmanager runs as.",
    default: "alertmanager",
    pattern: k8sName,
  }),
};
