import { statementsOf, type Statement } from "../policy-document.ts";
import type { Resource, Rule } from "../types.ts";
import { blocks, Findings, isTrue, referenced, show, stringList } from "../values.ts";

const GITHUB = "token.actions.githubusercontent.com";
// One repository: `repo:<owner>/<name>` then an optional `:<qualifier>`; no wildcard before that.
const SUBJECT = /^repo:([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)(:.+)?$/;
// The AWS managed policy that is "*" on "*".
const ADMIN_POLICY = /:policy\/AdministratorAccess$/;

/** Whether a trust statement lets GitHub's OIDC issuer in. */
function trustsGithub(s: Statement, role: Resource): boolean {
  const federated = s.principals.flatMap((p) => p.identifiers);
  return (
    federated.some((id) => {
      if (typeof id !== "string") return false;
      if (id.includes(GITHUB)) return true;
      const provider = referenced(id, role);
      return (
        provider?.type === "aws_iam_openid_connect_provider" &&
        String(provider.body.url).includes(GITHUB)
      );
    }) || s.conditions.some((c) => String(c.variable).startsWith(`${GITHUB}:`))
  );
}

function githubTrust(role: Resource): string[] {
  const policy = role.body.assume_role_policy;
  const statements = statementsOf(policy, role);
  if (statements === "unknown") {
    // Only a role that visibly mentions GitHub needs proof; other roles are out of scope.
    return JSON.stringify(policy ?? "").includes(GITHUB)
      ? [`cannot prove the trust policy (${show(policy)})`]
      : [];
  }
  const f = new Findings();
  for (const s of statements.filter((st) => st.effect === "Allow" && trustsGithub(st, role))) {
    const sub = s.conditions.filter(
      (c) =>
        c.variable === `${GITHUB}:sub` && (c.test === "StringEquals" || c.test === "StringLike"),
    );
    if (sub.length === 0) f.add(`no StringEquals/StringLike condition on ${GITHUB}:sub`);
    const repositories = new Set<string>();
    for (const c of sub) {
      const values = stringList(c.values);
      if (values === "unknown") {
        f.add(`cannot prove the :sub values (${show(c.values)})`);
        continue;
      }
      for (const v of values) {
        const m = SUBJECT.exec(v);
        if (!m) f.add(`:sub ${JSON.stringify(v)} is not scoped to one repository`);
        else repositories.add(m[1]!);
      }
    }
    if (repositories.size > 1) f.add(`:sub spans ${[...repositories].join(", ")}`);
    const aud = s.conditions.find(
      (c) => c.variable === `${GITHUB}:aud` && c.test === "StringEquals",
    );
    if (!aud || JSON.stringify(aud.values) !== JSON.stringify(["sts.amazonaws.com"]))
      f.add(
        `:aud is ${aud ? show(aud.values) : "unconditioned"}, not StringEquals sts.amazonaws.com`,
      );
  }
  return f.problems;
}

/** Identity policies attached by a resource: inline documents and managed policy ARNs. */
function adminGrants(r: Resource): string[] {
  const documents: unknown[] = [];
  const arns: unknown[] = [];
  if (r.type === "aws_iam_role") {
    documents.push(...blocks(r.body.inline_policy).map((p) => p.policy));
    const managed = r.body.managed_policy_arns;
    arns.push(...(Array.isArray(managed) ? managed : managed === undefined ? [] : [managed]));
  } else if (r.type.endsWith("_attachment")) {
    arns.push(r.body.policy_arn);
  } else {
    documents.push(r.body.policy);
  }
  const f = new Findings();
  for (const arn of arns)
    if (typeof arn === "string" && ADMIN_POLICY.test(arn)) f.add(`attaches ${arn}`);
  for (const doc of documents) {
    const statements = statementsOf(doc, r);
    if (statements === "unknown") {
      f.add(`cannot prove the policy (${show(doc)})`);
      continue;
    }
    for (const s of statements) {
      if (s.effect === "Allow" && s.actions.includes("*") && s.resources.includes("*"))
        f.add("a statement allows Action * on Resource *");
    }
  }
  return f.problems;
}

/** Keys and identities. */
export const iamRules: Rule[] = [
  {
    id: "KMS-ROTATION",
    title: "Symmetric KMS keys rotate yearly",
    types: ["aws_kms_key"],
    expected: "enable_key_rotation = true",
    check: (r) => {
      const spec = r.body.customer_master_key_spec ?? r.body.key_spec;
      // AWS only rotates symmetric encryption keys; asymmetric and HMAC keys cannot rotate.
      if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return [];
      return new Findings().require(
        isTrue(r.body.enable_key_rotation),
        "enable_key_rotation",
        r.body.enable_key_rotation,
      ).problems;
    },
  },
  {
    id: "IAM-GITHUB-TRUST",
    title: "Roles trusted by GitHub Actions are scoped to one repository and to STS",
    types: ["aws_iam_role"],
    expected: `StringEquals/StringLike on ${GITHUB}:sub = repo:<owner>/<name>[:...] (one repository, no wildcard) and StringEquals ${GITHUB}:aud = sts.amazonaws.com`,
    check: githubTrust,
  },
  {
    id: "IAM-NO-ADMIN",
    title: 'No identity policy allows Action "*" on Resource "*"',
    types: [
      "aws_iam_policy",
      "aws_iam_role_policy",
      "aws_iam_user_policy",
      "aws_iam_group_policy",
      "aws_iam_role",
      "aws_iam_role_policy_attachment",
      "aws_iam_user_policy_attachment",
      "aws_iam_group_policy_attachment",
      "aws_iam_policy_attachment",
    ],
    expected:
      'no Allow statement with Action "*" and Resource "*" (nor the AdministratorAccess managed policy attached)',
    check: adminGrants,
  },
];
