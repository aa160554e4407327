import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resolve, type Bindings } from "./resolve.ts";
import { Unknown, type Resource, type StackJson, type Unit } from "./types.ts";

/** Stacks by id, as synthesized. */
export type Stacks = Readonly<Record<string, StackJson>>;

/** What the loader could not follow (a module source that is not a synthesized stack). */
export interface LoadProblem {
  readonly stack: string;
  readonly address: string;
  readonly found: string;
}

/** Reads every `stacks/<id>/cdk.tf.json` of a cdktf output folder. */
export function readStacks(outdir: string): Stacks {
  const root = join(outdir, "stacks");
  if (!existsSync(root)) throw new Error(`${outdir} has no stacks/ folder (run cdktf synth)`);
  const stacks: Record<string, StackJson> = {};
  for (const id of readdirSync(root).sort()) {
    const file = join(root, id, "cdk.tf.json");
    if (existsSync(file)) stacks[id] = JSON.parse(readFileSync(file, "utf8")) as StackJson;
  }
  return stacks;
}

/**
 * A module stack holds no provider block (DESIGN: modules are real Terraform modules), so it is
 * judged only through the root stacks that call it, with the values they pass.
 */
export function isModuleStack(stack: StackJson): boolean {
  return stack.provider === undefined;
}

/**
 * Builds the evaluation units: for every root stack its own blocks (variables bound to their
 * defaults, the values `terraform apply` uses without -var), and for every `module` call with a
 * local source `../<stack>` the module's blocks with its variables bound to the call's arguments,
 * falling back to the module variable's default.
 */
export function buildUnits(stacks: Stacks): { units: Unit[]; problems: LoadProblem[] } {
  const units: Unit[] = [];
  const problems: LoadProblem[] = [];
  for (const [id, stack] of Object.entries(stacks)) {
    if (isModuleStack(stack)) continue;
    const vars = defaults(stack, new Map());
    const env = vars.get("environment");
    const environment = typeof env === "string" ? env : id;
    addUnit(stacks, id, id, environment, stack, vars, units, problems, 0);
  }
  return { units, problems };
}

// Module block arguments that are not the module's variables.
const META_ARGUMENTS = new Set([
  "source",
  "version",
  "count",
  "for_each",
  "providers",
  "depends_on",
]);

function defaults(stack: StackJson, passed: Map<string, unknown>): Map<string, unknown> {
  const vars = new Map<string, unknown>();
  for (const [name, spec] of Object.entries(stack.variable ?? {})) {
    if (passed.has(name)) vars.set(name, passed.get(name));
    else if ("default" in spec) vars.set(name, spec.default);
    else vars.set(name, new Unknown(`var.${name}`));
  }
  return vars;
}

function addUnit(
  stacks: Stacks,
  root: string,
  prefix: string,
  environment: string,
  stack: StackJson,
  vars: Bindings,
  units: Unit[],
  problems: LoadProblem[],
  depth: number,
): void {
  const resources: Resource[] = [];
  const data: Resource[] = [];
  const unit: Unit = { stack: root, prefix, environment, resources, data };
  for (const [kind, blocks, into] of [
    ["resource", stack.resource, resources],
    ["data", stack.data, data],
  ] as const) {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      for (const [name, raw] of Object.entries(byName)) {
        const body = resolve(raw, vars) as Record<string, unknown>;
        // A resource whose count is known to be 0 does not exist in this environment.
        if (body.count === 0 || body.count === "0") continue;
        const address = `${prefix}.${kind === "data" ? "data." : ""}${type}.${name}`;
        into.push({ kind, type, name, address, body, unit });
      }
    }
  }
  units.push(unit);

  for (const [call, raw] of Object.entries(stack.module ?? {})) {
    const source = raw.source;
    const address = `${prefix}.module.${call}`;
    const target = typeof source === "string" ? /^\.\.?\/([^/]+)$/.exec(source)?.[1] : undefined;
    const module = target !== undefined ? stacks[target] : undefined;
    if (!module || depth > 5) {
      problems.push({ stack: root, address, found: `module source ${String(source)} not found` });
      continue;
    }
    const args = resolve(raw, vars) as Record<string, unknown>;
    if (args.count === 0 || args.count === "0") continue;
    const passed = new Map(Object.entries(args).filter(([k]) => !META_ARGUMENTS.has(k)));
    const bound = defaults(module, passed);
    addUnit(stacks, root, address, environment, module, bound, units, problems, depth + 1);
  }
}
