/**
 * Renders `variable` blocks from a stack's Terraform JSON. CDKTF 0.21's HCL renderer drops falsy
 * defaults (`0`, `false`, `""`, `[]`) and the `nullable` and `sensitive` arguments, which would
 * turn optional variables into required ones in the committed tree; these blocks are the JSON's,
 * one to one.
 */
export function renderVariableBlocks(variables: Record<string, VariableJson>): string[] {
  return Object.entries(variables).map(([name, v]) => {
    const lines = [`variable "${name}" {`];
    if (v.type !== undefined) lines.push(`type = ${v.type}`);
    if (v.description !== undefined) lines.push(`description = ${hclString(v.description)}`);
    if (v.default !== undefined) lines.push(`default = ${hclLiteral(v.default)}`);
    if (v.nullable !== undefined) lines.push(`nullable = ${v.nullable}`);
    if (v.sensitive !== undefined) lines.push(`sensitive = ${v.sensitive}`);
    for (const validation of v.validation ?? []) {
      lines.push(
        "",
        "validation {",
        `condition = ${expression(validation.condition)}`,
        `error_message = ${hclTemplate(validation.error_message)}`,
        "}",
      );
    }
    lines.push("}");
    return lines.join("\n");
  });
}

/** A variable as CDKTF writes it in `cdk.tf.json`. */
export interface VariableJson {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly nullable?: boolean;
  readonly sensitive?: boolean;
  readonly validation?: readonly { readonly condition: string; readonly error_message: string }[];
}

/** The expression inside a JSON-syntax `"${...}"` string. */
function expression(value: string): string {
  const match = /^\$\{([\s\S]*)\}$/.exec(value);
  if (!match) throw new Error(`expected an interpolation-only string, got ${value}`);
  return match[1]!;
}

/**
 * A JSON-syntax string as the HCL template it is (an error message may interpolate the value it
 * rejects): literal text is escaped, each `${...}` is kept as an expression. Quotes inside an
 * interpolation belong to the expression (`join(", ", x)`) and stay unescaped.
 */
export function hclTemplate(value: string): string {
  let out = "";
  let literal = "";
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("$${", i)) {
      // An escaped, literal `${`: the same in both syntaxes.
      literal += "$${";
      i += 3;
    } else if (value.startsWith("${", i)) {
      const end = interpolationEnd(value, i + 2);
      out += JSON.stringify(literal).slice(1, -1) + value.slice(i, end + 1);
      literal = "";
      i = end + 1;
    } else {
      literal += value[i++];
    }
  }
  return `"${out}${JSON.stringify(literal).slice(1, -1)}"`;
}

/** Index of the `}` closing an interpolation whose expression starts at `start`. */
function interpolationEnd(value: string, start: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = start; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "{") depth++;
    else if (c === "}" && depth-- === 0) return i;
  }
  throw new Error(`unterminated interpolation in ${value}`);
}

/** A quoted HCL string; `${` and `%{` are escaped so the text stays literal. */
export function hclString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
}

/** An HCL literal for a JSON value (lists on one line, objects one attribute per line). */
export function hclLiteral(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : hclString(k));
  return `{\n${entries.map(([k, v]) => `${key(k)} = ${hclLiteral(v)}`).join("\n")}\n}`;
}
