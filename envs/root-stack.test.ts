import { environmentTunables, PLATFORM_READER_GROUP } from "./root-stack.ts";
import { describe, expect, it } from "vitest";
import { synthAll } from "../test/synth.ts";
import { ENVIRONMENTS } from "./index.ts";

const synthesized = synthAll();
const moduleCall = (env: string, call: string) => {
  const body = synthesized.stackJson(env).module?.[call];
  if (!body) throw new Error(`${env} has no module ${call}`);
  return body;
};
const defaultOf = (env: string, variable: string) =>
  synthesized.stackJson(env).variable?.[variable]?.default;

describe("environment root stacks", () => {
  it("call every module in dependency order, wiring outputs to inputs", () => {
    for (const { environment } of ENVIRONMENTS) {
      const modules = synthesized.stackJson(environment).module ?? {};
      expect(Object.keys(modules).sort()).toEqual([
        "addon_roles",
        "alerts",
        "app_identity",
        "bastion",
        "budgets",
        "ci_runner",
        "eks",
        "elasticache",
        "logging",
        "network",
        "opensearch",
        "rds",
        "security_groups",
      ]);
      // The optional EFK log store: off by default, writable by Fluent Bit's IRSA role.
      expect(moduleCall(environment, "opensearch")).toMatchObject({
        enabled: false,
        subnet_ids: "${module.network.private_subnet_ids}",
        client_security_group_id: "${module.security_groups.node_security_group_id}",
        writer_role_arn: "${module.logging.fluent_bit_role_arn}",
      });
      expect(moduleCall(environment, "eks")).toMatchObject({
        private_subnet_ids: "${module.network.private_subnet_ids}",
        node_security_group_id: "${module.security_groups.node_security_group_id}",
      });
      expect(moduleCall(environment, "rds")).toMatchObject({
        subnet_ids: "${module.network.data_subnet_ids}",
        security_group_id: "${module.security_groups.rds_security_group_id}",
      });
      expect(moduleCall(environment, "addon_roles")).toMatchObject({
        cluster_name: "${module.eks.cluster_name}",
        oidc_provider_arn: "${module.eks.oidc_provider_arn}",
        oidc_issuer_host: "${module.eks.oidc_issuer_host}",
      });
      const outputs = synthesized.stackJson(environment).output ?? {};
      expect(outputs.cluster_autoscaler_role_arn?.value).toBe(
        "${module.addon_roles.cluster_autoscaler_role_arn}",
      );
      expect(outputs.load_balancer_controller_role_arn?.value).toBe(
        "${module.addon_roles.load_balancer_controller_role_arn}",
      );
      expect(outputs.ebs_kms_key_arn?.value).toBe("${module.eks.ebs_kms_key_arn}");
      expect(outputs.ebs_csi_driver_role_arn?.value).toBe("${module.eks.ebs_csi_driver_role_arn}");
      expect(moduleCall(environment, "elasticache").subnet_ids).toBe(
        "${module.network.data_subnet_ids}",
      );
    }
  });

  it("run production's database multi-AZ on db.t3.small with deletion protection and a final snapshot", () => {
    expect(moduleCall("production", "rds")).toMatchObject({
      multi_az: true,
      deletion_protection: true,
      final_snapshot: true,
      instance_class: "${var.rds_instance_class}",
    });
    expect(defaultOf("production", "rds_instance_class")).toBe("db.t3.small");
    expect(moduleCall("dev", "rds")).toMatchObject({
      multi_az: false,
      deletion_protection: false,
      final_snapshot: false,
    });
    expect(defaultOf("dev", "rds_instance_class")).toBe("db.t3.micro");
  });

  it("give dev and staging a spot share and production none", () => {
    for (const env of ["dev", "staging", "production"])
      expect(moduleCall(env, "eks").spot_percentage).toBe("${var.spot_percentage}");
    expect(defaultOf("dev", "spot_percentage")).toBeGreaterThan(0);
    expect(defaultOf("staging", "spot_percentage")).toBeGreaterThan(0);
    expect(defaultOf("production", "spot_percentage")).toBe(0);
  });

  it("run Redis with a failover replica everywhere and more nodes in production", () => {
    expect(moduleCall("dev", "elasticache").num_cache_clusters).toBe(2);
    expect(moduleCall("production", "elasticache").num_cache_clusters).toBe(3);
    const module = synthesized.stackJson("elasticache");
    const group = Object.values(module.resource?.aws_elasticache_replication_group ?? {})[0]!;
    expect(group).toMatchObject({
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      transit_encryption_enabled: true,
      at_rest_encryption_enabled: "true",
    });
  });

  it("refuse a Graviton bastion type at the root, as the bastion module does", () => {
    const spec = environmentTunables.bastionInstanceType;
    expect(spec.schema.safeParse("t3.small").success).toBe(true);
    expect(spec.schema.safeParse("t4g.small").success).toBe(false);
    const validation = JSON.stringify(
      synthesized.stackJson("dev").variable?.bastion_instance_type?.validation,
    );
    expect(validation).toContain("x86_64 EC2 instance type");
  });

  it("size the bastion and nodes per environment", () => {
    expect(
      ["dev", "staging", "production"].map((e) => defaultOf(e, "bastion_instance_type")),
    ).toEqual(["t3.small", "t3.small", "t3.medium"]);
    expect(
      ["dev", "staging", "production"].map(
        (e) => (defaultOf(e, "node_instance_types") as string[])[0],
      ),
    ).toEqual(["t3.medium", "t3.medium", "t3.large"]);
  });

  it("give the CI roles from the bootstrap their cluster access: apply as admin, deploy in the app namespace", () => {
    const call = moduleCall("dev", "eks");
    expect(String(call.admin_role_arns)).toContain(":role/expense-${var.environment}-github-apply");
    expect(call.deploy_role_arn).toMatch(/:role\/expense-\$\{var\.environment\}-github-deploy$/);
    expect(call.deploy_namespaces).toEqual(["expense"]);
  });

  it("give each environment's platform-plan role a group-only access entry (its reads are RBAC)", () => {
    for (const env of ["dev", "staging", "production"]) {
      const call = moduleCall(env, "eks");
      expect(call.platform_plan_role_arn).toMatch(
        /:role\/expense-\$\{var\.environment\}-github-platform-plan$/,
      );
      expect(call.platform_plan_kubernetes_groups).toEqual([PLATFORM_READER_GROUP]);
    }
  });

  it("expose what the application and the platform need", () => {
    const outputs = Object.keys(synthesized.stackJson("dev").output ?? {});
    expect(outputs).toEqual(
      expect.arrayContaining([
        "db_endpoint",
        "db_port",
        "db_master_secret_arn",
        "redis_primary_endpoint",
        "redis_port",
        "redis_tls",
        "redis_replication_group_id",
        "redis_user",
        "db_user",
        "db_migration_user",
        "api_role_arn",
        "api_migration_role_arn",
        "cluster_name",
        "cluster_endpoint",
        "cluster_certificate_authority_data",
        "oidc_provider_arn",
        "vpc_id",
        "private_subnet_ids",
      ]),
    );
  });
});
