import { App, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { EnvironmentStack } from "../root-stack.ts";
import { defineEnvironment } from "../schema.ts";
import { dev } from "../dev.ts";
import { ENVIRONMENTS } from "../index.ts";
import { platformReleases, withIngress } from "./chart-keys-releases.ts";
import { PlatformStack } from "./index.ts";

/**
 * Fields of IngressClassParams (elbv2.k8s.aws/v1beta1) in the pinned controller chart's CRDs
 * (github.com/aws/eks-charts 5239609, stable/aws-load-balancer-controller/crds/crds.yaml, read
 * 2026-11-28). It has no security-group field, hence the annotation on Grafana's Ingress.
 */
const INGRESS_CLASS_PARAMS_FIELDS = [
  "PrefixListsIDs",
  "certificateArn",
  "group",
  "inboundCIDRs",
  "ipAddressType",
  "ipamConfiguration",
  "listeners",
  "loadBalancerAttributes",
  "loadBalancerName",
  "minimumLoadBalancerCapacity",
  "namespaceSelector",
  "prefixListsIDs",
  "scheme",
  "sslPolicy",
  "sslRedirectPort",
  "subnets",
  "tags",
  "targetType",
  "wafv2AclArn",
  "wafv2AclName",
];

const valuesOf = (config: typeof dev, chart: string) =>
  platformReleases(new PlatformStack(new App(), config)).find((r) => r.chart.chart === chart)!
    .values as Record<string, Record<string, unknown>>;

describe("ingress with host names configured", () => {
  const config = withIngress(dev);

  it("gives the alb IngressClass params with the certificate, internet-facing scheme, group, TLS policy and redirect", () => {
    const lbc = valuesOf(config, "aws-load-balancer-controller");
    expect(lbc.ingressClass).toBe("alb");
    const params = lbc.ingressClassParams as { create: boolean; spec: Record<string, unknown> };
    expect(params.create).toBe(true);
    expect(params.spec).toMatchObject({
      scheme: "internet-facing",
      group: { name: "expense-dev" },
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      sslRedirectPort: "443",
      targetType: "ip",
    });
    expect(params.spec.certificateArn).toHaveLength(1);
    for (const field of Object.keys(params.spec))
      expect(INGRESS_CLASS_PARAMS_FIELDS).toContain(field);
  });

  it("puts Grafana on the ALB over HTTPS with the network module's ALB security group", () => {
    const ingress = valuesOf(config, "kube-prometheus-stack").grafana!.ingress as {
      enabled: boolean;
      ingressClassName: string;
      hosts: string[];
      annotations: Record<string, string>;
    };
    expect(ingress).toMatchObject({
      enabled: true,
      ingressClassName: "alb",
      hosts: ["grafana.dev.example.com"],
    });
    expect(ingress.annotations["alb.ingress.kubernetes.io/security-groups"]).toBeTruthy();
    const json = JSON.parse(Testing.synth(new PlatformStack(Testing.app(), config))) as {
      resource: { helm_release: Record<string, { values: string[] }> };
    };
    const kps = json.resource.helm_release.kube_prometheus_stack!.values[0]!;
    expect(kps).toContain(
      '"alb.ingress.kubernetes.io/security-groups" = data.terraform_remote_state.env.outputs.alb_security_group_id',
    );
    expect(kps).toContain(
      '"alb.ingress.kubernetes.io/listen-ports" = jsonencode([{"HTTP" = 80}, {"HTTPS" = 443}])',
    );
    expect(json.resource.helm_release.aws_load_balancer_controller!.values[0]).toContain(
      '"certificateArn" = [data.terraform_remote_state.env.outputs.ingress_certificate_arn]',
    );
  });

  it("requests a DNS-validated certificate for both hosts in the <env> root", () => {
    const json = JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), config))) as {
      module: Record<string, Record<string, unknown>>;
      output: Record<string, { value: string }>;
    };
    expect(json.module.certificate).toMatchObject({
      hosted_zone: "example.com",
      domain_names: ["api.dev.example.com", "grafana.dev.example.com"],
    });
    expect(json.output.ingress_certificate_arn!.value).toBe(
      "${module.certificate.certificate_arn}",
    );
  });
});

describe.each(ENVIRONMENTS.map((c) => [c.environment, c] as const))(
  "%s as configured today (no domain)",
  (_, config) => {
    it("exposes nothing: no certificate, no IngressClass params, Grafana's Ingress off", () => {
      expect(config.ingress).toEqual({ hostedZone: "", apiHost: "", grafanaHost: "" });
      expect(valuesOf(config, "aws-load-balancer-controller").ingressClassParams).toBeUndefined();
      expect(valuesOf(config, "kube-prometheus-stack").grafana!.ingress).toEqual({
        enabled: false,
      });
      const json = JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), config))) as {
        module: Record<string, unknown>;
        output: Record<string, { value: string }>;
      };
      expect(json.module.certificate).toBeUndefined();
      expect(json.output.ingress_certificate_arn!.value).toBe("");
    });
  },
);

describe("ingress settings", () => {
  const input = (ingress: Record<string, string>, certificateArn = "") => {
    const { account, ...rest } = dev;
    return () => defineEnvironment(account, { ...rest, certificateArn, ingress } as never);
  };
  it("reject one host without the other, a host outside the zone, and hosts without zone or certificate", () => {
    expect(input({ apiHost: "api.example.com" })).toThrow(
      /ingress = .*set both apiHost and grafanaHost/,
    );
    expect(
      input({
        hostedZone: "example.com",
        apiHost: "api.example.org",
        grafanaHost: "g.example.com",
      }),
    ).toThrow(
      /ingress.apiHost = "api.example.org": must be inside ingress.hostedZone \(example.com\)/,
    );
    expect(input({ apiHost: "api.example.com", grafanaHost: "g.example.com" })).toThrow(
      /ingress.hostedZone = "": is required/,
    );
    expect(
      input(
        { apiHost: "api.example.com", grafanaHost: "g.example.com" },
        "arn:aws:acm:eu-west-1:123456789012:certificate/0b8f5d5e-1111-2222-3333-444455556666",
      ),
    ).not.toThrow();
  });
});
