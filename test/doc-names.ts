/** Names quoted in the docs, checked against what the generated code really creates. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS, account } from "../envs/index.ts";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** What the names must be found in: the generated Terraform, the chart and the workflows. */
/** The generated Terraform, the chart and the workflows, concatenated. */
export const corpus = [
  ...filesUnder("terraform"),
  ...filesUnder("helm/expense-api"),
  ...filesUnder(".github/workflows"),
]
  .filter((f) => /\.(tf|ya?ml|tpl|txt)$/.test(f))
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");

export const project = account.project;
export const envNames = ENVIRONMENTS.map((e) => e.environment);
export const unique = (values: Iterable<string>) => [...new Set(values)];

/**
 * Whether an AWS name `<project>-<env>-<suffix>` quoted in the doc is one the code creates: the
 * modules write `${var.name}-<suffix>`, the bootstrap `${var.project}-<env>-<suffix>`. Trailing
 * AZ placeholders (`-<az>`, `-*`) stand for `-${element(local.azs, ...)}`.
 */
export function awsNameExists(name: string): boolean {
  const env = envNames.find((e) => name.startsWith(`${project}-${e}-`));
  if (!env) return false;
  const suffix = name.slice(`${project}-${env}-`.length).replace(/-(<az>|\*)$/, "");
  return [
    `\${var.name}-${suffix}"`,
    `\${var.name}-${suffix}-\${`,
    `\${var.project}-${env}-${suffix}"`,
  ].some((form) => corpus.includes(form));
}
