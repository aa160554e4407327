import type { Resource } from "./types.ts";
import { blocks, referenced } from "./values.ts";

/** One IAM policy statement, from a policy-document data block or a JSON policy string. */
export interface Statement {
  readonly effect: unknown;
  readonly actions: unknown[];
  readonly resources: unknown[];
  readonly principals: { readonly type: unknown; readonly identifiers: unknown[] }[];
  readonly conditions: {
    readonly test: unknown;
    readonly variable: unknown;
    readonly values: unknown[];
  }[];
}

const list = (v: unknown): unknown[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];

/**
 * The statements of a policy attribute: `${data.aws_iam_policy_document.x.json}` (read from the
 * data block in the same unit, with its source/override documents), a literal JSON string, or a
 * `${jsonencode({...})}` whose HCL happens to be JSON once `=` becomes `:`. Anything else
 * (references to other units, expressions) is "unknown".
 */
export function statementsOf(value: unknown, from: Resource, depth = 0): Statement[] | "unknown" {
  if (typeof value !== "string" || depth > 5) return "unknown";
  const doc = referenced(value, from);
  if (doc?.type === "aws_iam_policy_document") {
    const out: Statement[] = [];
    for (const source of [
      ...list(doc.body.source_policy_documents),
      ...list(doc.body.override_policy_documents),
    ]) {
      const more = statementsOf(source, from, depth + 1);
      if (more === "unknown") return "unknown";
      out.push(...more);
    }
    for (const s of blocks(doc.body.statement)) {
      out.push({
        effect: s.effect ?? "Allow",
        actions: list(s.actions),
        resources: list(s.resources),
        principals: blocks(s.principals).map((p) => ({
          type: p.type,
          identifiers: list(p.identifiers),
        })),
        conditions: blocks(s.condition).map((c) => ({
          test: c.test,
          variable: c.variable,
          values: list(c.values),
        })),
      });
    }
    return out;
  }
  const encoded = /^\$\{jsonencode\((.*)\)\}$/s.exec(value);
  const json = encoded ? hclToJson(encoded[1]!) : value.includes("${") ? undefined : value;
  if (json === undefined) return "unknown";
  try {
    return fromJson(JSON.parse(json));
  } catch {
    return "unknown";
  }
}

function hclToJson(hcl: string): string {
  return hcl.replace(/("[^"]*"|\b[A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/g, (_m, key: string) =>
    key.startsWith('"') ? `${key}:` : `"${key}":`,
  );
}

function fromJson(policy: unknown): Statement[] {
  const statements = list((policy as { Statement?: unknown }).Statement);
  return statements.map((raw) => {
    const s = raw as Record<string, unknown>;
    const principal = s.Principal;
    const principals =
      principal === "*"
        ? [{ type: "*", identifiers: ["*"] as unknown[] }]
        : Object.entries((principal ?? {}) as Record<string, unknown>).map(([type, ids]) => ({
            type,
            identifiers: list(ids),
          }));
    const conditions = Object.entries((s.Condition ?? {}) as Record<string, unknown>).flatMap(
      ([test, byKey]) =>
        Object.entries(byKey as Record<string, unknown>).map(([variable, values]) => ({
          test,
          variable,
          values: list(values),
        })),
    );
    return {
      effect: s.Effect ?? "Allow",
      actions: list(s.Action),
      resources: list(s.Resource),
      principals,
      conditions,
    };
  });
}
