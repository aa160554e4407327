import { moduleDependencyDoc } from "../kit/dependency-doc.ts";
import { exampleTfvars, moduleReadme } from "../kit/docs.ts";
import { synthTimeSettings, type RootJson } from "../kit/root-graph.ts";
import { renderStackHcl, type StackJson } from "../kit/hcl/tree.ts";
import type { VariableSpec } from "../kit/variables.ts";
import { environmentTunables, tunableDefaults } from "../envs/root-stack.ts";
import type { TerraformStack } from "cdktf";
import type { Assembly } from "../main.ts";

/** The generated files of the repository, keyed by path relative to the repository root. */
export interface RenderedTree {
  /** Everything under terraform/ (the tree is owned by synth: other generated files there are stale). */
  readonly terraform: Map<string, string>;
  /** Generated files elsewhere (module READMEs beside their sources). */
  readonly others: Map<string, string>;
}

/**
 * Renders every stack of the assembly as HCL, plus module READMEs and example tfvars. Call it after
 * `app.synth()`: aspects (the component tags) are applied during synth.
 */
export function renderTree(assembly: Assembly): RenderedTree {
  // Each stack's JSON is resolved once here; resolving it is the renderer's costliest step.
  const resolved = new Map<TerraformStack, StackJson & RootJson>();
  const jsonOf = (stack: TerraformStack) => {
    if (!resolved.has(stack)) resolved.set(stack, stack.toTerraform() as StackJson & RootJson);
    return resolved.get(stack)!;
  };
  const hclOf = (stack: TerraformStack, moduleSourcePrefix?: string) =>
    renderStackHcl(stack, moduleSourcePrefix, jsonOf(stack));
  const terraform = new Map<string, string>();
  const others = new Map<string, string>();
  const add = (dir: string, files: Map<string, string>) => {
    for (const [file, content] of files) terraform.set(`${dir}/${file}`, content);
  };

  for (const { definition, stack } of assembly.modules) {
    const dir = `modules/${definition.name}`;
    add(dir, hclOf(stack));
    const readme = moduleReadme(definition);
    terraform.set(`${dir}/README.md`, readme);
    others.set(`modules/${definition.name}/README.md`, readme);
  }
  add("bootstrap", hclOf(assembly.bootstrap));
  for (const { config, stack } of assembly.environments) {
    const dir = `envs/${config.environment}`;
    add(dir, hclOf(stack, "../../modules/"));
    terraform.set(
      `${dir}/example.tfvars`,
      exampleTfvars(
        `Tunables of ${config.environment}: copy, edit and pass with terraform apply -var-file=...`,
        environmentTunables as Record<string, VariableSpec<unknown>>,
        tunableDefaults(config) as unknown as Record<string, unknown>,
        synthTimeSettings(jsonOf(stack)),
        `envs/${config.environment}.ts (or envs/account.ts)`,
      ),
    );
  }
  // Platform stacks call no modules: no source prefix to rewrite, no tunables file.
  for (const { config, stack } of assembly.platforms) {
    add(`envs/${config.environment}-platform`, hclOf(stack));
  }
  others.set(
    "docs/module-dependencies.md",
    moduleDependencyDoc(
      assembly.environments.map(({ config, stack }) => ({
        environment: config.environment,
        root: jsonOf(stack),
        platform: jsonOf(
          assembly.platforms.find((p) => p.config.environment === config.environment)!.stack,
        ),
      })),
      assembly.modules.map((m) => m.definition.name),
    ),
  );
  return { terraform, others };
}
