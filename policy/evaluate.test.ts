import { describe, expect, it } from "vitest";
import { evaluate, formatReport } from "./evaluate.ts";
import { rootStack } from "./fixtures.ts";

const stacks = {
  bootstrap: rootStack({
    aws_kms_key: { legacy: { enable_key_rotation: false }, fine: { enable_key_rotation: true } },
  }),
};

describe("exceptions", () => {
  it("waives matching violations and prints them with their reason", () => {
    const report = evaluate(stacks, [
      {
        rule: "KMS-ROTATION",
        address: "bootstrap.aws_kms_key.leg*",
        reason: "imported key, rotation managed elsewhere",
      },
    ]);
    expect(report.violations).toEqual([]);
    expect(report.applied).toHaveLength(1);
    const text = formatReport(report);
    expect(text).toContain(
      "KMS-ROTATION bootstrap.aws_kms_key.leg* (1 waived): imported key, rotation managed elsewhere",
    );
    expect(text).toContain("0 violations");
  });

  it("does not waive another rule's violation and reports the stale exception", () => {
    const report = evaluate(stacks, [
      { rule: "ENC-S3", address: "bootstrap.aws_kms_key.legacy", reason: "wrong rule" },
    ]);
    expect(report.violations.map((v) => v.rule)).toEqual(["KMS-ROTATION", "GATE-STALE-EXCEPTION"]);
    expect(report.stale).toHaveLength(1);
    const text = formatReport(report);
    expect(text).toContain(
      "KMS-ROTATION bootstrap bootstrap.aws_kms_key.legacy — expected enable_key_rotation = true; found enable_key_rotation is false",
    );
    expect(text).toContain(
      "stale exceptions: 1\n  ENC-S3 bootstrap.aws_kms_key.legacy: matches nothing",
    );
  });
});
