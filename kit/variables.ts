import { Token, TerraformVariable, type IResolvable } from "cdktf";
import type { Construct } from "constructs";
import { z } from "zod";
import { isIpv4Cidr, LOG_RETENTION_DAYS, PATTERNS } from "./patterns.ts";
import { toSnakeCase } from "./naming.ts";

/** Which cdktf accessor reads a variable, and which Terraform type family it has. */
export type VariableKind = "string" | "number" | "bool" | "list" | "map";

/** One rule checked twice: by zod before synth and by a Terraform `validation` block at plan time. */
export interface Check {
  /** Terraform condition over the variable reference (for example `var.region`). */
  readonly condition: (ref: string) => string;
  /** Sentence completing "<variable name> ...", e.g. "must be an AWS region such as eu-west-1." */
  readonly message: string;
}

/** Everything Terraform and TypeScript need to know about one module input. */
export interface VariableSpec<T> {
  readonly kind: VariableKind;
  /** Terraform type constraint, e.g. `list(string)`. */
  readonly type: string;
  /** Full sentence with units. */
  readonly description: string;
  readonly default?: T;
  readonly sensitive?: boolean;
  readonly checks: readonly Check[];
  /** The same checks for TypeScript values. */
  readonly schema: z.ZodType<T>;
}

/**
 * The variable spec of a module: exactly one entry per field of its inputs interface `I`; fields
 * that are optional in `I` must carry a default, so callers may leave them out.
 */
export type InputSpec<I> = {
  [K in keyof I]-?: undefined extends I[K]
    ? VariableSpec<Exclude<I[K], undefined>> & { readonly default: Exclude<I[K], undefined> }
    : VariableSpec<I[K]>;
};

/** What a module's resources see of an input: a token of the right TypeScript type. */
export type VariableToken<T> = T extends boolean
  ? IResolvable
  : T extends string | number | string[]
    ? T
    : T extends Record<string, string>
      ? Record<string, string>
      : IResolvable;

/** The tokens of every input of a module. */
export type ModuleVars<I> = { readonly [K in keyof I]-?: VariableToken<Exclude<I[K], undefined>> };

/** Declares `key` as a Terraform variable from its spec; `defaultValue` overrides the spec's. */
export function declareVariable<T>(
  scope: Construct,
  key: string,
  spec: VariableSpec<T>,
  defaultValue?: T,
): TerraformVariable {
  const name = toSnakeCase(key);
  const value = defaultValue ?? spec.default;
  if (value !== undefined) assertValid(spec, value, `variable ${name}`);
  const variable = new TerraformVariable(scope, `variable-${name}`, {
    type: spec.type,
    description: spec.description,
    default: value,
    nullable: false,
    sensitive: spec.sensitive,
    validation: spec.checks.map((check) => ({
      condition: `\${${check.condition(`var.${name}`)}}`,
      errorMessage: `${name} ${check.message}`,
    })),
  });
  // Construct ids are unique per scope across kinds; the Terraform name only among variables.
  variable.overrideLogicalId(name);
  return variable;
}

/** Reads a declared variable as the token type its kind implies. */
export function variableToken<T>(
  variable: TerraformVariable,
  spec: VariableSpec<T>,
): VariableToken<T> {
  switch (spec.kind) {
    case "string":
      return variable.stringValue as VariableToken<T>;
    case "number":
      return variable.numberValue as VariableToken<T>;
    case "list":
      return variable.listValue as VariableToken<T>;
    case "map":
      return Token.asStringMap(variable.value) as VariableToken<T>;
    case "bool":
      return variable.booleanValue as VariableToken<T>;
  }
}

