/**
 * `npm run synth` and the cdktf.json app: synthesizes every stack to cdktf.out/ (JSON, what
 * cdktf and terraform apply) and refreshes the committed terraform/ tree (HCL, what reviewers
 * read), then prints a summary: stacks, files added/changed/removed under terraform/, next
 * commands. A bad config value ends the run with one line naming the field and the value.
 */
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { listGenerated, writeTree } from "../kit/hcl/tree.ts";
import { diffTree, summaryLines, type RootSummary } from "./synth-summary.ts";

/** Reads a file, or undefined when it does not exist. */
function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** `SYNTH_TIMINGS=1` prints how long each phase took (stderr), to see where synth time goes. */
const phases: Array<[string, number]> = [["start-up", performance.now()]];
const phase = (name: string) => phases.push([name, performance.now()]);

/** Builds, synthesizes and renders everything, then prints the summary. */
async function main(): Promise<void> {
  try {
    // Imported here, not at the top: a config error thrown while the modules load is caught below.
    const { buildApp } = await import("../main.ts");
    const { renderTree } = await import("./render-tree.ts");
    phase("import");
    const assembly = buildApp();
    phase("construct");
    assembly.app.synth();
    phase("synth (cdktf.out/)");
    const tree = renderTree(assembly);
    phase("render HCL");

    const before = new Map<string, string>();
    for (const path of listGenerated("terraform")) {
      before.set(path, readOrUndefined(join("terraform", path)) ?? "");
    }
    writeTree("terraform", tree.terraform);
    for (const [path, content] of tree.others) {
      if (readOrUndefined(path) === content) continue;
      // docs/ may be missing in a partial checkout (the synth CLI test's scratch copy).
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }

    const stacks = [
      ...assembly.modules.map((m) => m.stack.node.id),
      assembly.bootstrap.node.id,
      ...assembly.environments.map((e) => e.stack.node.id),
      ...assembly.platforms.map((p) => p.stack.node.id),
    ];
    const roots: RootSummary[] = [
      { dir: "terraform/bootstrap", appliedBy: "an account administrator, once" },
    ];
    for (const { config } of assembly.environments) {
      const env = config.environment;
      roots.push({ dir: `terraform/envs/${env}`, appliedBy: `the ${env} CI apply role` });
      roots.push({
        dir: `terraform/envs/${env}-platform`,
        appliedBy: `the ${env} CI apply role, after ${env}`,
      });
    }
    phase("write terraform/");
    console.log(summaryLines(stacks, diffTree(before, tree.terraform), roots).join("\n"));
    if (process.env.SYNTH_TIMINGS) {
      const lines = phases.map(([name, at], i) => {
        const ms = i === 0 ? at : at - phases[i - 1]![1];
        return `  ${name.padEnd(20)} ${Math.round(ms)} ms`;
      });
      console.error(["synth timings (process start = 0):", ...lines].join("\n"));
    }
  } catch (error) {
    if (
      error instanceof Error &&
      (error.name === "ConfigError" || error.name === "VariableError")
    ) {
      console.error(`synth failed: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

void main();
