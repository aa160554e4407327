import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../scripts/rehearse/emulator.ts";
import { renderProviderOverride } from "../../scripts/rehearse/render.ts";
import { init, scratchCopy, terraform } from "../../test/terraform.ts";

/** The services the network module's plan reads (AZs, identity, region, partition). */
const SERVICES = ["ec2", "iam", "logs", "kms", "sts"];

/**
 * `az_count` against the region's availability zones, through a real `terraform plan` of the
 * committed network module in eu-west-1 against moto_server (which, like AWS, reports three AZs
 * there): 3 plans; 4 used to pass the static 2..4 range and fail inside `slice` with an index
 * error, and now stops with a message naming the variable, the value and the region's AZs.
 */
describe("network module: az_count against the region's availability zones", () => {
  let emulator: Emulator;
  let tree: string;
  let dir: string;
  const plan = (azCount: number) =>
    terraform(dir, [
      "plan",
      "-no-color",
      "-input=false",
      "-lock=false",
      "-refresh=false",
      `-var=az_count=${azCount}`,
    ]);

  beforeAll(async () => {
    emulator = await startEmulator(join(tmpdir(), `awslayer-az-moto-${process.pid}.log`));
    tree = scratchCopy("terraform/modules");
    dir = join(tree, "caller");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "main.tf"),
      [
        'provider "aws" {',
        '  region = "eu-west-1"',
        "}",
        "",
        'variable "az_count" {',
        "  type = number",
        "}",
        "",
        'module "network" {',
        '  source                  = "../network"',
        '  name                    = "expense-test"',
        '  vpc_cidr                = "10.20.0.0/16"',
        "  az_count                = var.az_count",
        "  flow_log_retention_days = 7",
        "}",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "test_override.tf"),
      renderProviderOverride(emulator.endpoint, SERVICES),
    );
    await init(dir);
  }, 240_000);

  afterAll(async () => {
    await emulator?.stop();
    if (tree) rmSync(tree, { recursive: true, force: true });
  });

  it("plans three AZs in eu-west-1", async () => {
    const result = await plan(3);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("module.network.aws_subnet.private_subnets[2]");
    expect(result.stdout).not.toContain("module.network.aws_subnet.private_subnets[3]");
  }, 240_000);

  it("rejects az_count = 4 with the variable, the value and the region's AZ count", async () => {
    const result = await plan(4);
    expect(result.code).not.toBe(0);
    const message = result.stderr.replace(/\s+/g, " ");
    expect(message).toContain(
      "az_count is 4, but the region eu-west-1 has only 3 available availability zones (eu-west-1a, eu-west-1b, eu-west-1c): set az_count to at most 3.",
    );
    // The clear message replaces the old obscure one, not joins it.
    expect(message).not.toContain("slice");
  }, 240_000);
});
