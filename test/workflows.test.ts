import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Step {
  name?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string> | string;
  environment?: string;
  steps?: Step[];
  strategy?: { matrix?: { environment?: string[] } };
}
interface Workflow {
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const dir = ".github/workflows";
const files = readdirSync(dir).filter((f) => f.endsWith(".yml"));
const workflows = files.map((file) => ({
  file,
  text: readFileSync(`${dir}/${file}`, "utf8"),
  workflow: parse(readFileSync(`${dir}/${file}`, "utf8")) as Workflow,
}));

describe("GitHub workflows", () => {
  it("exist for infrastructure, the API and the chart", () => {
    expect(files.sort()).toEqual(expect.arrayContaining(["api.yml", "chart.yml", "terraform.yml"]));
  });

  it.each(workflows.map((w) => [w.file, w]))(
    "%s: read-only or empty top-level permissions and a concurrency group",
    (_file, { workflow }) => {
      const top = workflow.permissions;
      expect(top === undefined ? "missing" : JSON.stringify(top)).toMatch(
        /^(\{\}|\{"contents":"read"\})$/,
      );
      expect(workflow.concurrency).toBeDefined();
    },
  );

  it.each(workflows.map((w) => [w.file, w]))(
    "%s: id-token only on jobs that assume an AWS role",
    (_file, { workflow }) => {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const assumes = (job.steps ?? []).some((s) =>
          s.uses?.startsWith("aws-actions/configure-aws-credentials@"),
        );
        const idToken =
          typeof job.permissions === "object" && job.permissions["id-token"] === "write";
        expect(idToken, `${name}`).toBe(assumes);
      }
    },
  );

  it.each(workflows.map((w) => [w.file, w]))(
    "%s: every step named, every action pinned to a full commit SHA with its version",
    (_file, { workflow, text }) => {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        for (const step of job.steps ?? []) {
          expect(step.name, `${name}: ${JSON.stringify(step)}`).toBeTruthy();
          if (step.uses) expect(step.uses, name).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        }
      }
      for (const line of text.split("\n").filter((l) => /uses: /.test(l)))
        expect(line).toMatch(/@[0-9a-f]{40} # v\d/);
    },
  );

  it("assumes apply and deploy roles only inside a GitHub environment (production's needs approval)", () => {
    let checked = 0;
    for (const { file, workflow } of workflows) {
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const role = (job.steps ?? []).map((s) => s.with?.["role-to-assume"] ?? "").join(" ");
        if (!/AWS_(APPLY|DEPLOY)_ROLE_ARN/.test(role)) continue;
        expect(job.environment, `${file}: ${name}`).toBeTruthy();
        checked++;
      }
    }
    expect(checked).toBe(3);
    const apply = workflows.find((w) => w.file === "terraform.yml")!.workflow.jobs.apply!;
    expect(apply.strategy?.matrix?.environment).toEqual(["dev", "staging", "production"]);
  });
});
