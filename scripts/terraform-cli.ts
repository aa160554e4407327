/**
 * The one way this repository runs the terraform CLI, for the tests (test/terraform.ts) and the
 * offline rehearsal (scripts/rehearse): the same binary lookup, the same isolated environment.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The terraform binary, or undefined when it is not installed. In CI (`CI=true`) a missing
 * binary is an error, so the real-terraform checks can never silently disappear there.
 */
export function terraformBinary(): string | undefined {
  const candidates = (process.env.PATH ?? "").split(":").map((dir) => join(dir, "terraform"));
  const found = candidates.find((path) => existsSync(path));
  if (!found && process.env.CI === "true")
    throw new Error("terraform is not on PATH in CI; .ci/run must provide it");
  return found;
}

/**
 * Environment for terraform: no update checks, no user CLI config, no instance-metadata probing;
 * `extra` adds to it (the rehearsal's fake credentials, for instance).
 */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: "/dev/null",
    TF_IN_AUTOMATION: "1",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

/** Starts terraform in `cwd` (for callers that read its output as it comes). */
export function spawnTerraform(
  cwd: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): ChildProcessWithoutNullStreams {
  return spawn(terraformBinary() ?? "terraform", args, { cwd, env: terraformEnv(extraEnv) });
}

/**
 * Runs terraform in `cwd` (with `input` on stdin, for `terraform console`); resolves with its
 * output whatever the exit code.
 */
export function terraform(
  cwd: string,
  args: string[],
  input = "",
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnTerraform(cwd, args, extraEnv);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => {
    child.on("error", (error) => resolve({ code: 1, stdout, stderr: stderr + String(error) }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * `terraform init` (backend off unless asked), providers from TF_PLUGIN_DIR when set (offline
 * mirror); throws with terraform's output when it fails.
 */
export async function init(
  cwd: string,
  options: { backend?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  const args = ["init", "-input=false", "-no-color", `-backend=${options.backend ?? false}`];
  if (process.env.TF_PLUGIN_DIR) args.push(`-plugin-dir=${process.env.TF_PLUGIN_DIR}`);
  const result = await terraform(cwd, args, "", options.env);
  if (result.code !== 0)
    throw new Error(`terraform init failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
}
