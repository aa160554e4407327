import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { Testing, TerraformStack } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { renderModule, type RenderedModule } from "../../test/module-caller.ts";
import { toSnakeCase } from "../../kit/naming.ts";
import { VariableError, type VariableSpec } from "../../kit/variables.ts";
import { resourceOf, resourcesOf, synthModule } from "../../test/synth.ts";
import { describeDiagnostics, terraform, terraformBinary, validate } from "../../test/terraform.ts";
import { rds } from "./index.ts";
import { rdsInputs } from "./inputs.ts";

const { stack, json, text } = synthModule(rds as never);
const instance = resourceOf(json, "aws_db_instance", "mysql");
const variables = json.variable ?? {};

/** Arguments every call needs (the inputs without defaults). */
const required = {
  name: "expense-dev",
  subnetIds: ["subnet-0a1b2c", "subnet-0d4e5f"],
  securityGroupId: "sg-0123abcd",
  instanceClass: "db.t3.micro",
  logRetentionDays: 7,
};

describe("rds module", () => {
  it("runs MySQL 8.4 in the data subnets, private, behind the given security group", () => {
    expect(text).toHaveResourceWithProperties(DbInstance, {
      identifier: "${var.name}-mysql",
      engine: "mysql",
      engine_version: "${var.engine_version}",
      auto_minor_version_upgrade: true,
      allow_major_version_upgrade: false,
      instance_class: "${var.instance_class}",
      multi_az: "${var.multi_az}",
      publicly_accessible: false,
      port: 3306,
      vpc_security_group_ids: ["${var.security_group_id}"],
      db_subnet_group_name: "${aws_db_subnet_group.subnet_group.name}",
      db_name: "${var.database_name}",
    });
    expect(resourceOf(json, "aws_db_subnet_group", "subnet_group").subnet_ids).toBe(
      "${var.subnet_ids}",
    );
    expect(variables.engine_version?.default).toBe("8.4");
    expect(variables.multi_az?.default).toBe(false);
    expect(variables.database_name?.default).toBe("webappdb");
    expect(variables.master_username?.default).toBe("expense_admin");
  });

  it("stores data on encrypted, autoscaling gp3 with a module-created rotating key", () => {
    expect(instance).toMatchObject({
      storage_type: "gp3",
      storage_encrypted: true,
      kms_key_id: "${aws_kms_key.key.arn}",
      allocated_storage: "${var.allocated_storage_gb}",
      max_allocated_storage: "${var.max_allocated_storage_gb}",
    });
    expect(variables.allocated_storage_gb?.default).toBe(20);
    expect(variables.max_allocated_storage_gb?.default).toBe(100);
    for (const key of Object.values(resourcesOf(json, "aws_kms_key")))
      expect(key.enable_key_rotation).toBe(true);
    expect(Object.keys(resourcesOf(json, "aws_kms_alias")).sort()).toEqual([
      "key_alias",
      "logs_key_alias",
    ]);
  });

  it("keeps 7+ days of backups in a night window, maintenance right after, tags on snapshots", () => {
    expect(instance).toMatchObject({
      backup_retention_period: "${var.backup_retention_days}",
      backup_window: "${var.backup_window}",
      maintenance_window: "${var.maintenance_window}",
      copy_tags_to_snapshot: true,
      apply_immediately: false,
    });
    expect(variables.backup_retention_days?.default).toBe(7);
    expect(variables.backup_window?.default).toBe("02:00-03:00");
    expect(variables.maintenance_window?.default).toBe("Mon:03:30-Mon:04:30");
  });

  it("sets the end-of-standard-support behaviour explicitly (no silent Extended Support bill)", () => {
    expect(instance.engine_lifecycle_support).toBe("${var.engine_lifecycle_support}");
    expect(variables.engine_lifecycle_support?.default).toBe(
      "open-source-rds-extended-support-disabled",
    );
  });

  it("protects against deletion and takes a final snapshot named per created instance", () => {
    expect(instance).toMatchObject({
      deletion_protection: "${var.deletion_protection}",
      skip_final_snapshot: "${!var.final_snapshot}",
      delete_automated_backups: "${!var.final_snapshot}",
    });
    // The old fixed name collided on the second destroy/create cycle.
    expect(instance.final_snapshot_identifier).not.toBe("${var.name}-mysql-final");
    expect(instance.final_snapshot_identifier).toBe(
      '${var.name}-mysql-final-${formatdate("YYYYMMDDhhmmss", timestamp())}',
    );
    expect(instance.lifecycle).toEqual({ ignore_changes: ["final_snapshot_identifier"] });
    expect(variables.deletion_protection?.default).toBe(true);
    expect(variables.final_snapshot?.default).toBe(true);
  });

  it("requires TLS and logs slow queries through a parameter group of the engine's family", () => {
    expect(text).toHaveResourceWithProperties(DbParameterGroup, {
      family: 'mysql${regex("^[0-9]+[.][0-9]+", var.engine_version)}',
      name_prefix:
        '${var.name}-mysql${replace(regex("^[0-9]+[.][0-9]+", var.engine_version), ".", "")}-',
      lifecycle: { create_before_destroy: true },
    });
    const group = resourceOf(json, "aws_db_parameter_group", "parameter_group");
    expect(group.parameter).toEqual([
      { name: "require_secure_transport", value: "1" },
      { name: "slow_query_log", value: "1" },
      { name: "long_query_time", value: "${var.slow_query_threshold_seconds}" },
      { name: "log_output", value: "FILE" },
    ]);
    expect(instance.parameter_group_name).toBe("${aws_db_parameter_group.parameter_group.name}");
  });

  it("exports error and slow query logs into KMS-encrypted groups it creates first", () => {
    expect(instance.enabled_cloudwatch_logs_exports).toEqual(["error", "slowquery"]);
    const groups = resourcesOf(json, "aws_cloudwatch_log_group");
    expect(Object.keys(groups).sort()).toEqual(["error_log_group", "slowquery_log_group"]);
    for (const [name, group] of Object.entries(groups)) {
      const log = name.replace("_log_group", "");
      expect(group).toMatchObject({
        name: `/aws/rds/instance/\${var.name}-mysql/${log}`,
        retention_in_days: "${var.log_retention_days}",
        kms_key_id: "${aws_kms_key.logs_key_key.arn}",
      });
    }
    expect(instance.depends_on).toEqual([
      "aws_cloudwatch_log_group.error_log_group",
      "aws_cloudwatch_log_group.slowquery_log_group",
    ]);
    const statements = (
      json.data?.aws_iam_policy_document?.logs_key_policy as { statement: { sid: string }[] }
    ).statement.map((s) => s.sid);
    expect(statements).toEqual(["AccountAdministersKey", "CloudWatchLogsUseKey"]);
  });

  it("turns on enhanced monitoring with a role only RDS monitoring of this account can assume", () => {
    expect(instance).toMatchObject({
      monitoring_interval: "${var.monitoring_interval_seconds}",
      monitoring_role_arn: "${aws_iam_role.monitoring_role.arn}",
    });
    expect(variables.monitoring_interval_seconds?.default).toBe(60);
    const trust = (
      json.data?.aws_iam_policy_document?.monitoring_trust as {
        statement: Record<string, unknown>[];
      }
    ).statement[0];
    expect(trust).toMatchObject({
      principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }],
      condition: [{ test: "StringEquals", variable: "aws:SourceAccount" }],
    });
    expect(resourceOf(json, "aws_iam_role_policy_attachment", "monitoring_policy").policy_arn).toBe(
      "arn:${data.aws_partition.context_partition.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    );
  });

  it("turns Performance Insights on only when asked (db.t3.micro cannot), with the module's key", () => {
    expect(variables.performance_insights_enabled?.default).toBe(false);
    expect(instance).toMatchObject({
      performance_insights_enabled: "${var.performance_insights_enabled}",
      performance_insights_kms_key_id:
        "${var.performance_insights_enabled ? aws_kms_key.key.arn : null}",
      performance_insights_retention_period: "${var.performance_insights_enabled ? 7 : null}",
    });
  });

  it("lets RDS generate and rotate the master password in Secrets Manager, never Terraform", () => {
    expect(instance).toMatchObject({
      manage_master_user_password: true,
      master_user_secret_kms_key_id: "${aws_kms_key.key.arn}",
      iam_database_authentication_enabled: true,
      username: "${var.master_username}",
    });
    expect(instance).not.toHaveProperty("password");
    expect(instance).not.toHaveProperty("password_wo");
    expect(text).not.toMatch(/random_password|"password"/);
    expect(json.data?.aws_secretsmanager_random_password).toBeUndefined();
  });

  it("exposes the endpoint, port, database, secret, instance ids, group and key", () => {
    const outputs = json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "database_name",
        "endpoint",
        "instance_arn",
        "instance_identifier",
        "instance_resource_id",
        "kms_key_arn",
        "master_user_secret_arn",
        "master_username",
        "port",
        "security_group_id",
      ].sort(),
    );
    expect(outputs.endpoint?.value).toBe("${aws_db_instance.mysql.address}");
    expect(outputs.port?.value).toBe("${aws_db_instance.mysql.port}");
    expect(outputs.master_user_secret_arn?.value).toBe(
      "${aws_db_instance.mysql.master_user_secret[0].secret_arn}",
    );
    expect(outputs.security_group_id?.value).toBe("${var.security_group_id}");
    for (const [name, output] of Object.entries(outputs))
      expect(String(output.description), name).toMatch(/\.$/);
  });

  it("tags every taggable resource with a Name and Component = rds", () => {
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const [name, resource] of Object.entries(byName)) {
        if (!("tags" in resource)) continue;
        expect(resource.tags, `${type}.${name}`).toMatchObject({ Component: "rds" });
        expect((resource.tags as Record<string, string>).Name, `${type}.${name}`).toBeTruthy();
      }
  });
});

