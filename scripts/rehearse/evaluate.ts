/**
 * Judges one root's rehearsal: apply, SDK checks, re-plan, destroy (or the refusal each root must
 * show), the drift proof, resource counts and the secret scan. Pure: input is what root.ts gathered.
 */
import { describeChanges, type Change } from "./drift.ts";
import {
  diagnosticType,
  isTransient,
  isUnsupportedApi,
  type Diagnostic,
  type TestEvents,
} from "./events.ts";
import type { CheckResult } from "./checks.ts";
import { scanState, stateResources, type SecretFinding, type StateJson } from "./secrets.ts";
import type { Target } from "./targets.ts";

/** The summary line of a root and why it failed, if it did. */
export interface Outcome {
  readonly root: string;
  readonly real: number;
  readonly overridden: number;
  readonly overriddenTypes: readonly string[];
  readonly applySeconds?: number;
  readonly replan: string;
  readonly destroy: string;
  readonly checks: readonly CheckResult[];
  readonly secrets: readonly SecretFinding[];
  readonly failures: string[];
  /** A failure worth one more attempt on a fresh emulator (see events.isTransient). */
  readonly transient: boolean;
}

/** What the teardown of each root must do. */
export type DestroyExpectation =
  | { kind: "destroyed" }
  | { kind: "prevent_destroy"; protectedAddresses: readonly string[] }
  | { kind: "deletion_protection"; dbType: "aws_db_instance" };

type StateResource = { address: string; mode?: string; type?: string; depends_on?: string[] };

function managed(state: StateJson | undefined): StateResource[] {
  return state
    ? (stateResources(state) as StateResource[]).filter((r) => r.mode === "managed")
    : [];
}

/** `module.a.aws_x.y[0]` → `module.a.aws_x.y` (override targets have no index). */
export function withoutIndex(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}

/** The DB instance and everything it depends on, transitively (what its protection keeps). */
export function dependencyClosure(resources: readonly StateResource[], start: string): Set<string> {
  const byBase = new Map<string, StateResource[]>();
  for (const r of resources)
    byBase.set(withoutIndex(r.address), [...(byBase.get(withoutIndex(r.address)) ?? []), r]);
  const seen = new Set<string>();
  const visit = (address: string) => {
    if (seen.has(address)) return;
    seen.add(address);
    const resource = resources.find((r) => r.address === address);
    for (const dep of resource?.depends_on ?? [])
      for (const r of byBase.get(withoutIndex(dep)) ?? [])
        if (r.mode === "managed") visit(r.address);
  };
  visit(start);
  return seen;
}

function describeDiagnostic(d: Diagnostic): string {
  const type = diagnosticType(d);
  const where = d.file ? ` (${d.file}:${d.line})` : "";
  if (isUnsupportedApi(d) && type)
    return `${type}${where}: the emulator lacks this API — ${d.summary}. If moto 5.2.1 really lacks it, add ${type} to OVERRIDES in scripts/rehearse/gaps.ts with the reason.`;
  return `${type ?? "terraform"}${where}: ${d.summary}${d.detail ? ` — ${d.detail.split("\n")[0]}` : ""}`;
}

function seconds(start?: number, end?: number): number | undefined {
  return start !== undefined && end !== undefined ? Math.round((end - start) / 1000) : undefined;
}

