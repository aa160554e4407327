import { PATTERNS } from "../../kit/patterns.ts";
import { common, stringListVar, stringVar, type InputSpec } from "../../kit/variables.ts";

/** Inputs of the certificate module. */
export interface CertificateInputs {
  /** Prefix of every name, `<project>-<env>`. */
  name: string;
  /** Route 53 public hosted zone the names are validated in. */
  hostedZone: string;
  /** Names on the certificate, the first one its subject. */
  domainNames: string[];
}

const dnsName = { regex: PATTERNS.optionalDnsName, what: "lower-case DNS names" };

/** Variable spec of the certificate module. */
export const certificateInputs: InputSpec<CertificateInputs> = {
  name: common.name("Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev."),
  hostedZone: stringVar({
    description:
      "Name of the Route 53 public hosted zone (in this account) the certificate is DNS-validated in, e.g. example.com.",
    pattern: {
      regex: "^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$",
      what: "a DNS zone name",
    },
  }),
  domainNames: stringListVar({
    description:
      "Host names on the certificate, 1 to 10, each inside the hosted zone; the first is the subject.",
    minItems: 1,
    maxItems: 10,
    item: dnsName,
  }),
};
