import { describe, expect, it } from "vitest";
import { account } from "../envs/account.ts";
import { allows, stringLike, type PolicyStatement } from "../test/iam-conditions.ts";
import { synthAll, type StackJson } from "../test/synth.ts";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { planStatements, readActions } from "./ci-policies.ts";
import { CI_WORKFLOWS, mainPlanSubject, subjectOf, type JobClaims } from "./github-claims.ts";
import { TERRAFORM_ACTIONS } from "./terraform-actions.ts";
import { apiCalls, awsCommands, type CallingStep, type CallResource } from "./workflow-calls.ts";

const synthesized = synthAll();
const { assembly } = synthesized;
const bootstrap = synthesized.stackJson("bootstrap");
const documents = (bootstrap.data?.aws_iam_policy_document ?? {}) as Record<
  string,
  { statement: (PolicyStatement & { sid?: string; resources?: string[] })[] }
>;
const ENVS = assembly.environments.map((e) => e.config.environment);
const REPO = account.githubRepository;
const ISSUER = "token.actions.githubusercontent.com";

/** The trust statements of a role, with the repository variable at its default. */
function trustOf(role: string): PolicyStatement[] {
  const text = JSON.stringify(documents[`github_${role}_trust`]!.statement).replaceAll(
    "${var.github_repository}",
    REPO,
  );
  return JSON.parse(text) as PolicyStatement[];
}

/** Which roles a job with `claims` may assume. */
function assumable(claims: JobClaims, audience = "sts.amazonaws.com"): string[] {
  const context = { [`${ISSUER}:sub`]: subjectOf(claims), [`${ISSUER}:aud`]: audience };
  const roles = [
    "plan",
    ...ENVS.flatMap((e) => [`apply_${e}`, `deploy_${e}`, `platform_plan_${e}`]),
  ];
  return roles.filter((r) => allows(trustOf(r), "sts:AssumeRoleWithWebIdentity", context));
}

const workflow = (file: string, ref: string, repo = REPO) =>
  `${repo}/.github/workflows/${file}@${ref}`;
const MAIN = "refs/heads/main";
const PR = "refs/pull/42/merge";

