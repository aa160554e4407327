import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { ENVIRONMENTS } from "../envs/index.ts";
import type { EnvironmentConfig } from "../envs/schema.ts";
import { describeAssumptions } from "./assumptions.ts";
import { COST_DOCS_PATH, renderCostDocs } from "./docs.ts";
import { estimate, type Estimate } from "./estimate.ts";
import { budgetVerdict, quantity, usd } from "./format.ts";
import { PRICES, type PriceTable } from "./prices.ts";

const USAGE = "usage: npm run cost [-- --markdown | --write-docs]";

/** The estimate of every environment, in promotion order. */
export function estimateAll(
  envs: readonly EnvironmentConfig[] = ENVIRONMENTS,
  prices: PriceTable = PRICES,
): Estimate[] {
  return envs.map((config) => estimate(config, prices));
}

/** A plain-text table of one estimate, columns padded to their widest cell. */
export function textTable(e: Estimate): string {
  const rows = [
    ["Item", "Quantity", "Monthly USD"],
    ...e.lines.map((l) => [l.item, `${quantity(l.quantity)} ${l.unit}`, usd(l.monthlyUsd)]),
  ];
  const total = ["Total", "", usd(e.totalUsd)];
  const widths = [0, 1, 2].map((c) => Math.max(...[...rows, total].map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padStart(widths[1]!)}  ${r[2]!.padStart(widths[2]!)}`;
  const rule = "-".repeat(widths[0]! + widths[1]! + widths[2]! + 4);
  return [line(rows[0]!), rule, ...rows.slice(1).map(line), rule, line(total)].join("\n");
}

/** What `npm run cost` prints: a table per environment, budgets, price table and assumptions. */
export function renderText(estimates: readonly Estimate[], prices: PriceTable): string {
  return [
    `Monthly cost estimate, ${prices.region}, prices as of ${prices.date} (${prices.currency}, approximate)`,
    "",
    ...estimates.flatMap((e) => [
      `== ${e.environment} ==`,
      textTable(e),
      `Budget: ${budgetVerdict(e)}`,
      "",
    ]),
    `Prices: ${prices.source}`,
    `Spot: ${prices.spotAssumption}`,
    "Assumptions:",
    ...describeAssumptions().map((a) => `  - ${a}`),
    "",
  ].join("\n");
}

/** Runs the CLI with `args`; returns what to print (or writes the docs) and the exit code. */
export function run(args: readonly string[]): { output: string; code: number } {
  const estimates = estimateAll();
  const [flag, ...rest] = args;
  if (rest.length > 0) return { output: USAGE, code: 2 };
  switch (flag) {
    case undefined:
      return { output: renderText(estimates, PRICES), code: 0 };
    case "--markdown":
      return { output: renderCostDocs(estimates, PRICES), code: 0 };
    case "--write-docs":
      mkdirSync(dirname(COST_DOCS_PATH), { recursive: true });
      writeFileSync(COST_DOCS_PATH, renderCostDocs(estimates, PRICES));
      return { output: `wrote ${COST_DOCS_PATH}`, code: 0 };
    default:
      return { output: USAGE, code: 2 };
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { output, code } = run(process.argv.slice(2));
  (code === 0 ? process.stdout : process.stderr).write(
    output.endsWith("\n") ? output : `${output}\n`,
  );
  process.exitCode = code;
}
