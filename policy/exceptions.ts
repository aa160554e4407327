import type { PolicyException } from "./types.ts";

/**
 * Deliberate deviations from the rule table, each with the reason it is acceptable. Keep it short:
 * an exception that matches nothing fails the gate (GATE-STALE-EXCEPTION), so the list cannot rot.
 *
 * Not needed, by design of the rules: KMS key policies giving the account root `kms:*` on `*`
 * (IAM-NO-ADMIN reads identity policies only; in a key policy `*` means "this key", and the root
 * statement is AWS's default that delegates key use to IAM), and 443 egress to 0.0.0.0/0 from the
 * nodes and bastion (SG-OPEN-INGRESS is about ingress; SG-OPEN-EGRESS only forbids all-protocol
 * egress to the internet).
 */
export const EXCEPTIONS: readonly PolicyException[] = [];
