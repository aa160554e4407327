/**
 * The GitHub Actions OIDC subject this repository's roles trust. IAM can match only `aud` and
 * `sub` of GitHub's tokens (it ignores other claims), so the repository's subject template is
 * customised to carry the ref and the workflow file too: `repo`, `context` (the environment,
 * `pull_request`, or the ref), `ref` and `job_workflow_ref`. Set once per repository with
 * {@link subjectTemplateCommand}; until then GitHub sends the default subject and no role matches.
 * @see https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-oidc-token
 */

/** Claim keys of the customised subject, in order. */
export const SUBJECT_CLAIM_KEYS = ["repo", "context", "ref", "job_workflow_ref"] as const;

/** The only branch whose workflows may apply or deploy. */
export const MAIN_REF = "refs/heads/main";

/**
 * Workflow files (under `.github/workflows/`) allowed to assume each kind of role. A workflow not
 * listed here gets no AWS access even on main.
 */
export const CI_WORKFLOWS = {
  plan: "terraform.yml",
  apply: "terraform.yml",
  deploy: "api.yml",
} as const;

/** The claims of one job's token that make up its subject. */
export interface JobClaims {
  /** `owner/name` */
  readonly repository: string;
  /** GitHub event name, e.g. `push`, `pull_request`. */
  readonly event: string;
  /** `refs/heads/<branch>` or `refs/pull/<n>/merge`. */
  readonly ref: string;
  /** The job's `environment:`, if any. */
  readonly environment?: string;
  /** `owner/name/.github/workflows/<file>@<ref>` of the workflow that defines the job. */
  readonly jobWorkflowRef: string;
}

/** GitHub's `context` part: the environment, else `pull_request`, else `ref:<ref>`. */
function contextOf(claims: JobClaims): string {
  if (claims.environment) return `environment:${claims.environment}`;
  if (claims.event === "pull_request") return "pull_request";
  return `ref:${claims.ref}`;
}

/** The `sub` GitHub issues for `claims` under the customised template. */
export function subjectOf(claims: JobClaims): string {
  return [
    `repo:${claims.repository}`,
    contextOf(claims),
    `ref:${claims.ref}`,
    `job_workflow_ref:${claims.jobWorkflowRef}`,
  ].join(":");
}

const workflow = (repository: string, file: string, ref: string) =>
  `${repository}/.github/workflows/${file}@${ref}`;

/** Subject of a job of `file` on main running in GitHub environment `environment`. */
export function mainEnvironmentSubject(repository: string, environment: string, file: string) {
  return subjectOf({
    repository,
    event: "push",
    ref: MAIN_REF,
    environment,
    jobWorkflowRef: workflow(repository, file, MAIN_REF),
  });
}

/**
 * Subject of a plan job of the plan workflow on main (no GitHub environment: the plan runs before
 * any approval). The plan role trusts it next to pull requests; the platform-plan roles trust
 * only it.
 */
export function mainPlanSubject(repository: string): string {
  return subjectOf({
    repository,
    event: "push",
    ref: MAIN_REF,
    jobWorkflowRef: workflow(repository, CI_WORKFLOWS.plan, MAIN_REF),
  });
}

/** Subject pattern (StringLike) of any pull request's run of the plan workflow. */
export function pullRequestPlanSubject(repository: string): string {
  const pr = "refs/pull/*/merge";
  return `repo:${repository}:pull_request:ref:${pr}:job_workflow_ref:${workflow(repository, CI_WORKFLOWS.plan, pr)}`;
}

/** Subjects (StringLike) of the plan role: pull requests and main pushes of the plan workflow. */
export function planSubjects(repository: string): string[] {
  return [pullRequestPlanSubject(repository), mainPlanSubject(repository)];
}

/** The one-time command that sets the repository's subject template (needs repo admin). */
export function subjectTemplateCommand(repository: string): string {
  const keys = SUBJECT_CLAIM_KEYS.map((k) => `-f 'include_claim_keys[]=${k}'`).join(" ");
  return `gh api --method PUT repos/${repository}/actions/oidc/customization/sub -F use_default=false ${keys}`;
}
