import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
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
  readonly statements: DataAwsIamPolicyDocumentStatement[];
}

/**
 * An IAM role that exactly one Kubernetes service account may assume through the cluster's OIDC
 * provider (`StringEquals` on `<issuer>:sub` and `<issuer>:aud`), with one inline policy.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export class ServiceAccountRole extends Construct {
  readonly arn: string;

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
    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.json,
      tags: { Name: props.roleName },
    });
    const policy = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: props.statements,
    });
    new IamRolePolicy(this, "policy", {
      name: props.policyName,
      role: role.id,
      policy: policy.json,
    });
    this.arn = role.arn;
  }
}
