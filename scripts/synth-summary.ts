/**
 * What `npm run synth` prints after writing: the stacks, what changed under terraform/ and the next
 * command per root. Pure functions over file maps, so the wording is tested without a synth.
 */

/** Paths (relative to terraform/) added, changed and removed between two versions of the tree. */
export interface TreeDiff {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}

/** Compares the tree on disk before synth with the one synth renders. */
export function diffTree(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): TreeDiff {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, content] of after) {
    const old = before.get(path);
    if (old === undefined) added.push(path);
    else if (old !== content) changed.push(path);
  }
  for (const path of before.keys()) if (!after.has(path)) removed.push(path);
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/** A root configuration under terraform/ and who applies it (see docs/deployment.md). */
export interface RootSummary {
  readonly dir: string;
  readonly appliedBy: string;
}

/** At most this many paths are listed per kind of change; the rest are counted. */
const LISTED = 8;

/** The summary text (lines without trailing newline). */
export function summaryLines(
  stacks: readonly string[],
  diff: TreeDiff,
  roots: readonly RootSummary[],
): string[] {
  const lines = [`synth: ${stacks.length} stacks written to cdktf.out/ (${stacks.join(", ")})`];
  const total = diff.added.length + diff.changed.length + diff.removed.length;
  if (total === 0) {
    lines.push("terraform/: up to date (no file added, changed or removed)");
  } else {
    lines.push(
      `terraform/: ${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed`,
    );
    for (const [mark, paths] of [
      ["+", diff.added],
      ["~", diff.changed],
      ["-", diff.removed],
    ] as const) {
      for (const path of paths.slice(0, LISTED)) lines.push(`  ${mark} terraform/${path}`);
      if (paths.length > LISTED) lines.push(`  ${mark} ... and ${paths.length - LISTED} more`);
    }
  }
  lines.push("next, in order (review the plan before any apply):");
  for (const root of roots) {
    lines.push(
      `  cd ${root.dir} && terraform init && terraform plan    # applied by ${root.appliedBy}`,
    );
  }
  return lines;
}
