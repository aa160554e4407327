import { buildUnits, type Stacks } from "./load.ts";
import { RULES } from "./rules/index.ts";
import type { PolicyException, Rule, Violation } from "./types.ts";

/** An exception and the violations it waived. */
export interface AppliedException {
  readonly exception: PolicyException;
  readonly waived: Violation[];
}

/** Everything `npm run policy` prints. */
export interface PolicyReport {
  readonly rules: number;
  readonly resources: number;
  /** Violations left after exceptions, including gate problems (`GATE-*`). */
  readonly violations: Violation[];
  readonly applied: AppliedException[];
  /** Exceptions that waived nothing: reported so the list cannot rot. */
  readonly stale: PolicyException[];
}

/** Id of the gate's own findings: a module it could not follow, a stale exception. */
export const GATE_MODULE = "GATE-MODULE";
/** See {@link GATE_MODULE}. */
export const GATE_STALE = "GATE-STALE-EXCEPTION";

function matcher(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/**
 * Evaluates `rules` over every unit of `stacks` (root stacks directly, modules through each call),
 * then waives violations matched by `exceptions` (rule id equal, address glob matching).
 */
export function evaluate(
  stacks: Stacks,
  exceptions: readonly PolicyException[],
  rules: readonly Rule[] = RULES,
): PolicyReport {
  const { units, problems } = buildUnits(stacks);
  const found: Violation[] = problems.map((p) => ({
    rule: GATE_MODULE,
    stack: p.stack,
    address: p.address,
    expected: "a module source that is a synthesized stack",
    found: p.found,
  }));
  let resources = 0;
  for (const unit of units) {
    const blocks = [...unit.resources, ...unit.data];
    resources += blocks.length;
    for (const resource of blocks) {
      const type = resource.kind === "data" ? `data.${resource.type}` : resource.type;
      for (const rule of rules) {
        if (!rule.types.includes(type)) continue;
        for (const problem of rule.check(resource)) {
          found.push({
            rule: rule.id,
            stack: unit.stack,
            address: resource.address,
            expected: rule.expected,
            found: problem,
          });
        }
      }
    }
  }
  const applied = exceptions.map((exception) => ({ exception, waived: [] as Violation[] }));
  const violations = found.filter((v) => {
    const hit = applied.find(
      (a) => a.exception.rule === v.rule && matcher(a.exception.address).test(v.address),
    );
    hit?.waived.push(v);
    return !hit;
  });
  const stale = applied.filter((a) => a.waived.length === 0).map((a) => a.exception);
  for (const s of stale) {
    violations.push({
      rule: GATE_STALE,
      stack: "-",
      address: s.address,
      expected: `the exception for ${s.rule} to match a violation, or its removal`,
      found: "matches nothing",
    });
  }
  return {
    rules: rules.length,
    resources,
    violations,
    applied: applied.filter((a) => a.waived.length > 0),
    stale,
  };
}

/** The report as printed: one line per violation, then the summary. */
export function formatReport(report: PolicyReport): string {
  const lines = report.violations.map(
    (v) => `${v.rule} ${v.stack} ${v.address} — expected ${v.expected}; found ${v.found}`,
  );
  if (lines.length > 0) lines.push("");
  lines.push(
    `policy: ${report.rules} rules evaluated, ${report.resources} resources checked, ${report.violations.length} violations`,
  );
  lines.push(`exceptions applied: ${report.applied.length}`);
  for (const { exception, waived } of report.applied) {
    lines.push(
      `  ${exception.rule} ${exception.address} (${waived.length} waived): ${exception.reason}`,
    );
    for (const v of waived) lines.push(`    - ${v.address}: ${v.found}`);
  }
  if (report.stale.length > 0) {
    lines.push(`stale exceptions: ${report.stale.length}`);
    for (const s of report.stale) lines.push(`  ${s.rule} ${s.address}: matches nothing`);
  }
  return lines.join("\n");
}
