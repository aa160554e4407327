import { readFileSync } from "node:fs";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { Testing, TerraformStack } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { renderModule, type RenderedModule } from "../../test/module-caller.ts";
import { VariableError, type VariableSpec } from "../../kit/variables.ts";
import { resourceOf, resourcesOf, synthModule } from "../../test/synth.ts";
import { describeDiagnostics, terraformBinary, validate } from "../../test/terraform.ts";
import { elasticache } from "./index.ts";
import { APP_ACCESS_STRING, elasticacheInputs } from "./inputs.ts";

const { stack, json, text } = synthModule(elasticache as never);
const group = resourceOf(json, "aws_elasticache_replication_group", "redis");
const variables = json.variable ?? {};

/** Arguments every call needs (the inputs without defaults). */
const required = {
  name: "expense-dev",
  subnetIds: ["subnet-0a1b2c", "subnet-0d4e5f"],
  securityGroupId: "sg-0123abcd",
  nodeType: "cache.t4g.small",
  logRetentionDays: 7,
};

describe("elasticache module", () => {
  it("runs Redis 7 with cluster mode disabled in the data subnets behind the given group", () => {
    expect(text).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      replication_group_id: "${var.name}-redis",
      engine: "redis",
      engine_version: "${var.engine_version}",
      node_type: "${var.node_type}",
      port: 6379,
      security_group_ids: ["${var.security_group_id}"],
      subnet_group_name: "${aws_elasticache_subnet_group.subnet_group.name}",
      parameter_group_name: "${aws_elasticache_parameter_group.parameter_group.name}",
    });
    expect(group).not.toHaveProperty("num_node_groups");
    expect(group).not.toHaveProperty("cluster_mode");
    expect(resourceOf(json, "aws_elasticache_subnet_group", "subnet_group").subnet_ids).toBe(
      "${var.subnet_ids}",
    );
    expect(resourceOf(json, "aws_elasticache_parameter_group", "parameter_group")).toMatchObject({
      family: "redis7",
      parameter: [{ name: "cluster-enabled", value: "no" }],
    });
    expect(variables.engine_version?.default).toBe("7.1");
  });

  it("fails over automatically across AZs in every environment, with at least 2 nodes", () => {
    expect(group).toMatchObject({
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      num_cache_clusters: "${var.num_cache_clusters}",
    });
    expect(variables.num_cache_clusters?.default).toBe(2);
    expect(JSON.stringify(variables.num_cache_clusters?.validation)).toContain(
      "var.num_cache_clusters >= 2",
    );
  });

  it("encrypts at rest with a module-created rotating key and in transit with TLS required", () => {
    expect(group).toMatchObject({
      at_rest_encryption_enabled: "true",
      kms_key_id: "${aws_kms_key.key.arn}",
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
    });
    for (const key of Object.values(resourcesOf(json, "aws_kms_key")))
      expect(key.enable_key_rotation).toBe(true);
  });

  it("authenticates with RBAC: an IAM-only app user and a disabled default user, no AUTH token", () => {
    expect(resourceOf(json, "aws_elasticache_user", "app_user")).toMatchObject({
      user_id: "${var.name}-redis-app",
      user_name: "${var.name}-redis-app",
      engine: "redis",
      access_string: "${var.app_access_string}",
      authentication_mode: { type: "iam" },
    });
    expect(resourceOf(json, "aws_elasticache_user", "default_user")).toMatchObject({
      user_name: "default",
      access_string: "off -@all",
      authentication_mode: { type: "no-password-required" },
    });
    expect(resourceOf(json, "aws_elasticache_user_group", "user_group")).toMatchObject({
      user_group_id: "${var.name}-redis",
      user_ids: [
        "${aws_elasticache_user.default_user.user_id}",
        "${aws_elasticache_user.app_user.user_id}",
      ],
    });
    expect(group.user_group_ids).toEqual([
      "${aws_elasticache_user_group.user_group.user_group_id}",
    ]);
    expect(group).not.toHaveProperty("auth_token");
    expect(JSON.stringify(json)).not.toMatch(/secretsmanager|auth_token|passwords/);
    expect(variables.app_access_string?.default).toBe(APP_ACCESS_STRING);
  });

  it("gives the app user only its own keys and the commands the API sends", () => {
    expect(APP_ACCESS_STRING).toMatch(/^on ~expense:\* -@all( \+[a-z]+)+$/);
    // The API's Redis test applies its copy of the rules to a real Redis; both must agree.
    const api = readFileSync(new URL("../../api/src/cache/acl.ts", import.meta.url), "utf8");
    expect(api).toContain(JSON.stringify(APP_ACCESS_STRING));
  });

  it("keeps snapshots as configured and changes nothing outside the maintenance window", () => {
    expect(group).toMatchObject({
      snapshot_retention_limit: "${var.snapshot_retention_days}",
      snapshot_window: "${var.snapshot_window}",
      maintenance_window: "${var.maintenance_window}",
      apply_immediately: false,
    });
    expect(variables.snapshot_retention_days?.default).toBe(1);
  });

  it("delivers slow and engine logs to KMS-encrypted groups with retention that it creates", () => {
    expect(group.log_delivery_configuration).toEqual([
      {
        log_type: "slow-log",
        log_format: "json",
        destination_type: "cloudwatch-logs",
        destination: "${aws_cloudwatch_log_group.slow_log_group.name}",
      },
      {
        log_type: "engine-log",
        log_format: "json",
        destination_type: "cloudwatch-logs",
        destination: "${aws_cloudwatch_log_group.engine_log_group.name}",
      },
    ]);
    for (const [name, logGroup] of Object.entries(resourcesOf(json, "aws_cloudwatch_log_group")))
      expect(logGroup, name).toMatchObject({
        retention_in_days: "${var.log_retention_days}",
        kms_key_id: "${aws_kms_key.logs_key_key.arn}",
      });
  });

  it("exposes the endpoints, port, TLS flag, secret and ids the application needs", () => {
    const outputs = json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "app_user_arn",
        "app_user_id",
        "kms_key_arn",
        "port",
        "primary_endpoint_address",
        "reader_endpoint_address",
        "replication_group_arn",
        "replication_group_id",
        "security_group_id",
        "tls_enabled",
      ].sort(),
    );
    expect(outputs.primary_endpoint_address?.value).toBe(
      "${aws_elasticache_replication_group.redis.primary_endpoint_address}",
    );
    expect(outputs.reader_endpoint_address?.value).toBe(
      "${aws_elasticache_replication_group.redis.reader_endpoint_address}",
    );
    expect(outputs.tls_enabled?.value).toBe(
      "${tostring(aws_elasticache_replication_group.redis.transit_encryption_enabled)}",
    );
    for (const [name, output] of Object.entries(outputs))
      expect(String(output.description), name).toMatch(/\.$/);
  });

  it("tags every taggable resource with a Name and Component = elasticache", () => {
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const [name, resource] of Object.entries(byName)) {
        if (!("tags" in resource)) continue;
        expect(resource.tags, `${type}.${name}`).toMatchObject({ Component: "elasticache" });
        expect((resource.tags as Record<string, string>).Name, `${type}.${name}`).toBeTruthy();
      }
  });
});

