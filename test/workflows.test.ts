import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CI_WORKFLOWS } from "../bootstrap/github-claims.ts";
import { ciRunnerInputs } from "../modules/ci-runner/inputs.ts";
import { actionlint, actionlintDir } from "./actionlint.ts";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  id?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  permissions?: Record<string, string> | string;
  environment?: string;
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  "runs-on"?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  steps?: Step[];
  strategy?: { matrix?: { environment?: string[] | string } };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const dir = ".github/workflows";
const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));
const load = (file: string) => parse(readFileSync(`${dir}/${file}`, "utf8")) as Workflow;
const workflows = files.map((file) => ({
  file,
  text: readFileSync(`${dir}/${file}`, "utf8"),
  workflow: load(file),
}));
const terraform = load("terraform.yml");
const api = load("api.yml");
const delivery = load("delivery.yml");
const needsOf = (job: Job) => [job.needs ?? []].flat();
const ENVS = ["dev", "staging", "production"] as const;
/** The runs-on label of the environment's CodeBuild-hosted runner inside its VPC (modules/ci-runner). */
const IN_VPC = (env: string) =>
  `codebuild-expense-${env}-ci-runner-\${{ github.run_id }}-\${{ github.run_attempt }}`;
const steps = (job: Job) => job.steps ?? [];
const runs = (job: Job) =>
  steps(job)
    .map((s) => s.run ?? "")
    .join("\n");

