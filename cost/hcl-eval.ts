/**
 * A small evaluator for the Terraform expressions the synthesized stacks use in `count` and in
 * module arguments (`var.x`, `local.x`, literals, `==`, `?:`, `length()`, `concat()`, ...), so the
 * cost model can count what a stack creates without a plan. Anything that depends on the
 * infrastructure (resource attributes, data sources, module outputs) evaluates to UNKNOWN; a count
 * that is UNKNOWN or uses syntax outside this subset is an error naming the expression, never a
 * silent guess.
 */

/** A value the evaluator cannot know before apply (a resource attribute, a data source, ...). */
export const UNKNOWN: unique symbol = Symbol("unknown");

/**
 * A string whose literal parts are known and whose interpolations are not (`"arn:${data.x}:..."`):
 * unknown, but certainly not empty, which is all a `x == "" ? 0 : 1` count needs.
 */
export class PartialString {
  constructor(readonly literal: string) {}
}

/** A value an expression evaluates to. */
export type HclValue =
  | string
  | number
  | boolean
  | null
  | typeof UNKNOWN
  | PartialString
  | HclValue[]
  | { [key: string]: HclValue };

/** What `var.*` and `local.*` resolve to while evaluating. */
export interface Scope {
  readonly variable: (name: string) => HclValue;
  readonly local: (name: string) => HclValue;
}

type Token = { kind: "num" | "str" | "id" | "op"; text: string };

const OPS = ["==", "!=", ">=", "<=", "&&", "||", "?", ":", ">", "<", "!", "+", "-", "*", "/"];
const PUNCT = "()[]{},.=";

/** Index of the `}` closing the `${` that starts at `start`, skipping nested strings and braces. */
function closingBrace(source: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '"') i = closingQuote(source, i);
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  throw new Error(`unterminated \${ in ${JSON.stringify(source)}`);
}

/** Index of the `"` closing the string that starts at `start` (templates inside may nest strings). */
function closingQuote(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "$" && source[i + 1] === "{") i = closingBrace(source, i);
    else if (c === '"') return i;
  }
  throw new Error(`unterminated string in ${JSON.stringify(source)}`);
}

/** Splits a template into literal text and `${...}` expression sources. */
function splitTemplate(template: string): { text?: string; expr?: string }[] {
  const parts: { text?: string; expr?: string }[] = [];
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf("${", i);
    if (start < 0) {
      parts.push({ text: template.slice(i) });
      break;
    }
    if (start > i) parts.push({ text: template.slice(i, start) });
    const end = closingBrace(template, start);
    parts.push({ expr: template.slice(start + 2, end) });
    i = end + 1;
  }
  return parts;
}

/** Evaluates a template: one `${expr}` alone is its value; otherwise a string, or UNKNOWN. */
function evaluateTemplate(template: string, scope: Scope): HclValue {
  const parts = splitTemplate(template);
  if (parts.length === 1 && parts[0]!.expr !== undefined)
    return evaluateExpression(parts[0]!.expr, scope);
  let text = "";
  let unknown = false;
  for (const part of parts) {
    if (part.text !== undefined) {
      text += part.text.replace(/\\(.)/g, "$1");
      continue;
    }
    const value = evaluateExpression(part.expr!, scope);
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean")
      unknown = true;
    else text += String(value);
  }
  if (!unknown) return text;
  return parts.some((p) => p.text) ? new PartialString(text) : UNKNOWN;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: "num", text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))!;
      tokens.push({ kind: "id", text: m[0] });
      i += m[0].length;
    } else if (c === '"') {
      const end = closingQuote(source, i);
      tokens.push({ kind: "str", text: source.slice(i + 1, end) });
      i = end + 1;
    } else {
      const op = OPS.find((o) => source.startsWith(o, i));
      if (op) {
        tokens.push({ kind: "op", text: op });
        i += op.length;
      } else if (PUNCT.includes(c)) {
        tokens.push({ kind: "op", text: c });
        i++;
      } else {
        throw new Error(`unsupported character ${JSON.stringify(c)}`);
      }
    }
  }
  return tokens;
}

