import { BUDGET_WARNING_SHARE } from "./assumptions.ts";
import type { Estimate } from "./estimate.ts";

/** `1,234.5`: a quantity with thousands separators and at most two decimals. */
export const quantity = (n: number): string =>
  n.toLocaleString("en-US", { maximumFractionDigits: 2 });

/** `$1,234.50`. */
export const usd = (n: number): string =>
  `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** `61 %`. */
export const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** One sentence comparing an estimate with its budget, flagged above the warning share. */
export function budgetVerdict(e: Estimate): string {
  const base = `${usd(e.totalUsd)} of ${usd(e.budgetUsd)} budget (${percent(e.budgetShare)})`;
  return e.overWarningShare
    ? `${base}: WARNING, above ${percent(BUDGET_WARNING_SHARE)} of the budget`
    : `${base}: within ${percent(BUDGET_WARNING_SHARE)} of the budget`;
}
