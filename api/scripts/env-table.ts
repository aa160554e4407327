/**
 * The README's environment variable table, generated from `src/env-vars.ts`.
 * `npm run docs:env --workspace api` rewrites the table in README.md; a test fails when it is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { API_ENV_VARS } from "../src/env-vars.js";

/** The markers around the generated table in README.md. */
export const TABLE_START =
  "<!-- env-vars:start (generated from src/env-vars.ts: npm run docs:env) -->";
export const TABLE_END = "<!-- env-vars:end -->";

/** README.md of the API workspace. */
export const README = fileURLToPath(new URL("../README.md", import.meta.url));

/** Markdown table of every variable, in the order of `API_ENV_VARS`. */
export function renderEnvTable(): string {
  const rows = Object.entries(API_ENV_VARS).map(
    ([name, { secret, description }]) =>
      `| \`${name}\` | ${secret ? "yes" : "no"} | ${description} |`,
  );
  return ["| Variable | Secret | Description |", "|---|---|---|", ...rows].join("\n");
}

/** `readme` with the text between the markers replaced by the current table. */
export function withCurrentTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`README.md lacks the ${TABLE_START} ... ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${renderEnvTable()}\n${readme.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(README, withCurrentTable(readFileSync(README, "utf8")));
}
