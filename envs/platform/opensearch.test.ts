import { readFileSync } from "node:fs";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { synthModule, type StackJson } from "../../test/synth.ts";
import { openSearch } from "../../modules/opensearch/index.ts";
import { dev } from "../dev.ts";
import { production } from "../production.ts";
import { EnvironmentStack } from "../root-stack.ts";
import type { EnvironmentConfig } from "../schema.ts";
import { staging } from "../staging.ts";
import {
  IsmAttachRequest,
  evaluate,
  IsmPolicyRequest,
  renderConfigMap,
  RoleMappingRequest,
  RoleRequest,
  STATIC_ACTION_GROUPS,
} from "./opensearch-testing/index.ts";
import { SETUP_IMAGES, SETUP_SCRIPT_KEY, SETUP_SCRIPT_PATH } from "./opensearch-setup-job.ts";
import {
  ISM_POLICY_ID,
  LOG_INDEX_PREFIX,
  LOG_WRITER_ROLE,
  OPENSEARCH_SETUP_ACCOUNT,
} from "./opensearch.ts";
import { PlatformStack } from "./stack.ts";

const remote = (output: string) => `data.terraform_remote_state.env.outputs.${output}`;
const withEfk = (config: EnvironmentConfig): EnvironmentConfig => ({
  ...config,
  openSearch: { ...config.openSearch, enabled: true },
});

function synth(config: EnvironmentConfig): { platform: StackJson; env: StackJson } {
  const app = Testing.app();
  return {
    platform: JSON.parse(Testing.synth(new PlatformStack(app, config))) as StackJson,
    env: JSON.parse(Testing.synth(new EnvironmentStack(app, config))) as StackJson,
  };
}
const off = synth(dev);
const on = synth(withEfk(dev));

type Container = {
  name: string;
  image: string;
  command: string[];
  env: { name: string; value: string }[];
  security_context: Record<string, unknown>;
  volume_mount: { name: string; mount_path: string; read_only?: boolean }[];
};
type Job = {
  metadata: { name: string; namespace: string };
  spec: {
    backoff_limit: number;
    active_deadline_seconds: number;
    template: {
      spec: {
        service_account_name: string;
        restart_policy: string;
        security_context: Record<string, unknown>;
        init_container: Container[];
        container: Container[];
        volume: { name: string; empty_dir?: { medium: string }; config_map?: { name: string } }[];
      };
    };
  };
  wait_for_completion: boolean;
  depends_on: string[];
};
const jobOf = (json: StackJson) =>
  json.resource?.kubernetes_job_v1?.["opensearch_setup_job"] as Job | undefined;
const configMapOf = (json: StackJson) =>
  json.resource?.kubernetes_config_map_v1?.["opensearch_setup_config"] as
    { metadata: { name: string }; data: Record<string, string> } | undefined;

const FLUENT_BIT_ROLE = "arn:aws:iam::123456789012:role/expense-dev-fluent-bit";

