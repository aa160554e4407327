import type { Release } from "@cdktf/provider-helm/lib/release";
import type { ITerraformDependable } from "cdktf";
import { APP_NAMESPACE } from "../root-stack.ts";
import { ADDON_ACCOUNTS } from "./accounts.ts";
import type { PlatformContext } from "./context.ts";
import { LOG_INDEX_PREFIX } from "./opensearch.ts";
import { pinnedRelease, ROLE_ANNOTATION, type PinnedChart } from "./release.ts";

/** Fluent Bit with the AWS output plugins, shipping container logs to CloudWatch Logs. */
export const AWS_FOR_FLUENT_BIT_CHART = {
  chart: "aws-for-fluent-bit",
  repository: "https://aws.github.io/eks-charts",
  // Verified 2026-11-28: stable/aws-for-fluent-bit/Chart.yaml at 2942cdc (2026-02-03) of
  // github.com/aws/eks-charts (no per-chart tags), the newest; app AWS for Fluent Bit 3.2.1.
  version: "0.2.0",
} as const satisfies PinnedChart;

/** Key Fluent Bit's kubernetes filter merges a container's JSON log line under. */
export const FLUENT_BIT_MERGE_LOG_KEY = "data";

/**
 * The EFK option: with `openSearch.enabled`, the same records also go to the OpenSearch domain,
 * signed with Fluent Bit's IRSA role (AWS_Auth), over TLS, into daily `expense-logs-*` indices
 * that the ISM policy deletes after the log retention. Off: the output is disabled.
 * @see https://docs.fluentbit.io/manual/pipeline/outputs/opensearch
 */
function openSearchOutput(ctx: PlatformContext): Record<string, unknown> {
  if (!ctx.config.openSearch.enabled) return { enabled: false };
  return {
    enabled: true,
    match: "*",
    host: ctx.output("opensearch_endpoint"),
    port: "443",
    tls: "On",
    awsAuth: "On",
    awsRegion: ctx.region,
    logstashFormat: "On",
    logstashPrefix: LOG_INDEX_PREFIX,
    // Kubernetes labels contain dots, which OpenSearch would read as object paths.
    replaceDots: "On",
    suppressTypeName: "On",
    traceError: "On",
  };
}

/**
 * Installs Fluent Bit in the logging namespace with its IRSA role, shipping the application
 * namespace's container logs to the log groups of the logging module.
 */
export function installFluentBit(
  ctx: PlatformContext,
  namespace: string,
  dependsOn: ITerraformDependable[],
): Release {
  const fluentBit = ADDON_ACCOUNTS.fluentBit;
  const logGroupPrefix = `/aws/eks/${ctx.clusterName}`;
  return pinnedRelease(
    ctx.scope,
    "aws-for-fluent-bit",
    AWS_FOR_FLUENT_BIT_CHART,
    namespace,
    {
      serviceAccount: {
        create: true,
        name: fluentBit.serviceAccount,
        annotations: { [ROLE_ANNOTATION]: ctx.output("fluent_bit_role_arn") },
      },
      // Only the application namespace's containers (file names are <pod>_<namespace>_<container>-<id>.log):
      // its log group exists, and the role may write nowhere else.
      input: { path: `/var/log/containers/*_${APP_NAMESPACE}_*.log` },
      cloudWatchLogs: {
        enabled: true,
        region: ctx.region,
        logGroupName: `${logGroupPrefix}/${APP_NAMESPACE}`,
        logGroupTemplate: `${logGroupPrefix}/$kubernetes['namespace_name']`,
        logStreamTemplate: "$kubernetes['pod_name'].$kubernetes['container_name']",
        // The groups come from the logging module with retention and KMS; the role cannot create any.
        autoCreateGroup: false,
      },
      // The API's JSON lines are merged under `data` (the chart's default, set here because the
      // logs dashboard's Logs Insights queries name `data.*` fields).
      filter: { mergeLog: "On", mergeLogKey: FLUENT_BIT_MERGE_LOG_KEY },
      cloudWatch: { enabled: false },
      firehose: { enabled: false },
      kinesis: { enabled: false },
      elasticsearch: { enabled: false },
      opensearch: openSearchOutput(ctx),
    },
    { dependsOn },
  );
}
