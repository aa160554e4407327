import { describe, expect, it } from "vitest";
import { resourceOf, synthModule } from "../../test/synth.ts";
import { appIdentity } from "./index.ts";

const { json } = synthModule(appIdentity as never);
const documents = (json.data?.aws_iam_policy_document ?? {}) as Record<
  string,
  { statement: { sid?: string; actions: string[]; resources: string[]; condition?: unknown[] }[] }
>;
const CONTEXT =
  "arn:${data.aws_partition.context_partition.partition}:rds-db:${data.aws_region.context_region.name}:${data.aws_caller_identity.context_caller.account_id}";

describe("app-identity module", () => {
  it("lets the API's service account connect as exactly its MySQL user and its Redis user", () => {
    expect(documents.api_permissions!.statement).toEqual([
      {
        sid: "MySql",
        actions: ["rds-db:connect"],
        resources: [`${CONTEXT}:dbuser:\${var.db_resource_id}/\${var.db_app_user}`],
      },
      {
        sid: "Redis",
        actions: ["elasticache:Connect"],
        resources: ["${var.redis_replication_group_arn}", "${var.redis_user_arn}"],
      },
    ]);
    expect(JSON.stringify(documents.api_trust)).toContain(
      "system:serviceaccount:${var.namespace}:${var.api_service_account}",
    );
  });

  it("lets only the migration Job read the master secret (through Secrets Manager) and connect as the migrator", () => {
    const statements = documents.migration_permissions!.statement;
    expect(statements.map((s) => s.sid)).toEqual(["MySql", "MasterSecret", "MasterSecretKey"]);
    expect(statements[0]!.resources).toEqual([
      `${CONTEXT}:dbuser:\${var.db_resource_id}/\${var.db_migration_user}`,
    ]);
    expect(statements[1]!.resources).toEqual(["${var.db_master_secret_arn}"]);
    expect(statements[2]!.condition).toEqual([
      {
        test: "StringEquals",
        variable: "kms:ViaService",
        values: ["secretsmanager.${data.aws_region.context_region.name}.amazonaws.com"],
      },
    ]);
    expect(JSON.stringify(documents.api_permissions)).not.toContain("secretsmanager");
    expect(JSON.stringify(documents.migration_trust)).toContain(
      "system:serviceaccount:${var.namespace}:${var.migration_service_account}",
    );
  });

  it("gives both roles the permissions boundary passed in", () => {
    for (const name of ["api_role", "migration_role"])
      expect(resourceOf(json, "aws_iam_role", name).permissions_boundary).toBe(
        "${(length(var.permissions_boundary_arn) < 1) ? null : var.permissions_boundary_arn}",
      );
  });
});
