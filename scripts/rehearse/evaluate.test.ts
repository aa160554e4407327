import { describe, expect, it } from "vitest";
import { dependencyClosure, evaluate } from "./evaluate.ts";
import { emptyEvents, type TestEvents } from "./events.ts";
import { OVERRIDES } from "./gaps.ts";

const state = {
  root_module: {
    resources: [],
    child_modules: [
      {
        resources: [
          { address: "module.network.aws_vpc.vpc", mode: "managed", type: "aws_vpc" },
          {
            address: "module.network.aws_subnet.data[0]",
            mode: "managed",
            type: "aws_subnet",
            depends_on: ["module.network.aws_vpc.vpc"],
          },
          {
            address: "module.network.aws_subnet.data[1]",
            mode: "managed",
            type: "aws_subnet",
            depends_on: ["module.network.aws_vpc.vpc"],
          },
          { address: "module.network.aws_eip.nat[0]", mode: "managed", type: "aws_eip" },
          {
            address: "module.rds.aws_db_subnet_group.g",
            mode: "managed",
            type: "aws_db_subnet_group",
            depends_on: ["module.network.aws_subnet.data"],
          },
          {
            address: "module.rds.aws_db_instance.db",
            mode: "managed",
            type: "aws_db_instance",
            depends_on: ["module.rds.aws_db_subnet_group.g", "module.rds.data.aws_region.r"],
          },
          { address: "module.rds.data.aws_region.r", mode: "data", type: "aws_region" },
          {
            address: "module.budgets.aws_budgets_budget.budget",
            mode: "managed",
            type: "aws_budgets_budget",
          },
        ],
      },
    ],
  },
};

function applied(extra: (events: TestEvents) => void = () => {}): TestEvents {
  const events = emptyEvents();
  events.runs.set("apply", { status: "pass", start: 0, end: 90_000 });
  events.states.set("apply", state);
  extra(events);
  return events;
}

const budget = {
  override: OVERRIDES.find((o) => o.type === "aws_budgets_budget")!,
  address: "module.budgets.aws_budgets_budget.budget",
};
const base = { root: "dev", targets: [budget], checks: [], replan: [] };

describe("evaluate", () => {
  it("counts real and overridden resources and passes a clean run", () => {
    const outcome = evaluate({ ...base, events: applied(), destroy: { kind: "destroyed" } });
    expect(outcome).toMatchObject({
      real: 6,
      overridden: 1,
      applySeconds: 90,
      replan: "no changes",
      destroy: "destroyed",
      failures: [],
    });
  });

  it("fails on a non-empty re-plan and on a failed check", () => {
    const outcome = evaluate({
      ...base,
      events: applied(),
      checks: [{ name: "tags", ok: false, detail: "aws_vpc lacks Component" }],
      replan: [
        { address: "module.network.aws_vpc.vpc", actions: ["update"], attributes: ["tags"] },
      ],
      destroy: { kind: "destroyed" },
    });
    expect(outcome.failures).toEqual([
      "check tags: aws_vpc lacks Component",
      "re-plan is not empty:\nupdate module.network.aws_vpc.vpc (tags)",
    ]);
  });

  it("requires the deliberate drift to be caught, and only it", () => {
    const drift = {
      address: "aws_s3_bucket_versioning.v",
      actions: ["update"],
      attributes: ["versioning_configuration"],
    };
    const expectedDrift = "aws_s3_bucket_versioning.v";
    const caught = evaluate({
      ...base,
      events: applied(),
      driftProof: [drift],
      expectedDrift,
      destroy: { kind: "destroyed" },
    });
    expect(caught.failures).toEqual([]);
    expect(caught.replan).toContain("deliberate drift caught");
    const missed = evaluate({
      ...base,
      events: applied(),
      driftProof: [],
      expectedDrift,
      destroy: { kind: "destroyed" },
    });
    expect(missed.failures[0]).toMatch(/drift proof: expected exactly aws_s3_bucket_versioning.v/);
  });

  it("asserts that prevent_destroy refuses the destroy of exactly the protected resources", () => {
    const refusal = (events: TestEvents) => {
      events.leftInState.push("aws_s3_bucket.state", "aws_dynamodb_table.locks");
      events.diagnostics.push({
        run: "apply",
        severity: "error",
        summary: "Instance cannot be destroyed",
        detail:
          "Resource aws_s3_bucket.state has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed.",
      });
    };
    const destroy = {
      kind: "prevent_destroy",
      protectedAddresses: ["aws_s3_bucket.state"],
    } as const;
    expect(evaluate({ ...base, events: applied(refusal), destroy }).destroy).toBe(
      "refused by prevent_destroy (aws_s3_bucket.state)",
    );
    const destroyed = evaluate({ ...base, events: applied(), destroy });
    expect(destroyed.failures[0]).toMatch(/expected prevent_destroy to refuse/);
  });

  it("asserts that deletion protection keeps exactly the DB instance and what it depends on", () => {
    const closure = dependencyClosure(
      state.root_module.child_modules[0]!.resources,
      "module.rds.aws_db_instance.db",
    );
    expect([...closure].sort()).toEqual([
      "module.network.aws_subnet.data[0]",
      "module.network.aws_subnet.data[1]",
      "module.network.aws_vpc.vpc",
      "module.rds.aws_db_instance.db",
      "module.rds.aws_db_subnet_group.g",
    ]);
    const kept = (extra: string[]) => (events: TestEvents) => {
      events.leftInState.push(...closure, ...extra);
      events.diagnostics.push({
        run: "apply",
        severity: "error",
        summary: "deleting RDS DB Instance (db)",
        detail: "InvalidParameterCombination: Cannot delete protected DB Instance",
      });
    };
    const destroy = { kind: "deletion_protection", dbType: "aws_db_instance" } as const;
    expect(evaluate({ ...base, events: applied(kept([])), destroy }).failures).toEqual([]);
    expect(
      evaluate({ ...base, events: applied(kept(["module.network.aws_eip.nat[0]"])), destroy })
        .failures[0],
    ).toMatch(/keep exactly/);
  });

  it("names the type of a call the emulator lacks and retries only lost responses", () => {
    const failed = (detail: string) => {
      const events = emptyEvents();
      events.runs.set("apply", { status: "error" });
      events.diagnostics.push({
        run: "apply",
        severity: "error",
        summary: "creating CodeBuild Project",
        detail,
        code: 'resource "aws_codebuild_project" "runner" {',
        file: "../../modules/ci/main.tf",
        line: 3,
      });
      return evaluate({ ...base, events, replan: undefined, destroy: { kind: "destroyed" } });
    };
    const gap = failed(
      "operation error CodeBuild: CreateProject, api error InvalidAction: not yet implemented",
    );
    expect(gap.failures[1]).toMatch(
      /^aws_codebuild_project \(..\/..\/modules\/ci\/main.tf:3\): the emulator lacks this API.*gaps\.ts/,
    );
    expect(gap.transient).toBe(false);
    expect(failed("InvalidGroup.Duplicate: the security group already exists").transient).toBe(
      true,
    );
  });
});
