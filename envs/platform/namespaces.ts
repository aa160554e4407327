import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { APP_NAMESPACE } from "../root-stack.ts";
import { ADDON_ACCOUNTS } from "./accounts.ts";
import type { PlatformContext } from "./context.ts";

/** Namespace of Prometheus and Grafana; the API chart's NetworkPolicy lets it scrape. */
export const MONITORING_NAMESPACE = "monitoring";

/** The namespaces the platform creates (kube-system add-ons use the existing one). */
export interface PlatformNamespaces {
  /** The API's namespace. */
  readonly app: NamespaceV1;
  /** Prometheus, Alertmanager, Grafana. */
  readonly monitoring: NamespaceV1;
  /** Fluent Bit. */
  readonly logging: NamespaceV1;
}

/** Creates the app, monitoring and logging namespaces. */
export function createNamespaces(ctx: PlatformContext): PlatformNamespaces {
  const namespace = (nsId: string, name: string, labels: Record<string, string> = {}) =>
    new NamespaceV1(ctx.scope, nsId, {
      metadata: { name, labels: { "app.kubernetes.io/managed-by": "terraform", ...labels } },
    });
  return {
    app: namespace("namespace-app", APP_NAMESPACE, {
      // The API chart's pods meet `restricted`; enforce `baseline` and report the rest.
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    }),
    monitoring: namespace("namespace-monitoring", MONITORING_NAMESPACE),
    logging: namespace("namespace-logging", ADDON_ACCOUNTS.fluentBit.namespace),
  };
}
