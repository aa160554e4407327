import { describe, expect, it } from "vitest";
import { API_ENV_VARS } from "../../api/src/env-vars.ts";
import { synthAll, type StackJson } from "../../test/synth.ts";
import { ENVIRONMENTS } from "../index.ts";
import { DEPLOYER_GROUP } from "../root-stack.ts";
import {
  API_PLATFORM_OBJECT,
  CLUSTER_AUTOSCALER_KUBERNETES_MINOR,
  PLATFORM_CHARTS,
  PLATFORM_PROVIDERS,
  STORAGE_CLASS,
} from "./index.ts";

const synthesized = synthAll();
const platform = (env: string) => synthesized.stackJson(`${env}-platform`);
const remote = (output: string) => `\${data.terraform_remote_state.env.outputs.${output}}`;
const releasesOf = (json: StackJson) =>
  (json.resource?.helm_release ?? {}) as Record<string, Record<string, unknown>>;

/**
 * The values of a release, with the remote-state references kept as text: the values are one
 * `${yamlencode({...})}` expression whose HCL object syntax is close enough to JSON to compare.
 */
function valuesOf(json: StackJson, release: string): string {
  const values = releasesOf(json)[release]?.values as string[] | undefined;
  expect(values, release).toHaveLength(1);
  expect(values![0]).toMatch(/^\$\{yamlencode\(\{.*\}\)\}$/s);
  return values![0]!;
}

