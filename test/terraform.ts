import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
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

/** Environment for terraform: no update checks, no user CLI config, no instance-metadata probing. */
function terraformEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: "/dev/null",
    TF_IN_AUTOMATION: "1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/**
 * Runs terraform in `cwd` (with `input` on stdin, for `terraform console`); resolves with its
 * output whatever the exit code.
 */
export function terraform(
  cwd: string,
  args: string[],
  input = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(terraformBinary() ?? "terraform", args, { cwd, env: terraformEnv() });
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

/** `terraform init` without a backend, providers from TF_PLUGIN_DIR when set (offline mirror). */
export async function init(cwd: string, options: { backend?: boolean } = {}): Promise<void> {
  const args = ["init", "-input=false", "-no-color", `-backend=${options.backend ?? false}`];
  if (process.env.TF_PLUGIN_DIR) args.push(`-plugin-dir=${process.env.TF_PLUGIN_DIR}`);
  const result = await terraform(cwd, args);
  if (result.code !== 0)
    throw new Error(`terraform init failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
}

/** Result of `terraform validate -json`. */
export interface ValidateResult {
  readonly valid: boolean;
  readonly warning_count: number;
  readonly error_count: number;
  readonly diagnostics: {
    severity: string;
    summary: string;
    detail?: string;
    range?: { filename: string };
  }[];
}

/** Initializes and validates the configuration in `dir`. */
export async function validate(dir: string): Promise<ValidateResult> {
  await init(dir);
  const result = await terraform(dir, ["validate", "-json", "-no-color"]);
  return JSON.parse(result.stdout) as ValidateResult;
}

/** Copies a folder tree to a fresh temporary folder (terraform writes .terraform/ into it). */
export function scratchCopy(source: string): string {
  const target = mkdtempSync(join(tmpdir(), "expense-tf-"));
  cpSync(source, target, { recursive: true });
  return target;
}

/** Runs `task` over `items` with at most `limit` at a time (terraform is CPU- and IO-heavy). */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One-line summary of a validation's diagnostics, for failure messages. */
export function describeDiagnostics(result: ValidateResult): string {
  return result.diagnostics
    .map(
      (d) =>
        `${d.severity}: ${d.summary}${d.detail ? ` (${d.detail})` : ""}${d.range ? ` at ${d.range.filename}` : ""}`,
    )
    .join("\n");
}
