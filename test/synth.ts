import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import type { TerraformModuleDefinition } from "../kit/module.ts";
import type { OutputSpec } from "../kit/outputs.ts";
import { buildApp, type Assembly } from "../main.ts";
import { renderTree, type RenderedTree } from "../scripts/render-tree.ts";

/** Terraform JSON of a stack, as a plain object. */
export type StackJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
  module?: Record<string, Record<string, unknown>>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
  locals?: Record<string, unknown>;
};

/** Synthesizes one module on its own and returns its stack and Terraform JSON. */
export function synthModule(definition: TerraformModuleDefinition<never, OutputSpec>): {
  stack: TerraformStack;
  json: StackJson;
  text: string;
} {
  const app = Testing.app();
  const stack = (
    definition as unknown as TerraformModuleDefinition<unknown, OutputSpec>
  ).synthesize(app);
  const text = Testing.synth(stack, true);
  return { stack, json: JSON.parse(text) as StackJson, text };
}

/** Every resource of one type in a stack's JSON, by name. */
export function resourcesOf(
  json: StackJson,
  type: string,
): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The only resource of `type` named `name`; fails loudly when absent. */
export function resourceOf(json: StackJson, type: string, name: string): Record<string, unknown> {
  const resource = json.resource?.[type]?.[name];
  if (!resource)
    throw new Error(
      `no ${type}.${name}; have: ${Object.keys(json.resource?.[type] ?? {}).join(", ")}`,
    );
  return resource;
}

/** The whole app synthesized once per test file: JSON stacks and the rendered HCL tree on disk. */
export interface SynthesizedApp {
  readonly assembly: Assembly;
  readonly outdir: string;
  readonly treeDir: string;
  readonly tree: RenderedTree;
  /** Terraform JSON of the stack named `id`. */
  stackJson(id: string): StackJson;
}

let cached: SynthesizedApp | undefined;

/** Synthesizes every stack into a temporary folder (never the repository's cdktf.out or terraform/). */
export function synthAll(): SynthesizedApp {
  if (cached) return cached;
  const root = mkdtempSync(join(tmpdir(), "expense-synth-"));
  const outdir = join(root, "cdktf.out");
  const assembly = buildApp(outdir);
  assembly.app.synth();
  const tree = renderTree(assembly);
  const treeDir = join(root, "terraform");
  for (const [path, content] of tree.terraform) {
    mkdirSync(dirname(join(treeDir, path)), { recursive: true });
    writeFileSync(join(treeDir, path), content);
  }
  const stacks = new Map(
    assembly.app.node.children
      .filter((c): c is TerraformStack => c instanceof TerraformStack)
      .map((s) => [s.node.id, s]),
  );
  cached = {
    assembly,
    outdir,
    treeDir,
    tree,
    stackJson: (id) => {
      const stack = stacks.get(id);
      if (!stack) throw new Error(`no stack ${id}`);
      return stack.toTerraform() as StackJson;
    },
  };
  return cached;
}
