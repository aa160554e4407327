/**
 * Finds CDKTF tokens and junk values that leaked into synthesized output: an unresolved token
 * (`TfToken[...]`, `${TfToken...}`), a number token stringified in a template literal (a huge float
 * such as `-8.109562212591414e+298`), `[object Object]`, and `undefined`/`NaN` inside strings.
 * Such values are valid Terraform, so `terraform validate` accepts them; only a text check finds them.
 */

/** One leaked token or junk value: where, which rule, and the text around it. */
export interface TokenLeak {
  readonly file: string;
  readonly location: string;
  readonly rule: string;
  readonly excerpt: string;
}

/** The rules, by name; each matches inside a string (HCL line or JSON string value). */
export const TOKEN_RULES: readonly { name: string; pattern: RegExp }[] = [
  { name: "unresolved token", pattern: /\$\{TfToken|TfToken\[/ },
  // CDKTF encodes number tokens as floats near ±1e289..1e308; nothing we write has such exponents.
  { name: "number token", pattern: /\d(?:\.\d+)?e[+-]?\d{3}/i },
  { name: "[object Object]", pattern: /\[object Object\]/ },
  { name: "undefined", pattern: /\bundefined\b/ },
  { name: "NaN", pattern: /\bNaN\b/ },
];

function excerpt(text: string, index: number): string {
  return text.slice(Math.max(0, index - 40), index + 40).replace(/\s+/g, " ");
}

function scanString(file: string, location: string, value: string): TokenLeak[] {
  const leaks: TokenLeak[] = [];
  for (const rule of TOKEN_RULES) {
    const match = rule.pattern.exec(value);
    if (match)
      leaks.push({ file, location, rule: rule.name, excerpt: excerpt(value, match.index) });
  }
  return leaks;
}

/** Scans HCL (or any text) line by line; `location` is `line N`. */
export function scanText(file: string, text: string): TokenLeak[] {
  return text.split("\n").flatMap((line, i) => scanString(file, `line ${i + 1}`, line));
}

/**
 * Scans every key and string value of parsed JSON; `location` is the JSON path. A number whose
 * magnitude is beyond 1e100 is a number token that was never resolved.
 */
export function scanJson(file: string, value: unknown, path = "$"): TokenLeak[] {
  if (typeof value === "string") return scanString(file, path, value);
  if (typeof value === "number")
    return Number.isFinite(value) && Math.abs(value) < 1e100
      ? []
      : [{ file, location: path, rule: "number token", excerpt: String(value) }];
  if (Array.isArray(value))
    return value.flatMap((item, i) => scanJson(file, item, `${path}[${i}]`));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([key, item]) => [
      ...scanString(file, `${path} (key)`, key),
      ...scanJson(file, item, `${path}.${key}`),
    ]);
  return [];
}

/** One line per leak, for a failure message. */
export function describeLeaks(leaks: readonly TokenLeak[]): string {
  return leaks.map((l) => `${l.file} ${l.location}: ${l.rule}: …${l.excerpt}…`).join("\n");
}