const FUNCTIONS: Record<string, (args: HclValue[]) => HclValue> = {
  length: ([v]) => {
    if (Array.isArray(v)) return v.length;
    if (typeof v === "string") return v.length;
    if (v && typeof v === "object") return Object.keys(v).length;
    return UNKNOWN;
  },
  concat: (args) => (args.some((a) => !Array.isArray(a)) ? UNKNOWN : (args as HclValue[][]).flat()),
  min: (args) => (args.every((a) => typeof a === "number") ? Math.min(...args) : UNKNOWN),
  max: (args) => (args.every((a) => typeof a === "number") ? Math.max(...args) : UNKNOWN),
  tolist: ([v]) => v ?? null,
  toset: ([v]) => (Array.isArray(v) ? [...new Set(v)] : (v ?? null)),
  tonumber: ([v]) => (typeof v === "string" ? Number(v) : (v ?? null)),
  tostring: ([v]) => (typeof v === "number" || typeof v === "boolean" ? String(v) : (v ?? null)),
  floor: ([v]) => (typeof v === "number" ? Math.floor(v) : UNKNOWN),
  element: ([list, index]) =>
    Array.isArray(list) && typeof index === "number" ? list[index % list.length]! : UNKNOWN,
};

const isObject = (v: HclValue): v is { [key: string]: HclValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof PartialString);