describe("platform root stacks", () => {
  it("exist once per environment with the S3 backend under their own key, and read the <env> state", () => {
    for (const { environment, account } of ENVIRONMENTS) {
      const json = platform(environment);
      expect((json.terraform?.backend as { s3: unknown }).s3).toMatchObject({
        bucket: account.state.bucket,
        key: `envs/${environment}-platform/terraform.tfstate`,
        region: account.region,
        encrypt: true,
        use_lockfile: true,
        dynamodb_table: account.state.lockTable,
      });
      // Bucket and region are variables (defaulting to the backend's values) so an account that
      // overrides the backend at `terraform init -backend-config=...` can point the read there too.
      expect(json.data?.terraform_remote_state?.env).toEqual({
        backend: "s3",
        config: {
          bucket: "${var.state_bucket}",
          key: `envs/${environment}/terraform.tfstate`,
          region: "${var.state_region}",
        },
      });
      expect(json.variable?.state_bucket).toMatchObject({
        type: "string",
        default: account.state.bucket,
      });
      expect(json.variable?.state_region).toMatchObject({
        type: "string",
        default: account.region,
      });
      expect(json.module).toBeUndefined();
    }
  });

  it("pin the helm, kubernetes and AWS providers and tag AWS through default_tags", () => {
    const json = platform("dev");
    expect(json.terraform?.required_providers).toEqual({
      aws: { source: "hashicorp/aws", version: "5.100.0" },
      ...PLATFORM_PROVIDERS,
    });
    const aws = json.provider?.aws?.[0] as { default_tags: { tags: Record<string, string> }[] };
    expect(aws.default_tags[0]!.tags).toMatchObject({ Environment: "dev", ManagedBy: "terraform" });
  });

  it("authenticate helm and kubernetes with the remote cluster endpoint, CA and aws eks get-token", () => {
    const exec = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: [
        "eks",
        "get-token",
        "--cluster-name",
        remote("cluster_name"),
        "--region",
        "${var.region}",
      ],
    };
    const cluster = {
      host: remote("cluster_endpoint"),
      cluster_ca_certificate: `\${base64decode(data.terraform_remote_state.env.outputs.cluster_certificate_authority_data)}`,
    };
    const json = platform("staging");
    expect(json.provider?.kubernetes?.[0]).toEqual({ ...cluster, exec: [exec] });
    expect(json.provider?.helm?.[0]).toEqual({ kubernetes: { ...cluster, exec } });
    // Helm provider 3.x: `kubernetes` and `exec` are object attributes, not blocks.
    const hcl = synthesized.tree.terraform.get("envs/staging-platform/providers.tf") ?? "";
    expect(hcl).toMatch(/provider "helm" \{\n {2}kubernetes = \{\n/);
    expect(hcl).toMatch(/\n {4}exec = \{\n/);
    expect(synthesized.stackJson("staging-platform").variable?.region?.default).toBe(
      ENVIRONMENTS[1].region,
    );
  });

  it("create the app, monitoring and amazon-cloudwatch namespaces", () => {
    const namespaces = Object.values(platform("dev").resource?.kubernetes_namespace_v1 ?? {}).map(
      (ns) => (ns.metadata as { name: string }).name,
    );
    expect(namespaces.sort()).toEqual(["amazon-cloudwatch", "expense", "monitoring"]);
  });

  it("install every pinned add-on (metrics-server included) from its chart and repository", () => {
    for (const { environment } of ENVIRONMENTS) {
      const releases = releasesOf(platform(environment));
      const pinned = Object.values(PLATFORM_CHARTS);
      expect(Object.keys(releases)).toHaveLength(pinned.length);
      for (const chart of pinned) {
        const release = Object.values(releases).find((r) => r.chart === chart.chart);
        expect(release, chart.chart).toMatchObject({
          repository: chart.repository,
          version: chart.version,
          atomic: true,
        });
        expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(chart.repository).toMatch(/^https:\/\//);
      }
      expect(releases.kube_prometheus_stack?.namespace).toBe(
        "${kubernetes_namespace_v1.namespace_monitoring.metadata[0].name}",
      );
      expect(releases.aws_for_fluent_bit?.namespace).toBe(
        "${kubernetes_namespace_v1.namespace_logging.metadata[0].name}",
      );
      expect(releases.cluster_autoscaler?.namespace).toBe("kube-system");
      expect(releases.aws_load_balancer_controller?.namespace).toBe("kube-system");
      // The HPA's resource metrics API: EKS does not ship metrics-server.
      expect(releases.metrics_server?.namespace).toBe("kube-system");
      expect(releases.metrics_server?.chart).toBe("metrics-server");
    }
  });

  it("run a cluster autoscaler built for the clusters' Kubernetes minor", () => {
    for (const { environment, eks } of ENVIRONMENTS)
      expect(eks.version, environment).toBe(CLUSTER_AUTOSCALER_KUBERNETES_MINOR);
  });

  it("annotate each add-on's service account with its IRSA role from the remote state", () => {
    const json = platform("production");
    const annotation = (role: string) =>
      `"eks.amazonaws.com/role-arn" = ${remote(role).slice(2, -1)}`;
    expect(valuesOf(json, "aws_for_fluent_bit")).toContain(annotation("fluent_bit_role_arn"));
    expect(valuesOf(json, "aws_for_fluent_bit")).toContain('"name" = "fluent-bit"');
    expect(valuesOf(json, "cluster_autoscaler")).toContain(
      annotation("cluster_autoscaler_role_arn"),
    );
    expect(valuesOf(json, "cluster_autoscaler")).toContain('"name" = "cluster-autoscaler"');
    expect(valuesOf(json, "aws_load_balancer_controller")).toContain(
      annotation("load_balancer_controller_role_arn"),
    );
    expect(valuesOf(json, "aws_load_balancer_controller")).toContain(
      '"name" = "aws-load-balancer-controller"',
    );
  });

  it("configure each chart as the platform needs", () => {
    const json = platform("production");
    const kps = valuesOf(json, "kube_prometheus_stack");
    for (const selector of ["serviceMonitor", "rule", "podMonitor", "probe"])
      expect(kps).toContain(`"${selector}SelectorNilUsesHelmValues" = false`);
    expect(kps).toContain('"retention" = "15d"');
    expect(kps).toContain('"replicas" = 2');
    expect(kps).toContain('"label" = "grafana_dashboard", "labelValue" = "1"');
    expect(kps).toContain('"searchNamespace" = "ALL"');
    // No admin password in git or state: the chart generates one into a Secret.
    expect(kps).not.toContain("adminPassword");
    expect(kps).not.toContain("existingSecret");
    expect(valuesOf(platform("dev"), "kube_prometheus_stack")).toContain('"retention" = "3d"');

    const fluentBit = valuesOf(json, "aws_for_fluent_bit");
    expect(fluentBit).toContain('"autoCreateGroup" = false');
    expect(fluentBit).toContain(
      `"logGroupTemplate" = "/aws/eks/\${data.terraform_remote_state.env.outputs.cluster_name}/$kubernetes['namespace_name']"`,
    );
    expect(fluentBit).toContain('"region" = var.region');
    expect(fluentBit).toContain('"path" = "/var/log/containers/*_expense_*.log"');

    const autoscaler = valuesOf(json, "cluster_autoscaler");
    expect(autoscaler).toContain(
      `"autoDiscovery" = {"clusterName" = ${remote("cluster_name").slice(2, -1)}}`,
    );
    expect(autoscaler).toContain('"balance-similar-node-groups" = true');
    expect(autoscaler).toContain('"skip-nodes-with-system-pods" = false');
    expect(autoscaler).toMatch(/"expander" = "(least-waste|priority)"/);

    const controller = valuesOf(json, "aws_load_balancer_controller");
    expect(controller).toContain(`"vpcId" = ${remote("vpc_id").slice(2, -1)}`);
    expect(controller).toContain('"region" = var.region');
    expect(controller).toContain('"replicaCount" = 2');
  });

  it("give the API a ConfigMap with only API_ENV_VARS names, IAM auth and no Secret", () => {
    const json = platform("dev");
    const configMap = json.resource?.kubernetes_config_map_v1?.api_config as {
      metadata: { name: string; namespace: string };
      data: Record<string, string>;
    };
    expect(configMap.metadata.name).toBe(API_PLATFORM_OBJECT);
    expect(configMap.metadata.namespace).toBe(
      "${kubernetes_namespace_v1.namespace_app.metadata[0].name}",
    );
    for (const key of Object.keys(configMap.data))
      expect(API_ENV_VARS[key as keyof typeof API_ENV_VARS]?.secret, key).toBe(false);
    expect(configMap.data).toEqual({
      DB_HOST: remote("db_endpoint"),
      DB_PORT: `\${tostring(${remote("db_port").slice(2, -1)})}`,
      DB_NAME: remote("db_name"),
      DB_TLS: "true",
      DB_AUTH: "iam",
      DB_USER: remote("db_user"),
      DB_MIGRATION_USER: remote("db_migration_user"),
      DB_MASTER_SECRET_ARN: remote("db_master_secret_arn"),
      REDIS_HOST: remote("redis_primary_endpoint"),
      REDIS_PORT: `\${tostring(${remote("redis_port").slice(2, -1)})}`,
      REDIS_TLS: "true",
      REDIS_AUTH: "iam",
      REDIS_USER: remote("redis_user"),
      REDIS_CACHE_NAME: remote("redis_replication_group_id"),
      AWS_REGION: "${var.region}",
    });
    // No secret value reaches this stack: no Secret, no secret data source.
    expect(json.resource?.kubernetes_secret_v1).toBeUndefined();
    expect(json.data?.aws_secretsmanager_secret_version).toBeUndefined();
  });

  it("create the API's and the migration's service accounts with their IRSA roles", () => {
    const accounts = platform("dev").resource?.kubernetes_service_account_v1 as Record<
      string,
      { metadata: { name: string; annotations: Record<string, string> } }
    >;
    expect(accounts.api_service_account!.metadata).toMatchObject({
      name: "expense-api",
      annotations: { "eks.amazonaws.com/role-arn": remote("api_role_arn") },
    });
    expect(accounts.api_migration_service_account!.metadata).toMatchObject({
      name: "expense-api-migrate",
      annotations: { "eks.amazonaws.com/role-arn": remote("api_migration_role_arn") },
    });
  });

  it("read only outputs the <env> stack declares", () => {
    for (const { environment } of ENVIRONMENTS) {
      const declared = Object.keys(synthesized.stackJson(environment).output ?? {});
      const text = JSON.stringify(platform(environment));
      const used = new Set(
        [...text.matchAll(/terraform_remote_state\.env\.outputs\.([a-z_]+)/g)].map((m) => m[1]!),
      );
      expect(used.size).toBeGreaterThan(10);
      for (const name of used) expect(declared, name).toContain(name);
    }
  });
});

describe("persistent storage", () => {
  it("make an encrypted gp3 class of the EBS CSI driver with the env's EBS key the cluster default", () => {
    for (const { environment } of ENVIRONMENTS) {
      const classes = platform(environment).resource?.kubernetes_storage_class_v1 ?? {};
      expect(Object.keys(classes)).toEqual(["storage_class_gp3"]);
      expect(classes.storage_class_gp3).toMatchObject({
        metadata: {
          name: "gp3",
          annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
          labels: { "app.kubernetes.io/managed-by": "terraform" },
        },
        storage_provisioner: "ebs.csi.aws.com",
        reclaim_policy: "Delete",
        volume_binding_mode: "WaitForFirstConsumer",
        allow_volume_expansion: true,
        parameters: {
          type: "gp3",
          "csi.storage.k8s.io/fstype": "ext4",
          encrypted: "true",
          kmsKeyId: remote("ebs_kms_key_arn"),
        },
      });
      expect(STORAGE_CLASS).toBe("gp3");
    }
  });

  it.each(ENVIRONMENTS.map((config) => [config.environment, config] as const))(
    "give %s's Prometheus replicas a gp3 volume of the configured size, and cap retention below it",
    (environment, config) => {
      const gb = config.platform.prometheusStorageGb;
      const kps = valuesOf(platform(environment), "kube_prometheus_stack");
      expect(kps).toContain(
        `"storageSpec" = {"volumeClaimTemplate" = {"spec" = {"storageClassName" = kubernetes_storage_class_v1.storage_class_gp3.metadata[0].name, "accessModes" = ["ReadWriteOnce"], "resources" = {"requests" = {"storage" = "${gb}Gi"}}}}}`,
      );
      expect(kps).toContain(`"retentionSize" = "${Math.floor(gb * 0.9)}GB"`);
      expect(kps).toContain('"persistence" = {"enabled" = false}');
    },
  );

  it("size the Prometheus volumes per environment from config, growing with the environment", () => {
    const sizes = ENVIRONMENTS.map((c) => [c.environment, c.platform.prometheusStorageGb]);
    expect(Object.fromEntries(sizes)).toEqual({ dev: 20, staging: 50, production: 100 });
  });

  it("install kube-prometheus-stack only after the storage class exists", () => {
    for (const { environment } of ENVIRONMENTS) {
      const release = releasesOf(platform(environment)).kube_prometheus_stack;
      expect(release?.depends_on).toEqual(
        expect.arrayContaining([
          "helm_release.aws_load_balancer_controller",
          "kubernetes_storage_class_v1.storage_class_gp3",
        ]),
      );
    }
  });
});

describe("deploy rights for the chart's monitoring objects", () => {
  it("binds the deploy role's Kubernetes group to ServiceMonitors and PrometheusRules in the app namespace only", () => {
    const platform = synthAll().stackJson("dev-platform");
    const role = platform.resource?.kubernetes_role_v1?.deployer_monitoring_role as {
      metadata: { namespace: string };
      rule: { api_groups: string[]; resources: string[] }[];
    };
    expect(role.rule).toEqual([
      expect.objectContaining({
        api_groups: ["monitoring.coreos.com"],
        resources: ["servicemonitors", "prometheusrules"],
      }),
    ]);
    const binding = platform.resource?.kubernetes_role_binding_v1?.deployer_monitoring_binding as {
      subject: { kind: string; name: string }[];
    };
    expect(binding.subject).toEqual([
      expect.objectContaining({ kind: "Group", name: DEPLOYER_GROUP }),
    ]);
    const eks = synthAll().stackJson("dev").module?.eks as { deploy_kubernetes_groups: string[] };
    expect(eks.deploy_kubernetes_groups).toEqual([DEPLOYER_GROUP]);
  });
});