/** True when a value (or any element of it) is a token that only Terraform can resolve. */
export function isUnresolved(value: unknown): boolean {
  if (Token.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(isUnresolved);
  if (value && typeof value === "object") return Object.values(value).some(isUnresolved);
  return false;
}

/** Throws a one-line error naming `where` and the value when `value` breaks the spec's checks. */
export function assertValid<T>(spec: VariableSpec<T>, value: unknown, where: string): void {
  if (isUnresolved(value)) return;
  const result = spec.schema.safeParse(value);
  if (!result.success) {
    const message = result.error.issues[0]?.message ?? "is invalid";
    throw new VariableError(`${where} = ${JSON.stringify(value)}: ${message}`);
  }
}

/** A module argument or variable default that fails its spec. */
export class VariableError extends Error {
  override readonly name = "VariableError";
}

// ---------------------------------------------------------------------------------------------
// Builders. Each returns a spec whose zod schema and Terraform conditions express the same rule.
// ---------------------------------------------------------------------------------------------

const hcl = (value: string | number): string => JSON.stringify(value);

function patternCheck(pattern: string, what: string): Check {
  return { condition: (ref) => `can(regex(${hcl(pattern)}, ${ref}))`, message: `must be ${what}.` };
}

/** The zod side of `oneOfCheck`: only the listed values pass. */
function restrictTo<T extends string | number, S extends z.ZodType<T>>(
  schema: S,
  allowed: readonly T[],
): S {
  return (schema as z.ZodType<T>).refine(
    (v) => allowed.includes(v),
    `must be one of ${allowed.join(", ")}`,
  ) as unknown as S;
}

function oneOfCheck(values: readonly (string | number)[]): Check {
  return {
    condition: (ref) => `contains([${values.map(hcl).join(", ")}], ${ref})`,
    message: `must be one of ${values.join(", ")}.`,
  };
}

function cidrCondition(ref: string, minPrefix: number, maxPrefix: number): string {
  return (
    `can(cidrnetmask(${ref})) && try(cidrhost(${ref}, 0) == split("/", ${ref})[0], false)` +
    ` && try(tonumber(split("/", ${ref})[1]) >= ${minPrefix} && tonumber(split("/", ${ref})[1]) <= ${maxPrefix}, false)`
  );
}

function cidrSchema(minPrefix: number, maxPrefix: number) {
  return z
    .string()
    .refine(
      (value) => isIpv4Cidr(value) && inRange(Number(value.split("/")[1]), minPrefix, maxPrefix),
      {
        message: `must be an IPv4 CIDR block (network address) with a prefix from /${minPrefix} to /${maxPrefix}`,
      },
    );
}

const inRange = (n: number, min: number, max: number) => n >= min && n <= max;

interface Common<T> {
  description: string;
  default?: T;
  sensitive?: boolean;
}

/** `{ default: D }` when the builder's options carry a default, so optional inputs can demand one. */
type DefaultOf<O> = O extends { default: infer D }
  ? undefined extends D
    ? unknown
    : { readonly default: D }
  : unknown;

/** The fields every spec copies from its builder's options (and nothing builder-specific). */
function commonFields<T>(options: Common<T>): Common<T> {
  return {
    description: options.description,
    default: options.default,
    sensitive: options.sensitive,
  };
}

/** A string input, optionally constrained by a pattern (with a human description) or a list. */
export function stringVar<
  O extends Common<string> & {
    pattern?: { regex: string; what: string };
    oneOf?: readonly string[];
  },
>(options: O): VariableSpec<string> & DefaultOf<O> {
  const checks: Check[] = [];
  let schema = z.string();
  if (options.pattern) {
    checks.push(patternCheck(options.pattern.regex, options.pattern.what));
    schema = schema.regex(new RegExp(options.pattern.regex), `must be ${options.pattern.what}`);
  }
  if (options.oneOf) {
    checks.push(oneOfCheck(options.oneOf));
    schema = restrictTo(schema, options.oneOf);
  }
  return {
    kind: "string",
    type: "string",
    checks,
    schema,
    ...commonFields(options),
  } as VariableSpec<string> & DefaultOf<O>;
}

/** A string restricted to a fixed set of values, typed as their union. */
export function enumVar<
  const V extends readonly [string, ...string[]],
  O extends Common<V[number]> & { oneOf: V } = Common<V[number]> & { oneOf: V },
>(options: O & { oneOf: V }): VariableSpec<V[number]> & DefaultOf<O> {
  return {
    kind: "string",
    type: "string",
    checks: [oneOfCheck(options.oneOf)],
    schema: z.enum(options.oneOf as unknown as [V[number], ...V[number][]]),
    ...commonFields(options),
  } as VariableSpec<V[number]> & DefaultOf<O>;
}

/** An IPv4 CIDR block whose address is the network address. */
export function cidrVar<O extends Common<string> & { minPrefix?: number; maxPrefix?: number }>(
  options: O,
): VariableSpec<string> & DefaultOf<O> {
  const { minPrefix = 0, maxPrefix = 32 } = options;
  return {
    kind: "string",
    type: "string",
    checks: [
      {
        condition: (ref) => cidrCondition(ref, minPrefix, maxPrefix),
        message: `must be an IPv4 CIDR block (network address) with a prefix from /${minPrefix} to /${maxPrefix}.`,
      },
    ],
    schema: cidrSchema(minPrefix, maxPrefix),
    ...commonFields(options),
  } as VariableSpec<string> & DefaultOf<O>;
}

/** A whole number within [min, max], or one of an allowed set. */
export function numberVar<
  O extends Common<number> & { min?: number; max?: number; oneOf?: readonly number[] },
>(options: O): VariableSpec<number> & DefaultOf<O> {
  const checks: Check[] = [];
  let schema = z.number().int("must be a whole number");
  const { min, max } = options;
  if (min !== undefined || max !== undefined) {
    const bounds = (ref: string) =>
      [min !== undefined ? `${ref} >= ${min}` : "", max !== undefined ? `${ref} <= ${max}` : ""]
        .filter(Boolean)
        .join(" && ");
    checks.push({
      condition: (ref) => `floor(${ref}) == ${ref} && ${bounds(ref)}`,
      message: `must be a whole number${min !== undefined ? ` >= ${min}` : ""}${max !== undefined ? ` and <= ${max}` : ""}.`,
    });
    if (min !== undefined) schema = schema.min(min, `must be >= ${min}`);
    if (max !== undefined) schema = schema.max(max, `must be <= ${max}`);
  }
  if (options.oneOf) {
    checks.push(oneOfCheck(options.oneOf));
    schema = restrictTo(schema, options.oneOf);
  }
  return {
    kind: "number",
    type: "number",
    checks,
    schema,
    ...commonFields(options),
  } as VariableSpec<number> & DefaultOf<O>;
}

/** A boolean flag. */
export function boolVar<O extends Common<boolean>>(
  options: O,
): VariableSpec<boolean> & DefaultOf<O> {
  return {
    kind: "bool",
    type: "bool",
    checks: [],
    schema: z.boolean(),
    ...commonFields(options),
  } as VariableSpec<boolean> & DefaultOf<O>;
}

/** A list of strings with a length range and an optional rule for every element. */
export function stringListVar<
  O extends Common<string[]> & {
    minItems?: number;
    maxItems?: number;
    item?: { regex: string; what: string } | { cidr: true };
  },
>(options: O): VariableSpec<string[]> & DefaultOf<O> {
  const { minItems = 0, maxItems, item } = options;
  const checks: Check[] = [];
  let element: z.ZodType<string> = z.string();
  if (minItems > 0 || maxItems !== undefined) {
    const length = (ref: string) =>
      [
        minItems > 0 ? `length(${ref}) >= ${minItems}` : "",
        maxItems !== undefined ? `length(${ref}) <= ${maxItems}` : "",
      ]
        .filter(Boolean)
        .join(" && ");
    checks.push({
      condition: length,
      message: `must have ${maxItems === undefined ? `at least ${minItems}` : `${minItems} to ${maxItems}`} items.`,
    });
  }
  if (item && "regex" in item) {
    checks.push({
      condition: (ref) => `alltrue([for v in ${ref} : can(regex(${hcl(item.regex)}, v))])`,
      message: `must contain only ${item.what}.`,
    });
    element = z.string().regex(new RegExp(item.regex), `must be ${item.what}`);
  } else if (item) {
    checks.push({
      condition: (ref) => `alltrue([for v in ${ref} : ${cidrCondition("v", 0, 32)}])`,
      message: "must contain only IPv4 CIDR blocks (network addresses).",
    });
    element = cidrSchema(0, 32);
  }
  let schema = z.array(element).min(minItems, `must have at least ${minItems} items`);
  if (maxItems !== undefined) schema = schema.max(maxItems, `must have at most ${maxItems} items`);
  return {
    kind: "list",
    type: "list(string)",
    checks,
    schema,
    ...commonFields(options),
  } as VariableSpec<string[]> & DefaultOf<O>;
}

/** A map of strings, such as extra tags. */
export function stringMapVar<O extends Common<Record<string, string>>>(
  options: O,
): VariableSpec<Record<string, string>> & DefaultOf<O> {
  return {
    kind: "map",
    type: "map(string)",
    checks: [],
    schema: z.record(z.string(), z.string()),
    ...commonFields(options),
  } as VariableSpec<Record<string, string>> & DefaultOf<O>;
}

/** Ready-made specs for values that recur across modules and root stacks. */
export const common = {
  /** The permissions boundary input of every module that creates IAM roles (see kit/module.ts). */
  permissionsBoundaryArn: () =>
    stringVar({
      description:
        "ARN of the IAM policy set as permissions boundary of every role the module creates; empty for none. The CI apply roles may only create roles with their environment's boundary.",
      default: "",
      pattern: {
        regex: "^(arn:aws[a-z-]*:iam::[0-9]{12}:policy/[A-Za-z0-9+=,.@_/-]+)?$",
        what: "an IAM policy ARN or empty",
      },
    }),
  region: <D extends string | undefined = undefined>(
    description = "AWS region to deploy into, e.g. eu-west-1.",
    def: D = undefined as D,
  ) =>
    stringVar({
      description,
      default: def,
      pattern: { regex: PATTERNS.awsRegion, what: "an AWS region such as eu-west-1" },
    }),
  environment: <D extends "dev" | "staging" | "production" | undefined = undefined>(
    def: D = undefined as D,
  ) =>
    enumVar({
      description: "Deployment environment: dev, staging or production.",
      default: def,
      oneOf: ["dev", "staging", "production"] as const,
    }),
  name: <D extends string | undefined = undefined>(description: string, def: D = undefined as D) =>
    stringVar({
      description,
      default: def,
      pattern: {
        regex: PATTERNS.resourceName,
        what: "3-32 lower-case letters, digits or hyphens, starting with a letter",
      },
    }),
  ec2InstanceType: <D extends string | undefined = undefined>(
    description: string,
    def: D = undefined as D,
  ) =>
    stringVar({
      description,
      default: def,
      pattern: { regex: PATTERNS.ec2InstanceType, what: "an EC2 instance type such as t3.medium" },
    }),
  rdsInstanceClass: <D extends string | undefined = undefined>(
    description: string,
    def: D = undefined as D,
  ) =>
    stringVar({
      description,
      default: def,
      pattern: {
        regex: PATTERNS.rdsInstanceClass,
        what: "an RDS instance class such as db.t3.micro",
      },
    }),
  cacheNodeType: <D extends string | undefined = undefined>(
    description: string,
    def: D = undefined as D,
  ) =>
    stringVar({
      description,
      default: def,
      pattern: {
        regex: PATTERNS.cacheNodeType,
        what: "an ElastiCache node type such as cache.t4g.small",
      },
    }),
  logRetentionDays: <D extends number | undefined = undefined>(
    description: string,
    def: D = undefined as D,
  ) => numberVar({ description, default: def, oneOf: LOG_RETENTION_DAYS }),
  cidrList: <D extends string[] | undefined = undefined>(
    description: string,
    def: D = undefined as D,
  ) => stringListVar({ description, default: def, item: { cidr: true } }),
  optionalArn: (description: string, def = "") =>
    stringVar({
      description,
      default: def,
      pattern: { regex: PATTERNS.optionalArn, what: "an ARN or empty" },
    }),
};

/**
 * Declares one Terraform variable per spec entry, with `defaults` overriding the spec's defaults
 * (root stacks take theirs from the environment config), and returns their tokens.
 */
export function declareVariables<I>(
  scope: Construct,
  spec: InputSpec<I>,
  defaults: Partial<I> = {},
): ModuleVars<I> {
  const tokens: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(spec) as [string, VariableSpec<unknown>][]) {
    const variable = declareVariable(scope, key, entry, (defaults as Record<string, unknown>)[key]);
    tokens[key] = variableToken(variable, entry);
  }
  return tokens as ModuleVars<I>;
}
