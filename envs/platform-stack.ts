import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { DataTerraformRemoteStateS3, Fn, type ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { configureAwsRoot } from "../kit/root-stack.ts";
import { Stack } from "../kit/stack.ts";
import { common, declareVariables, type InputSpec } from "../kit/variables.ts";
import { addonRolesInputs } from "../modules/addon-roles/inputs.ts";
import { loggingInputs } from "../modules/logging/inputs.ts";
import { PLATFORM_CHARTS, type PinnedChart } from "./platform-charts.ts";
import { APP_NAMESPACE, DEPLOYER_GROUP } from "./root-stack.ts";
import type { EnvironmentConfig } from "./schema.ts";
import { configureStateBackend, stateLocation } from "./state-backend.ts";
import { apiPlatformSettings } from "./api-platform-settings.ts";

export { API_PLATFORM_OBJECT } from "./api-platform-settings.ts";

/** Provider versions of the platform stack, pinned like the AWS provider. */
export const PLATFORM_PROVIDERS = {
  helm: { source: "hashicorp/helm", version: "3.1.1" },
  kubernetes: { source: "hashicorp/kubernetes", version: "2.38.0" },
} as const;

/** The IRSA annotation EKS's pod identity webhook reads. */
const ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** A spec entry's default, which must exist: the platform uses the modules' service-account names. */
function defaultOf<T>(spec: { default?: T }, what: string): T {
  if (spec.default === undefined) throw new Error(`${what} has no default`);
  return spec.default;
}

/** Where each add-on runs; the service accounts are the ones the IRSA roles trust. */
export const ADDON_ACCOUNTS = {
  fluentBit: {
    namespace: defaultOf(loggingInputs.fluentBitNamespace, "logging.fluentBitNamespace"),
    serviceAccount: defaultOf(
      loggingInputs.fluentBitServiceAccount,
      "logging.fluentBitServiceAccount",
    ),
  },
  clusterAutoscaler: {
    namespace: defaultOf(
      addonRolesInputs.clusterAutoscalerNamespace,
      "addonRoles.clusterAutoscalerNamespace",
    ),
    serviceAccount: defaultOf(
      addonRolesInputs.clusterAutoscalerServiceAccount,
      "addonRoles.clusterAutoscalerServiceAccount",
    ),
  },
  loadBalancerController: {
    namespace: defaultOf(
      addonRolesInputs.loadBalancerControllerNamespace,
      "addonRoles.loadBalancerControllerNamespace",
    ),
    serviceAccount: defaultOf(
      addonRolesInputs.loadBalancerControllerServiceAccount,
      "addonRoles.loadBalancerControllerServiceAccount",
    ),
  },
} as const;

/** Namespace of Prometheus and Grafana; the API chart's NetworkPolicy lets it scrape. */
export const MONITORING_NAMESPACE = "monitoring";

/**
 * The cluster's default StorageClass: encrypted gp3 through the EBS CSI driver (the `<env>` stack's
 * managed add-on), with the environment's EBS key.
 */
export const STORAGE_CLASS = "gp3";

/** Share of the Prometheus volume its samples may fill before the oldest blocks are dropped. */
export const PROMETHEUS_RETENTION_SIZE_SHARE = 0.9;

/** The tunables of a platform stack. */
export interface PlatformTunables {
  region: string;
}

/** Variable spec of the platform tunables (the default comes from `envs/<env>.ts`). */
export const platformTunables: InputSpec<PlatformTunables> = {
  region: common.region(
    "AWS region of the environment's cluster, database and secrets, e.g. eu-west-1.",
  ),
};

/**
 * The `<env>-platform` root configuration: what runs inside the environment's cluster (monitoring,
 * log shipping, cluster autoscaler, load balancer controller) and the API's connection settings.
 * It reads the `<env>` stack's outputs from its remote state and is applied after it, never in the
 * same run, so the helm and kubernetes providers are configured from a cluster that exists.
 */
export class PlatformStack extends Stack {
  constructor(scope: Construct, config: EnvironmentConfig) {
    const id = `${config.environment}-platform`;
    super(scope, id);
    const { account } = config;
    const vars = declareVariables(this, platformTunables, { region: config.region });
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

    const env = new DataTerraformRemoteStateS3(
      this,
      "env",
      stateLocation(account, config.environment),
    );
    const output = (name: string) => env.getString(name);
    const clusterName = output("cluster_name");

    // Short-lived tokens from the AWS CLI of whoever runs Terraform (CI's apply role is a cluster
    // admin through its access entry); nothing cluster-specific is stored.
    const exec = {
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", clusterName, "--region", vars.region],
    };
    const cluster = {
      host: output("cluster_endpoint"),
      clusterCaCertificate: Fn.base64decode(output("cluster_certificate_authority_data")),
    };
    new KubernetesProvider(this, "kubernetes", { ...cluster, exec: [exec] });
    // Helm provider 3.x takes `kubernetes` and its `exec` as object attributes (`kubernetes = {`),
    // while the 12.x bindings render them as blocks, which Terraform rejects in HCL; set them as
    // an override, which renders as an attribute in both the JSON and the HCL.
    const helm = new HelmProvider(this, "helm", {});
    helm.addOverride("kubernetes", {
      host: cluster.host,
      cluster_ca_certificate: cluster.clusterCaCertificate,
      exec: { api_version: exec.apiVersion, command: exec.command, args: exec.args },
    });
    for (const [name, { source, version }] of Object.entries(PLATFORM_PROVIDERS)) {
      this.addOverride(`terraform.required_providers.${name}`, { source, version });
    }

    const namespace = (nsId: string, name: string, labels: Record<string, string> = {}) =>
      new NamespaceV1(this, nsId, {
        metadata: { name, labels: { "app.kubernetes.io/managed-by": "terraform", ...labels } },
      });
    const app = namespace("namespace-app", APP_NAMESPACE, {
      // The API chart's pods meet `restricted`; enforce `baseline` and report the rest.
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    });
    const monitoring = namespace("namespace-monitoring", MONITORING_NAMESPACE);
    const logging = namespace("namespace-logging", ADDON_ACCOUNTS.fluentBit.namespace);

    const release = (
      releaseId: string,
      chart: PinnedChart,
      namespaceName: string,
      values: Record<string, unknown>,
      options: { timeout?: number; dependsOn?: ITerraformDependable[] } = {},
    ) =>
      new Release(this, releaseId, {
        name: chart.chart,
        namespace: namespaceName,
        repository: chart.repository,
        chart: chart.chart,
        version: chart.version,
        values: [Fn.yamlencode(values)],
        atomic: true,
        cleanupOnFail: true,
        maxHistory: 5,
        timeout: options.timeout ?? 600,
        dependsOn: options.dependsOn,
      });

    // First: its webhooks intercept Services and pods, so it must be up before other charts.
    const lbc = ADDON_ACCOUNTS.loadBalancerController;
    const loadBalancerController = release(
      "aws-load-balancer-controller",
      PLATFORM_CHARTS.awsLoadBalancerController,
      lbc.namespace,
      {
        clusterName,
        // Nodes allow IMDS hop limit 1, so pods cannot look up the region and VPC themselves.
        region: vars.region,
        vpcId: output("vpc_id"),
        replicaCount: config.platform.loadBalancerControllerReplicas,
        serviceAccount: {
          create: true,
          name: lbc.serviceAccount,
          annotations: { [ROLE_ANNOTATION]: output("load_balancer_controller_role_arn") },
        },
      },
    );
    const after = [loadBalancerController];

    // Volumes are created in the zone of the pod that first uses them (WaitForFirstConsumer), so a
    // pod is never stuck with a volume in a zone it cannot schedule to. Reclaim Delete: deleting a
    // PVC is the deliberate act that discards the data; Retain would leave unowned, billed volumes
    // behind (also after `terraform destroy` of an environment, whose EBS key then goes too), and
    // the only claims today are Prometheus's, whose history is not business data. EKS 1.30+ marks
    // no class as default, so this annotation makes it the one for PVCs without a class.
    // @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
    const storageClass = new StorageClassV1(this, "storage-class-gp3", {
      metadata: {
        name: STORAGE_CLASS,
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        labels: { "app.kubernetes.io/managed-by": "terraform" },
      },
      storageProvisioner: "ebs.csi.aws.com",
      reclaimPolicy: "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      parameters: {
        type: "gp3",
        "csi.storage.k8s.io/fstype": "ext4",
        encrypted: "true",
        kmsKeyId: output("ebs_kms_key_arn"),
      },
    });

    const storageGb = config.platform.prometheusStorageGb;
    release(
      "kube-prometheus-stack",
      PLATFORM_CHARTS.kubePrometheusStack,
      monitoring.metadata.name,
      {
        prometheus: {
          prometheusSpec: {
            retention: `${config.platform.prometheusRetentionDays}d`,
            // Whichever limit comes first: a full volume would stop Prometheus.
            retentionSize: `${Math.floor(storageGb * PROMETHEUS_RETENTION_SIZE_SHARE)}GB`,
            replicas: config.platform.prometheusReplicas,
            // One volume per replica (a StatefulSet claim), so history survives rescheduling.
            storageSpec: {
              volumeClaimTemplate: {
                spec: {
                  storageClassName: storageClass.metadata.name,
                  accessModes: ["ReadWriteOnce"],
                  resources: { requests: { storage: `${storageGb}Gi` } },
                },
              },
            },
            // Select ServiceMonitors, PodMonitors, Probes and PrometheusRules of every namespace
            // regardless of labels, so the API chart's objects are picked up.
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            probeSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
          },
        },
        grafana: {
          // Empty: the Grafana chart generates a random password into the Secret
          // `kube-prometheus-stack-grafana` (key admin-password) and keeps it on upgrades; it is
          // never in git nor in Terraform state. Read it with kubectl when needed.
          adminPassword: "",
          // No volume: dashboards and data sources are provisioned from ConfigMaps, and the
          // sqlite database holds only UI state (users, preferences) that may be lost.
          persistence: { enabled: false },
          sidecar: {
            dashboards: {
              enabled: true,
              label: "grafana_dashboard",
              labelValue: "1",
              searchNamespace: "ALL",
            },
          },
        },
      },
      { timeout: 900, dependsOn: [...after, storageClass] },
    );

    const fluentBit = ADDON_ACCOUNTS.fluentBit;
    const logGroupPrefix = `/aws/eks/${clusterName}`;
    release(
      "aws-for-fluent-bit",
      PLATFORM_CHARTS.awsForFluentBit,
      logging.metadata.name,
      {
        serviceAccount: {
          create: true,
          name: fluentBit.serviceAccount,
          annotations: { [ROLE_ANNOTATION]: output("fluent_bit_role_arn") },
        },
        // Only the application namespace's containers (file names are <pod>_<namespace>_<container>-<id>.log):
        // its log group exists, and the role may write nowhere else.
        input: { path: `/var/log/containers/*_${APP_NAMESPACE}_*.log` },
        cloudWatchLogs: {
          enabled: true,
          region: vars.region,
          logGroupName: `${logGroupPrefix}/${APP_NAMESPACE}`,
          logGroupTemplate: `${logGroupPrefix}/$kubernetes['namespace_name']`,
          logStreamTemplate: "$kubernetes['pod_name'].$kubernetes['container_name']",
          // The groups come from the logging module with retention and KMS; the role cannot create any.
          autoCreateGroup: false,
        },
        cloudWatch: { enabled: false },
        firehose: { enabled: false },
        kinesis: { enabled: false },
        elasticsearch: { enabled: false },
      },
      { dependsOn: after },
    );

    const autoscaler = ADDON_ACCOUNTS.clusterAutoscaler;
    release(
      "cluster-autoscaler",
      PLATFORM_CHARTS.clusterAutoscaler,
      autoscaler.namespace,
      {
        cloudProvider: "aws",
        awsRegion: vars.region,
        autoDiscovery: { clusterName },
        rbac: {
          serviceAccount: {
            create: true,
            name: autoscaler.serviceAccount,
            annotations: { [ROLE_ANNOTATION]: output("cluster_autoscaler_role_arn") },
          },
        },
        extraArgs: {
          // The on-demand and spot groups span the same zones with equivalent nodes.
          "balance-similar-node-groups": true,
          "skip-nodes-with-system-pods": false,
          expander: "least-waste",
        },
      },
      { dependsOn: after },
    );

    apiPlatformSettings(this, app, output, vars.region);
    this.deployerMonitoringRole(app);
  }

  /** Lets the CI deploy role manage the chart's monitoring objects in the app namespace. */
  private deployerMonitoringRole(app: NamespaceV1): void {
    // The CI deploy role's EKS access policy (AmazonEKSEditPolicy in the app namespace) does not
    // cover the Prometheus Operator's custom resources that the chart ships; its access entry
    // carries this group, bound here to exactly those resources in the app namespace.
    const monitoringObjects = new RoleV1(this, "deployer-monitoring-role", {
      metadata: { name: "expense-deployer-monitoring", namespace: app.metadata.name },
      rule: [
        {
          apiGroups: ["monitoring.coreos.com"],
          resources: ["servicemonitors", "prometheusrules"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
      ],
    });
    new RoleBindingV1(this, "deployer-monitoring-binding", {
      metadata: { name: "expense-deployer-monitoring", namespace: app.metadata.name },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Role",
        name: monitoringObjects.metadata.name,
      },
      subject: [{ kind: "Group", name: DEPLOYER_GROUP, apiGroup: "rbac.authorization.k8s.io" }],
    });
  }
}
