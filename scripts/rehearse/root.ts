/**
 * Rehearses one AWS root against its own emulator: a temporary copy of terraform/ with the
 * provider pointed at moto, a `terraform test` file (apply, SDK checks, re-plan, teardown) and
 * the evaluation of what terraform reported.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CreateServiceLinkedRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { init, spawnTerraform } from "../terraform-cli.ts";
import { checkRoot, clientConfig, type CheckResult } from "./checks.ts";
import { planChanges, type Change } from "./drift.ts";
import { addEvent, emptyEvents, type TestEvents } from "./events.ts";
import { MASKS, OVERRIDES, STAND_INS } from "./gaps.ts";
import {
  HOOK_DIR,
  renderHookModule,
  renderProviderOverride,
  renderTestFile,
  serviceOf,
  type Step,
} from "./render.ts";
import { overrideTargets, renderMaskOverride, type Target } from "./targets.ts";
import type { StateJson } from "./secrets.ts";

/** The four AWS roots, with their folder under terraform/. */
export const ROOTS = {
  bootstrap: "bootstrap",
  dev: "envs/dev",
  staging: "envs/staging",
  production: "envs/production",
} as const;
export type RootName = keyof typeof ROOTS;

/** Everything one attempt at a root produced. */
export interface RootRun {
  readonly root: RootName;
  readonly targets: readonly Target[];
  readonly events: TestEvents;
  readonly checks: CheckResult[];
  readonly replan?: Change[];
  readonly driftProof?: Change[];
  readonly exitCode: number;
  readonly stderr: string;
}

/** Resource and data types a root and its modules use. */
function typesIn(hcl: string[]): Set<string> {
  const types = new Set<string>();
  for (const text of hcl)
    for (const m of text.matchAll(/^(?:resource|data) "(aws_[a-z0-9_]+)"/gm)) types.add(m[1]!);
  return types;
}

/** Steps of the test file: bootstrap also proves the no-changes check catches a real drift. */
function stepsFor(root: RootName): Step[] {
  const steps: Step[] = [
    { kind: "apply", name: "apply" },
    { kind: "hook", name: "check" },
    { kind: "plan", name: "replan" },
  ];
  if (root === "bootstrap")
    steps.push({ kind: "hook", name: "drift" }, { kind: "plan", name: "drift_replan" });
  return steps;
}

/**
 * Prepares the temporary copy of terraform/ for `root` in `work` and returns the root's folder
 * and override targets. Nothing is written into the committed tree.
 */
export function prepare(root: RootName, tree: string, work: string, endpoint: string) {
  cpSync(tree, join(work, "terraform"), { recursive: true });
  const dir = join(work, "terraform", ROOTS[root]);
  const rootHcl = readFileSync(join(dir, "main.tf"), "utf8");
  const moduleHcl = (source: string) => readFileSync(join(dir, source, "main.tf"), "utf8");
  const targets = overrideTargets(OVERRIDES, rootHcl, moduleHcl);
  const sources = [
    ...new Set([...rootHcl.matchAll(/^\s*source\s*=\s*"([^"]+)"/gm)].map((m) => m[1]!)),
  ];
  const modules = sources.map(moduleHcl);
  // Masks (gaps.ts) go into override files beside each module of the copy. REHEARSE_UNMASKED=1
  // leaves them out, to see whether each is still needed (replan-changes.json in the work folder).
  for (const folder of process.env.REHEARSE_UNMASKED === "1" ? [] : [".", ...sources]) {
    const masks = renderMaskOverride(readFileSync(join(dir, folder, "main.tf"), "utf8"), MASKS);
    if (masks) writeFileSync(join(dir, folder, "rehearse_masks_override.tf"), masks);
  }
  for (const source of sources) {
    const standIn = STAND_INS.find((s) => source.endsWith(`/modules/${s.module}`));
    if (!standIn) continue;
    writeFileSync(join(dir, source, "rehearse_standin.tf"), standIn.add);
    writeFileSync(join(dir, source, "rehearse_standin_override.tf"), standIn.override);
  }
  const services = [...typesIn([rootHcl, ...modules])]
    .map(serviceOf)
    .filter((s): s is string => !!s);
  writeFileSync(join(dir, "rehearse_override.tf"), renderProviderOverride(endpoint, services));
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, "tests", "rehearse.tftest.hcl"), renderTestFile(targets, stepsFor(root)));
  mkdirSync(join(dir, HOOK_DIR), { recursive: true });
  // The hook waits until the harness has done the step (it touches <signals>/<step>.done).
  const wait =
    'i=0; while [ ! -f "$REHEARSE_SIGNALS/$REHEARSE_STEP.done" ]; do i=$((i+1)); [ $i -gt 600 ] && exit 1; sleep 1; done';
  writeFileSync(join(dir, HOOK_DIR, "main.tf"), renderHookModule(wait));
  return { dir, targets };
}