describe("rds inputs", () => {
  const cases: [keyof typeof rdsInputs, unknown[], unknown[]][] = [
    [
      "instanceClass",
      ["db.t3.micro", "db.t3.small", "db.r7g.large"],
      ["t3.micro", "db.t3", "cache.t3.micro"],
    ],
    ["subnetIds", [["subnet-0a", "subnet-0b"]], [["subnet-0a"], ["subnet-0a", "sn-1"], []]],
    ["securityGroupId", ["sg-0123abcd"], ["sg-", "0123abcd", "sg-XYZ"]],
    ["engineVersion", ["8.4", "8.4.7", "8.0", "8.0.42"], ["9.4", "5.7", "8", "8.4.x", "8.1"]],
    [
      "engineLifecycleSupport",
      ["open-source-rds-extended-support-disabled", "open-source-rds-extended-support"],
      ["", "disabled", "extended"],
    ],
    ["allocatedStorageGb", [20, 100], [19, 10.5, 20000]],
    ["maxAllocatedStorageGb", [22, 100, 1000], [10, 100000]],
    ["backupRetentionDays", [7, 14, 35], [0, 1, 6, 36]],
    ["backupWindow", ["02:00-03:00", "23:30-00:30"], ["2:00-3:00", "24:00-01:00", "02:00"]],
    [
      "maintenanceWindow",
      ["Mon:03:30-Mon:04:30", "Sun:23:00-Mon:00:00"],
      ["mon:03:30-mon:04:30", "Mon:03:30"],
    ],
    ["monitoringIntervalSeconds", [1, 60], [0, 2, 120]],
    ["slowQueryThresholdSeconds", [1, 10], [0, 61]],
    ["databaseName", ["webappdb", "expense_db"], ["1db", "web-app", ""]],
    [
      "masterUsername",
      ["expense_admin", "dbadmin"],
      ["_admin", "admin-user", "a_name_longer_than_16"],
    ],
    ["logRetentionDays", [7, 30, 90], [0, 8, 31]],
  ];

  it.each(cases)("%s accepts good values and rejects bad ones (zod side)", (key, good, bad) => {
    const spec = rdsInputs[key] as VariableSpec<unknown>;
    for (const value of good)
      expect(spec.schema.safeParse(value).success, String(value)).toBe(true);
    for (const value of bad)
      expect(spec.schema.safeParse(value).success, String(value)).toBe(false);
  });

  it("has a Terraform validation block for every sized, windowed or typed input", () => {
    for (const name of [
      "instance_class",
      "subnet_ids",
      "security_group_id",
      "engine_version",
      "allocated_storage_gb",
      "max_allocated_storage_gb",
      "backup_retention_days",
      "backup_window",
      "maintenance_window",
      "monitoring_interval_seconds",
      "log_retention_days",
    ])
      expect((variables[name]?.validation as unknown[] | undefined)?.length, name).toBeGreaterThan(
        0,
      );
    expect(JSON.stringify(variables.max_allocated_storage_gb?.validation)).toContain(
      "var.max_allocated_storage_gb * 10 >= var.allocated_storage_gb * 11",
    );
  });

  it("rejects a bad literal argument at the call site, naming the field and the value", () => {
    const root = new TerraformStack(Testing.app(), "root");
    expect(() => rds.call(root, "rds", { ...required, instanceClass: "t3.micro" })).toThrow(
      VariableError,
    );
    expect(() => rds.call(root, "rds2", { ...required, backupRetentionDays: 1 })).toThrow(
      "module rds (rds2): backupRetentionDays = 1: must be >= 7",
    );
    expect(() => rds.call(root, "rds3", required)).not.toThrow();
  });
});

