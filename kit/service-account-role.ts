import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";

/** Props of one IRSA role. */
export interface ServiceAccountRoleProps {
  readonly roleName: string;
  readonly description: string;
  readonly oidcProviderArn: string;
  readonly oidcIssuerHost: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly policyName: string;
  /** Inline policy statements; empty = no inline policy (the managed policies say it all). */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /**
   * Managed policies to attach by construct id, e.g.
   * `{ "ebs-csi": "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" }` (full ARNs,
   * so the caller spells the partition). One `aws_iam_role_policy_attachment` each.
   * @default {}
   */
  readonly managedPolicyArns?: Readonly<Record<string, string>>;
}

/**
 * An IAM role that exactly one Kubernetes service account may assume through the cluster's OIDC
 * provider (`StringEquals` on `<issuer>:sub` and `<issuer>:aud`), with one inline policy and,
 * optionally, managed policies (`attachments`, so dependents can wait for them with `depends_on`).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export class ServiceAccountRole extends Construct {
  readonly arn: string;
  readonly role: IamRole;
  /** The inline policy; undefined when `statements` is empty. */
  readonly policy?: IamRolePolicy;
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    const subject = `system:serviceaccount:${props.namespace}:${props.serviceAccount}`;
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${props.oidcIssuerHost}:sub`, values: [subject] },
            {
              test: "StringEquals",
              variable: `${props.oidcIssuerHost}:aud`,
              values: ["sts.amazonaws.com"],
            },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.json,
      tags: { Name: props.roleName },
    });
    if (props.statements.length > 0) {
      const policy = new DataAwsIamPolicyDocument(this, "permissions", {
        statement: props.statements,
      });
      this.policy = new IamRolePolicy(this, "policy", {
        name: props.policyName,
        role: this.role.id,
        policy: policy.json,
      });
    }
    this.attachments = Object.entries(props.managedPolicyArns ?? {}).map(
      ([policyId, policyArn]) =>
        new IamRolePolicyAttachment(this, policyId, { role: this.role.name, policyArn }),
    );
    this.arn = this.role.arn;
  }
}
