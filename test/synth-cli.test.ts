import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "..");
const copies: string[] = [];

// Each scratch copy gets its own synth bundle (keyed by its path, see scripts/synth.mjs) in the
// shared node_modules: remove both, or every test run leaves megabytes behind.
afterAll(() => {
  for (const copy of copies) {
    const checkout = createHash("sha256").update(copy).digest("hex").slice(0, 12);
    rmSync(join(repo, "node_modules", ".cache", "synth", checkout), {
      recursive: true,
      force: true,
    });
    rmSync(copy, { recursive: true, force: true });
  }
});

/** Runs `npm run synth`'s script in a scratch copy of the generator with one env file edited. */
function synthWith(
  file: string,
  edit: (source: string) => string,
): { status: number | null; stdout: string; stderr: string; copy: string } {
  const copy = mkdtempSync(join(tmpdir(), "expense-synth-cli-"));
  copies.push(copy);
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
  // The same command as package.json's synth script.
  const result = spawnSync(process.execPath, ["scripts/synth.mjs"], {
    cwd: copy,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, copy };
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

describe("npm run synth summary", () => {
  it("lists the stacks, the files it changed under terraform/ and the next command per root", () => {
    // The scratch copy has no terraform/ at first: every file is added; a second run changes none
    // except the one file whose source was edited.
    const first = synthWith("envs/dev.ts", (source) => source);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const lines = first.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^synth: \d+ stacks written to cdktf\.out\/ \(.*\bdev-platform\b.*\)$/,
    );
    expect(lines[1]).toMatch(/^terraform\/: \d+ added, 0 changed, 0 removed$/);
    expect(lines).toContain("  + terraform/bootstrap/main.tf");
    expect(lines).toContain(
      "  cd terraform/envs/dev && terraform init && terraform plan    # applied by the dev CI apply role",
    );
    expect(existsSync(join(first.copy, "terraform/envs/production-platform/main.tf"))).toBe(true);

    // Unchanged sources: the launcher reuses its cached bundle. SYNTH_TIMINGS adds the phase
    // breakdown on stderr (stdout keeps the summary alone).
    const again = spawnSync(process.execPath, ["scripts/synth.mjs"], {
      cwd: first.copy,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1", SYNTH_TIMINGS: "1" },
    });
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(
      /^synth timings \(process start = 0\):\n {2}start-up +\d+ ms\n(?: {2}.+ \d+ ms\n?){5}$/,
    );
    expect(again.stdout.split("\n")[1]).toBe(
      "terraform/: up to date (no file added, changed or removed)",
    );

    // An edited source must be rebuilt, not served from the cached bundle: the dev region changes
    // and so must dev's generated variables.
    const devFile = join(first.copy, "envs/dev.ts");
    writeFileSync(
      devFile,
      readFileSync(devFile, "utf8").replace("region: account.region,", 'region: "eu-central-1",'),
    );
    const edited = spawnSync(process.execPath, ["scripts/synth.mjs"], {
      cwd: first.copy,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    expect(edited.status).toBe(0);
    expect(edited.stdout).toContain("  ~ terraform/envs/dev/variables.tf");
  });
});
