import type { Rule } from "../types.ts";
import { computeRules } from "./compute.ts";
import { dataProtectionRules } from "./data-protection.ts";
import { encryptionRules } from "./encryption.ts";
import { iamRules } from "./iam.ts";
import { networkRules } from "./network.ts";

/** The rule table: every rule the gate evaluates, one entry each, ids unique. */
export const RULES: readonly Rule[] = [
  ...encryptionRules,
  ...dataProtectionRules,
  ...networkRules,
  ...computeRules,
  ...iamRules,
];