/** Judges one attempt. */
export function evaluate(input: {
  root: string;
  events: TestEvents;
  targets: readonly Target[];
  checks: readonly CheckResult[];
  replan?: Change[];
  driftProof?: Change[];
  expectedDrift?: string;
  destroy: DestroyExpectation;
}): Outcome {
  const { events } = input;
  const failures: string[] = [];
  const apply = events.runs.get("apply");
  const state = events.states.get("apply");
  const resources = managed(state);
  const overriddenAddresses = new Set(input.targets.map((t) => t.address));
  const overridden = resources.filter((r) => overriddenAddresses.has(withoutIndex(r.address)));
  const runErrors = events.diagnostics.filter(
    (d) =>
      d.severity === "error" &&
      d.run &&
      events.runs.get(d.run)?.status !== "pass" &&
      d.run !== undefined,
  );
  const teardownErrors = events.diagnostics.filter(
    (d) => d.severity === "error" && !runErrors.includes(d),
  );
  if (apply?.status !== "pass")
    failures.push(`apply ${apply?.status ?? "did not run"}`, ...runErrors.map(describeDiagnostic));
  for (const c of input.checks) if (!c.ok) failures.push(`check ${c.name}: ${c.detail}`);

  let replan = "not run";
  if (input.replan) {
    replan = input.replan.length === 0 ? "no changes" : `${input.replan.length} changes`;
    if (input.replan.length > 0)
      failures.push(`re-plan is not empty:\n${describeChanges(input.replan)}`);
  } else if (apply?.status === "pass") failures.push("no re-plan");
  if (input.expectedDrift !== undefined) {
    const found = input.driftProof?.map((c) => c.address) ?? [];
    if (found.length !== 1 || found[0] !== input.expectedDrift)
      failures.push(
        `drift proof: expected exactly ${input.expectedDrift} to change, got ${JSON.stringify(found)}`,
      );
    else replan += `; deliberate drift caught (${input.expectedDrift})`;
  }

  const left = new Set(events.leftInState);
  let destroy: string;
  const expectation = input.destroy;
  if (expectation.kind === "destroyed") {
    destroy = left.size === 0 && teardownErrors.length === 0 ? "destroyed" : `${left.size} left`;
    if (destroy !== "destroyed")
      failures.push(
        `destroy left ${[...left].join(", ")}: ${teardownErrors.map(describeDiagnostic).join("; ")}`,
      );
  } else if (expectation.kind === "prevent_destroy") {
    const refusal = teardownErrors.filter((d) => d.summary === "Instance cannot be destroyed");
    const named = expectation.protectedAddresses.filter((a) =>
      refusal.some((d) => d.detail.includes(`Resource ${a} has lifecycle.prevent_destroy set`)),
    );
    const ok =
      named.length === expectation.protectedAddresses.length && refusal.length === named.length;
    destroy = ok
      ? `refused by prevent_destroy (${named.join(", ")})`
      : "prevent_destroy did not refuse";
    if (!ok)
      failures.push(
        `expected prevent_destroy to refuse the destroy of ${expectation.protectedAddresses.join(", ")}; got: ${teardownErrors.map(describeDiagnostic).join("; ") || "no refusal"}`,
      );
  } else {
    const db = resources.find((r) => r.type === expectation.dbType);
    const kept = db ? dependencyClosure(resources, db.address) : new Set<string>();
    const refusal = teardownErrors.some((d) => /protect/i.test(`${d.summary} ${d.detail}`));
    const same = kept.size > 0 && kept.size === left.size && [...kept].every((a) => left.has(a));
    destroy =
      refusal && same
        ? `refused by deletion protection (kept ${kept.size}: the DB and its dependencies)`
        : "deletion protection did not hold as expected";
    if (!(refusal && same))
      failures.push(
        `expected the DB's deletion protection to keep exactly ${[...kept].sort().join(", ")}; left ${[...left].sort().join(", ")}; errors: ${teardownErrors.map(describeDiagnostic).join("; ")}`,
      );
  }

  return {
    root: input.root,
    real: resources.length - overridden.length,
    overridden: overridden.length,
    overriddenTypes: [...new Set(input.targets.map((t) => t.override.type))].sort(),
    applySeconds: seconds(apply?.start, apply?.end),
    replan,
    destroy,
    checks: input.checks,
    secrets: state ? scanState(state) : [],
    failures,
    transient: apply?.status !== "pass" && runErrors.length > 0 && runErrors.every(isTransient),
  };
}
