import type { Release } from "@cdktf/provider-helm/lib/release";
import { ADDON_ACCOUNTS } from "./accounts.ts";
import type { PlatformContext } from "./context.ts";
import { ingressClassValues } from "./ingress.ts";
import { pinnedRelease, ROLE_ANNOTATION, type PinnedChart } from "./release.ts";

/**
 * AWS Load Balancer Controller v3.5.0. Its docs/install/iam_policy.json is byte-identical to
 * v2.14.0's, the policy modules/addon-roles carries (compared at the tags v2.14.0 and v3.5.0 of
 * github.com/kubernetes-sigs/aws-load-balancer-controller, 2026-11-28).
 */
export const AWS_LOAD_BALANCER_CONTROLLER_CHART = {
  chart: "aws-load-balancer-controller",
  repository: "https://aws.github.io/eks-charts",
  // Verified 2026-11-28: stable/aws-load-balancer-controller/Chart.yaml at 5239609 (2026-08-03) of
  // github.com/aws/eks-charts (no per-chart tags), the newest; appVersion v3.5.0.
  version: "3.5.0",
} as const satisfies PinnedChart;

/**
 * Installs the AWS Load Balancer Controller (ALBs for Ingresses, target groups in IP mode) with
 * its IRSA role. Install it first: its webhooks intercept Services and pods, so it must be up
 * before other charts.
 */
export function installLoadBalancerController(ctx: PlatformContext): Release {
  const lbc = ADDON_ACCOUNTS.loadBalancerController;
  return pinnedRelease(
    ctx.scope,
    "aws-load-balancer-controller",
    AWS_LOAD_BALANCER_CONTROLLER_CHART,
    lbc.namespace,
    {
      clusterName: ctx.clusterName,
      // Nodes allow IMDS hop limit 1, so pods cannot look up the region and VPC themselves.
      region: ctx.region,
      vpcId: ctx.output("vpc_id"),
      replicaCount: ctx.config.platform.loadBalancerControllerReplicas,
      serviceAccount: {
        create: true,
        name: lbc.serviceAccount,
        annotations: { [ROLE_ANNOTATION]: ctx.output("load_balancer_controller_role_arn") },
      },
      ...ingressClassValues(ctx),
    },
  );
}
