import { boolVar, common, numberVar, stringVar, type InputSpec } from "../../kit/variables.ts";

/**
 * x86_64 EC2 instance types: the kit's pattern without a `g` after the generation digit, so
 * Graviton types (t4g, m7g, c7gn), which cannot boot the x86_64 AMI, are refused.
 */
const X86_INSTANCE_TYPE =
  "^[a-z][a-z0-9-]*[0-9][a-fh-z0-9-]*\\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$";

/** Inputs of the bastion module. */
export interface BastionInputs {
  /** Prefix of every name, `<project>-<env>`; the instance is `<name>-bastion`. */
  name: string;
  /** Whether to create the bastion at all; false creates nothing. @default true */
  enabled?: boolean;
  /** ID of the private subnet the instance runs in (egress through NAT, no public IP). */
  subnetId: string;
  /** ID of the bastion security group from the security-groups module. */
  securityGroupId: string;
  /** x86_64 EC2 instance type, e.g. t3.small (dev, staging) or t3.medium (production). */
  instanceType: string;
  /** Size of the encrypted gp3 root volume, GiB. @default 20 */
  rootVolumeSizeGb?: number;
}

/** Variable spec of the bastion module. */
export const bastionInputs: InputSpec<BastionInputs> = {
  name: common.name(
    "Prefix of every resource name, `<project>-<environment>`, e.g. expense-dev; the instance is `<name>-bastion`.",
  ),
  enabled: boolVar({
    description:
      "Whether to create the bastion host; false creates no resources and leaves the outputs empty.",
    default: true,
  }),
  subnetId: stringVar({
    description:
      "ID of the private subnet the bastion runs in; it needs a route to a NAT gateway (or VPC endpoints) to reach Session Manager.",
    pattern: { regex: "^subnet-[0-9a-f]+$", what: "a subnet id such as subnet-0abc123" },
  }),
  securityGroupId: stringVar({
    description:
      "ID of the security group attached to the bastion (HTTPS out to Session Manager, MySQL to RDS).",
    pattern: { regex: "^sg-[0-9a-f]+$", what: "a security group id such as sg-0abc123" },
  }),
  instanceType: stringVar({
    description:
      "x86_64 EC2 instance type of the bastion, e.g. t3.small (dev, staging) or t3.medium (production); Graviton types cannot run the x86_64 Amazon Linux AMI.",
    pattern: {
      regex: X86_INSTANCE_TYPE,
      what: "an x86_64 EC2 instance type such as t3.small (not a Graviton type such as t4g.small)",
    },
  }),
  rootVolumeSizeGb: numberVar({
    description: "Size of the encrypted gp3 root volume in GiB (8 to 200).",
    default: 20,
    min: 8,
    max: 200,
  }),
};
