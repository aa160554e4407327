import { App, type TerraformStack } from "cdktf";
import { BootstrapStack } from "./bootstrap/index.ts";
import { account, ENVIRONMENTS, type EnvironmentConfig } from "./envs/index.ts";
import { EnvironmentStack } from "./envs/root-stack.ts";
import type { TerraformModuleDefinition } from "./kit/module.ts";
import type { OutputSpec } from "./kit/outputs.ts";
import { MODULES } from "./modules/index.ts";

/** The assembled app and what each of its stacks is, for rendering the HCL tree. */
export interface Assembly {
  readonly app: App;
  readonly modules: {
    readonly definition: TerraformModuleDefinition<unknown, OutputSpec>;
    readonly stack: TerraformStack;
  }[];
  readonly bootstrap: BootstrapStack;
  readonly environments: { readonly config: EnvironmentConfig; readonly stack: EnvironmentStack }[];
}

/**
 * Assembles the app: one stack per module, the account bootstrap, and the root stack of every
 * environment. `npm run synth` (scripts/synth.ts, the cdktf.json app) synthesizes it.
 */
export function buildApp(outdir?: string): Assembly {
  const app = new App({ outdir });
  const modules = MODULES.map((definition) => ({
    definition: definition as unknown as TerraformModuleDefinition<unknown, OutputSpec>,
    stack: definition.synthesize(app),
  }));
  const bootstrap = new BootstrapStack(
    app,
    "bootstrap",
    account,
    ENVIRONMENTS.map((e) => e.environment),
  );
  const environments = ENVIRONMENTS.map((config) => ({
    config,
    stack: new EnvironmentStack(app, config),
  }));
  return { app, modules, bootstrap, environments };
}
