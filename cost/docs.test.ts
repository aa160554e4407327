import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS } from "../envs/index.ts";
import { estimateAll, renderText, run } from "./cli.ts";
import { COST_DOCS_PATH, renderCostDocs } from "./docs.ts";
import { usd } from "./format.ts";
import { PRICES } from "./prices.ts";

const estimates = estimateAll();

describe("cost docs", () => {
  it("match docs/costs.md (run `npm run cost -- --write-docs` and commit when this fails)", () => {
    expect(readFileSync(COST_DOCS_PATH, "utf8"), `${COST_DOCS_PATH} is stale`).toBe(
      renderCostDocs(estimates, PRICES),
    );
  });

  it("state the region, the price date, every environment's total and budget, and the assumptions", () => {
    const docs = renderCostDocs(estimates, PRICES);
    expect(docs).toContain(`region **${PRICES.region}**, prices as of **${PRICES.date}**`);
    for (const e of estimates) {
      expect(docs).toContain(`## ${e.environment}\n`);
      expect(docs).toContain(`| **Total** | | **${usd(e.totalUsd)}** |`);
      expect(docs).toContain(`| ${e.environment} | ${usd(e.totalUsd)} | ${usd(e.budgetUsd)} |`);
    }
    expect(docs).toContain("## Assumptions");
  });
});

describe("npm run cost", () => {
  it("prints a table and a budget line for every environment, the price table's date and region and the assumptions", () => {
    const { output, code } = run([]);
    expect(code).toBe(0);
    for (const config of ENVIRONMENTS) {
      const e = estimates.find((x) => x.environment === config.environment)!;
      expect(output).toContain(`== ${config.environment} ==`);
      expect(output).toContain(`Budget: ${usd(e.totalUsd)} of ${usd(e.budgetUsd)} budget`);
    }
    expect(output).toContain(`${PRICES.region}, prices as of ${PRICES.date}`);
    expect(output).toContain("Assumptions:");
    expect(output).toBe(renderText(estimates, PRICES));
  });

  it("prints the docs with --markdown and rejects unknown flags", () => {
    expect(run(["--markdown"]).output).toBe(renderCostDocs(estimates, PRICES));
    expect(run(["--bogus"]).code).toBe(2);
  });

  it("flags an environment whose estimate exceeds 80 % of its budget", () => {
    const [first] = estimates;
    const over = { ...first!, budgetShare: 0.9, overWarningShare: true };
    expect(renderText([over], PRICES)).toContain("WARNING, above 80 % of the budget");
    expect(renderCostDocs([over], PRICES)).toContain("**over 80 % of budget**");
  });
});