describe("trust policies against GitHub OIDC claims", () => {
  const cases: [string, JobClaims, string[]][] = [
    [
      "pull request, plan workflow",
      {
        repository: REPO,
        event: "pull_request",
        ref: PR,
        jobWorkflowRef: workflow("terraform.yml", PR),
      },
      ["plan"],
    ],
    [
      "pull request job that names environment dev",
      {
        repository: REPO,
        event: "pull_request",
        ref: PR,
        environment: "dev",
        jobWorkflowRef: workflow("terraform.yml", PR),
      },
      [],
    ],
    [
      "push to a feature branch, plan workflow",
      {
        repository: REPO,
        event: "push",
        ref: "refs/heads/feature",
        jobWorkflowRef: workflow("terraform.yml", "refs/heads/feature"),
      },
      [],
    ],
    [
      "push to main, plan job (no environment)",
      {
        repository: REPO,
        event: "push",
        ref: MAIN,
        jobWorkflowRef: workflow("terraform.yml", MAIN),
      },
      // The platform-plan job on main assumes its environment's platform-plan role.
      ["plan", ...ENVS.map((e) => `platform_plan_${e}`)],
    ],
    ...ENVS.flatMap((env): [string, JobClaims, string[]][] => [
      [
        `main, terraform workflow, environment ${env}`,
        {
          repository: REPO,
          event: "push",
          ref: MAIN,
          environment: env,
          jobWorkflowRef: workflow(CI_WORKFLOWS.apply, MAIN),
        },
        [`apply_${env}`],
      ],
      [
        `main, api workflow, environment ${env}`,
        {
          repository: REPO,
          event: "push",
          ref: MAIN,
          environment: env,
          jobWorkflowRef: workflow(CI_WORKFLOWS.deploy, MAIN),
        },
        [`deploy_${env}`],
      ],
      [
        `feature branch, terraform workflow, environment ${env}`,
        {
          repository: REPO,
          event: "push",
          ref: "refs/heads/feature",
          environment: env,
          jobWorkflowRef: workflow(CI_WORKFLOWS.apply, "refs/heads/feature"),
        },
        [],
      ],
    ]),
    [
      "feature branch calling main's terraform workflow, environment dev",
      {
        repository: REPO,
        event: "push",
        ref: "refs/heads/feature",
        environment: "dev",
        jobWorkflowRef: workflow(CI_WORKFLOWS.apply, MAIN),
      },
      [],
    ],
    [
      "another workflow on main, environment dev",
      {
        repository: REPO,
        event: "push",
        ref: MAIN,
        environment: "dev",
        jobWorkflowRef: workflow("other.yml", MAIN),
      },
      [],
    ],
    [
      "another workflow in a pull request",
      {
        repository: REPO,
        event: "pull_request",
        ref: PR,
        jobWorkflowRef: workflow("other.yml", PR),
      },
      [],
    ],
    [
      "another repository, main, environment dev",
      {
        repository: "someone-else/expense-platform",
        event: "push",
        ref: MAIN,
        environment: "dev",
        jobWorkflowRef: workflow(CI_WORKFLOWS.apply, MAIN, "someone-else/expense-platform"),
      },
      [],
    ],
    [
      "another repository's reusable workflow called from main, environment dev",
      {
        repository: REPO,
        event: "push",
        ref: MAIN,
        environment: "dev",
        jobWorkflowRef: workflow(CI_WORKFLOWS.apply, MAIN, "someone-else/workflows"),
      },
      [],
    ],
    [
      "another repository, pull request",
      {
        repository: "someone-else/expense-platform",
        event: "pull_request",
        ref: PR,
        jobWorkflowRef: workflow("terraform.yml", PR, "someone-else/expense-platform"),
      },
      [],
    ],
  ];

  it.each(cases)("%s may assume exactly %j", (_, claims, expected) => {
    expect(assumable(claims)).toEqual(expected.length === 0 ? [] : expected);
  });

  it("refuses tokens minted for another audience", () => {
    const claims = {
      repository: REPO,
      event: "push",
      ref: MAIN,
      environment: "dev",
      jobWorkflowRef: workflow(CI_WORKFLOWS.apply, MAIN),
    };
    expect(assumable(claims, "https://github.com/example-org")).toEqual([]);
  });

  it("evaluates StringLike like IAM: * spans any characters, the rest is literal", () => {
    expect(stringLike("refs/pull/*/merge", "refs/pull/7/merge")).toBe(true);
    expect(stringLike("a.b", "axb")).toBe(false);
    expect(stringLike("a?c", "abc")).toBe(true);
    expect(stringLike("abc", "ABC")).toBe(false);
  });
});

/** Resource and data types of a stack's JSON (`aws_vpc`, `data.aws_region`). */
function typesOf(json: StackJson): string[] {
  return [
    ...Object.keys(json.resource ?? {}),
    ...Object.keys(json.data ?? {}).map((t) => `data.${t}`),
  ];
}

/** Statements of one of the bootstrap's policy documents. */
const statementsOf = (name: string) => documents[name]!.statement;

