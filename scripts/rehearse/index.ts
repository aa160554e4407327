/**
 * `npm run rehearse`: applies, re-plans (must show no changes) and destroys every AWS root of the
 * committed terraform/ tree (which the staleness test ties to `npm run synth`) against moto, each
 * root in parallel on its own emulator, from temporary copies; prints a summary and fails on any
 * failure. See README "Offline rehearsal" and scripts/rehearse/gaps.ts for what the emulator lacks.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENVIRONMENTS } from "../../envs/index.ts";
import { requireMoto, startEmulator, type Emulator } from "./emulator.ts";
import { emulatorGaps } from "./events.ts";
import { evaluate, type DestroyExpectation, type Outcome } from "./evaluate.ts";
import { ROOTS, rehearseRoot, type RootName } from "./root.ts";
import { renderSummary } from "./summary.ts";

const TREE = "terraform";
// The repository supports Node 20.19 (package.json engines); the SDK's notice about its releases
// of 2027 needing Node 22 would repeat in every CI log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const emulators = new Set<Emulator>();

/** Addresses of the root's resources with `prevent_destroy = true`. */
function protectedResources(hcl: string): string[] {
  return hcl
    .split(/^(?=resource ")/m)
    .filter((block) => /prevent_destroy\s*=\s*true/.test(block))
    .map((block) => /^resource "([^"]+)" "([^"]+)"/.exec(block)!)
    .map((m) => `${m[1]}.${m[2]}`);
}

function expectations(root: RootName): { destroy: DestroyExpectation; expectedDrift?: string } {
  const hcl = readFileSync(join(TREE, ROOTS[root], "main.tf"), "utf8");
  if (root === "bootstrap") {
    const versioning = /^resource "aws_s3_bucket_versioning" "([^"]+)"/m.exec(hcl)?.[1];
    return {
      destroy: { kind: "prevent_destroy", protectedAddresses: protectedResources(hcl) },
      expectedDrift: `aws_s3_bucket_versioning.${versioning}`,
    };
  }
  const config = ENVIRONMENTS.find((e) => e.environment === root)!;
  return {
    destroy: config.rds.deletionProtection
      ? { kind: "deletion_protection", dbType: "aws_db_instance" }
      : { kind: "destroyed" },
  };
}

async function rehearse(root: RootName, work: string) {
  const started = Date.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const attemptDir = mkdtempSync(join(work, `${root}-`));
    const emulator = await startEmulator(join(attemptDir, "moto.log"));
    emulators.add(emulator);
    try {
      const run = await rehearseRoot(root, TREE, attemptDir, emulator.endpoint, (l) =>
        console.log(l),
      );
      const outcome: Outcome = evaluate({ ...run, ...expectations(root) });
      if (run.exitCode !== 0 && !run.events.runs.get("apply"))
        outcome.failures.push(`terraform test failed to start:\n${run.stderr}`);
      if (outcome.failures.length > 0) {
        const gaps = emulatorGaps(readFileSync(join(attemptDir, "moto.log"), "utf8"));
        if (gaps.length > 0)
          outcome.failures.push(`the emulator's log shows calls it lacks: ${gaps.join("; ")}`);
      }
      if (outcome.transient && attempts < 2) {
        // A lost response made the provider repeat a create: one more try on a fresh emulator.
        console.log(
          `${root}: transient failure, retrying once on a fresh emulator:\n  ${outcome.failures.join("\n  ")}`,
        );
        continue;
      }
      return { ...outcome, attempts, seconds: Math.round((Date.now() - started) / 1000) };
    } finally {
      await emulator.stop();
      emulators.delete(emulator);
    }
  }
}

async function main(): Promise<number> {
  requireMoto();
  const work = mkdtempSync(join(tmpdir(), "expense-rehearsal-"));
  const started = Date.now();
  const roots = (
    process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(ROOTS)
  ) as RootName[];
  for (const r of roots)
    if (!(r in ROOTS))
      throw new Error(`unknown root ${r}; one of ${Object.keys(ROOTS).join(", ")}`);
  console.log(`rehearsing ${roots.join(", ")} from a copy of the committed ${TREE}/ in ${work}`);
  const outcomes = await Promise.all(roots.map((root) => rehearse(root, work)));
  console.log(`\n${renderSummary(outcomes, Math.round((Date.now() - started) / 1000))}`);
  const failed = outcomes.some((o) => o.failures.length > 0);
  if (failed) console.log(`\nrehearsal FAILED; working copies and emulator logs kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
  return failed ? 1 : 0;
}

const stopAll = async () => {
  await Promise.all([...emulators].map((e) => e.stop()));
};
process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));
process.on("SIGTERM", () => void stopAll().then(() => process.exit(143)));

main()
  .then((code) => (process.exitCode = code))
  .catch(async (error: unknown) => {
    await stopAll();
    console.error(`rehearsal: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
