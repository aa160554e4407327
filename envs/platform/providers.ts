import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, type TerraformStack } from "cdktf";
import type { PlatformContext } from "./context.ts";

/** Provider versions of the platform stack, pinned like the AWS provider. */
export const PLATFORM_PROVIDERS = {
  helm: { source: "hashicorp/helm", version: "3.1.1" },
  kubernetes: { source: "hashicorp/kubernetes", version: "2.38.0" },
} as const;

/**
 * The kubernetes and helm providers, authenticated against the environment's cluster with
 * short-lived tokens from the AWS CLI of whoever runs Terraform (CI's apply role is a cluster
 * admin through its access entry); nothing cluster-specific is stored.
 */
export function configureClusterProviders(stack: TerraformStack, ctx: PlatformContext): void {
  const { output } = ctx;
  const exec = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", ctx.clusterName, "--region", ctx.region],
  };
  const cluster = {
    host: output("cluster_endpoint"),
    clusterCaCertificate: Fn.base64decode(output("cluster_certificate_authority_data")),
  };
  new KubernetesProvider(stack, "kubernetes", { ...cluster, exec: [exec] });
  // Helm provider 3.x takes `kubernetes` and its `exec` as object attributes (`kubernetes = {`),
  // while the 12.x bindings render them as blocks, which Terraform rejects in HCL; set them as
  // an override, which renders as an attribute in both the JSON and the HCL.
  const helm = new HelmProvider(stack, "helm", {});
  helm.addOverride("kubernetes", {
    host: cluster.host,
    cluster_ca_certificate: cluster.clusterCaCertificate,
    exec: { api_version: exec.apiVersion, command: exec.command, args: exec.args },
  });
  for (const [name, { source, version }] of Object.entries(PLATFORM_PROVIDERS)) {
    stack.addOverride(`terraform.required_providers.${name}`, { source, version });
  }
}
