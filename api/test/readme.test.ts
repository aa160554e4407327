import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { README, withCurrentTable } from "../scripts/env-table.js";
import { API_ENV_VARS } from "../src/env-vars.js";

describe("README", () => {
  const readme = readFileSync(README, "utf8");

  it("has the environment variable table generated from src/env-vars.ts (npm run docs:env)", () => {
    expect(readme).toBe(withCurrentTable(readme));
    for (const name of Object.keys(API_ENV_VARS)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
