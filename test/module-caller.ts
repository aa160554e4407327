import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TerraformStack } from "cdktf";
import { renderStackHcl } from "../kit/hcl/tree.ts";
import { toSnakeCase } from "../kit/naming.ts";
import { init, validate, type ValidateResult } from "./terraform.ts";

/** A module's rendered HCL in a scratch folder, and a way to call it from throwaway roots. */
export interface RenderedModule {
  /** Folder of the rendered module (already `terraform init`ed). */
  readonly dir: string;
  /**
   * Validates a root module that calls the rendered module with `args` (camelCase keys, literal
   * values) and optional extra HCL (outputs reading the module, for instance).
   */
  validateCall(args: Record<string, unknown>, extraHcl?: string): Promise<ValidateResult>;
}

/** Renders `stack` as HCL into a scratch folder named `name` and initializes it. */
export async function renderModule(stack: TerraformStack, name: string): Promise<RenderedModule> {
  const root = mkdtempSync(join(tmpdir(), `expense-${name}-`));
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, content] of renderStackHcl(stack)) writeFileSync(join(dir, file), content);
  await init(dir);
  return {
    dir,
    validateCall: async (args, extraHcl = "") => {
      const caller = mkdtempSync(join(root, "caller-"));
      const lines = Object.entries(args).map(
        ([key, value]) => `  ${toSnakeCase(key)} = ${JSON.stringify(value)}`,
      );
      writeFileSync(
        join(caller, "main.tf"),
        `module "${toSnakeCase(name)}" {\n  source = "../${name}"\n${lines.join("\n")}\n}\n${extraHcl}`,
      );
      return validate(caller);
    },
  };
}