describe("apply policies derived from the synthesized stacks", () => {
  const stackIds = [
    "bootstrap",
    ...assembly.modules.map((m) => m.definition.name),
    ...ENVS,
    ...ENVS.map((e) => `${e}-platform`),
  ];

  it("has a table entry for every resource and data type of every stack", () => {
    const missing = stackIds.flatMap((id) =>
      typesOf(synthesized.stackJson(id))
        .filter((t) => !(t in TERRAFORM_ACTIONS))
        .map((t) => `${id}: ${t}`),
    );
    expect(missing).toEqual([]);
  });

  it("grants each environment exactly the table's actions for the types its stacks use", () => {
    const modules = new Map(assembly.modules.map((m) => [m.definition.name, m.definition.name]));
    for (const env of ENVS) {
      const envJson = synthesized.stackJson(env);
      const called = Object.values(envJson.module ?? {}).map((m) =>
        String(m.source).replace(/^.*\//, ""),
      );
      const types = new Set([
        ...typesOf(envJson),
        ...typesOf(synthesized.stackJson(`${env}-platform`)),
        ...called.filter((m) => modules.has(m)).flatMap((m) => typesOf(synthesized.stackJson(m))),
      ]);
      const entries = [...types].map((t) => TERRAFORM_ACTIONS[t]!);
      const allowed = new Set(
        entries.flatMap((e) => [
          ...e.read,
          ...(e.write ?? []),
          ...Object.values(e.iam ?? {}).flat(),
        ]),
      );
      const statements = statementsOf(`github_apply_${env}_policy_document`);
      const state = new Set(["ListState", "ReadState", "LockFile", "LockTable", "StateKey"]);
      const granted = statements.filter((s) => !state.has(s.sid!)).flatMap((s) => s.actions ?? []);
      expect(
        granted.filter((a) => !allowed.has(a)),
        env,
      ).toEqual([]);
      // And nothing the table lists for these types is missing.
      expect(
        [...allowed].filter((a) => !granted.includes(a)),
        env,
      ).toEqual([]);
      expect(granted).not.toContain("secretsmanager:GetSecretValue");
    }
  });

  it("has every module that creates roles called with the environment's boundary", () => {
    for (const env of ENVS) {
      for (const [name, call] of Object.entries(synthesized.stackJson(env).module ?? {})) {
        const module = String(call.source).replace(/^.*\//, "");
        const roles = synthesized.stackJson(module).resource?.aws_iam_role;
        if (!roles) continue;
        expect(call.permissions_boundary_arn, `${env}.${name}`).toBe(
          `arn:\${data.aws_partition.context_partition.partition}:iam::\${data.aws_caller_identity.context_caller.account_id}:policy/${account.project}-${env}-permissions-boundary`,
        );
      }
    }
  });

  it("grants no wildcard service, and IAM writes only bounded, scoped or conditioned", () => {
    for (const env of ENVS) {
      for (const s of statementsOf(`github_apply_${env}_policy_document`)) {
        for (const action of s.actions ?? []) {
          expect(action, `${env} ${s.sid}`).not.toMatch(/^\*|:\*$/);
          if (!action.startsWith("iam:") || s.sid === "Describe") continue;
          const conditions = (s.condition ?? []).map((c) => c.variable);
          if (s.sid === "RolesWithinBoundary") {
            expect(s.condition).toEqual([
              {
                test: "StringEquals",
                variable: "iam:PermissionsBoundary",
                values: [`\${aws_iam_policy.github_boundary_${env}.arn}`],
              },
            ]);
          } else if (s.sid === "OwnIamObjects") {
            for (const r of s.resources ?? [])
              expect(r, action).toMatch(
                new RegExp(`(/\\$\\{var\\.project\\}-${env}-\\*|oidc-provider/oidc\\.eks\\.\\*)$`),
              );
          } else {
            expect(conditions, `${env} ${action}`).toEqual(
              expect.arrayContaining([
                expect.stringMatching(/^iam:(PassedToService|AWSServiceName)$/),
              ]),
            );
          }
        }
      }
    }
  });

  it("puts role creation and role policies behind the boundary only", () => {
    const boundaryOnly = [
      "iam:CreateRole",
      "iam:PutRolePolicy",
      "iam:AttachRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
    ];
    for (const env of ENVS)
      for (const s of statementsOf(`github_apply_${env}_policy_document`))
        for (const action of boundaryOnly)
          if ((s.actions ?? []).includes(action)) expect(s.sid, action).toBe("RolesWithinBoundary");
    // Removing a boundary would let a role escape it.
    expect(JSON.stringify(documents)).not.toContain("iam:DeleteRolePermissionsBoundary");
  });

  it("gives the plan role only the table's read actions: no writes, no secret reads", () => {
    const reads = new Set(readActions(Object.keys(TERRAFORM_ACTIONS)));
    const statements = statementsOf("github_plan_policy_document");
    const state = statements.filter((s) =>
      ["ListState", "ReadState", "LockFile", "LockTable", "StateKey"].includes(s.sid!),
    );
    const rest = statements.filter((s) => !state.includes(s));
    for (const action of rest.flatMap((s) => s.actions ?? []))
      expect(reads.has(action), action).toBe(true);
    expect(JSON.stringify(statements)).not.toMatch(
      /GetSecretValue|secretsmanager:\*|ssm:GetParameters?ByPath/,
    );
    expect(state.find((s) => s.sid === "ReadState")!.actions).toEqual(["s3:GetObject"]);
    expect(state.find((s) => s.sid === "LockFile")!.resources).toEqual([
      "${aws_s3_bucket.state_bucket.arn}/envs/*.tflock",
    ]);
  });

  it("lets each apply role reach only its own environment's state", () => {
    for (const env of ENVS) {
      const read = statementsOf(`github_apply_${env}_policy_document`).find(
        (s) => s.sid === "ReadState",
      )!;
      expect(read.resources).toEqual([
        `\${aws_s3_bucket.state_bucket.arn}/envs/${env}/*`,
        `\${aws_s3_bucket.state_bucket.arn}/envs/${env}-platform/*`,
      ]);
    }
  });

  it("keeps the boundary free of IAM writes and of non-RDS secrets", () => {
    for (const env of ENVS) {
      const boundary = statementsOf(`github_boundary_${env}_document`);
      const actions = boundary.flatMap((s) => s.actions ?? []);
      expect(actions.filter((a) => a.startsWith("iam:")).sort()).toEqual([
        "iam:CreateServiceLinkedRole",
        "iam:GetServerCertificate",
        "iam:ListServerCertificates",
      ]);
      expect(actions).not.toContain("*");
      const secrets = boundary.find((s) => s.sid === "RdsManagedSecretsOnly")!;
      expect(secrets.resources![0]).toMatch(/:secret:rds!\*$/);
    }
  });

  it("fits IAM's inline policy limit (10,240 characters) with real ARNs", () => {
    for (const env of ENVS) {
      const text = JSON.stringify({
        Version: "2012-10-17",
        Statement: statementsOf(`github_apply_${env}_policy_document`).map((s) => ({
          Sid: s.sid,
          Effect: "Allow",
          Action: s.actions,
          Resource: s.resources,
          Condition: s.condition,
        })),
      }).replaceAll(
        /\$\{[^}]*\}/g,
        "arn:aws:iam::123456789012:policy/expense-production-permissions-boundary",
      );
      expect(text.length, env).toBeLessThan(10_240);
    }
  });
});

describe("deploy roles allow every AWS call api.yml makes, and nothing else", () => {
  const api = parse(readFileSync(".github/workflows/api.yml", "utf8")) as {
    jobs: Record<string, { steps: CallingStep[] }>;
  };
  const ACCOUNT = "123456789012";
  /** A policy document with its tokens resolved to a concrete account and the default project. */
  const resolved = (name: string) =>
    JSON.parse(
      JSON.stringify(statementsOf(name))
        .replaceAll("${data.aws_partition.context_partition.partition}", "aws")
        .replaceAll("${data.aws_caller_identity.context_caller.account_id}", ACCOUNT)
        .replaceAll("${var.project}", "expense")
        .replaceAll(
          "${aws_ecr_repository.images_repository.arn}",
          `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/expense-api`,
        ),
    ) as { sid?: string; actions?: string[]; resources?: string[] }[];
  /** IAM evaluation of an identity policy without conditions: some Allow names action and resource. */
  const allowed = (
    statements: ReturnType<typeof resolved>,
    action: string,
    resource: string,
  ): boolean =>
    statements.some(
      (s) =>
        (s.actions ?? []).some((a) => stringLike(a, action)) &&
        (s.resources ?? []).some((r) => stringLike(r, resource)),
    );

  it("derives the calls from the workflow: login, buildx push, digest lookup, promotion retag, kubeconfig", () => {
    const calls = [...apiCalls(api.jobs.image!.steps), ...apiCalls(api.jobs.deploy!.steps)];
    expect(new Set(calls.map((c) => c.action))).toEqual(
      new Set([
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
        "ecr:BatchGetImage",
        "ecr:DescribeImages",
        "eks:DescribeCluster",
      ]),
    );
    expect(() => apiCalls([{ name: "x", run: "aws ecr delete-repository --force" }])).toThrow(
      /aws ecr delete-repository.*CLI_ACTIONS/,
    );
    expect(
      awsCommands('d="$(aws ecr describe-images \\\n --x y)"\naws sts get-caller-identity'),
    ).toEqual(["ecr describe-images", "sts get-caller-identity"]);
  });

  it.each(ENVS)(
    "%s: each call is allowed on its resource; the policy grants no unused action",
    (env) => {
      const region = assembly.environments.find((e) => e.config.environment === env)!.config.region;
      const resources: Record<CallResource, string> = {
        "*": "*",
        repository: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/expense-api`,
        // api.yml: aws eks update-kubeconfig --name "expense-${ENVIRONMENT}-eks"
        cluster: `arn:aws:eks:${region}:${ACCOUNT}:cluster/expense-${env}-eks`,
      };
      const policy = resolved(`github_deploy_${env}_policy_document`);
      const calls = [...apiCalls(api.jobs.image!.steps), ...apiCalls(api.jobs.deploy!.steps)];
      for (const call of calls)
        expect(
          allowed(policy, call.action, resources[call.resource]),
          `${call.step}: ${call.action}`,
        ).toBe(true);
      // Least privilege: every granted action is one the workflow calls.
      const used = new Set(calls.map((c) => c.action));
      expect(policy.flatMap((s) => s.actions ?? []).filter((a) => !used.has(a))).toEqual([]);
      // ...and only on its resource: not another repository, not another environment's cluster.
      expect(
        allowed(policy, "ecr:PutImage", `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/other`),
      ).toBe(false);
      const other = ENVS.find((e) => e !== env)!;
      expect(
        allowed(policy, "eks:DescribeCluster", resources.cluster.replace(`-${env}-`, `-${other}-`)),
      ).toBe(false);
    },
  );
});

describe("the plan role and the clusters (PR-assumable, so no Kubernetes read)", () => {
  it("may describe every cluster, and no cluster has an access entry for it", () => {
    const plan = statementsOf("github_plan_policy_document") as {
      actions?: string[];
      resources?: string[];
    }[];
    for (const env of ENVS)
      expect(
        plan.some(
          (s) =>
            (s.actions ?? []).some((a) => stringLike(a, "eks:DescribeCluster")) &&
            (s.resources ?? []).some((r) =>
              stringLike(r, `arn:aws:eks:eu-west-1:123456789012:cluster/expense-${env}-eks`),
            ),
        ),
        env,
      ).toBe(true);
    // Pull requests can change terraform.yml and so run anything as the plan role. Reading the
    // helm releases needs `list secrets` in their namespaces, i.e. every Secret there: the plan
    // role gets no access entry; the main-only platform-plan roles refresh (docs/ci.md).
    for (const id of ENVS.flatMap((e) => [e, `${e}-platform`])) {
      const json = JSON.stringify(synthesized.stackJson(id));
      expect(json, id).not.toMatch(/github-plan/);
    }
  });
});

describe("platform-plan roles: main only, read only, their own environment only", () => {
  const roles = (bootstrap.resource?.aws_iam_role ?? {}) as Record<string, { name: string }>;

  it.each(ENVS)(
    "%s: trusted for exactly the plan workflow's main subject, no pull request",
    (env) => {
      const trust = trustOf(`platform_plan_${env}`);
      expect(trust).toHaveLength(1);
      const sub = trust[0]!.condition!.find((c) => c.variable === `${ISSUER}:sub`)!;
      expect(sub.test).toBe("StringEquals");
      expect(sub.values).toEqual([mainPlanSubject(REPO)]);
      expect(JSON.stringify(trust)).not.toMatch(/pull_request|refs\/pull|\*/);
      expect(roles[`github_platform_plan_${env}`]!.name).toBe(
        `\${var.project}-${env}-github-platform-plan`,
      );
    },
  );

  it.each(ENVS)(
    "%s: reads its <env> and <env>-platform state, locks only the platform state, writes nothing",
    (env) => {
      const statements = statementsOf(`github_platform_plan_${env}_policy_document`);
      const sid = (id: string) => statements.find((s) => s.sid === id)!;
      expect(sid("ReadState").actions).toEqual(["s3:GetObject"]);
      expect(sid("ReadState").resources).toEqual([
        `\${aws_s3_bucket.state_bucket.arn}/envs/${env}/*`,
        `\${aws_s3_bucket.state_bucket.arn}/envs/${env}-platform/*`,
      ]);
      expect(sid("LockFile").resources).toEqual([
        `\${aws_s3_bucket.state_bucket.arn}/envs/${env}-platform/*.tflock`,
      ]);
      expect(sid("LockTable").resources).toEqual(["${aws_dynamodb_table.state_lock_table.arn}"]);
      // Beyond state: exactly the read actions of the <env>-platform root's own types, derived
      // like the plan role's (today none: the root reads AWS only through the <env> state).
      const platformTypes = typesOf(synthesized.stackJson(`${env}-platform`));
      const derived = planStatements(platformTypes, { publicParameterArnPrefix: "x" }).flatMap(
        (s) => s.actions ?? [],
      );
      const state = new Set(["ListState", "ReadState", "LockFile", "LockTable", "StateKey"]);
      expect(statements.filter((s) => !state.has(s.sid!)).flatMap((s) => s.actions ?? [])).toEqual(
        derived,
      );
      // Writes only lock files: no state object can change or disappear.
      for (const st of statements)
        if ((st.actions ?? []).some((a) => /^s3:(Put|Delete)Object$/.test(a)))
          for (const r of st.resources ?? []) expect(r, env).toMatch(/\.tflock$/);
      expect(JSON.stringify(statements)).not.toContain("GetSecretValue");
    },
  );

  it("needs no AWS permission for what the platform plan job and the providers call", () => {
    const terraformYml = parse(readFileSync(".github/workflows/terraform.yml", "utf8")) as {
      jobs: Record<string, { steps: CallingStep[] }>;
    };
    expect(apiCalls(terraformYml.jobs["platform-plan"]!.steps)).toEqual([]);
    // The kubernetes and helm providers authenticate with `aws eks get-token` (a presigned
    // GetCallerIdentity, no IAM action); the endpoint comes from the <env> state, so no
    // eks:DescribeCluster either.
    const providers = JSON.stringify(synthesized.stackJson("dev-platform").provider);
    const commands = [...providers.matchAll(/"args":\["(\w+)","([\w-]+)"/g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(commands).toEqual(["eks get-token", "eks get-token"]);
    expect(
      apiCalls([{ name: "providers", run: commands.map((c) => `aws ${c}`).join("\n") }]),
    ).toEqual([]);
  });

  it("every role with an EKS access entry in an environment is trusted for no pull request", () => {
    const byName = new Map(
      Object.entries(roles).map(([id, r]) => [r.name.replace("${var.project}", "expense"), id]),
    );
    for (const env of ENVS) {
      const eks = synthesized.stackJson(env).module!.eks as Record<string, unknown>;
      const principals = [
        eks.deploy_role_arn,
        eks.platform_plan_role_arn,
        ...JSON.stringify(eks.admin_role_arns).matchAll(/role\/([\w${}.-]+)/g),
      ]
        .map((p) => (Array.isArray(p) ? `role/${p[1]}` : String(p)))
        .map((arn) => arn.replace(/^.*role\//, "").replaceAll("${var.environment}", env));
      expect(principals).toContain(`expense-${env}-github-platform-plan`);
      for (const name of principals) {
        const id = byName.get(name);
        if (!id) continue; // a person's role named in account.clusterAdminRoleArns
        const trust = trustOf(id.replace(/^github_/, ""));
        expect(JSON.stringify(trust), `${env}: ${name}`).not.toMatch(/pull_request/);
      }
    }
  });
});
