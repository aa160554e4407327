import { moduleDependencyDoc } from "../kit/dependency-doc.ts";
import { exampleTfvars, moduleReadme } from "../kit/docs.ts";
import { synthTimeSettings, type RootJson } from "../kit/root-graph.ts";
import { renderStackHcl } from "../kit/hcl/tree.ts";
import type { VariableSpec } from "../kit/variables.ts";
import { environmentTunables, tunableDefaults } from "../envs/root-stack.ts";
import type { Assembly } from "../main.ts";

/** The generated files of the repository, keyed by path relative to the repository root. */
export interface RenderedTree {
  /** Everything under terraform/ (the tree is owned by synth: other generated files there are stale). */
  readonly terraform: Map<string, string>;
  /** Generated files elsewhere (module READMEs beside their sources). */
  readonly others: Map<string, string>;
}

/** Renders every stack of the assembly as HCL, plus module READMEs and example tfvars. */
export function renderTree(assembly: Assembly): RenderedTree {
  const terraform = new Map<string, string>();
  const others = new Map<string, string>();
  const add = (dir: string, files: Map<string, string>) => {
    for (const [file, content] of files) terraform.set(`${dir}/${file}`, content);
  };

  for (const { definition, stack } of assembly.modules) {
    const dir = `modules/${definition.name}`;
    add(dir, renderStackHcl(stack));
    const readme = moduleReadme(definition);
    terraform.set(`${dir}/README.md`, readme);
    others.set(`modules/${definition.name}/README.md`, readme);
  }
  add("bootstrap", renderStackHcl(assembly.bootstrap));
  // Each root's JSON once, for the tfvars' synth-time settings and the dependency doc.
  const rootJson = new Map<string, RootJson>();
  for (const { config, stack } of assembly.environments) {
    const dir = `envs/${config.environment}`;
    rootJson.set(config.environment, stack.toTerraform() as RootJson);
    add(dir, renderStackHcl(stack, "../../modules/"));
    terraform.set(
      `${dir}/example.tfvars`,
      exampleTfvars(
        `Tunables of ${config.environment}: copy, edit and pass with terraform apply -var-file=...`,
        environmentTunables as Record<string, VariableSpec<unknown>>,
        tunableDefaults(config) as unknown as Record<string, unknown>,
        synthTimeSettings(rootJson.get(config.environment)!),
        `envs/${config.environment}.ts (or envs/account.ts)`,
      ),
    );
  }
  // Platform stacks call no modules: no source prefix to rewrite, no tunables file.
  for (const { config, stack } of assembly.platforms) {
    add(`envs/${config.environment}-platform`, renderStackHcl(stack));
  }
  others.set(
    "docs/module-dependencies.md",
    moduleDependencyDoc(
      assembly.environments.map(({ config }) => ({
        environment: config.environment,
        root: rootJson.get(config.environment)!,
        platform: assembly.platforms
          .find((p) => p.config.environment === config.environment)!
          .stack.toTerraform() as RootJson,
      })),
      assembly.modules.map((m) => m.definition.name),
    ),
  );
  return { terraform, others };
}
