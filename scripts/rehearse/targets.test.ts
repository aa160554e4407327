import { describe, expect, it } from "vitest";
import { existingIgnoreChanges, renderMaskOverride } from "./targets.ts";

const eks = `resource "aws_eks_node_group" "nodes_spot" {
  node_group_name_prefix = "spot-"
  lifecycle {
    ignore_changes = [
      scaling_config[0].desired_size,
    ]
  }
  count = 1
}

resource "aws_eks_cluster" "cluster" {
  name = "x"
}

resource "aws_iam_role" "role" {
  name = "r"
}
`;

describe("masks in the temporary copy", () => {
  it("reads a block's own ignore_changes, including indexed paths", () => {
    expect(existingIgnoreChanges(eks.split("resource")[1]!)).toEqual([
      "scaling_config[0].desired_size",
    ]);
    expect(existingIgnoreChanges("lifecycle {\n  ignore_changes = [ami, tags]\n}")).toEqual([
      "ami",
      "tags",
    ]);
    expect(existingIgnoreChanges("name = 1")).toEqual([]);
  });

  it("adds masked attributes to ignore_changes and keeps the module's own entries", () => {
    const text = renderMaskOverride(eks, [
      { type: "aws_eks_node_group", attributes: ["remote_access"], reason: "moto drops it" },
      { type: "aws_eks_cluster", attributes: ["access_config"], reason: "moto drops that" },
    ]);
    expect(text).toContain(
      [
        "# aws_eks_node_group: moto drops it",
        'resource "aws_eks_node_group" "nodes_spot" {',
        "  lifecycle {",
        "    ignore_changes = [scaling_config[0].desired_size, remote_access]",
        "  }",
        "}",
      ].join("\n"),
    );
    expect(text).toContain(
      'resource "aws_eks_cluster" "cluster" {\n  lifecycle {\n    ignore_changes = [access_config]',
    );
    expect(text).not.toContain("aws_iam_role");
  });

  it("writes nothing for a module without masked types", () => {
    expect(renderMaskOverride('resource "aws_vpc" "v" {\n}\n', [])).toBeUndefined();
  });
});
