import { MASKS, OVERRIDES, STAND_INS } from "./gaps.ts";
import type { Outcome } from "./evaluate.ts";

/** A plain-text table with a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The rehearsal's report: per-root table, overrides and masks with reasons, checks, secrets. */
export function renderSummary(
  outcomes: readonly (Outcome & { attempts: number; seconds: number })[],
  totalSeconds: number,
): string {
  const rows = outcomes.map((o) => [
    o.root,
    String(o.real),
    `${o.overridden} (${o.overriddenTypes.length} types)`,
    o.applySeconds === undefined ? "-" : `${o.applySeconds} s`,
    `${o.seconds} s${o.attempts > 1 ? ` (${o.attempts} attempts)` : ""}`,
    o.replan,
    o.destroy,
    o.failures.length === 0 ? "ok" : "FAILED",
  ]);
  const used = new Set(outcomes.flatMap((o) => o.overriddenTypes));
  const sections = [
    "== rehearsal summary",
    table(
      [
        "root",
        "applied for real",
        "overridden",
        "apply",
        "root wall time",
        "re-plan",
        "destroy",
        "result",
      ],
      rows,
    ),
    `total wall time ${totalSeconds} s (roots in parallel, one emulator each)`,
    "",
    "== overridden types (scripts/rehearse/gaps.ts)",
    ...OVERRIDES.filter((o) => used.has(o.type)).map((o) => `- ${o.kind} ${o.type}: ${o.reason}`),
    "",
    "== masked attributes: lifecycle.ignore_changes in the temporary copy (scripts/rehearse/gaps.ts)",
    ...MASKS.map((m) => `- ${m.type} ${m.attributes.join(", ")}: ${m.reason}`),
    "",
    "== stand-ins for objects AWS creates by itself (scripts/rehearse/gaps.ts)",
    ...STAND_INS.map((s) => `- modules/${s.module}: ${s.reason}`),
    "",
    "== checks against the emulator (AWS SDK v3)",
    ...outcomes.flatMap((o) =>
      o.checks.map((c) => `${c.ok ? "ok  " : "FAIL"} ${o.root} ${c.name}: ${c.detail}`),
    ),
    "",
    "== secret scan of the state (reported, not failed)",
    ...outcomes.flatMap((o) =>
      o.secrets.length === 0
        ? [`${o.root}: none`]
        : o.secrets.map((s) => `${o.root}: ${s.address} ${s.path}`),
    ),
  ];
  const failed = outcomes.filter((o) => o.failures.length > 0);
  if (failed.length > 0)
    sections.push(
      "",
      "== failures",
      ...failed.flatMap((o) => o.failures.map((f) => `${o.root}: ${f}`)),
    );
  return sections.join("\n");
}
