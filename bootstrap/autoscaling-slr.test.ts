import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../scripts/rehearse/emulator.ts";
import { renderProviderOverride } from "../scripts/rehearse/render.ts";
import { seedAccount } from "../scripts/rehearse/root.ts";
import { init, scratchCopy, terraform } from "../test/terraform.ts";

const SLR = "aws_iam_service_linked_role.autoscaling_service_linked_role[0]";
const SERVICES = ["iam", "sts", "ec2", "s3", "kms", "dynamodb", "ecr", "codeconnections"];

/**
 * The bootstrap's plan against moto_server (real terraform, real AWS provider): in an account
 * that already has AWSServiceRoleForAutoScaling the default plans no role (the old default
 * failed there with "role name has been taken"); in a new account the default stops with a
 * message naming the variable; created with the variable true, the role stays in the next plan.
 */
describe("bootstrap: AWSServiceRoleForAutoScaling in new and existing accounts", () => {
  let emulator: Emulator;
  let dir: string;
  const plan = (...args: string[]) =>
    terraform(dir, ["plan", "-no-color", "-input=false", "-lock=false", ...args]);

  beforeAll(async () => {
    emulator = await startEmulator(join(tmpdir(), `awslayer-slr-moto-${process.pid}.log`));
    dir = scratchCopy("terraform/bootstrap");
    writeFileSync(
      join(dir, "test_override.tf"),
      renderProviderOverride(emulator.endpoint, SERVICES),
    );
    await init(dir, { backend: true });
  }, 240_000);

  afterAll(async () => {
    await emulator?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stops a new account's plan with a message telling to set the variable", async () => {
    const result = await plan();
    expect(result.code).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, " ")).toContain(
      "AWSServiceRoleForAutoScaling does not exist in this account (new account): set create_autoscaling_service_linked_role = true",
    );
  }, 240_000);

  it("creates the role when asked, and the next plan keeps it", async () => {
    const apply = await terraform(dir, [
      "apply",
      "-auto-approve",
      "-no-color",
      "-input=false",
      "-lock=false",
      "-var=create_autoscaling_service_linked_role=true",
      `-target=${SLR}`,
    ]);
    expect(apply.stderr).toBe("");
    expect(apply.code).toBe(0);
    const again = await plan(
      "-detailed-exitcode",
      "-var=create_autoscaling_service_linked_role=true",
      `-target=${SLR}`,
    );
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0); // 0 = no changes: nothing planned to destroy or replace
  }, 240_000);

  it("plans no role in an existing account with the default (the old default collided)", async () => {
    const existing = await startEmulator(join(tmpdir(), `awslayer-slr-moto2-${process.pid}.log`));
    try {
      await seedAccount(existing.endpoint);
      writeFileSync(
        join(dir, "test_override.tf"),
        renderProviderOverride(existing.endpoint, SERVICES),
      );
      rmSync(join(dir, "terraform.tfstate"), { force: true });
      const result = await plan("-out=plan.bin");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const shown = await terraform(dir, ["show", "-json", "plan.bin"]);
      const changes = (JSON.parse(shown.stdout) as { resource_changes: { type: string }[] })
        .resource_changes;
      expect(changes.length).toBeGreaterThan(0);
      expect(changes.filter((c) => c.type === "aws_iam_service_linked_role")).toEqual([]);
    } finally {
      await existing.stop();
    }
  }, 240_000);
});
