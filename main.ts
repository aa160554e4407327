import { App, type TerraformStack } from "cdktf";
import { BootstrapStack } from "./bootstrap/index.ts";
import { account, ENVIRONMENTS, type EnvironmentConfig } from "./envs/index.ts";
import { PlatformStack } from "./envs/platform/index.ts";
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
  const platforms = ENVIRONMENTS.map((config) => ({
    config,
    stack: new PlatformStack(app, config),
  }));
  return { app, modules, bootstrap, environments, platforms };
}
