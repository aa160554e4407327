import { TerraformOutput, type TerraformHclModule } from "cdktf";
import type { Construct } from "constructs";
import { toSnakeCase } from "./naming.ts";

/** How an output is read at the call site. */
export type OutputKind = "string" | "number" | "list";

/** One module output: its kind and a full-sentence description. */
export interface OutputDecl {
  readonly kind: OutputKind;
  readonly description: string;
  readonly sensitive?: boolean;
}

/** A module's outputs, keyed by camelCase name (snake_case in Terraform). */
export type OutputSpec = Readonly<Record<string, OutputDecl>>;

type ValueOf<K extends OutputKind> = K extends "string"
  ? string
  : K extends "number"
    ? number
    : string[];

/** The values (tokens) of a module's outputs, one per declared output. */
export type OutputValues<O extends OutputSpec> = { readonly [K in keyof O]: ValueOf<O[K]["kind"]> };

/** Declares an output of kind string. */
export const stringOutput = (description: string, sensitive = false) => ({
  kind: "string" as const,
  description,
  sensitive,
});
/** Declares an output of kind number. */
export const numberOutput = (description: string) => ({ kind: "number" as const, description });
/** Declares an output of kind list(string). */
export const listOutput = (description: string) => ({ kind: "list" as const, description });

/** Writes one `output` block per declared output. */
export function declareOutputs<O extends OutputSpec>(
  scope: Construct,
  spec: O,
  values: OutputValues<O>,
): void {
  for (const [key, decl] of Object.entries(spec)) {
    const name = toSnakeCase(key);
    const output = new TerraformOutput(scope, `output-${name}`, {
      value: values[key as keyof O],
      description: decl.description,
      sensitive: decl.sensitive || undefined,
    });
    output.overrideLogicalId(name);
  }
}

/** Reads every declared output of a module call as a token of its kind. */
export function readOutputs<O extends OutputSpec>(
  module: TerraformHclModule,
  spec: O,
): OutputValues<O> {
  const values: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(spec)) {
    const name = toSnakeCase(key);
    values[key] =
      decl.kind === "list"
        ? module.getList(name)
        : decl.kind === "number"
          ? module.getNumber(name)
          : module.getString(name);
  }
  return values as OutputValues<O>;
}
