import type { z } from "zod";

/**
 * A configuration value was rejected before synthesis. The message is one line that names the
 * field and the bad value, so `npm run synth` can print it without a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Formats the first zod issue as `<where>: <path>: <value> <problem>`. */
export function describeIssue(where: string, input: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${where}: invalid value`;
  if (issue.code === "unrecognized_keys") {
    // Name the unknown key itself rather than printing the whole object around it.
    const keys = issue.keys.map((key) => [...issue.path.map(String), key].join("."));
    return `${where}: ${keys.join(", ")}: unknown setting (a typo?)`;
  }
  const path = issue.path.map(String).join(".");
  const value = valueAt(input, issue.path);
  const shown = value === undefined ? "(missing)" : JSON.stringify(value);
  return `${where}: ${path || "(root)"} = ${shown}: ${issue.message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
