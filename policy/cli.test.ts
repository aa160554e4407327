import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { synthAll } from "../test/synth.ts";
import { evaluate } from "./evaluate.ts";
import { EXCEPTIONS } from "./exceptions.ts";
import { rootStack, writeOutdir } from "./fixtures.ts";
import { buildUnits, readStacks } from "./load.ts";

const run = promisify(execFile);

/** Runs the CLI; resolves with its exit code and output instead of throwing on non-zero. */
async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run("npx", ["tsx", "policy/cli.ts", ...args]);
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe("the gate on the real app", () => {
  it("passes every synthesized stack with only the listed exceptions", () => {
    const { outdir } = synthAll();
    const report = evaluate(readStacks(outdir), EXCEPTIONS);
    expect(report.violations).toEqual([]);
    expect(report.stale).toEqual([]);
    expect(report.resources).toBeGreaterThan(100);
  });

  it("judges every module call with the values its environment passes", () => {
    const { outdir, assembly } = synthAll();
    const { units } = buildUnits(readStacks(outdir));
    const retention = assembly.environments.map(({ config }) => {
      const unit = units.find((u) => u.prefix === `${config.environment}.module.network`)!;
      const group = unit.resources.find((r) => r.type === "aws_cloudwatch_log_group")!;
      return [config.environment, group.body.retention_in_days];
    });
    expect(retention).toEqual(
      assembly.environments.map(({ config }) => [config.environment, config.logRetentionDays]),
    );
  });
  it("sees the real GitHub roles: a wildcard repository default fails their trust", () => {
    const stacks = structuredClone(readStacks(synthAll().outdir));
    const repository = stacks.bootstrap!.variable!.github_repository!;
    repository.default = "example-org/*";
    const wildcard = evaluate(stacks, EXCEPTIONS).violations;
    expect(wildcard.length).toBeGreaterThan(0);
    expect(wildcard.every((v) => v.rule === "IAM-GITHUB-TRUST")).toBe(true);
    delete repository.default;
    const unknown = evaluate(stacks, EXCEPTIONS).violations;
    const roles = (vs: typeof unknown) => [...new Set(vs.map((v) => v.address))];
    expect(roles(unknown)).toEqual(roles(wildcard));
    const repo = "${var.github_repository}";
    expect(unknown.map((v) => v.found)).toContain(
      `cannot prove the :sub values ([unknown (repo:${repo}:pull_request:ref:refs/pull/*/merge:job_workflow_ref:${repo}/.github/workflows/terraform.yml@refs/pull/*/merge), ` +
        `unknown (repo:${repo}:ref:refs/heads/main:ref:refs/heads/main:job_workflow_ref:${repo}/.github/workflows/terraform.yml@refs/heads/main)])`,
    );
  });
});

describe("npm run policy", () => {
  it("exits non-zero on a violation and prints it", async () => {
    const outdir = writeOutdir({
      broken: rootStack({ aws_sns_topic: { alerts: { name: "alerts" } } }),
    });
    const { code, stdout } = await cli(["--dir", outdir]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      "ENC-SNS broken broken.aws_sns_topic.alerts — expected kms_master_key_id set; found kms_master_key_id is absent",
    );
    expect(stdout).toMatch(/30 rules evaluated, 1 resources checked, 1 violations/);
  });

  it("exits zero on the real app, synthesized in-process", async () => {
    const { code, stdout } = await cli([]);
    expect(stdout).toMatch(/0 violations/);
    expect(code).toBe(0);
  });
});
