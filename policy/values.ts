import { Unknown, type Resource } from "./types.ts";

/** Outcome of one check on a value the gate may not know. */
export type Verdict = "pass" | "fail" | "unknown";

/** True when the value is an expression the gate cannot evaluate (unknown or a reference). */
export function isExpression(value: unknown): boolean {
  return value instanceof Unknown || (typeof value === "string" && value.includes("${"));
}

/** Renders a found value for a violation line. */
export function show(value: unknown): string {
  if (value === undefined) return "absent";
  if (value instanceof Unknown) return value.toString();
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  return JSON.stringify(value);
}

/**
 * A nested block as a list: CDKTF renders single blocks as an object or a one-element list, and
 * an absent block as undefined.
 */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => isObject(v));
  return isObject(value) ? [value] : [];
}

/** The first (usually only) instance of a nested block. */
export function block(value: unknown): Record<string, unknown> | undefined {
  return blocks(value)[0];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !(v instanceof Unknown) && !Array.isArray(v);
}

/** `true` (or "true") passes; an expression is unknown; anything else fails. */
export function isTrue(value: unknown): Verdict {
  if (value === true || value === "true") return "pass";
  return isExpression(value) ? "unknown" : "fail";
}

/** `false` (or "false") passes; an expression is unknown; anything else fails. */
export function isFalse(value: unknown): Verdict {
  if (value === false || value === "false") return "pass";
  return isExpression(value) ? "unknown" : "fail";
}

/**
 * Set to something: a literal or a reference (a key ARN from a resource, data source or module
 * output is accepted as present). An {@link Unknown} variable is unknown: it may be null.
 */
export function isSet(value: unknown): Verdict {
  if (value instanceof Unknown) return "unknown";
  if (value === undefined || value === null || value === "") return "fail";
  if (Array.isArray(value) && value.length === 0) return "fail";
  return "pass";
}

/** A number (or numeric string) satisfying `test`; an expression is unknown. */
export function isNumber(value: unknown, test: (n: number) => boolean): Verdict {
  const n = typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof n === "number") return test(n) ? "pass" : "fail";
  return isExpression(value) ? "unknown" : "fail";
}

/** A list of strings, or unknown when the list (or an element) is an expression. */
export function stringList(value: unknown): string[] | "unknown" {
  if (value === undefined || value === null) return [];
  if (isExpression(value)) return "unknown";
  const list = Array.isArray(value) ? value : [value];
  if (list.some((v) => isExpression(v) || Array.isArray(v))) return "unknown";
  return list.map(String);
}

/**
 * Collects the problems of a check: `fail` gives "<what> is <value>", `unknown` gives "cannot
 * prove <what> (<value>)". Callers list each attribute they require.
 */
export class Findings {
  readonly problems: string[] = [];

  /** Records the verdict on `attribute` of value `value`. */
  require(verdict: Verdict, attribute: string, value: unknown): this {
    if (verdict === "fail") this.problems.push(`${attribute} is ${show(value)}`);
    if (verdict === "unknown") this.problems.push(`cannot prove ${attribute} (${show(value)})`);
    return this;
  }

  /** Records a free-form problem. */
  add(problem: string): this {
    this.problems.push(problem);
    return this;
  }
}

/**
 * Whether `value` references `target` (`${aws_s3_bucket.b.id}`, `.bucket`, `.arn`, ...), which is
 * how companion resources (versioning, flow logs) point at the resource they configure.
 */
export function references(value: unknown, target: Resource): boolean {
  if (typeof value !== "string") return false;
  const prefix = `${target.kind === "data" ? "data." : ""}${target.type}.${target.name}`;
  return new RegExp(`\\$\\{${prefix.replace(/[.*]/g, "\\$&")}(\\[[^\\]]*\\])?\\.`).test(value);
}

/** Resources of `type` in the same unit whose `attribute` references `target`. */
export function companions(target: Resource, type: string, attribute: string): Resource[] {
  return target.unit.resources.filter(
    (r) => r.type === type && references(r.body[attribute], target),
  );
}

/** The resource or data block a `${type.name.attr}` reference points at, in the same unit. */
export function referenced(value: unknown, from: Resource): Resource | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?\.[a-z_]+\}$/.exec(value);
  if (!m) return undefined;
  const pool = m[1] ? from.unit.data : from.unit.resources;
  return pool.find((r) => r.type === m[2] && r.name === m[3]);
}
