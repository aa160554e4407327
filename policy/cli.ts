import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate, formatReport } from "./evaluate.ts";
import { EXCEPTIONS } from "./exceptions.ts";
import { readStacks, type Stacks } from "./load.ts";

/**
 * Synthesizes the app in-process into a temporary folder (never the repository's cdktf.out or
 * terraform/) and reads its stacks back.
 */
export async function synthesizeApp(): Promise<Stacks> {
  const outdir = mkdtempSync(join(tmpdir(), "expense-policy-"));
  try {
    const { buildApp } = await import("../main.ts");
    buildApp(outdir).app.synth();
    return readStacks(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** `npm run policy [-- --dir cdktf.out]`: prints violations and a summary; exit 1 on violations. */
async function main(argv: string[]): Promise<number> {
  const dirIndex = argv.indexOf("--dir");
  const dir = dirIndex >= 0 ? argv[dirIndex + 1] : undefined;
  if (dirIndex >= 0 && !dir) {
    console.error("usage: tsx policy/cli.ts [--dir <cdktf output folder>]");
    return 2;
  }
  const stacks = dir ? readStacks(dir) : await synthesizeApp();
  const report = evaluate(stacks, EXCEPTIONS);
  console.log(formatReport(report));
  return report.violations.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
