/**
 * The part of IAM's policy evaluation the CI roles' trust policies use: an Allow statement for
 * `sts:AssumeRoleWithWebIdentity` whose condition blocks must all hold, each block holding when
 * the request's value for its key matches ANY of its values (IAM's OR within a block, AND across
 * blocks), with the StringEquals (exact, case-sensitive) and StringLike (`*` any run of
 * characters, `?` one character, case-sensitive) operators.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 */

/** One condition block of an `aws_iam_policy_document` statement. */
export interface ConditionBlock {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** One statement of an `aws_iam_policy_document`, as synthesized. */
export interface PolicyStatement {
  readonly effect?: string;
  readonly actions?: readonly string[];
  readonly condition?: readonly ConditionBlock[];
}

/** StringLike: `*` and `?` wildcards, everything else literal. */
export function stringLike(pattern: string, value: string): boolean {
  const regex = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${regex}$`, "s").test(value);
}

function blockHolds(block: ConditionBlock, context: Readonly<Record<string, string>>): boolean {
  const value = context[block.variable];
  // A key absent from the request fails every operator but the ...IfExists ones (unused here).
  if (value === undefined) return false;
  switch (block.test) {
    case "StringEquals":
      return block.values.includes(value);
    case "StringLike":
      return block.values.some((pattern) => stringLike(pattern, value));
    default:
      throw new Error(`condition operator ${block.test} is not implemented by this evaluator`);
  }
}

/** Whether `statements` allow `action` for a request with condition keys `context`. */
export function allows(
  statements: readonly PolicyStatement[],
  action: string,
  context: Readonly<Record<string, string>>,
): boolean {
  const matching = statements.filter((s) => (s.actions ?? []).includes(action));
  if (
    matching.some(
      (s) => s.effect === "Deny" && (s.condition ?? []).every((b) => blockHolds(b, context)),
    )
  )
    return false;
  return matching.some(
    (s) =>
      (s.effect ?? "Allow") === "Allow" && (s.condition ?? []).every((b) => blockHolds(b, context)),
  );
}
