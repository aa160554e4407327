import { App, type TerraformStack } from "cdktf";
import { BootstrapStack } from "./bootstrap/index.ts";
import { account, ENVIRONMENTS, type EnvironmentConfig } from "./envs/index.ts";
import { PlatformStack } from "./envs/platform/index.ts";
import { EnvironmentStack } from "./envs/root-stack.ts";
import type { TerraformModuleDefinition } from "./kit/module.ts";
import type { OutputSpec } from "./kit/outputs.ts";
import { MODULES } from "./modules/index.ts";
import { calledModules, resourceTypesOf } from "./kit/resource-types.ts";
import type { Construct } from "constructs";

/** Types of `roots` and of every module they call: what one environment's apply role manages. */
export function environmentResourceTypes(
  roots: readonly Construct[],
  modules: ReadonlyMap<string, Construct>,
): string[] {
  const types = new Set<string>();
  for (const root of roots) {
    for (const type of resourceTypesOf(root)) types.add(type);
    for (const name of calledModules(root)) {
      const stack = modules.get(name);
      if (!stack) throw new Error(`${root.node.id} calls unknown module ${name}`);
      for (const type of resourceTypesOf(stack)) types.add(type);
    }
  }
  return [...types].sort();
}

/** The assembled app and what each of its stacks is, for rendering the HCL tree. */
export interface Assembly {
  readonly app: App;
  readonly modules: {
    readonly definition: TerraformModuleDefinition<unknown, OutputSpec>;
    readonly stack: TerraformStack;
  }[];
  readonly bootstrap: BootstrapStack;
  readonly environments: { readonly config: EnvironmentConfig; readonly stack: EnvironmentStack }[];
  /** The `<env>-platform` stack of every environment (in-cluster add-ons, the API's settings). */
  readonly platforms: { readonly config: EnvironmentConfig; readonly stack: PlatformStack }[];
}

/**
 * Assembles the app: one stack per module, the account bootstrap, and the two root stacks of every
 * environment (`<env>` on AWS, then `<env>-platform` inside its cluster). `npm run synth`
 * (scripts/synth.ts, the cdktf.json app) synthesizes it.
 */
export function buildApp(outdir?: string): Assembly {
  const app = new App({ outdir });
  const modules = MODULES.map((definition) => ({
    definition: definition as unknown as TerraformModuleDefinition<unknown, OutputSpec>,
    stack: definition.synthesize(app),
  }));
  const environments = ENVIRONMENTS.map((config) => ({
    config,
    stack: new EnvironmentStack(app, config),
  }));
  const platforms = ENVIRONMENTS.map((config) => ({
    config,
    stack: new PlatformStack(app, config),
  }));
  // The CI roles' policies are derived from what each environment's stacks actually emit.
  const moduleStacks = new Map(modules.map((m) => [m.definition.name, m.stack]));
  const bootstrap = new BootstrapStack(
    app,
    "bootstrap",
    account,
    ENVIRONMENTS.map((config, i) => ({
      environment: config.environment,
      region: config.region,
      resourceTypes: environmentResourceTypes(
        [environments[i]!.stack, platforms[i]!.stack],
        moduleStacks,
      ),
      platformResourceTypes: resourceTypesOf(platforms[i]!.stack),
    })),
  );
  return { app, modules, bootstrap, environments, platforms };
}
