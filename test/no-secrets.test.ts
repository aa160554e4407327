import { describe, expect, it } from "vitest";
import { synthAll, type StackJson } from "./synth.ts";

/**
 * No secret value passes through Terraform (DESIGN.md): no stack may read one (data sources that
 * return secret material), write one (resources that store a value Terraform supplies), or set
 * an argument that carries one. What remains are identities and permissions: RDS manages its own
 * master password, the API and migrations sign short-lived IAM tokens.
 */
const SECRET_DATA_SOURCES = [
  "aws_secretsmanager_secret_version",
  "aws_secretsmanager_secrets",
  "aws_secretsmanager_random_password",
  "aws_kms_secrets",
  "aws_kms_secret",
  "kubernetes_secret",
  "kubernetes_secret_v1",
  "random_password",
];
const SECRET_RESOURCES = [
  "aws_secretsmanager_secret_version",
  "aws_ssm_parameter",
  "aws_iam_access_key",
  "aws_iam_user_login_profile",
  "kubernetes_secret",
  "kubernetes_secret_v1",
  "random_password",
  "random_string",
  "tls_private_key",
];
/** Arguments that carry a secret value when set (write-only forms included). */
const SECRET_ARGUMENTS =
  /^(auth_token|password|passwords|master_password|master_password_wo|secret_string|secret_string_wo|secret_binary|private_key|user_password|admin_password)$/;
/** Expressions that read a secret attribute of anything. */
const SECRET_REFERENCE =
  /\.(secret_string|secret_binary|random_password|auth_token|password|plaintext)\b/;

/** `[path, key, value]` of every argument in a resource or data block, recursively. */
function* argumentsOf(value: unknown, path: string): Generator<[string, string, unknown]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* argumentsOf(item, `${path}[${i}]`);
  } else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      yield [path, key, inner];
      yield* argumentsOf(inner, `${path}.${key}`);
    }
  }
}

/** Every way `json` handles a secret value, as readable problems. */
export function secretHandling(id: string, json: StackJson): string[] {
  const problems: string[] = [];
  for (const type of Object.keys(json.data ?? {}))
    if (SECRET_DATA_SOURCES.includes(type)) problems.push(`${id}: reads data.${type}`);
  for (const type of Object.keys(json.resource ?? {}))
    if (SECRET_RESOURCES.includes(type)) problems.push(`${id}: writes ${type}`);
  for (const kind of ["resource", "data"] as const)
    for (const [type, byName] of Object.entries(json[kind] ?? {}))
      for (const [name, body] of Object.entries(byName))
        for (const [path, key, value] of argumentsOf(body, `${type}.${name}`)) {
          if (SECRET_ARGUMENTS.test(key)) problems.push(`${id}: ${path} sets ${key}`);
          if (typeof value === "string" && SECRET_REFERENCE.test(value))
            problems.push(`${id}: ${path}.${key} reads ${SECRET_REFERENCE.exec(value)![0]}`);
        }
  for (const [name, output] of Object.entries(json.output ?? {}))
    if (SECRET_REFERENCE.test(JSON.stringify(output.value)))
      problems.push(`${id}: output ${name} exposes a secret attribute`);
  return problems;
}

describe("no secret value in any Terraform stack", () => {
  const synthesized = synthAll();
  const stacks = synthesized.assembly.app.node.children.map((c) => c.node.id);

  it("covers every stack of the app", () => {
    expect(stacks).toEqual(
      expect.arrayContaining(["bootstrap", "dev", "dev-platform", "elasticache", "rds"]),
    );
  });

  it.each(stacks)("%s reads, writes and passes no secret", (id) => {
    expect(secretHandling(id, synthesized.stackJson(id))).toEqual([]);
  });

  it("catches the patterns it is meant to catch", () => {
    const bad: StackJson = {
      data: {
        aws_secretsmanager_secret_version: { s: { secret_id: "x" } },
      },
      resource: {
        aws_elasticache_replication_group: {
          r: { auth_token: "${data.aws_secretsmanager_secret_version.s.secret_string}" },
        },
        kubernetes_secret_v1: { k: { data: { DB_PASSWORD: "x" } } },
        aws_secretsmanager_secret_version: { v: { secret_string_wo: "x" } },
      },
    };
    const problems = secretHandling("bad", bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        "bad: reads data.aws_secretsmanager_secret_version",
        "bad: writes kubernetes_secret_v1",
        "bad: writes aws_secretsmanager_secret_version",
        "bad: aws_elasticache_replication_group.r sets auth_token",
        "bad: aws_elasticache_replication_group.r.auth_token reads .secret_string",
        "bad: aws_secretsmanager_secret_version.v sets secret_string_wo",
      ]),
    );
  });
});
