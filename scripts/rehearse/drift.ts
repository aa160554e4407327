/** The parts of a Terraform JSON plan (`terraform show -json`, test `-verbose`) the check reads. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly mode: string;
    readonly change: {
      readonly actions: readonly string[];
      readonly before?: Record<string, unknown> | null;
      readonly after?: Record<string, unknown> | null;
      readonly after_unknown?: Record<string, unknown> | null;
      readonly replace_paths?: readonly (readonly (string | number)[])[];
    };
  }[];
}

/** A planned change: the address, its actions, the top-level attributes that differ and why it replaces. */
export interface Change {
  readonly address: string;
  readonly actions: readonly string[];
  readonly attributes: readonly string[];
  readonly replacePaths?: readonly string[];
}

type ResourceChange = NonNullable<PlanJson["resource_changes"]>[number];

function differingAttributes(change: ResourceChange["change"]): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = change.after_unknown ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys]
    .filter(
      (key) =>
        unknown[key] === true ||
        JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
    )
    .sort();
}

/**
 * What a plan would change: every resource change but `no-op` (and reads of data sources). The
 * rehearsal's no-changes check fails when this is not empty.
 */
export function planChanges(plan: PlanJson): Change[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => !rc.change.actions.every((a) => a === "no-op" || a === "read"))
    .map((rc) => ({
      address: rc.address,
      actions: rc.change.actions,
      attributes: differingAttributes(rc.change),
      ...(rc.change.replace_paths?.length
        ? { replacePaths: rc.change.replace_paths.map((p) => p.join(".")) }
        : {}),
    }));
}

/** One line per change, e.g. `update module.x.aws_s3_bucket_versioning.v (versioning_configuration)`. */
export function describeChanges(changes: readonly Change[]): string {
  return changes
    .map(
      (c) =>
        `${c.actions.join("+")} ${c.address} (${c.attributes.join(", ")})${c.replacePaths ? ` replaced for ${c.replacePaths.join(", ")}` : ""}`,
    )
    .join("\n");
}
