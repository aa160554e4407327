import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import {
  Aspects,
  Fn,
  Op,
  TerraformHclModule,
  Token,
  TerraformStack,
  type IResolvable,
  type ITerraformDependable,
  type TerraformProvider,
} from "cdktf";
import { Construct } from "constructs";
import { ComponentTag } from "./tags.ts";
import { Stack } from "./stack.ts";
import { declareOutputs, readOutputs, type OutputSpec, type OutputValues } from "./outputs.ts";
import {
  AWS_PROVIDER_CONSTRAINT,
  RequiredProvider,
  TERRAFORM_VERSION_CONSTRAINT,
} from "./providers.ts";
import { toSnakeCase } from "./naming.ts";
import {
  assertValid,
  declareVariables,
  type InputSpec,
  type ModuleVars,
  type VariableSpec,
} from "./variables.ts";

/** Arguments at a call site: each input's value, or a token that resolves to one. */
export type ModuleArgs<I> = { [K in keyof I]: I[K] | IResolvable };

/** How a module is defined: one inputs spec, one outputs spec, and the resources between them. */
export interface ModuleDefinitionProps<I, O extends OutputSpec> {
  /** Folder and stack name, kebab-case; also the `Component` tag of every resource. */
  readonly name: string;
  /** One sentence for the generated README. */
  readonly description: string;
  readonly inputs: InputSpec<I>;
  readonly outputs: O;
  /** Defines the module's resources from its variables and returns the output values. */
  readonly build: (scope: Construct, vars: ModuleVars<I>) => OutputValues<O>;
}

/**
 * A reusable Terraform module written in TypeScript. `synthesize` renders it as its own stack
 * (variables, resources, outputs, required_providers; no provider, no backend); `call` adds a
 * `module` block to a root stack, typed by the same inputs interface.
 */
export class TerraformModuleDefinition<I, O extends OutputSpec> {
  constructor(readonly props: ModuleDefinitionProps<I, O>) {}

  get name(): string {
    return this.props.name;
  }

  /** Renders the module as a stack named after it. */
  synthesize(scope: Construct): TerraformStack {
    const stack = new Stack(scope, this.props.name);
    // A module inherits its provider and backend from the caller; drop CDKTF's default local backend.
    stack.addOverride("terraform.backend", undefined);
    stack.addOverride("terraform.required_version", TERRAFORM_VERSION_CONSTRAINT);
    new RequiredProvider(stack, "aws", "hashicorp/aws", AWS_PROVIDER_CONSTRAINT);

    const vars = declareVariables(stack, this.props.inputs);
    const outputs = this.props.build(stack, vars);
    declareOutputs(stack, this.props.outputs, outputs);
    this.applyPermissionsBoundary(stack, vars as Record<string, unknown>);
    Aspects.of(stack).add(new ComponentTag(this.props.name));
    return stack;
  }

  /**
   * Gives every IAM role of the module the permissions boundary of its `permissionsBoundaryArn`
   * input (none when empty). The CI apply role may create roles only with its environment's
   * boundary (an `iam:PermissionsBoundary` condition), so roles it creates never exceed it; a
   * module that creates roles without declaring that input fails here, at synth.
   */
  private applyPermissionsBoundary(stack: Construct, vars: Record<string, unknown>): void {
    const roles = stack.node.findAll().filter((c): c is IamRole => c instanceof IamRole);
    if (roles.length === 0) return;
    if (!("permissionsBoundaryArn" in this.props.inputs))
      throw new Error(
        `module ${this.props.name} creates IAM roles, so its inputs need permissionsBoundaryArn (common.permissionsBoundaryArn())`,
      );
    const arn = Token.asString(vars.permissionsBoundaryArn);
    const boundary = Token.asString(
      Fn.conditional(Op.lt(Fn.lengthOf(arn), 1), Token.nullValue(), arn),
    );
    for (const role of roles) role.permissionsBoundary = boundary;
  }

  /** Calls the module from a root stack; literal arguments are validated before synth. */
  call(
    scope: Construct,
    id: string,
    args: ModuleArgs<I>,
    options: ModuleCallOptions = {},
  ): ModuleCall<O> {
    return new ModuleCall(
      scope,
      id,
      this as unknown as TerraformModuleDefinition<unknown, O>,
      args as Record<string, unknown>,
      options,
    );
  }
}

/** Shorthand for `new TerraformModuleDefinition(props)`. */
export function defineModule<I, O extends OutputSpec>(
  props: ModuleDefinitionProps<I, O>,
): TerraformModuleDefinition<I, O> {
  return new TerraformModuleDefinition(props);
}

/** Meta-arguments of a module call. */
export interface ModuleCallOptions {
  readonly dependsOn?: ITerraformDependable[];
  readonly providers?: TerraformProvider[];
}

/** A `module` block in a root stack, with its outputs as typed tokens. */
export class ModuleCall<O extends OutputSpec> extends Construct {
  readonly module: TerraformHclModule;
  readonly outputs: OutputValues<O>;

  constructor(
    scope: Construct,
    id: string,
    definition: TerraformModuleDefinition<unknown, O>,
    args: Record<string, unknown>,
    options: ModuleCallOptions,
  ) {
    super(scope, id);
    const inputs = definition.props.inputs as Record<string, VariableSpec<unknown>>;
    const variables: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      const spec = inputs[key];
      if (!spec) throw new Error(`module ${definition.name}: unknown input ${key}`);
      if (value === undefined) continue;
      assertValid(spec, value, `module ${definition.name} (${id}): ${key}`);
      variables[toSnakeCase(key)] = value;
    }
    this.module = new TerraformHclModule(this, "module", {
      // Relative to the caller's folder in cdktf.out/stacks/; the HCL tree rewrites it to ../../modules/.
      source: `../${definition.name}`,
      skipAssetCreationFromLocalModules: true,
      variables,
      dependsOn: options.dependsOn,
      providers: options.providers,
    });
    this.module.overrideLogicalId(toSnakeCase(id));
    this.outputs = readOutputs(this.module, definition.props.outputs);
  }
}
