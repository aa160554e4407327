import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS } from "../envs/index.ts";
import { estimateAll, renderText } from "./cli.ts";
import { PRICES } from "./prices.ts";

describe("cost/cli.ts as a script (npm run cost)", () => {
  it("prints every environment's table and budget line, the same text as renderText", () => {
    const stdout = execFileSync("node_modules/.bin/tsx", ["cost/cli.ts"], { encoding: "utf8" });
    for (const config of ENVIRONMENTS) {
      expect(stdout).toContain(`== ${config.environment} ==`);
      expect(stdout).toMatch(new RegExp(`== ${config.environment} ==[^=]+\\nBudget: \\$`));
    }
    expect(stdout).toBe(renderText(estimateAll(), PRICES));
  });

  it("exits non-zero with the usage on an unknown flag", () => {
    expect(() =>
      execFileSync("node_modules/.bin/tsx", ["cost/cli.ts", "--nope"], { stdio: "pipe" }),
    ).toThrow(/usage: npm run cost/);
  });
});