describe("OpenSearch setup Job: the EFK switch", () => {
  it("off (the default): no setup Job, ConfigMap or service account", () => {
    expect(dev.openSearch.enabled).toBe(false);
    expect(jobOf(off.platform)).toBeUndefined();
    expect(configMapOf(off.platform)).toBeUndefined();
    expect(off.platform.resource?.kubernetes_service_account_v1).not.toHaveProperty(
      "opensearch_setup_account",
    );
  });

  it("on: the Job runs as the setup account, waits for completion, after the load balancer controller", () => {
    const job = jobOf(on.platform)!;
    expect(job).toBeDefined();
    expect(job.wait_for_completion).toBe(true);
    expect(job.depends_on).toEqual(["helm_release.aws_load_balancer_controller"]);
    const pod = job.spec.template.spec;
    expect(pod.restart_policy).toBe("Never");
    expect(pod.service_account_name).toBe(
      "${kubernetes_service_account_v1.opensearch_setup_account.metadata[0].name}",
    );
    const account = on.platform.resource?.kubernetes_service_account_v1?.[
      "opensearch_setup_account"
    ] as { metadata: { name: string; namespace: string; annotations: Record<string, string> } };
    expect(account.metadata.name).toBe(OPENSEARCH_SETUP_ACCOUNT.name);
    expect(account.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(
      `\${${remote("opensearch_admin_role_arn")}}`,
    );
  });

  it("on: pinned images, credentials only in memory, nothing runs as root or can escalate", () => {
    const pod = jobOf(on.platform)!.spec.template.spec;
    expect(pod.init_container.map((c) => c.image)).toEqual([
      `${SETUP_IMAGES.awsCli.repository}:${SETUP_IMAGES.awsCli.tag}`,
    ]);
    expect(pod.container.map((c) => c.image)).toEqual([
      `${SETUP_IMAGES.curl.repository}:${SETUP_IMAGES.curl.tag}`,
    ]);
    expect(pod.init_container[0]!.command.join(" ")).toContain(
      "aws configure export-credentials --format env > /credentials/env",
    );
    expect(pod.container[0]!.command).toEqual(["/bin/sh", `/setup/${SETUP_SCRIPT_KEY}`]);
    expect(pod.security_context).toMatchObject({ run_as_non_root: true, fs_group: "65534" });
    for (const c of [...pod.init_container, ...pod.container])
      expect(c.security_context, c.name).toEqual({
        allow_privilege_escalation: false,
        read_only_root_filesystem: true,
        capabilities: { drop: ["ALL"] },
      });
    expect(pod.volume.find((v) => v.name === "credentials")?.empty_dir?.medium).toBe("Memory");
    expect(pod.container[0]!.volume_mount.find((m) => m.name === "credentials")?.read_only).toBe(
      true,
    );
    expect(pod.volume.find((v) => v.name === "config")?.config_map?.name).toBe(
      "${kubernetes_config_map_v1.opensearch_setup_config.metadata[0].name}",
    );
  });

  it("on: the Job's name carries a hash of what it applies, so a change (and only a change) runs it again", () => {
    const job = jobOf(on.platform)!;
    const data = configMapOf(on.platform)!.data;
    const name = (outputs: Record<string, string | number>) =>
      evaluate({ name: job.metadata.name }, outputs, data).name;
    const base = {
      log_retention_days: 7,
      fluent_bit_role_arn: FLUENT_BIT_ROLE,
      opensearch_endpoint: "vpc-expense-dev-logs-abc.eu-west-1.es.amazonaws.com",
    };
    const first = name(base);
    expect(first).toMatch(/^opensearch-setup-[0-9a-f]{10}$/);
    expect(name(base)).toBe(first);
    expect(name({ ...base, log_retention_days: 14 })).not.toBe(first);
    expect(name({ ...base, fluent_bit_role_arn: `${FLUENT_BIT_ROLE}-2` })).not.toBe(first);
    expect(name({ ...base, opensearch_endpoint: "vpc-other.eu-west-1.es.amazonaws.com" })).not.toBe(
      first,
    );
    // The images are part of it too.
    for (const i of Object.values(SETUP_IMAGES))
      expect(job.metadata.name).toContain(`"${i.repository}:${i.tag}"`);
    const env = Object.fromEntries(
      job.spec.template.spec.container[0]!.env.map((e) => [e.name, e.value]),
    );
    expect(env).toMatchObject({
      OPENSEARCH_URL: `https://\${${remote("opensearch_endpoint")}}`,
      AWS_REGION: "${var.region}",
      ISM_POLICY_ID,
      WRITER_ROLE: LOG_WRITER_ROLE,
      INDEX_PATTERN: `${LOG_INDEX_PREFIX}-*`,
    });
  });

  it("on: the ConfigMap ships the script exactly as it is in the repository", () => {
    const data = renderConfigMap(configMapOf(on.platform)!.data, {
      log_retention_days: dev.logRetentionDays,
      fluent_bit_role_arn: FLUENT_BIT_ROLE,
    });
    expect(data[SETUP_SCRIPT_KEY]).toBe(readFileSync(SETUP_SCRIPT_PATH, "utf8"));
  });
});

describe("OpenSearch setup Job: identity", () => {
  it("the admin (master) role trusts exactly the Job's service account in the Job's namespace", () => {
    const { json } = synthModule(openSearch as never);
    const trust = json.data?.aws_iam_policy_document?.admin_trust as {
      statement: { condition: { test: string; variable: string; values: string[] }[] }[];
    };
    expect(trust.statement).toHaveLength(1);
    const sub = trust.statement[0]!.condition.find((c) => c.variable.endsWith(":sub"))!;
    expect(sub.test).toBe("StringEquals");
    expect(sub.values).toEqual([
      "system:serviceaccount:${var.setup_namespace}:${var.setup_service_account}",
    ]);
    // The <env> stack leaves both at their defaults, which are the Job's namespace and account.
    const call = on.env.module?.opensearch as Record<string, unknown>;
    expect(call).not.toHaveProperty("setup_namespace");
    expect(call).not.toHaveProperty("setup_service_account");
    const namespace = on.platform.resource?.kubernetes_namespace_v1?.["namespace_logging"] as {
      metadata: { name: string };
    };
    expect(namespace.metadata.name).toBe(OPENSEARCH_SETUP_ACCOUNT.namespace);
    expect(jobOf(on.platform)!.metadata.namespace).toBe(
      "${kubernetes_namespace_v1.namespace_logging.metadata[0].name}",
    );
  });

  it("the <env> stack maps the domain's writer to Fluent Bit's role and exports it to the platform", () => {
    const call = on.env.module?.opensearch as Record<string, unknown>;
    expect(call.enabled).toBe(true);
    expect(call.writer_role_arn).toBe("${module.logging.fluent_bit_role_arn}");
    expect(on.env.output?.fluent_bit_role_arn?.value).toBe("${module.logging.fluent_bit_role_arn}");
    expect(on.env.output?.opensearch_admin_role_arn?.value).toBe(
      "${module.opensearch.admin_role_arn}",
    );
  });
});

describe("OpenSearch setup Job: what it applies", () => {
  const outputs = (config: EnvironmentConfig) => ({
    log_retention_days: config.logRetentionDays,
    fluent_bit_role_arn: FLUENT_BIT_ROLE,
  });

  it.each([dev, staging, production].map((c) => [c.environment, c] as const))(
    "%s: the ISM policy deletes log indices after the environment's log retention",
    (_name, config) => {
      const { platform, env } = synth(withEfk(config));
      // The <env> stack's output is the same variable its log groups' retention comes from.
      expect(env.output?.log_retention_days?.value).toBe("${var.log_retention_days}");
      expect(env.variable?.log_retention_days?.default).toBe(config.logRetentionDays);
      expect((env.module?.logging as Record<string, unknown>).retention_days).toBe(
        "${var.log_retention_days}",
      );
      const data = renderConfigMap(configMapOf(platform)!.data, outputs(config));
      const policy = IsmPolicyRequest.parse(JSON.parse(data["ism-policy.json"]!)).policy;
      const hot = policy.states.find((s) => s.name === policy.default_state)!;
      expect(hot.transitions).toEqual([
        { state_name: "delete", conditions: { min_index_age: `${config.logRetentionDays}d` } },
      ]);
      expect(policy.states.find((s) => s.name === "delete")!.actions).toEqual([{ delete: {} }]);
      expect(policy.ism_template).toEqual([
        { index_patterns: [`${LOG_INDEX_PREFIX}-*`], priority: 100 },
      ]);
    },
  );

  it("the role mapping names Fluent Bit's role ARN, and nothing else", () => {
    expect(configMapOf(on.platform)!.data["writer-role-mapping.json"]).toBe(
      `\${jsonencode({"backend_roles" = [${remote("fluent_bit_role_arn")}]})}`,
    );
    const data = renderConfigMap(configMapOf(on.platform)!.data, outputs(dev));
    expect(RoleMappingRequest.parse(JSON.parse(data["writer-role-mapping.json"]!))).toEqual({
      backend_roles: [FLUENT_BIT_ROLE],
    });
  });

  it("Fluent Bit's role may create and write its log indices only (no all_access, no reads)", () => {
    const role = RoleRequest.parse(JSON.parse(configMapOf(on.platform)!.data["writer-role.json"]!));
    expect(role.cluster_permissions).toEqual(["indices:data/write/bulk"]);
    expect(role.index_permissions).toEqual([
      { index_patterns: [`${LOG_INDEX_PREFIX}-*`], allowed_actions: ["create_index", "write"] },
    ]);
    for (const action of role.index_permissions.flatMap((p) => p.allowed_actions))
      expect(STATIC_ACTION_GROUPS).toContain(action);
    expect(JSON.stringify(role)).not.toMatch(/all_access|"\*"|read|manage/);
  });

  it("every body has the shape OpenSearch's API accepts", () => {
    const data = renderConfigMap(configMapOf(on.platform)!.data, outputs(dev));
    expect(IsmPolicyRequest.safeParse(JSON.parse(data["ism-policy.json"]!)).success).toBe(true);
    expect(IsmAttachRequest.parse(JSON.parse(data["ism-attach.json"]!))).toEqual({
      policy_id: ISM_POLICY_ID,
    });
    expect(RoleRequest.safeParse(JSON.parse(data["writer-role.json"]!)).success).toBe(true);
    expect(
      RoleMappingRequest.safeParse(JSON.parse(data["writer-role-mapping.json"]!)).success,
    ).toBe(true);
    // The shapes are strict: a misspelt field would fail.
    expect(
      IsmPolicyRequest.safeParse({
        policy: { ...JSON.parse(data["ism-policy.json"]!).policy, ism_templates: [] },
      }).success,
    ).toBe(false);
    expect(RoleMappingRequest.safeParse({ backend_role: [FLUENT_BIT_ROLE] }).success).toBe(false);
  });
});
