import { Unknown } from "./types.ts";

/** Variable values of one scope: literals, reference strings, or {@link Unknown}. */
export type Bindings = ReadonlyMap<string, unknown>;

const EXACT_VAR = /^\$\{var\.([A-Za-z0-9_-]+)\}$/;
// The security-groups module's per-CIDR rules: `cidr_ipv4 = element(var.cidrs, count.index)`.
const ELEMENT_OF_VAR = /^\$\{element\(var\.([A-Za-z0-9_-]+), count\.index\)\}$/;
const INTERPOLATION = /\$\{((?:[^{}]|\{[^{}]*\})*)\}/g;
const VAR_IN_EXPR = /\bvar\.([A-Za-z0-9_-]+)/g;

const isReference = (v: unknown): v is string => typeof v === "string" && v.includes("${");

/**
 * Resolves `var.*` in one Terraform JSON value with `vars`. An attribute that is exactly
 * `${var.x}` becomes the bound value; `${element(var.x, count.index)}` becomes the whole list (the
 * rules then judge every element); templates and small expressions over known variables are
 * substituted and, where simple (literals, `length`, `==`/`!=` ternaries), evaluated. Anything
 * over an unknown variable is {@link Unknown}; expressions without variables stay strings.
 */
export function resolve(value: unknown, vars: Bindings): unknown {
  if (typeof value === "string") return resolveString(value, vars);
  if (Array.isArray(value)) return value.map((v) => resolve(v, vars));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = resolve(v, vars);
    return out;
  }
  return value;
}

function resolveString(text: string, vars: Bindings): unknown {
  if (!text.includes("${")) return text;
  const exact = EXACT_VAR.exec(text);
  if (exact) return lookup(vars, exact[1]!, text);
  const element = ELEMENT_OF_VAR.exec(text);
  if (element) {
    const list = lookup(vars, element[1]!, text);
    return Array.isArray(list) ? list : list instanceof Unknown ? list : new Unknown(text);
  }
  let unknown = false;
  const whole = text.match(INTERPOLATION)?.[0] === text;
  let evaluated: unknown = undefined;
  const substituted = text.replace(INTERPOLATION, (match, expr: string) => {
    if (!VAR_IN_EXPR.test(expr)) return match;
    VAR_IN_EXPR.lastIndex = 0;
    const bare = /^var\.([A-Za-z0-9_-]+)$/.exec(expr.trim());
    if (bare) {
      const v = lookup(vars, bare[1]!, match);
      if (v instanceof Unknown) return ((unknown = true), match);
      if (isReference(v)) return v; // splice `${module.x.y}` into the template
      if (v === null || typeof v === "object") return ((unknown = true), match);
      return String(v);
    }
    const literal = expr.replace(VAR_IN_EXPR, (ref, name: string) => {
      const v = lookup(vars, name, ref);
      if (v instanceof Unknown || isReference(v) || v === undefined) {
        unknown = true;
        return ref;
      }
      return JSON.stringify(v);
    });
    if (unknown) return match;
    const result = evaluate(literal.trim());
    if (whole && result !== NOT_EVALUATED) evaluated = result;
    return result !== NOT_EVALUATED && typeof result !== "object"
      ? String(result)
      : `\${${literal}}`;
  });
  if (unknown) return new Unknown(text);
  if (evaluated !== undefined) return evaluated;
  return substituted;
}

function lookup(vars: Bindings, name: string, text: string): unknown {
  return vars.has(name) ? vars.get(name) : new Unknown(text);
}

const NOT_EVALUATED = Symbol("not evaluated");

/**
 * A tiny evaluator for expressions whose variables are now literals: JSON literals, `length()`,
 * comparisons and one ternary. It gives up (the value stays an expression) on anything else.
 */
function evaluate(expr: string): unknown {
  const json = parseJson(expr);
  if (json !== NOT_EVALUATED) return json;
  const inner = /^\((.*)\)$/s.exec(expr);
  if (inner) return evaluate(inner[1]!.trim());
  const ternary = /^((?:[^?"]|"[^"]*")+)\?((?:[^:"]|"[^"]*")+):(.+)$/s.exec(expr);
  if (ternary) {
    const condition = evaluate(ternary[1]!.trim());
    if (typeof condition !== "boolean") return NOT_EVALUATED;
    return evaluate((condition ? ternary[2]! : ternary[3]!).trim());
  }
  const comparison = /^([^=!<>]+?)\s*(==|!=|>=|<=|>|<)\s*([^=!<>]+)$/s.exec(expr);
  if (comparison) {
    const left = evaluate(comparison[1]!.trim());
    const right = evaluate(comparison[3]!.trim());
    if (left === NOT_EVALUATED || right === NOT_EVALUATED) return NOT_EVALUATED;
    const equal = JSON.stringify(left) === JSON.stringify(right);
    const [l, r] = [Number(left), Number(right)];
    switch (comparison[2]) {
      case "==":
        return equal;
      case "!=":
        return !equal;
      case ">=":
        return l >= r;
      case "<=":
        return l <= r;
      case ">":
        return l > r;
      default:
        return l < r;
    }
  }
  const length = /^length\((.*)\)$/s.exec(expr);
  if (length) {
    const list = evaluate(length[1]!.trim());
    return Array.isArray(list) ? list.length : NOT_EVALUATED;
  }
  return NOT_EVALUATED;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_EVALUATED;
  }
}
