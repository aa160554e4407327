import type { Mask, Override } from "./gaps.ts";

/** One overridden block in a root: its address as `terraform test` targets it. */
export interface Target {
  readonly override: Override;
  /** e.g. `module.eks.aws_eks_addon.ebs_csi_addon` or `aws_budgets_budget.budget`. */
  readonly address: string;
}

/** `module "x" { source = "..." }` calls in a root's HCL: module name to source path. */
export function moduleCalls(rootHcl: string): Map<string, string> {
  const calls = new Map<string, string>();
  const pattern = /^module "([^"]+)" \{[^]*?^\s*source\s*=\s*"([^"]+)"/gm;
  for (const match of rootHcl.matchAll(pattern)) calls.set(match[1]!, match[2]!);
  return calls;
}

/** Names of the `resource`/`data` blocks of `type` declared in an HCL file. */
export function blocksOf(hcl: string, kind: "resource" | "data", type: string): string[] {
  const pattern = new RegExp(`^${kind} "${type}" "([^"]+)"`, "gm");
  return [...hcl.matchAll(pattern)].map((m) => m[1]!);
}

/**
 * Addresses to override in one root: every block of an overridden type in the root itself
 * (`rootHcl`) and in each module it calls (`moduleHcl(source)` returns that module's HCL).
 */
export function overrideTargets(
  overrides: readonly Override[],
  rootHcl: string,
  moduleHcl: (source: string) => string,
): Target[] {
  const scopes: [prefix: string, hcl: string][] = [["", rootHcl]];
  for (const [name, source] of moduleCalls(rootHcl))
    scopes.push([`module.${name}.`, moduleHcl(source)]);
  return overrides.flatMap((override) =>
    scopes.flatMap(([prefix, hcl]) =>
      blocksOf(hcl, override.kind, override.type).map((name) => ({
        override,
        address: `${prefix}${override.kind === "data" ? "data." : ""}${override.type}.${name}`,
      })),
    ),
  );
}

/** The `ignore_changes` entries a resource block already has (kept when masks are added). */
export function existingIgnoreChanges(block: string): string[] {
  const start = /ignore_changes\s*=\s*\[/.exec(block);
  if (!start) return [];
  let depth = 1;
  let end = start.index + start[0].length;
  for (; end < block.length && depth > 0; end++) {
    if (block[end] === "[") depth++;
    if (block[end] === "]") depth--;
  }
  // Split on commas outside brackets: entries such as scaling_config[0].desired_size stay whole.
  const entries: string[] = [];
  let current = "";
  let level = 0;
  for (const char of block.slice(start.index + start[0].length, end - 1)) {
    if (char === "[") level++;
    if (char === "]") level--;
    if (char === "," && level === 0) {
      entries.push(current);
      current = "";
    } else current += char;
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter(Boolean);
}

/**
 * An override file for one module folder: each resource of a masked type gets the masked
 * attributes added to its `lifecycle.ignore_changes`; undefined when nothing in `hcl` is masked.
 */
export function renderMaskOverride(hcl: string, masks: readonly Mask[]): string | undefined {
  const blocks = hcl.split(/^(?=resource ")/m);
  const out: string[] = [];
  for (const block of blocks) {
    const header = /^resource "([^"]+)" "([^"]+)"/.exec(block);
    const mask = header && masks.find((m) => m.type === header[1]);
    if (!header || !mask) continue;
    const entries = [...new Set([...existingIgnoreChanges(block), ...mask.attributes])];
    out.push(
      [
        `# ${mask.type}: ${mask.reason}`,
        `resource "${header[1]}" "${header[2]}" {`,
        "  lifecycle {",
        `    ignore_changes = [${entries.join(", ")}]`,
        "  }",
        "}",
      ].join("\n"),
    );
  }
  if (out.length === 0) return undefined;
  return [
    "# Written by the rehearsal into a temporary copy; never part of the committed tree.",
    ...out,
    "",
  ].join("\n\n");
}