/** What terraform runs with here: fake credentials and the hooks' signal folder. */
export function rehearsalEnv(signals: string): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    REHEARSE_SIGNALS: signals,
  };
}

/**
 * What a real account holds before bootstrap: EC2 Auto Scaling's service-linked role exists in
 * most accounts (AWS creates it with the first Auto Scaling group), so the rehearsal creates it
 * in every emulator first; bootstrap must cope with it existing.
 */
export async function seedAccount(endpoint: string): Promise<void> {
  const iam = new IAMClient(clientConfig(endpoint));
  await iam.send(
    new CreateServiceLinkedRoleCommand({ AWSServiceName: "autoscaling.amazonaws.com" }),
  );
}

/** Variables for the root: env roots use their example.tfvars; see seedAccount for bootstrap. */
function testArgs(dir: string): string[] {
  const args = ["test", "-json", "-verbose", "-no-color"];
  if (existsSync(join(dir, "example.tfvars"))) args.push("-var-file=example.tfvars");
  const variables = readFileSync(join(dir, "variables.tf"), "utf8");
  // Until bootstrap detects the existing role itself (issue 10), tell it the account has it.
  if (variables.includes('variable "create_autoscaling_service_linked_role"'))
    args.push("-var=create_autoscaling_service_linked_role=false");
  return args;
}

/** Runs one attempt at a root in `work` against the emulator at `endpoint`. */
export async function rehearseRoot(
  root: RootName,
  tree: string,
  work: string,
  endpoint: string,
  log: (line: string) => void,
): Promise<RootRun> {
  const { dir, targets } = prepare(root, tree, work, endpoint);
  const signals = join(work, "signals");
  mkdirSync(signals, { recursive: true });
  const env = rehearsalEnv(signals);
  await init(dir, { env });
  await seedAccount(endpoint);

  const events = emptyEvents();
  const checks: CheckResult[] = [];
  const hooks = new Set(
    stepsFor(root)
      .filter((s) => s.kind === "hook")
      .map((s) => s.name),
  );
  const child = spawnTerraform(dir, testArgs(dir), env);
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 1)));
  const pending: Promise<void>[] = [];
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const before = new Map([...events.runs].map(([k, v]) => [k, v.start]));
    addEvent(events, line, hooks);
    for (const [name, entry] of events.runs) {
      if (!hooks.has(name) || before.get(name) !== undefined || entry.start === undefined) continue;
      log(`${root}: ${name}`);
      const state = events.states.get("apply") as StateJson;
      const step =
        name === "check"
          ? checkRoot(root, endpoint, state).then((r) => void checks.push(...r))
          : introduceDrift(endpoint, state);
      pending.push(
        step
          .catch((error: unknown) => {
            checks.push({ name: `hook ${name}`, ok: false, detail: String(error) });
          })
          .finally(() => writeFileSync(join(signals, `${name}.done`), "")),
      );
    }
    const done = events.runs.get("apply");
    if (
      done?.status &&
      line.includes('"progress":"complete"') &&
      line.includes('"@testrun":"apply"')
    )
      log(`${root}: apply ${done.status}`);
  }
  await Promise.all(pending);
  const exitCode = await exit;
  const replanPlan = events.plans.get("replan");
  if (replanPlan)
    writeFileSync(
      join(work, "replan-changes.json"),
      JSON.stringify(
        replanPlan.resource_changes?.filter((rc) => !rc.change.actions.includes("no-op")),
        null,
        1,
      ),
    );
  const driftPlan = events.plans.get("drift_replan");
  return {
    root,
    targets,
    events,
    checks,
    replan: replanPlan ? planChanges(replanPlan) : undefined,
    driftProof: driftPlan ? planChanges(driftPlan) : undefined,
    exitCode,
    stderr,
  };
}

/** The deliberate drift: suspend versioning of the state bucket behind Terraform's back. */
async function introduceDrift(endpoint: string, state: StateJson): Promise<void> {
  const bucket = JSON.stringify(state).match(/"bucket":"([^"]+)"/)?.[1];
  if (!bucket) throw new Error("no bucket in bootstrap state");
  const s3 = new S3Client(clientConfig(endpoint));
  await s3.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: "Suspended" },
    }),
  );
}
