import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { Stack } from "./stack.ts";
import { AwsContext, EncryptionKey } from "./kms.ts";
import type { StackJson } from "../test/synth.ts";

/** One key (counted or not) in a stack of its own, as Terraform JSON. */
function synthKey(count?: number): StackJson {
  const stack = new Stack(Testing.app(), "kms-test");
  const context = new AwsContext(stack);
  const key = new EncryptionKey(stack, "key", {
    context,
    alias: "expense-dev-test",
    description: "Test key",
    count,
  });
  stack.addOverride("output.arn.value", key.arn);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

describe("EncryptionKey", () => {
  it("is one uncounted key, policy and alias by default", () => {
    const json = synthKey();
    const key = json.resource!.aws_kms_key!.key!;
    expect(key).not.toHaveProperty("count");
    expect(key.policy).toBe("${data.aws_iam_policy_document.key_policy.json}");
    expect(key.enable_key_rotation).toBe(true);
    expect(json.resource!.aws_kms_alias!.key_alias!.target_key_id).toBe(
      "${aws_kms_key.key.key_id}",
    );
    expect(json.output!.arn!.value).toBe("${aws_kms_key.key.arn}");
  });

  it("counts the key, its policy and alias together, at the same addresses, when given a count", () => {
    const json = synthKey(0);
    const key = json.resource!.aws_kms_key!.key!;
    expect(key.count).toBe(0);
    expect(key.policy).toBe("${data.aws_iam_policy_document.key_policy[0].json}");
    expect(json.data!.aws_iam_policy_document!.key_policy!.count).toBe(0);
    expect(json.resource!.aws_kms_alias!.key_alias).toMatchObject({
      count: 0,
      target_key_id: "${aws_kms_key.key[0].key_id}",
    });
    expect(json.output!.arn!.value).toBe("${aws_kms_key.key[0].arn}");
  });
});
