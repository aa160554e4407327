/** Terraform JSON of one synthesized stack (`cdk.tf.json`), as far as the gate reads it. */
export interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, { default?: unknown } & Record<string, unknown>>;
  module?: Record<string, Record<string, unknown>>;
  provider?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A value the gate cannot know before `terraform apply`: a variable without a default or value, or
 * an expression over one. Plain references (`${aws_kms_key.k.arn}`, `${module.x.y}`) stay strings:
 * they are known to be set, only their value is unknown.
 */
export class Unknown {
  constructor(readonly expression: string) {}
  toString(): string {
    return `unknown (${this.expression})`;
  }
}

/** One resource or data block with its `var.*` references resolved for the unit it is judged in. */
export interface Resource {
  readonly kind: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** `<root>.module.<call>.<type>.<name>`, `<stack>.<type>.<name>` or `...data.<type>.<name>`. */
  readonly address: string;
  readonly body: Record<string, unknown>;
  readonly unit: Unit;
}

/**
 * What rules are evaluated in: a root stack's own blocks, or one module call of a root stack with
 * the module's variables bound to that call's arguments.
 */
export interface Unit {
  /** The root stack the resources are deployed by (`dev`, `bootstrap`, ...). */
  readonly stack: string;
  /** Address prefix: `dev` or `dev.module.network`. */
  readonly prefix: string;
  /** `environment` variable of the root stack, or the stack id. */
  readonly environment: string;
  readonly resources: Resource[];
  readonly data: Resource[];
}

/** One rule of the table. */
export interface Rule {
  /** Stable id printed in violations and named by exceptions, e.g. `ENC-S3`. */
  readonly id: string;
  readonly title: string;
  /** Resource (or data source, prefixed `data.`) types the rule looks at. */
  readonly types: readonly string[];
  /** What a compliant resource has, printed after "expected". */
  readonly expected: string;
  /** Problems found (empty when compliant); each says what was found. */
  check(resource: Resource): string[];
}

/** One failed check. */
export interface Violation {
  readonly rule: string;
  readonly stack: string;
  readonly address: string;
  readonly expected: string;
  readonly found: string;
}

/** A documented, deliberate deviation from a rule. */
export interface PolicyException {
  readonly rule: string;
  /** Address glob: `*` matches any run of characters. */
  readonly address: string;
  readonly reason: string;
}
