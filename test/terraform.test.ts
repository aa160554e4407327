import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { synthAll, type SynthesizedApp } from "./synth.ts";
import {
  describeDiagnostics,
  init,
  mapLimit,
  scratchCopy,
  terraform,
  terraformBinary,
  validate,
} from "./terraform.ts";

// Real `terraform validate` over every AWS-only stack, in both output formats. Runs wherever a
// terraform binary exists; in CI its absence is an error (see terraformBinary).
//
// The `<env>-platform` stacks are skipped by validate (JSON and HCL) and only: they need the helm
// and kubernetes providers, which are not in the offline plugin mirror (TF_PLUGIN_DIR holds the
// AWS provider only), so `terraform init` cannot install them here. `terraform fmt` below still
// covers them; envs/platform/stack.test.ts checks their JSON.
const needsMissingProviders = (stack: string) => stack.endsWith("-platform");
describe.runIf(terraformBinary())("terraform", () => {
  let synthesized: SynthesizedApp;
  let jsonRoot: string;
  let hclRoot: string;

  beforeAll(() => {
    synthesized = synthAll();
    jsonRoot = scratchCopy(join(synthesized.outdir, "stacks"));
    hclRoot = scratchCopy(synthesized.treeDir);
  });

  it("validates every stack's JSON (cdktf.out) without errors or warnings", async () => {
    const all = readdirSync(jsonRoot);
    expect(all).toEqual(
      expect.arrayContaining([
        "network",
        "security-groups",
        "bootstrap",
        "dev",
        "staging",
        "production",
        "dev-platform",
      ]),
    );
    const stacks = all.filter((stack) => !needsMissingProviders(stack));
    expect(stacks).toHaveLength(all.length - 3);
    const results = await mapLimit(stacks, 2, async (stack) => ({
      stack,
      result: await validate(join(jsonRoot, stack)),
    }));
    for (const { stack, result } of results) {
      expect(result.valid, `${stack}:\n${describeDiagnostics(result)}`).toBe(true);
      expect(result.warning_count, `${stack}:\n${describeDiagnostics(result)}`).toBe(0);
    }
  });

  it("validates every module, environment and the bootstrap in the HCL tree without errors or warnings", async () => {
    const dirs = [
      ...readdirSync(join(hclRoot, "modules")).map((m) => `modules/${m}`),
      ...readdirSync(join(hclRoot, "envs"))
        .filter((e) => !needsMissingProviders(e))
        .map((e) => `envs/${e}`),
      "bootstrap",
    ];
    const results = await mapLimit(dirs, 2, async (dir) => ({
      dir,
      result: await validate(join(hclRoot, dir)),
    }));
    for (const { dir, result } of results) {
      expect(result.valid, `${dir}:\n${describeDiagnostics(result)}`).toBe(true);
      expect(result.warning_count, `${dir}:\n${describeDiagnostics(result)}`).toBe(0);
    }
  });

  it("writes HCL exactly as terraform fmt would", async () => {
    const result = await terraform(synthesized.treeDir, [
      "fmt",
      "-check",
      "-recursive",
      "-diff",
      "-no-color",
    ]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("rejects a bad region, environment and instance type passed as variables, through their validation blocks", async () => {
    const root = scratchCopy(hclRoot);
    const dev = join(root, "envs", "dev");
    // Swap the S3 backend for a local one so plan runs without AWS credentials; variable
    // validation fails the plan before any provider call.
    writeFileSync(join(dev, "backend_override.tf"), 'terraform {\n  backend "local" {}\n}\n');
    await init(dev, { backend: true });
    const bad = {
      environment: "prod",
      region: "us-east-9x",
      bastion_instance_type: "t3.big",
      rds_instance_class: "t3.micro",
      redis_node_type: "db.t3.small",
    };
    const vars = Object.entries(bad).flatMap(([name, value]) => ["-var", `${name}=${value}`]);
    const result = await terraform(dev, [
      "plan",
      "-input=false",
      "-refresh=false",
      "-no-color",
      ...vars,
    ]);
    expect(result.code).not.toBe(0);
    for (const [name, value] of Object.entries(bad)) {
      expect(result.stderr).toContain(`var.${name} is "${value}"`);
    }
    expect(result.stderr).toContain("region must be an AWS region such as eu-west-1.");
    expect(result.stderr).toContain("environment must be one of dev, staging, production.");
    expect(result.stderr).toContain(
      "bastion_instance_type must be an x86_64 EC2 instance type such as t3.small",
    );
  });

  it("rejects a bad literal module argument at validate time through the module's validation block", async () => {
    const root = scratchCopy(hclRoot);
    const caller = join(root, "caller");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(caller);
    writeFileSync(
      join(caller, "main.tf"),
      'module "network" {\n  source                  = "../modules/network"\n  name                    = "expense-test"\n  vpc_cidr                = "10.0.0.1/16"\n  flow_log_retention_days = 8\n}\n',
    );
    const result = await validate(caller);
    expect(result.valid).toBe(false);
    const text = describeDiagnostics(result);
    expect(text).toContain("vpc_cidr must be an IPv4 CIDR block");
    expect(text).toContain("flow_log_retention_days must be one of");
  });
});
