import {
  boolVar,
  numberVar,
  stringListVar,
  stringVar,
  type InputSpec,
} from "../../kit/variables.ts";

/** Inputs of the opensearch module. */
export interface OpenSearchInputs {
  /** Prefix of every name, `<project>-<env>`; the domain is `<name>-logs`. */
  name: string;
  /** Whether to create the domain at all; false creates nothing. @default false */
  enabled?: boolean;
  /** ID of the VPC the domain's network interfaces live in. */
  vpcId: string;
  /** Private subnets; the domain uses the first two (one per zone). */
  subnetIds: string[];
  /** Security group of the clients (the EKS nodes, where Fluent Bit and the setup job run). */
  clientSecurityGroupId: string;
  /** OpenSearch engine version. @default "OpenSearch_2.19" */
  engineVersion?: string;
  /** Data node instance type. @default "t3.small.search" */
  instanceType?: string;
  /** Data nodes, an even number spread over two zones. @default 2 */
  instanceCount?: number;
  /** gp3 volume per data node, GiB. @default 20 */
  volumeGb?: number;
  /** The cluster's IAM OIDC provider, for the admin role's IRSA trust. */
  oidcProviderArn: string;
  /** The issuer without `https://`, as IAM condition keys spell it. */
  oidcIssuerHost: string;
  /** IAM role that writes log documents (Fluent Bit's IRSA role from the logging module). */
  writerRoleArn: string;
  /** Namespace and service account of the setup job that applies role mapping and ISM policy. */
  setupNamespace?: string;
  setupServiceAccount?: string;
}

const k8sName = {
  regex: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
  what: "a Kubernetes name (lower-case letters, digits, hyphens)",
};

/** Variable spec of the opensearch module. */
export const openSearchInputs: InputSpec<OpenSearchInputs> = {
  name: stringVar({
    description:
      "Prefix of every resource name, `<project>-<environment>`; the domain is `<name>-logs`, which OpenSearch limits to 28 characters.",
    pattern: {
      regex: "^[a-z][a-z0-9-]{1,22}$",
      what: "3-23 lower-case letters, digits or hyphens starting with a letter (the domain name `<name>-logs` may have at most 28)",
    },
  }),
  enabled: boolVar({
    description:
      "Whether to create the OpenSearch domain; false creates no resources and leaves the outputs empty.",
    default: false,
  }),
  vpcId: stringVar({
    description: "ID of the VPC of the domain's security group.",
    pattern: { regex: "^vpc-[0-9a-f]+$", what: "a VPC id such as vpc-0abc123" },
  }),
  subnetIds: stringListVar({
    description:
      "IDs of the private subnets; the domain places one network interface in each of the first two.",
    minItems: 2,
    item: { regex: "^subnet-[0-9a-f]+$", what: "subnet ids such as subnet-0abc123" },
  }),
  clientSecurityGroupId: stringVar({
    description:
      "ID of the security group allowed to reach the domain on HTTPS (443): the EKS nodes' group.",
    pattern: { regex: "^sg-[0-9a-f]+$", what: "a security group id such as sg-0abc123" },
  }),
  engineVersion: stringVar({
    description: "OpenSearch engine version, e.g. OpenSearch_2.19.",
    default: "OpenSearch_2.19",
    pattern: { regex: "^OpenSearch_[0-9]+\\.[0-9]+$", what: "OpenSearch_<major>.<minor>" },
  }),
  instanceType: stringVar({
    description:
      "Instance type of the data nodes, e.g. t3.small.search (dev) or m6g.large.search (production).",
    default: "t3.small.search",
    pattern: {
      regex: "^[a-z][a-z0-9]*\\.(small|medium|large|[0-9]*xlarge)\\.search$",
      what: "an OpenSearch instance type such as t3.small.search",
    },
  }),
  instanceCount: numberVar({
    description:
      "Number of data nodes, an even number from 2 to 10, spread evenly over two Availability Zones.",
    default: 2,
    oneOf: [2, 4, 6, 8, 10],
  }),
  volumeGb: numberVar({
    description: "Size of each data node's gp3 EBS volume in GiB (10 to 1000).",
    default: 20,
    min: 10,
    max: 1000,
  }),
  oidcProviderArn: stringVar({
    description: "ARN of the cluster's IAM OIDC provider (IRSA of the setup job's admin role).",
    pattern: {
      regex: "^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$",
      what: "an IAM OIDC provider ARN",
    },
  }),
  oidcIssuerHost: stringVar({
    description: "The cluster's OIDC issuer without the https:// scheme.",
  }),
  writerRoleArn: stringVar({
    description:
      "ARN of the IAM role that writes log documents (Fluent Bit's IRSA role); the setup job maps it to the log writer role.",
    pattern: { regex: "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", what: "an IAM role ARN" },
  }),
  setupNamespace: stringVar({
    description: "Namespace of the setup job that assumes the admin (master) role.",
    default: "amazon-cloudwatch",
    pattern: k8sName,
  }),
  setupServiceAccount: stringVar({
    description: "Service account of the setup job that assumes the admin (master) role.",
    default: "opensearch-setup",
    pattern: k8sName,
  }),
};
