import { describe, expect, it } from "vitest";
import { describeChanges, planChanges, type PlanJson } from "./drift.ts";

const noop = (address: string, type: string) => ({
  address,
  type,
  mode: "managed",
  change: { actions: ["no-op"], before: { a: 1 }, after: { a: 1 }, after_unknown: {} },
});

describe("no-changes check", () => {
  it("finds nothing in a plan of no-ops and data reads", () => {
    const plan: PlanJson = {
      resource_changes: [
        noop("aws_vpc.vpc", "aws_vpc"),
        { ...noop("data.aws_region.r", "aws_region"), change: { actions: ["read"] } },
      ],
    };
    expect(planChanges(plan)).toEqual([]);
  });

  it("catches a drifting attribute and names it", () => {
    const plan: PlanJson = {
      resource_changes: [
        noop("aws_vpc.vpc", "aws_vpc"),
        {
          address: "aws_s3_bucket_versioning.v",
          type: "aws_s3_bucket_versioning",
          mode: "managed",
          change: {
            actions: ["update"],
            before: { bucket: "b", versioning_configuration: [{ status: "Suspended" }] },
            after: { bucket: "b", versioning_configuration: [{ status: "Enabled" }] },
            after_unknown: {},
          },
        },
      ],
    };
    const changes = planChanges(plan);
    expect(changes).toEqual([
      {
        address: "aws_s3_bucket_versioning.v",
        actions: ["update"],
        attributes: ["versioning_configuration"],
      },
    ]);
    expect(describeChanges(changes)).toBe(
      "update aws_s3_bucket_versioning.v (versioning_configuration)",
    );
  });

  it("reports a replacement with the paths that force it", () => {
    const plan: PlanJson = {
      resource_changes: [
        {
          address: "aws_eks_cluster.c",
          type: "aws_eks_cluster",
          mode: "managed",
          change: {
            actions: ["delete", "create"],
            before: { access_config: [], id: "c" },
            after: { access_config: [{ authentication_mode: "API" }] },
            after_unknown: { id: true },
            replace_paths: [["access_config"]],
          },
        },
      ],
    };
    expect(describeChanges(planChanges(plan))).toBe(
      "delete+create aws_eks_cluster.c (access_config, id) replaced for access_config",
    );
  });

  it("counts an attribute that becomes unknown as a change", () => {
    const plan: PlanJson = {
      resource_changes: [
        {
          address: "aws_eip.e",
          type: "aws_eip",
          mode: "managed",
          change: {
            actions: ["update"],
            before: { id: "x", tags: {} },
            after: { tags: {} },
            after_unknown: { id: true },
          },
        },
      ],
    };
    expect(planChanges(plan)[0]?.attributes).toEqual(["id"]);
  });
});
