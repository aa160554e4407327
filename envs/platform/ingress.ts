import { Fn } from "cdktf";
import type { PlatformContext } from "./context.ts";

/**
 * The way in: one internet-facing ALB per environment (an IngressGroup), shared by the API's and
 * Grafana's Ingresses. What is AWS-specific (certificate, scheme, TLS policy, redirect, target
 * type) sits in the IngressClassParams of the `alb` IngressClass the controller's chart creates,
 * so the API chart's Ingress names only its class and host. The ALB security group of
 * modules/security-groups is an Ingress annotation (IngressClassParams has no field for it in
 * controller v3.5.0), set once for the group on Grafana's Ingress, which the platform owns.
 * Without host names in `envs/<env>.ts` (`ingress`), none of this exists and nothing is exposed.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/ingress_class/
 */

/** The IngressClass of the ALB. */
export const INGRESS_CLASS = "alb";

/** TLS 1.3 and 1.2 only. */
export const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Whether the environment exposes anything (host names configured). */
export const exposed = (ctx: PlatformContext): boolean => ctx.config.ingress.apiHost !== "";

/** Values of the load balancer controller's chart for the `alb` IngressClass and its params. */
export function ingressClassValues(ctx: PlatformContext): Record<string, unknown> {
  if (!exposed(ctx)) return {};
  const { config } = ctx;
  return {
    ingressClass: INGRESS_CLASS,
    createIngressClassResource: true,
    ingressClassParams: {
      create: true,
      spec: {
        scheme: "internet-facing",
        group: { name: `${config.account.project}-${config.environment}` },
        certificateArn: [ctx.output("ingress_certificate_arn")],
        sslPolicy: SSL_POLICY,
        // HTTP on 80 answers with a redirect to HTTPS on 443.
        sslRedirectPort: "443",
        // Straight to pod IPs: what the API chart's NetworkPolicy allows (the public subnets).
        targetType: "ip",
      },
    },
  };
}

/**
 * Grafana's Ingress (kube-prometheus-stack `grafana.ingress`): HTTPS on the shared ALB, Grafana's
 * own login in front of everything (anonymous access is off by default; the admin password is the
 * chart-generated Secret, never in Terraform state).
 */
export function grafanaIngressValues(ctx: PlatformContext): Record<string, unknown> {
  if (!exposed(ctx)) return { enabled: false };
  return {
    enabled: true,
    ingressClassName: INGRESS_CLASS,
    hosts: [ctx.config.ingress.grafanaHost],
    path: "/",
    annotations: {
      // Group-wide (Exclusive) settings, given once for the ALB on this platform-owned Ingress.
      "alb.ingress.kubernetes.io/security-groups": ctx.output("alb_security_group_id"),
      // jsonencode at apply time: a literal JSON string would put double quotes inside the HCL
      // expression, which the tree's writer does not escape.
      "alb.ingress.kubernetes.io/listen-ports": Fn.jsonencode([{ HTTP: 80 }, { HTTPS: 443 }]),
      "alb.ingress.kubernetes.io/healthcheck-path": "/api/health",
    },
  };
}
