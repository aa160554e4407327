/** Test support: Terraform expressions of the platform stack, evaluated by the real binary. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Terraform expressions of the platform stack evaluated by the real terraform binary (no provider
 * needed): the `<env>` stack's remote-state outputs are replaced by `outputs`, and references to
 * the setup ConfigMap's data by `configMapData` (itself evaluated the same way).
 */
export function evaluate<T extends Record<string, unknown>>(
  values: T,
  outputs: Record<string, string | number>,
  configMapData: Record<string, string> = {},
): { [K in keyof T]: string } {
  const rewrite = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value)
        .replaceAll("data.terraform_remote_state.env.outputs.", "local.outputs.")
        .replaceAll(
          "kubernetes_config_map_v1.opensearch_setup_config.data",
          "local.config_map_data",
        ),
    );
  const dir = mkdtempSync(join(tmpdir(), "opensearch-setup-render-"));
  try {
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({
        locals: { outputs, config_map_data: rewrite(configMapData) },
        output: { values: { value: rewrite(values) } },
      }),
    );
    const run = (...args: string[]) =>
      execFileSync("terraform", args, {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, TF_IN_AUTOMATION: "1" },
      });
    run("init", "-input=false", "-no-color");
    run("apply", "-auto-approve", "-input=false", "-no-color");
    return JSON.parse(run("output", "-json", "values")) as { [K in keyof T]: string };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The setup ConfigMap's data as the Job would receive it (see `evaluate`). */
export const renderConfigMap = (
  data: Record<string, string>,
  outputs: Record<string, string | number>,
): Record<string, string> => evaluate(data, outputs);
