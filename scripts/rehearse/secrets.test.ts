import { describe, expect, it } from "vitest";
import { scanState } from "./secrets.ts";

describe("secret scan", () => {
  it("reports non-empty secret attributes in nested modules without returning their values", () => {
    const findings = scanState({
      root_module: {
        resources: [{ address: "aws_vpc.vpc", values: { cidr_block: "10.0.0.0/16" } }],
        child_modules: [
          {
            resources: [
              {
                address: "module.rds.aws_db_instance.db",
                values: { password: "hunter2", username: "admin" },
              },
              {
                address: "module.cache.data.aws_secretsmanager_random_password.p",
                values: { random_password: "x" },
              },
              {
                address: "module.cache.aws_secretsmanager_secret_version.v",
                values: { secret_string: "s" },
              },
              {
                address: "module.x.aws_elasticache_replication_group.r",
                values: { auth_token: "", nested: [{ private_key: "k" }] },
              },
            ],
          },
        ],
      },
    });
    expect(findings).toEqual([
      { address: "module.rds.aws_db_instance.db", path: "password" },
      {
        address: "module.cache.data.aws_secretsmanager_random_password.p",
        path: "random_password",
      },
      { address: "module.cache.aws_secretsmanager_secret_version.v", path: "secret_string" },
      { address: "module.x.aws_elasticache_replication_group.r", path: "nested[0].private_key" },
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/hunter2/);
  });

  it("ignores empty, null and false values and look-alike names", () => {
    expect(
      scanState({
        root_module: {
          resources: [
            {
              address: "aws_db_instance.db",
              values: {
                password: null,
                auth_token: "",
                manage_master_user_password: true,
                http_tokens: "required",
                password_wo_version: null,
              },
            },
          ],
        },
      }),
    ).toEqual([]);
  });
});
