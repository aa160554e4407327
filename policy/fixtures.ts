import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stacks } from "./load.ts";
import type { StackJson } from "./types.ts";

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** A root stack (it has a provider block) holding `resource`, `data` and variable defaults. */
export function rootStack(
  resource: Blocks,
  options: { data?: Blocks; vars?: Record<string, unknown>; module?: StackJson["module"] } = {},
): StackJson {
  return {
    provider: { aws: [{ region: "eu-west-1" }] },
    resource,
    ...(options.data ? { data: options.data } : {}),
    ...(options.module ? { module: options.module } : {}),
    variable: Object.fromEntries(
      Object.entries(options.vars ?? {}).map(([k, v]) => [k, { default: v }]),
    ),
  };
}

/** Writes stacks in cdktf output layout (`stacks/<id>/cdk.tf.json`) to a temp folder. */
export function writeOutdir(stacks: Stacks): string {
  const outdir = mkdtempSync(join(tmpdir(), "policy-fixture-"));
  for (const [id, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, "stacks", id), { recursive: true });
    writeFileSync(join(outdir, "stacks", id, "cdk.tf.json"), JSON.stringify(json));
  }
  return outdir;
}
