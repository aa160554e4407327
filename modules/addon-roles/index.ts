import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Construct } from "constructs";
import { AwsContext } from "../../kit/kms.ts";
import { defineModule } from "../../kit/module.ts";
import { clusterAutoscalerStatements, loadBalancerControllerStatements } from "./iam.ts";
import { addonRolesInputs, type AddonRolesInputs } from "./inputs.ts";
import { addonRolesOutputs } from "./outputs.ts";

/** Props of one IRSA role. */
interface ServiceAccountRoleProps {
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
class ServiceAccountRole extends Construct {
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

/**
 * IRSA roles of the cluster add-ons the platform stack installs: the cluster autoscaler (resizes
 * only this cluster's Auto Scaling groups) and the AWS Load Balancer Controller (its published
 * policy). Each role trusts one service account only.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
export const addonRoles = defineModule({
  name: "addon-roles",
  description:
    "IRSA roles for the cluster add-ons (cluster autoscaler, AWS Load Balancer Controller), each trusted by one service account.",
  inputs: addonRolesInputs,
  outputs: addonRolesOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const irsa = {
      oidcProviderArn: vars.oidcProviderArn,
      oidcIssuerHost: vars.oidcIssuerHost,
    };
    const autoscaler = new ServiceAccountRole(scope, "cluster-autoscaler", {
      ...irsa,
      roleName: `${vars.name}-cluster-autoscaler`,
      description: "Cluster autoscaler (IRSA): resizes the cluster's own Auto Scaling groups",
      namespace: vars.clusterAutoscalerNamespace,
      serviceAccount: vars.clusterAutoscalerServiceAccount,
      policyName: "resize-cluster-node-groups",
      statements: clusterAutoscalerStatements(
        vars.clusterName,
        context.arn("eks", `nodegroup/${vars.clusterName}/*`),
      ),
    });
    const controller = new ServiceAccountRole(scope, "load-balancer-controller", {
      ...irsa,
      roleName: `${vars.name}-load-balancer-controller`,
      description:
        "AWS Load Balancer Controller (IRSA): manages the ALBs/NLBs and target groups it tags",
      namespace: vars.loadBalancerControllerNamespace,
      serviceAccount: vars.loadBalancerControllerServiceAccount,
      policyName: "aws-load-balancer-controller",
      statements: loadBalancerControllerStatements(context.partition),
    });
    return {
      clusterAutoscalerRoleArn: autoscaler.arn,
      loadBalancerControllerRoleArn: controller.arn,
    };
  },
});

export type { AddonRolesInputs };