describe.runIf(terraformBinary())("rds with terraform", () => {
  let rendered: RenderedModule;

  beforeAll(async () => {
    rendered = await renderModule(stack, "rds");
  });

  /** A root module calling the rendered module with `args`, validated by real terraform. */
  const validateCall = (args: Record<string, unknown>) =>
    rendered.validateCall({ ...required, ...args });

  it("validates the rendered HCL, and a production-like call, without errors or warnings", async () => {
    const module = await validate(rendered.dir);
    expect(module.valid, describeDiagnostics(module)).toBe(true);
    expect(module.warning_count, describeDiagnostics(module)).toBe(0);
    const result = await validateCall({
      instanceClass: "db.t3.small",
      multiAz: true,
      deletionProtection: true,
      finalSnapshot: true,
    });
    expect(result.valid, describeDiagnostics(result)).toBe(true);
    expect(result.warning_count, describeDiagnostics(result)).toBe(0);
  });

  it("rejects bad values through the module's validation blocks", async () => {
    const result = await validateCall({ instanceClass: "t3.micro", backupRetentionDays: 3 });
    expect(result.valid).toBe(false);
    const text = describeDiagnostics(result);
    expect(text).toContain("instance_class must be an RDS instance class such as db.t3.micro.");
    expect(text).toContain("backup_retention_days must be a whole number >= 7 and <= 35.");
  });

  /** Evaluates `expression` with `terraform console` over the module's variables set to `args`. */
  const evaluate = async (label: string, args: Record<string, unknown>, expression: string) => {
    // `terraform validate` skips validations that refer to other variables; plan and console
    // evaluate them, and console needs neither credentials nor state.
    const vars = join(dirname(rendered.dir), `${label}.tfvars.json`);
    const values = { ...required, ...args };
    writeFileSync(
      vars,
      JSON.stringify(
        Object.fromEntries(Object.entries(values).map(([k, v]) => [toSnakeCase(k), v])),
      ),
    );
    return consoleEval(rendered.dir, vars, expression);
  };

  it("rejects a storage limit less than 10 % above the initial size (a rule across two variables)", async () => {
    // console reports a failed validation on stderr but still exits 0.
    const below = await evaluate(
      "storage-200-100",
      { allocatedStorageGb: 200, maxAllocatedStorageGb: 100 },
      "var.max_allocated_storage_gb",
    );
    expect(below.stderr).toContain(
      "max_allocated_storage_gb must be at least 10 % above allocated_storage_gb",
    );
    // Above the initial size but by less than 10 %: accepted before, rejected by RDS.
    const close = await evaluate(
      "storage-100-105",
      { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 },
      "var.max_allocated_storage_gb",
    );
    expect(close.stderr).toContain("max_allocated_storage_gb must be at least 10 % above");
    const good = await evaluate(
      "storage-100-110",
      { allocatedStorageGb: 100, maxAllocatedStorageGb: 110 },
      "var.max_allocated_storage_gb",
    );
    expect(good.stderr).not.toContain("Invalid value for variable");
    expect(good.stdout.trim()).toBe("110");
  });

  it("takes MySQL 8.0 only with Extended Support chosen explicitly, 8.4 by default", async () => {
    const silent80 = await evaluate("engine-80", { engineVersion: "8.0" }, "var.engine_version");
    expect(silent80.stderr).toContain(
      "engine_version is MySQL 8.0, past RDS end of standard support (2026-07-31)",
    );
    const chosen80 = await evaluate(
      "engine-80-extended",
      { engineVersion: "8.0.42", engineLifecycleSupport: "open-source-rds-extended-support" },
      "var.engine_version",
    );
    expect(chosen80.stderr).not.toContain("Invalid value for variable");
    expect(chosen80.stdout.trim()).toBe('"8.0.42"');
    // The parameter group family the module derives, evaluated by terraform itself.
    const family = resourceOf(json, "aws_db_parameter_group", "parameter_group").family as string;
    const familyExpression = family.replace(/^mysql\$\{(.*)\}$/, '"mysql${$1}"');
    const default84 = await evaluate("engine-84", {}, familyExpression);
    expect(default84.stderr).not.toContain("Invalid value for variable");
    expect(default84.stdout.trim()).toBe('"mysql8.4"');
    const pinned84 = await evaluate("engine-847", { engineVersion: "8.4.7" }, familyExpression);
    expect(pinned84.stdout.trim()).toBe('"mysql8.4"');
  });
});

/** Evaluates `expression` with `terraform console` in `dir`; resolves whatever the exit code. */
function consoleEval(dir: string, varFile: string, expression: string) {
  return terraform(
    dir,
    ["console", "-no-color", `-var-file=${varFile}`, `-state=${join(dir, "console.tfstate")}`],
    `${expression}\n`,
  );
}
