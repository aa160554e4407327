/** PromQL helpers for the dashboard and rule checks: Grafana variables and metric names. */

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "bool",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "offset",
  "inf",
  "nan",
]);

/**
 * Replaces Grafana's variables with values PromQL accepts: interval variables with a duration,
 * every other variable with a plain word (they only ever appear inside label matchers here).
 */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, "5m")
    .replace(/\$\{[^}]+\}|\$[A-Za-z_]\w*/g, "x");
}

/**
 * Metric names an expression selects: identifiers left after removing strings, label matchers,
 * ranges and grouping clauses that are not functions, aggregations or keywords. Assumes the
 * expression parses (promtool checks that separately).
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\boffset\s+-?[0-9a-z]+/g, " ");
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const before = stripped[match.index - 1] ?? " ";
    if (/[0-9.]/.test(before)) continue; // exponent or duration suffix of a number
    const after = stripped.slice(match.index + match[0].length).trimStart();
    if (after.startsWith("(")) continue; // a function or an aggregation
    if (KEYWORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names];
}
