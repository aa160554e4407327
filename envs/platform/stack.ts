import { DataTerraformRemoteStateS3 } from "cdktf";
import type { Construct } from "constructs";
import { configureAwsRoot } from "../../kit/root-stack.ts";
import { Stack } from "../../kit/stack.ts";
import { common, declareVariables, stringVar, type InputSpec } from "../../kit/variables.ts";
import { PATTERNS } from "../../kit/patterns.ts";
import type { EnvironmentConfig } from "../schema.ts";
import { configureStateBackend, stateLocation } from "../state-backend.ts";
import { createApiSettings } from "./api-settings.ts";
import { installFluentBit } from "./aws-for-fluent-bit.ts";
import { installLoadBalancerController } from "./aws-load-balancer-controller.ts";
import { installClusterAutoscaler } from "./cluster-autoscaler.ts";
import type { PlatformContext } from "./context.ts";
import { createDeployerMonitoringRbac } from "./deployer-rbac.ts";
import { installKubePrometheusStack } from "./kube-prometheus-stack.ts";
import { installMetricsServer } from "./metrics-server.ts";
import { createDashboards } from "./dashboards.ts";
import { createNamespaces } from "./namespaces.ts";
import { installOpenCost } from "./opencost.ts";
import { createOpenSearchSetup } from "./opensearch.ts";
import { createPlanReaderRbac } from "./plan-reader-rbac.ts";
import { configureClusterProviders } from "./providers.ts";
import { createStorageClass } from "./storage-class.ts";

/** The tunables of a platform stack. */
export interface PlatformTunables {
  region: string;
  stateBucket: string;
  stateRegion: string;
}

/** Variable spec of the platform tunables (the default comes from `envs/<env>.ts`). */
export const platformTunables: InputSpec<PlatformTunables> = {
  region: common.region(
    "AWS region of the environment's cluster, database and secrets, e.g. eu-west-1.",
  ),
  // The backend block cannot use variables (`terraform init -backend-config=...` overrides it); the
  // environment's outputs are read through these, so an account that overrides its state bucket at
  // init sets them to the same values instead of editing generated HCL.
  stateBucket: stringVar({
    description:
      "S3 bucket holding the environment root's state (the bootstrap's state bucket); the same value as the backend's bucket.",
    pattern: {
      regex: PATTERNS.s3BucketName,
      what: "an S3 bucket name (lower case, digits, hyphens)",
    },
  }),
  stateRegion: common.region("AWS region of the state bucket, e.g. eu-west-1."),
};

/**
 * The `<env>-platform` root configuration: what runs inside the environment's cluster (monitoring,
 * log shipping, cluster autoscaler, load balancer controller) and the API's connection settings.
 * It reads the `<env>` stack's outputs from its remote state and is applied after it, never in the
 * same run, so the helm and kubernetes providers are configured from a cluster that exists.
 * Each add-on is one file of this folder; this class only assembles them, in dependency order
 * (construct ids are Terraform addresses: keep them when moving code).
 */
export class PlatformStack extends Stack {
  constructor(scope: Construct, config: EnvironmentConfig) {
    const id = `${config.environment}-platform`;
    super(scope, id);
    const { account } = config;
    const vars = declareVariables(this, platformTunables, {
      region: config.region,
      stateBucket: account.state.bucket,
      stateRegion: account.region,
    });
    configureAwsRoot(this, {
      region: vars.region,
      accountId: account.accountId,
      tags: {
        Project: account.project,
        Environment: config.environment,
        ManagedBy: "terraform",
        CostCenter: account.costCenter,
      },
    });
    configureStateBackend(this, account, id);

    const env = new DataTerraformRemoteStateS3(this, "env", {
      ...stateLocation(account, config.environment),
      bucket: vars.stateBucket,
      region: vars.stateRegion,
    });
    const output = (name: string) => env.getString(name);
    const ctx: PlatformContext = {
      scope: this,
      config,
      region: vars.region,
      output,
      clusterName: output("cluster_name"),
    };

    configureClusterProviders(this, ctx);
    const namespaces = createNamespaces(ctx);

    // First: its webhooks intercept Services and pods, so it must be up before other charts.
    const after = [installLoadBalancerController(ctx)];
    const storageClass = createStorageClass(ctx);
    const monitoringStack = installKubePrometheusStack(ctx, {
      namespace: namespaces.monitoring.metadata.name,
      storageClassName: storageClass.metadata.name,
      dependsOn: [...after, storageClass],
    });
    // Observability: dashboards for the Grafana sidecar, OpenCost (needs the Prometheus Operator's
    // ServiceMonitor CRD), and the EFK option's OpenSearch setup objects when it is on.
    createDashboards(ctx, namespaces.monitoring.metadata.name);
    installOpenCost(ctx, namespaces.monitoring.metadata.name, [monitoringStack]);
    createOpenSearchSetup(ctx, namespaces.logging.metadata.name, after);
    installFluentBit(ctx, namespaces.logging.metadata.name, after);
    installClusterAutoscaler(ctx, after);
    installMetricsServer(ctx, after);

    createApiSettings(ctx, namespaces.app);
    createDeployerMonitoringRbac(ctx, namespaces.app);
    // Last: derived from every in-cluster resource above.
    createPlanReaderRbac(ctx);
  }
}