const known = (a: HclValue, b: HclValue): boolean =>
  a !== UNKNOWN && b !== UNKNOWN && !(a instanceof PartialString) && !(b instanceof PartialString);

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly scope: Scope,
  ) {}

  parse(): HclValue {
    const value = this.expr();
    if (this.pos < this.tokens.length)
      throw new Error(`unexpected ${JSON.stringify(this.tokens[this.pos]!.text)}`);
    return value;
  }

  private peek(text?: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && (text === undefined || (t.kind !== "str" && t.text === text));
  }

  private take(text?: string): Token {
    const t = this.tokens[this.pos];
    if (!t || (text !== undefined && t.text !== text))
      throw new Error(`expected ${text ?? "a token"} at ${t ? JSON.stringify(t.text) : "the end"}`);
    this.pos++;
    return t;
  }

  private expr(): HclValue {
    const cond = this.or();
    if (!this.peek("?")) return cond;
    this.take("?");
    const yes = this.expr();
    this.take(":");
    const no = this.expr();
    if (typeof cond !== "boolean") return UNKNOWN;
    return cond ? yes : no;
  }

  private binary(
    next: () => HclValue,
    ops: string[],
    apply: (op: string, a: HclValue, b: HclValue) => HclValue,
  ): HclValue {
    let left = next();
    while (ops.some((o) => this.peek(o))) {
      const op = this.take().text;
      const right = next();
      left = apply(op, left, right);
    }
    return left;
  }

  private or(): HclValue {
    return this.binary(
      () => this.and(),
      ["||"],
      (_, a, b) => (a === true || b === true ? true : known(a, b) ? false : UNKNOWN),
    );
  }

  private and(): HclValue {
    return this.binary(
      () => this.compare(),
      ["&&"],
      (_, a, b) => (a === false || b === false ? false : known(a, b) ? true : UNKNOWN),
    );
  }

  private compare(): HclValue {
    return this.binary(
      () => this.sum(),
      ["==", "!=", ">=", "<=", ">", "<"],
      (op, a, b) => {
        const partial = [a, b].find((v) => v instanceof PartialString) as PartialString | undefined;
        if (partial && (a === "" || b === "") && partial.literal !== "") return op === "!=";
        if (!known(a, b)) return UNKNOWN;
        if (op === "==") return JSON.stringify(a) === JSON.stringify(b);
        if (op === "!=") return JSON.stringify(a) !== JSON.stringify(b);
        const [x, y] = [a as number, b as number];
        return op === ">" ? x > y : op === "<" ? x < y : op === ">=" ? x >= y : x <= y;
      },
    );
  }

  private sum(): HclValue {
    return this.binary(
      () => this.product(),
      ["+", "-"],
      (op, a, b) =>
        !known(a, b)
          ? UNKNOWN
          : op === "+"
            ? (a as number) + (b as number)
            : (a as number) - (b as number),
    );
  }

  private product(): HclValue {
    return this.binary(
      () => this.unary(),
      ["*", "/"],
      (op, a, b) =>
        !known(a, b)
          ? UNKNOWN
          : op === "*"
            ? (a as number) * (b as number)
            : (a as number) / (b as number),
    );
  }

  private unary(): HclValue {
    if (this.peek("!")) {
      this.take();
      const v = this.unary();
      return typeof v === "boolean" ? !v : UNKNOWN;
    }
    if (this.peek("-")) {
      this.take();
      const v = this.unary();
      return typeof v === "number" ? -v : UNKNOWN;
    }
    return this.postfix();
  }

  private postfix(): HclValue {
    let value = this.primary();
    for (;;) {
      if (this.peek(".")) {
        this.take();
        const key = this.take().text;
        value = isObject(value) ? (value[key] ?? UNKNOWN) : UNKNOWN;
      } else if (this.peek("[")) {
        this.take();
        const index = this.peek("*") ? (this.take(), UNKNOWN) : this.expr();
        this.take("]");
        value =
          Array.isArray(value) && typeof index === "number"
            ? (value[index] ?? UNKNOWN)
            : isObject(value) && typeof index === "string"
              ? (value[index] ?? UNKNOWN)
              : UNKNOWN;
      } else {
        return value;
      }
    }
  }

  private primary(): HclValue {
    const t = this.take();
    if (t.kind === "num") return Number(t.text);
    if (t.kind === "str") return evaluateTemplate(t.text, this.scope);
    if (t.kind === "op" && t.text === "(") {
      const v = this.expr();
      this.take(")");
      return v;
    }
    if (t.kind === "op" && t.text === "[") {
      const items: HclValue[] = [];
      while (!this.peek("]")) {
        items.push(this.expr());
        if (this.peek(",")) this.take(",");
      }
      this.take("]");
      return items;
    }
    if (t.kind === "op" && t.text === "{") {
      const object: Record<string, HclValue> = {};
      while (!this.peek("}")) {
        const key = this.take().text;
        this.take(this.peek("=") ? "=" : ":");
        object[key] = this.expr();
        if (this.peek(",")) this.take(",");
      }
      this.take("}");
      return object;
    }
    if (t.kind === "id") {
      if (t.text === "true") return true;
      if (t.text === "false") return false;
      if (t.text === "null") return null;
      if (this.peek("(")) {
        this.take("(");
        const args: HclValue[] = [];
        while (!this.peek(")")) {
          args.push(this.expr());
          if (this.peek(",")) this.take(",");
        }
        this.take(")");
        const fn = FUNCTIONS[t.text];
        if (!fn) throw new Error(`unsupported function ${t.text}()`);
        return fn(args);
      }
      if (t.text === "var" || t.text === "local") {
        this.take(".");
        const name = this.take().text;
        return t.text === "var" ? this.scope.variable(name) : this.scope.local(name);
      }
      // Resource, data source, module, count/each references: known only after apply.
      return UNKNOWN;
    }
    throw new Error(`unexpected ${JSON.stringify(t.text)}`);
  }
}

/** Evaluates one expression (the text inside `${...}`) in `scope`. */
export function evaluateExpression(source: string, scope: Scope): HclValue {
  try {
    return new Parser(tokenize(source), scope).parse();
  } catch (error) {
    throw new Error(`cannot evaluate \`${source}\`: ${(error as Error).message}`);
  }
}

/**
 * Evaluates a value of Terraform JSON: a string that is exactly `${expr}` is the expression's value,
 * other strings with `${` are templates (UNKNOWN unless every part is a known string), arrays and
 * objects are evaluated element by element.
 */
export function evaluateJson(value: unknown, scope: Scope): HclValue {
  if (typeof value === "string") return evaluateTemplate(value, scope);
  if (Array.isArray(value)) return value.map((v) => evaluateJson(v, scope));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateJson(v, scope)]));
  return (value ?? null) as HclValue;
}
