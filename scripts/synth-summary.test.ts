import { describe, expect, it } from "vitest";
import { diffTree, summaryLines } from "./synth-summary.ts";

describe("synth summary", () => {
  it("sorts files into added, changed and removed by content", () => {
    const before = new Map([
      ["a.tf", "same"],
      ["b.tf", "old"],
      ["gone.tf", "x"],
    ]);
    const after = new Map([
      ["a.tf", "same"],
      ["b.tf", "new"],
      ["c.tf", "fresh"],
    ]);
    expect(diffTree(before, after)).toEqual({
      added: ["c.tf"],
      changed: ["b.tf"],
      removed: ["gone.tf"],
    });
  });

  it("names the stacks, the changes and the next command per root", () => {
    const lines = summaryLines(
      ["network", "dev"],
      { added: ["envs/dev/main.tf"], changed: [], removed: ["envs/old/main.tf"] },
      [{ dir: "terraform/envs/dev", appliedBy: "the dev CI apply role" }],
    );
    expect(lines).toEqual([
      "synth: 2 stacks written to cdktf.out/ (network, dev)",
      "terraform/: 1 added, 0 changed, 1 removed",
      "  + terraform/envs/dev/main.tf",
      "  - terraform/envs/old/main.tf",
      "next, in order (review the plan before any apply):",
      "  cd terraform/envs/dev && terraform init && terraform plan    # applied by the dev CI apply role",
    ]);
  });

  it("says up to date when nothing changed and counts long lists", () => {
    expect(summaryLines([], { added: [], changed: [], removed: [] }, [])[1]).toBe(
      "terraform/: up to date (no file added, changed or removed)",
    );
    const many = Array.from({ length: 10 }, (_, i) => `f${i}.tf`);
    const lines = summaryLines(["x"], { added: [], changed: many, removed: [] }, []);
    expect(lines.filter((l) => l.startsWith("  ~ terraform/"))).toHaveLength(8);
    expect(lines).toContain("  ~ ... and 2 more");
  });
});
