/**
 * Key paths of chart values, to check that what the platform sets is a key the pinned chart
 * documents (a misspelt or removed key is silently ignored by Helm).
 */

/** Dotted paths of the leaves of `values` (arrays and empty objects are leaves). */
export function leafPaths(values: unknown, prefix = ""): string[] {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [prefix];
  const entries = Object.entries(values);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([key, value]) => leafPaths(value, prefix ? `${prefix}.${key}` : key));
}

/** What the committed copy of a chart's documented keys holds (see scripts/chart-values-keys.ts). */
export interface DocumentedKeys {
  /** Chart version the keys were read from. */
  readonly version: string;
  /** Where: repository, commit or tag, file. */
  readonly source: string;
  /** Documented key paths that the platform's values use (or are prefixes of what they use). */
  readonly keys: readonly string[];
  /** Documented keys whose value is a free-form map or list (annotations, extraArgs, specs). */
  readonly open: readonly string[];
}

/**
 * Key paths of `values` the chart does not document: neither a documented key nor below a
 * documented free-form one.
 */
export function undocumentedPaths(values: unknown, documented: DocumentedKeys): string[] {
  const keys = new Set(documented.keys);
  return leafPaths(values).filter(
    (path) => !keys.has(path) && !documented.open.some((open) => path.startsWith(`${open}.`)),
  );
}

/**
 * The documented keys of a chart's values.yaml (parsed) that `used` paths need: each used path's
 * prefixes that exist upstream, and which of them are free-form maps.
 */
export function documentedKeysFor(
  upstream: unknown,
  used: readonly string[],
): { keys: string[]; open: string[] } {
  const keys = new Set<string>();
  const open = new Set<string>();
  for (const path of used) {
    let node: unknown = upstream;
    const parts = path.split(".");
    for (let i = 0; i < parts.length; i++) {
      if (node === null || typeof node !== "object" || Array.isArray(node)) break;
      if (!(parts[i]! in node)) break;
      node = (node as Record<string, unknown>)[parts[i]!];
      const here = parts.slice(0, i + 1).join(".");
      const isOpenMap =
        node === null ||
        (typeof node === "object" && !Array.isArray(node) && Object.keys(node).length === 0);
      if (i === parts.length - 1) keys.add(here);
      else if (isOpenMap) {
        open.add(here);
        break;
      }
    }
  }
  return { keys: [...keys].sort(), open: [...open].sort() };
}
