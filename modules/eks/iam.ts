import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import type { AwsContext } from "../../kit/kms.ts";

/** Props of a service role with AWS-managed policies. */
export interface ServiceRoleProps {
  readonly context: AwsContext;
  /** Role name. */
  readonly name: string;
  readonly description: string;
  /** Service principal that assumes the role, e.g. `eks.amazonaws.com`. */
  readonly service: string;
  /** AWS-managed policies to attach by construct id, e.g. `{ cluster: "AmazonEKSClusterPolicy" }`. */
  readonly managedPolicies: Readonly<Record<string, string>>;
}

/**
 * An IAM role one AWS service assumes, with AWS-managed policies attached one attachment each
 * (`attachments`, so dependents can wait for them with `depends_on`).
 */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: [props.service] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: props.description,
      assumeRolePolicy: trust.json,
      tags: { Name: props.name },
    });
    this.attachments = Object.entries(props.managedPolicies).map(
      ([policyId, policy]) =>
        new IamRolePolicyAttachment(this, policyId, {
          role: this.role.name,
          policyArn: `arn:${props.context.partition}:iam::aws:policy/${policy}`,
        }),
    );
  }
}

/**
 * Policies of the worker nodes: join the cluster, pull images from ECR, and be reachable with Session Manager
 * instead of SSH.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 */
export const NODE_POLICIES = {
  "worker-node": "AmazonEKSWorkerNodePolicy",
  "ecr-read-only": "AmazonEC2ContainerRegistryReadOnly",
  ssm: "AmazonSSMManagedInstanceCore",
} as const;

/** @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html */
export const CLUSTER_POLICIES = { cluster: "AmazonEKSClusterPolicy" } as const;
