import { z } from "zod";
import { PATTERNS } from "../../kit/patterns.ts";
import {
  common,
  stringListVar,
  stringVar,
  type InputSpec,
  type VariableSpec,
} from "../../kit/variables.ts";

/** Inputs of the budgets module. */
export interface BudgetsInputs {
  /** Prefix of every name, `<project>-<env>`. */
  name: string;
  /** Monthly cost budget, USD. */
  monthlyLimitUsd: number;
  /** Who receives the alerts by e-mail (directly from Budgets and through the SNS topic). */
  alertEmails: string[];
  /**
   * Value of the `Environment` cost allocation tag the budget counts; empty counts the whole account.
   * @default ""
   */
  environmentTag?: string;
}

/**
 * A positive amount of money. The kit's `numberVar` accepts whole numbers only; a budget may have
 * cents, so this spec states the same `> 0` rule as the env schema (`z.number().positive()`).
 */
const positiveUsd: VariableSpec<number> = {
  kind: "number",
  type: "number",
  description:
    "Monthly cost budget in US dollars; alerts fire at 80 % and 100 % of actual cost and 100 % of forecasted cost.",
  checks: [
    { condition: (ref) => `${ref} > 0`, message: "must be a positive amount of US dollars." },
  ],
  schema: z.number().positive("must be a positive amount of US dollars"),
};

/** Variable spec of the budgets module. */
export const budgetsInputs: InputSpec<BudgetsInputs> = {
  name: common.name(
    "Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev; the budget is `<name>-monthly`.",
  ),
  monthlyLimitUsd: positiveUsd,
  alertEmails: stringListVar({
    description:
      "E-mail addresses that receive the budget alerts, 1 to 10 (the AWS Budgets limit per notification).",
    minItems: 1,
    maxItems: 10,
    item: { regex: PATTERNS.email, what: "e-mail addresses" },
  }),
  environmentTag: stringVar({
    description:
      "Value of the `Environment` tag whose cost the budget counts (the provider's default_tags set it); the tag must be activated as a cost allocation tag in the Billing console. Empty counts the whole account.",
    default: "",
    pattern: {
      regex: "^[A-Za-z0-9 _.:/=+@-]{0,256}$",
      what: "empty or a tag value of up to 256 letters, digits, spaces and _.:/=+@-",
    },
  }),
};
