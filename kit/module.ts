import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import {
  App,
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
  common,
  declareVariable,
  declareVariables,
  type InputSpec,
  type ModuleVars,
  type VariableSpec,
} from "./variables.ts";

/**
 * Arguments at a call site: each input's value, or a token that resolves to one; plus the
 * permissions boundary, an input the kit adds to every module that creates IAM roles.
 */
export type ModuleArgs<I> = { [K in keyof I]: I[K] | IResolvable } & {
  readonly permissionsBoundaryArn?: string | IResolvable;
};

/** The input the kit adds to modules that create IAM roles (see `applyPermissionsBoundary`). */
export const BOUNDARY_INPUT = "permissionsBoundaryArn";
const BOUNDARY_SPEC = common.permissionsBoundaryArn();

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

    if (BOUNDARY_INPUT in this.props.inputs)
      throw new Error(
        `module ${this.props.name}: drop ${BOUNDARY_INPUT} from its inputs; the kit adds it to every module that creates IAM roles`,
      );
    const vars = declareVariables(stack, this.props.inputs);
    const outputs = this.props.build(stack, vars);
    declareOutputs(stack, this.props.outputs, outputs);
    this.applyPermissionsBoundary(stack);
    Aspects.of(stack).add(new ComponentTag(this.props.name));
    return stack;
  }

  /**
   * Whether the module creates IAM roles (and so has the permissions boundary input): known by
   * building it once in a scratch app, since its resources are only known after `build`.
   */
  get createsRoles(): boolean {
    this.rolesCreated ??= this.synthesize(new App())
      .node.findAll()
      .some((c) => c instanceof IamRole);
    return this.rolesCreated;
  }
  private rolesCreated?: boolean;

  /** The module's input specs, with the permissions boundary when it creates roles. */
  get inputs(): Record<string, VariableSpec<unknown>> {
    const inputs = this.props.inputs as Record<string, VariableSpec<unknown>>;
    return this.createsRoles ? { [BOUNDARY_INPUT]: BOUNDARY_SPEC, ...inputs } : inputs;
  }

  /**
   * Gives every IAM role of the module a permissions boundary from the `permissions_boundary_arn`
   * variable it adds here (none when empty). The CI apply role may create roles only with its
   * environment's boundary (an `iam:PermissionsBoundary` condition), so roles it creates never
   * exceed it. A role that still lacks the boundary in the synthesized JSON (one written another
   * way than `IamRole`, or an override that removed it) fails the synth.
   */
  private applyPermissionsBoundary(stack: TerraformStack): void {
    const roles = stack.node.findAll().filter((c): c is IamRole => c instanceof IamRole);
    if (roles.length === 0) return;
    const arn = Token.asString(declareVariable(stack, BOUNDARY_INPUT, BOUNDARY_SPEC).value);
    const boundary = Token.asString(
      Fn.conditional(Op.lt(Fn.lengthOf(arn), 1), Token.nullValue(), arn),
    );
    for (const role of roles) role.permissionsBoundary = boundary;
    stack.node.addValidation({
      validate: () => {
        const json = stack.toTerraform() as {
          resource?: Record<string, Record<string, Record<string, unknown>>>;
        };
        return Object.entries(json.resource?.aws_iam_role ?? {})
          .filter(([, role]) => !role.permissions_boundary)
          .map(
            ([name]) =>
              `module ${this.props.name}: aws_iam_role.${name} has no permissions boundary`,
          );
      },
    });
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
    const inputs = definition.inputs;
    const variables: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      const spec = inputs[key];
      if (!spec && key === BOUNDARY_INPUT)
        throw new Error(
          `module ${definition.name} creates no IAM roles, so it has no ${BOUNDARY_INPUT} input`,
        );
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
