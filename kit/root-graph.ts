/**
 * What a synthesized root configuration wires together, read from its Terraform JSON (the same
 * JSON `terraform apply` runs), so the generated docs cannot drift from the code: which module
 * consumes which module's outputs, which remote-state outputs the platform root reads, and which
 * module arguments are literals fixed at synth time.
 */

/** The parts of a root stack's Terraform JSON this file reads. */
export interface RootJson {
  readonly module?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, { readonly value?: unknown }>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly resource?: Record<string, Record<string, unknown>>;
}

/** One consumer-producer pair: `to` reads `outputs` of `from`. */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly outputs: readonly string[];
}

const MODULE_REF = /\bmodule\.([a-z0-9_]+)\.([a-z0-9_]+)/g;
const DATA_REF = /\bdata\.([a-z0-9_]+)\.([a-z0-9_]+)/g;
const REMOTE_OUTPUT = /\bdata\.terraform_remote_state\.[a-z0-9_]+\.outputs\.([a-z0-9_]+)/g;
/** Data sources every root reads for ARNs (account, region, partition); not dependencies. */
const CONTEXT_DATA = new Set(["aws_caller_identity", "aws_region", "aws_partition"]);

/** Keys of a module block that are not inputs: Terraform meta-arguments and CDKTF's metadata. */
const META_ARGUMENTS = new Set([
  "source",
  "version",
  "//",
  "depends_on",
  "providers",
  "count",
  "for_each",
]);

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

function collect(pairs: Map<string, Set<string>>, key: string, value: string) {
  const set = pairs.get(key) ?? new Set<string>();
  set.add(value);
  pairs.set(key, set);
}

function toEdges(pairs: Map<string, Set<string>>): Edge[] {
  return [...pairs.entries()]
    .map(([key, outputs]) => {
      const [from, to] = key.split(" ") as [string, string];
      return { from, to, outputs: sorted(outputs) };
    })
    .sort((a, b) => a.to.localeCompare(b.to) || a.from.localeCompare(b.from));
}

/** Module calls of a root, in the order they are declared. */
export function moduleNames(root: RootJson): string[] {
  return Object.keys(root.module ?? {});
}

/**
 * Which module reads which other module's outputs, and which non-context data sources
 * (`data.<type>`, e.g. the bootstrap's CodeConnections connection looked up by name) feed a module.
 */
export function moduleEdges(root: RootJson): Edge[] {
  const pairs = new Map<string, Set<string>>();
  for (const [consumer, args] of Object.entries(root.module ?? {})) {
    const text = JSON.stringify(args);
    for (const [, producer, output] of text.matchAll(MODULE_REF))
      collect(pairs, `${producer} ${consumer}`, output!);
    for (const [, type, name] of text.matchAll(DATA_REF))
      if (!CONTEXT_DATA.has(type!) && type !== "terraform_remote_state")
        collect(pairs, `data.${type}.${name} ${consumer}`, "arn");
  }
  return toEdges(pairs);
}

/**
 * The modules of the `<env>` root whose outputs the `<env>-platform` root reads through
 * `terraform_remote_state`, with the root output names.
 */
export function platformEdges(root: RootJson, platform: RootJson, platformName: string): Edge[] {
  const pairs = new Map<string, Set<string>>();
  const read = sorted([...JSON.stringify(platform).matchAll(REMOTE_OUTPUT)].map((m) => m[1]!));
  for (const output of read) {
    const value = root.output?.[output]?.value;
    if (value === undefined)
      throw new Error(`${platformName} reads output ${output}, which the root does not declare`);
    const producers = sorted([...JSON.stringify(value).matchAll(MODULE_REF)].map((m) => m[1]!));
    for (const producer of producers.length > 0 ? producers : ["(root)"])
      collect(pairs, `${producer} ${platformName}`, output);
  }
  return toEdges(pairs);
}

/** A module argument whose value is a literal in the root: fixed when `npm run synth` ran. */
export interface SynthTimeSetting {
  readonly module: string;
  readonly argument: string;
  readonly value: unknown;
}

/**
 * Module arguments without any Terraform reference (no `${...}`): they come from `envs/<env>.ts`,
 * `envs/account.ts` or the root stack's code and change only by re-synthesizing, unlike the
 * root's variables (tunables), which `-var`/`-var-file` can override.
 */
export function synthTimeSettings(root: RootJson): SynthTimeSetting[] {
  const settings: SynthTimeSetting[] = [];
  for (const [module, args] of Object.entries(root.module ?? {}))
    for (const [argument, value] of Object.entries(args))
      if (!META_ARGUMENTS.has(argument) && !JSON.stringify(value).includes("${"))
        settings.push({ module, argument, value });
  return settings;
}
