import { AwsContext } from "../../kit/kms.ts";
import { defineModule } from "../../kit/module.ts";
import { ServiceAccountRole } from "../../kit/service-account-role.ts";
import { clusterAutoscalerStatements, loadBalancerControllerStatements } from "./iam.ts";
import { addonRolesInputs, type AddonRolesInputs } from "./inputs.ts";
import { addonRolesOutputs } from "./outputs.ts";

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