describe("elasticache inputs", () => {
  const cases: [keyof typeof elasticacheInputs, unknown[], unknown[]][] = [
    ["nodeType", ["cache.t4g.small", "cache.r7g.large"], ["t4g.small", "db.t3.micro", "cache.t4g"]],
    ["subnetIds", [["subnet-0a", "subnet-0b"]], [["subnet-0a"], ["subnet-0a", "sn-1"]]],
    ["securityGroupId", ["sg-0123abcd"], ["sg-", "group"]],
    ["engineVersion", ["7.0", "7.1"], ["6.2", "7", "7.1.0", "valkey"]],
    ["numCacheClusters", [2, 3, 6], [0, 1, 7, 2.5]],
    ["snapshotRetentionDays", [0, 1, 7, 35], [-1, 36]],
    ["snapshotWindow", ["02:00-03:00"], ["2:00-3:00", "02:00"]],
    [
      "maintenanceWindow",
      ["mon:03:30-mon:04:30", "sun:23:00-mon:00:00"],
      ["Mon:03:30-Mon:04:30", "mon:3:30-mon:4:30"],
    ],
    [
      "appAccessString",
      [APP_ACCESS_STRING, "on ~expense:* -@all +get"],
      ["~* +@all", "off ~*", "on", ""],
    ],
    ["logRetentionDays", [7, 30, 90], [0, 8]],
  ];

  it.each(cases)("%s accepts good values and rejects bad ones (zod side)", (key, good, bad) => {
    const spec = elasticacheInputs[key] as VariableSpec<unknown>;
    for (const value of good)
      expect(spec.schema.safeParse(value).success, String(value)).toBe(true);
    for (const value of bad)
      expect(spec.schema.safeParse(value).success, String(value)).toBe(false);
  });

  it("rejects a bad literal argument at the call site, naming the field and the value", () => {
    const root = new TerraformStack(Testing.app(), "root");
    expect(() => elasticache.call(root, "redis", { ...required, nodeType: "db.t3.small" })).toThrow(
      VariableError,
    );
    expect(() => elasticache.call(root, "redis2", { ...required, numCacheClusters: 1 })).toThrow(
      "module elasticache (redis2): numCacheClusters = 1: must be >= 2",
    );
    expect(() =>
      elasticache.call(root, "redis3", { ...required, numCacheClusters: 3 }),
    ).not.toThrow();
  });
});

describe.runIf(terraformBinary())("elasticache with terraform", () => {
  let rendered: RenderedModule;

  beforeAll(async () => {
    rendered = await renderModule(stack, "elasticache");
  });

  /** A root module calling the rendered module with `args`, validated by real terraform. */
  const validateCall = (args: Record<string, unknown>) =>
    rendered.validateCall({ ...required, ...args });

  it("validates the rendered HCL, and calls with default and custom ACLs, cleanly", async () => {
    const module = await validate(rendered.dir);
    expect(module.valid, describeDiagnostics(module)).toBe(true);
    expect(module.warning_count, describeDiagnostics(module)).toBe(0);
    for (const args of [
      { numCacheClusters: 3, snapshotRetentionDays: 7 },
      { appAccessString: "on ~expense:* -@all +get" },
    ]) {
      const result = await validateCall(args);
      expect(result.valid, describeDiagnostics(result)).toBe(true);
      expect(result.warning_count, describeDiagnostics(result)).toBe(0);
    }
  });

  it("rejects bad values through the module's validation blocks", async () => {
    const result = await validateCall({
      nodeType: "t4g.small",
      numCacheClusters: 1,
      appAccessString: "off ~*",
    });
    expect(result.valid).toBe(false);
    const text = describeDiagnostics(result);
    expect(text).toContain("node_type must be an ElastiCache node type such as cache.t4g.small.");
    expect(text).toContain("num_cache_clusters must be a whole number >= 2 and <= 6.");
    expect(text).toContain("app_access_string must be an ACL rule list starting with `on`");
  });
});
