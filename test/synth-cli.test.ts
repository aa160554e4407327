import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "..");

/** Runs `npm run synth`'s script in a scratch copy of the generator with one env file edited. */
function synthWith(
  file: string,
  edit: (source: string) => string,
): { status: number | null; stderr: string } {
  const copy = mkdtempSync(join(tmpdir(), "expense-synth-cli-"));
  for (const path of [
    "main.ts",
    "package.json",
    "tsconfig.json",
    "kit",
    "envs",
    "modules",
    "bootstrap",
    "scripts",
    "api/src",
  ]) {
    cpSync(join(repo, path), join(copy, path), { recursive: true });
  }
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"));
  const target = join(copy, file);
  const edited = edit(readFileSync(target, "utf8"));
  writeFileSync(target, edited);
  const result = spawnSync(join(repo, "node_modules/.bin/tsx"), ["scripts/synth.ts"], {
    cwd: copy,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  return { status: result.status, stderr: result.stderr };
}

describe("npm run synth with a bad config value", () => {
  it.each([
    [
      "envs/dev.ts",
      "region: account.region,",
      'region: "us-east-9x",',
      'synth failed: envs/dev: region = "us-east-9x": must be an AWS region such as eu-west-1',
    ],
    [
      "envs/production.ts",
      'environment: "production",',
      'environment: "prod",',
      'synth failed: envs/prod: environment = "prod": Invalid option: expected one of "dev"|"staging"|"production"',
    ],
    [
      "envs/staging.ts",
      'instanceType: "t3.small"',
      'instanceType: "t3.big"',
      'synth failed: envs/staging: bastion.instanceType = "t3.big": must be an EC2 instance type such as t3.medium',
    ],
    [
      "envs/production.ts",
      'instanceClass: "db.t3.small"',
      'instanceClass: "t3.small"',
      'synth failed: envs/production: rds.instanceClass = "t3.small": must be an RDS instance class such as db.t3.micro',
    ],
  ])("%s: fails with one line naming the field and the value", (file, from, to, message) => {
    const { status, stderr } = synthWith(file, (source) => {
      expect(source).toContain(from);
      return source.replace(from, to);
    });
    expect(status).toBe(1);
    expect(stderr.trim()).toBe(message);
  });
});