describe("GitHub workflows", () => {
  it("actionlint reports no finding in any workflow (and does report a broken one)", async () => {
    expect(await actionlintDir(dir)).toEqual([]);
    const broken = await actionlint(
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.nope }}\n",
      "broken.yml",
    );
    expect(broken.length).toBeGreaterThan(0);
  }, 60_000);

  it.each(workflows.map((w) => [w.file, w]))(
    "%s: read-only or empty top-level permissions",
    (_file, { workflow }) => {
      const top = workflow.permissions;
      expect(top === undefined ? "missing" : JSON.stringify(top)).toMatch(
        /^(\{\}|\{"contents":"read"\})$/,
      );
    },
  );

  it.each(workflows.map((w) => [w.file, w]))(
    "%s: id-token only on jobs that assume an AWS role (or call workflows that do), and each login is checked",
    (_file, { workflow }) => {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const perms = typeof job.permissions === "object" ? job.permissions : {};
        for (const [scope, level] of Object.entries(perms))
          expect(`${name}: ${scope}=${level}`).toMatch(/: (contents=read|id-token=write)$/);
        const calls = job.uses?.startsWith("./.github/workflows/") ?? false;
        const list = steps(job);
        const logins = list.flatMap((s, i) =>
          s.uses?.startsWith("aws-actions/configure-aws-credentials@") ? [i] : [],
        );
        expect(perms["id-token"] === "write", name).toBe(logins.length > 0 || calls);
        // `aws sts get-caller-identity` right after every OIDC login prints the assumed role.
        for (const i of logins) expect(list[i + 1]?.run, name).toBe("aws sts get-caller-identity");
      }
    },
  );

  it.each(workflows.map((w) => [w.file, w]))(
    "%s: every step named, every action pinned to a full commit SHA with its version",
    (_file, { workflow, text }) => {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        for (const step of steps(job)) {
          expect(step.name, `${name}: ${JSON.stringify(step)}`).toBeTruthy();
          if (step.uses) expect(step.uses, name).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        }
      }
      for (const line of text.split("\n").filter((l) => /^\s*(- )?uses: [^.]/.test(l)))
        expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    },
  );

  it("assumes apply and deploy roles only inside a GitHub environment, in the files the roles trust", () => {
    const seen: string[] = [];
    for (const { file, workflow } of workflows) {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        for (const step of steps(job)) {
          const role = String(step.with?.["role-to-assume"] ?? "");
          const kind = /AWS_APPLY_ROLE_ARN/.test(role)
            ? "apply"
            : /AWS_DEPLOY_ROLE_ARN/.test(role)
              ? "deploy"
              : /AWS_PLAN_ROLE_ARN/.test(role)
                ? "plan"
                : /AWS_PLATFORM_PLAN_ROLE_ARNS/.test(role)
                  ? "platform-plan"
                  : undefined;
          if (!kind) continue;
          // The role trusts job_workflow_ref = this file (bootstrap/github-claims.ts); the
          // platform-plan roles trust the plan workflow's main subject.
          expect(file, `${name}`).toBe(CI_WORKFLOWS[kind === "platform-plan" ? "plan" : kind]);
          if (kind === "apply" || kind === "deploy")
            expect(job.environment, `${file}: ${name}`).toBe("${{ inputs.environment }}");
          seen.push(`${file}:${name}:${kind}`);
        }
      }
    }
    expect(seen.sort()).toEqual([
      "api.yml:deploy:deploy",
      "api.yml:image:deploy",
      "terraform.yml:apply:apply",
      "terraform.yml:plan:plan",
      "terraform.yml:platform-apply:apply",
      "terraform.yml:platform-plan:plan",
      "terraform.yml:platform-plan:platform-plan",
    ]);
  });

  it("delivery runs on main: per environment infra, then platform, then the API, dev -> staging -> production", () => {
    expect(Object.keys(delivery.on)).toEqual(["push"]);
    expect(delivery.concurrency).toBeUndefined();
    const call = (name: string) => delivery.jobs[name]!;
    let previous: string | undefined;
    for (const env of ENVS) {
      expect(call(env).uses).toBe("./.github/workflows/terraform.yml");
      expect(call(env).with).toEqual({ environment: env });
      if (previous) expect(needsOf(call(env))).toContain(`${previous}-api`);
      const app = call(`${env}-api`);
      expect(app.uses).toBe("./.github/workflows/api.yml");
      expect(app.with?.environment).toBe(env);
      // The app deploy needs the env's terraform call, whose last jobs are both applies.
      expect(needsOf(app)).toContain(env);
      if (env !== "dev")
        expect(app.with?.["image-digest"]).toBe("${{ needs.dev-api.outputs.digest }}");
      previous = env;
    }
    expect(call("dev-api").with?.build).toBe(true);
  });

  it("terraform.yml: apply consumes the plan artifact; the platform root follows the env apply on the in-VPC runner", () => {
    const { plan, apply } = terraform.jobs as Record<string, Job>;
    const platformPlan = terraform.jobs["platform-plan"]!;
    const platformApply = terraform.jobs["platform-apply"]!;
    for (const [p, a, suffix] of [
      [plan!, apply!, ""],
      [platformPlan, platformApply, "-platform"],
    ] as const) {
      expect(runs(p)).toMatch(/terraform plan .*-out=tfplan/);
      expect(runs(p)).toMatch(/terraform show -no-color tfplan/);
      expect(runs(p)).toContain("$GITHUB_STEP_SUMMARY");
      const upload = steps(p).find((s) => s.uses?.startsWith("actions/upload-artifact@"));
      expect(upload?.with?.name).toBe(`tfplan-\${{ matrix.environment }}${suffix}`);
      expect(needsOf(a)).toContain(p === plan ? "plan" : "platform-plan");
      const download = steps(a).find((s) => s.uses?.startsWith("actions/download-artifact@"));
      expect(download?.with?.name).toBe(`tfplan-\${{ inputs.environment }}${suffix}`);
      expect(runs(a)).toMatch(/terraform apply [^\n]* tfplan$/m);
      expect(runs(a)).not.toMatch(/terraform plan/);
      expect(a.if).toBe("github.event_name != 'pull_request'");
      expect(a.concurrency?.["cancel-in-progress"]).toBe(false);
      expect(a.concurrency?.group).toContain("${{ inputs.environment }}");
    }
    expect(needsOf(platformPlan)).toEqual(["plan", "apply"]);
    // Main's refreshing plan reads the cluster from inside the VPC; a pull request's plan does not
    // read it, and its code never runs on an environment's in-VPC runner.
    expect(platformPlan["runs-on"]).toBe(
      "${{ github.event_name == 'pull_request' && 'ubuntu-24.04' || " +
        "format('codebuild-expense-{0}-ci-runner-{1}-{2}', matrix.environment, github.run_id, github.run_attempt) }}",
    );
    expect(IN_VPC("dev")).toBe(
      "codebuild-expense-dev-ci-runner-${{ github.run_id }}-${{ github.run_attempt }}",
    );
    expect(platformApply["runs-on"]).toBe(IN_VPC("${{ inputs.environment }}"));
    expect(plan!["runs-on"]).toBe("ubuntu-24.04");
  });

  it("platform plan: pull requests use the plan role without refresh; main the environment's platform-plan role with refresh", () => {
    const job = terraform.jobs["platform-plan"]!;
    expect(job.environment).toBeUndefined();
    const PR = "github.event_name == 'pull_request'";
    const MAIN = "github.event_name != 'pull_request'";
    const logins = steps(job).filter((s) =>
      s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
    );
    expect(logins.map((s) => [s.if, s.with?.["role-to-assume"]])).toEqual([
      [PR, "${{ vars.AWS_PLAN_ROLE_ARN }}"],
      [MAIN, "${{ fromJSON(vars.AWS_PLATFORM_PLAN_ROLE_ARNS)[matrix.environment] }}"],
    ]);
    const plans = steps(job).filter((s) => /terraform plan /.test(s.run ?? ""));
    expect(plans.map((s) => s.if)).toEqual([PR, MAIN]);
    expect(plans[0]!.run).toMatch(/^terraform plan [^\n]*-refresh=false[^\n]*-out=tfplan$/);
    expect(plans[1]!.run).not.toContain("-refresh=false");
    // Every other step runs in both cases, after the matching login and before the upload.
    const conditional = steps(job).filter((s) => s.if);
    expect(conditional.every((s) => s.if === PR || s.if === MAIN)).toBe(true);
    expect(conditional).toHaveLength(6);
    // The env root's plan job never reads a cluster: it keeps the plan role everywhere.
    expect(JSON.stringify(terraform.jobs.plan)).not.toContain("PLATFORM_PLAN");
    expect(JSON.stringify(terraform.jobs.plan)).not.toContain("-refresh=false");
  });

  it("pull requests plan every root, <env>-platform included, and never apply or deploy", () => {
    expect(Object.keys(terraform.on)).toEqual(["pull_request", "workflow_call"]);
    for (const job of [terraform.jobs.plan!, terraform.jobs["platform-plan"]!])
      expect(job.strategy?.matrix?.environment).toContain(
        `github.event_name == 'pull_request' && '${JSON.stringify(ENVS)}'`,
      );
    expect(Object.keys(api.on)).not.toContain("pull_request");
    for (const { file, workflow } of workflows)
      if ("pull_request" in workflow.on && file !== "terraform.yml")
        expect(JSON.stringify(workflow.jobs), file).not.toMatch(/terraform apply|helm upgrade/);
  });

  it("ci.yml runs the full .ci/run on every pull request and push, with no path filter", () => {
    const ci = load("ci.yml");
    expect(ci.on).toEqual({ pull_request: null, push: { branches: ["main"] } });
    expect(runs(ci.jobs.check!)).toContain("bash .ci/run");
  });

  it("ci.yml runs on Node 20 and 24, the versions package.json's engines name; .ci/run adds Node 24", () => {
    const ci = load("ci.yml");
    const check = ci.jobs.check! as Job & { strategy: { matrix: { node: number[] } } };
    expect(check.strategy.matrix.node).toEqual([20, 24]);
    const setup = steps(check).find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(setup?.with?.["node-version"]).toBe("${{ matrix.node }}");
    const engines = (
      JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } }
    ).engines.node;
    expect(engines).toBe("^20.19.0 || ^24.11.0");
    expect(readFileSync(".ci/run", "utf8")).toMatch(/^bash scripts\/node24\.sh$/m);
    expect(readFileSync("scripts/node24.sh", "utf8")).toMatch(/^npx vitest run --project api$/m);
  });

  it("api.yml: multi-arch image pushed once, deployed by digest from the in-VPC runner, smoke-tested, rolled back on failure", () => {
    const { image, deploy } = api.jobs as Record<string, Job>;
    const build = steps(image!).find((s) => s.uses?.startsWith("docker/build-push-action@"));
    expect(build?.with?.platforms).toBe("linux/amd64,linux/arm64");
    expect(build?.with?.tags).toBe("${{ vars.ECR_REPOSITORY_URL }}:sha-${{ github.sha }}");
    expect(deploy!["runs-on"]).toBe(IN_VPC("${{ inputs.environment }}"));
    expect(deploy!.concurrency).toEqual({
      group: "deploy-${{ inputs.environment }}",
      "cancel-in-progress": false,
    });
    const script = runs(deploy!);
    expect(script).toMatch(/tag="\$\{ENVIRONMENT\}-\$\{COMMIT\}"/);
    expect(script).toContain("--set image.digest=");
    expect(script).not.toContain("image.tag");
    for (const flag of [
      "--set config.existingConfigMap=expense-api-platform",
      "--set serviceAccount.create=false",
      "--set serviceAccount.name=expense-api",
      "--set migration.serviceAccountName=expense-api-migrate",
      "--wait",
    ])
      expect(script).toContain(flag);
    expect(script).toContain("/health/ready");
    expect(script).toMatch(/\/transaction \| jq -e/);
    const rollback = steps(deploy!).find((s) => s.run?.startsWith("helm rollback"));
    expect(rollback?.if).toMatch(/^failure\(\)/);
    // Redeploy or roll back a given tag by hand.
    expect(Object.keys((api.on.workflow_dispatch as { inputs: object }).inputs)).toEqual([
      "environment",
      "image-tag",
    ]);
  });

  it("in-VPC jobs install every tool the runner image lacks before using it (helm pinned and verified)", () => {
    // What aws/codebuild/amazonlinux-x86_64-standard:5.0 ships (its Dockerfile, read 2026-11-28):
    // the AWS CLI, kubectl, jq, curl, git, Go (goenv) and docker, but neither helm nor terraform.
    expect(ciRunnerInputs.image.default).toBe("aws/codebuild/amazonlinux-x86_64-standard:5.0");
    const installs = (step: Step): string | undefined =>
      step.uses?.startsWith("hashicorp/setup-terraform@")
        ? "terraform"
        : /go install [^\n]*"helm\.sh\/helm\/v3\/cmd\/helm@\$\{HELM_VERSION\}"/.test(
              (step.run ?? "").replace(/\\\n\s*/g, " "),
            )
          ? "helm"
          : undefined;
    const inVpc = [api, terraform].flatMap((w) =>
      Object.entries(w.jobs).filter(([, job]) => job["runs-on"]?.includes("codebuild-")),
    );
    expect(inVpc.map(([name]) => name).sort()).toEqual([
      "deploy",
      "platform-apply",
      "platform-plan",
    ]);
    for (const [name, job] of inVpc) {
      const installed = new Set<string>();
      for (const step of steps(job)) {
        const tool = installs(step);
        for (const missing of ["helm", "terraform"])
          if (
            missing !== tool &&
            new RegExp(`(^|[\\s;&|(])${missing} [a-z]`, "m").test(
              (step.run ?? "").replace(/\\\n\s*/g, " "),
            )
          )
            expect(
              installed.has(missing),
              `${name}: "${step.name}" runs ${missing} before installing it`,
            ).toBe(true);
        if (tool) installed.add(tool);
      }
    }
    const deploy = api.jobs.deploy!;
    expect((deploy as { env?: Record<string, string> }).env?.HELM_VERSION).toMatch(
      /^v3\.\d+\.\d+$/,
    );
    const install = steps(deploy).find((s) => installs(s) === "helm")!.run!;
    // Verified against the Go checksum database, never skipped; the built version is checked.
    expect(install).toMatch(/GOSUMDB=sum\.golang\.org GONOSUMDB= GOPRIVATE= GOINSECURE= GOFLAGS=/);
    expect(install).toContain('[ "$installed" = "$HELM_VERSION" ]');
    expect(install).toContain('>> "$GITHUB_PATH"');
    expect(runs(deploy)).toMatch(/kubectl version --output json/);
  });
});
