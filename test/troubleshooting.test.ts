import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CI_WORKFLOWS, mainEnvironmentSubject, planSubjects } from "../bootstrap/github-claims.ts";
import { account } from "../envs/index.ts";
import { awsNameExists, corpus, envNames, project, unique } from "./doc-names.ts";

const doc = readFileSync("docs/troubleshooting.md", "utf8");

describe("docs/troubleshooting.md", () => {
  it("quotes exactly the OIDC subjects the bootstrap trusts", () => {
    const repo = account.githubRepository;
    const subjects = [
      ...planSubjects(repo),
      ...envNames.flatMap((env) => [
        mainEnvironmentSubject(repo, env, CI_WORKFLOWS.apply),
        mainEnvironmentSubject(repo, env, CI_WORKFLOWS.deploy),
      ]),
    ];
    const quoted = doc.split("\n").filter((l) => l.startsWith("repo:"));
    expect(quoted.sort()).toEqual(subjects.sort());
  });

  it("names only AWS resources the generated Terraform creates", () => {
    const names = unique(
      doc.match(
        new RegExp(`\\b${project}-(?:${envNames.join("|")})-[a-z0-9<>*-]*[a-z0-9>*]`, "g"),
      ) ?? [],
    );
    expect(names.length).toBeGreaterThan(15);
    const missing = names.filter((n) => !awsNameExists(n));
    expect(missing).toEqual([]);
  });

  it("names account-wide resources that exist", () => {
    expect(corpus).toContain(`\${var.project}-github-plan"`); // expense-github-plan
    expect(doc).toContain(`${project}-github-plan`);
    expect(corpus).toContain(`name          = "${project}-github"`); // the CodeConnections connection
    expect(corpus).toContain(`\${var.project}/expense-api"`); // the ECR repository
    expect(doc).toContain(`--repository-name ${project}/expense-api`);
  });

  it("names Terraform addresses and log groups that exist", () => {
    const addresses = unique(doc.match(/\b(?:data\.)?aws_[a-z_]+\.[a-z_]+\b/g) ?? []);
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) {
      const [kind, type, name] = address.startsWith("data.")
        ? ["data", ...address.slice(5).split(".")]
        : ["resource", ...address.split(".")];
      expect(corpus, address).toContain(`${kind} "${type}" "${name}"`);
    }
    const logGroups = unique(doc.match(/\/aws\/[a-z]+\/[a-z0-9-]+/g) ?? []);
    for (const group of logGroups)
      expect(corpus, group).toContain(
        group.replace(new RegExp(`${project}-(${envNames.join("|")})`), "${var.name}"),
      );
  });

  it("maps each service account to the role that trusts it", () => {
    const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)\/([a-z0-9-]+)` \| `([a-z0-9-]+)` \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const [, namespace, serviceAccount, role] of rows) {
      expect(awsNameExists(role!), role).toBe(true);
      // Either a literal subject, or the module's namespace/service-account variable defaults.
      const literal = corpus.includes(`system:serviceaccount:${namespace}:${serviceAccount}`);
      const defaults =
        corpus.includes(`default     = "${serviceAccount}"`) && corpus.includes(`"${namespace}"`);
      const platform =
        corpus.includes(`name      = "${serviceAccount}"`) ||
        corpus.includes(`"name" = "${serviceAccount}"`);
      expect(literal || defaults || platform, `${namespace}/${serviceAccount}`).toBe(true);
    }
  });

  it("names Kubernetes objects the platform root or the chart creates", () => {
    const objects = unique(
      [
        ...doc.matchAll(
          /kubectl [^\n]*?\b(?:get|describe|logs)\s+(?:(?:serviceaccount|configmap|hpa|deployment)\s+|(?:deploy|job|service)\/)([a-z0-9-]+)/g,
        ),
      ].map((m) => m[1]!),
    );
    expect(objects).toEqual(
      expect.arrayContaining([
        "expense-api",
        "expense-api-platform",
        "expense-api-migration",
        "metrics-server",
      ]),
    );
    for (const name of objects) {
      const found =
        corpus.includes(`"${name}"`) ||
        corpus.includes(`RELEASE: ${name}`) ||
        // The chart's migration Job: "<fullname>-migration", fullname = the release name.
        (name.endsWith("-migration") &&
          corpus.includes('"%s-migration"') &&
          corpus.includes(`RELEASE: ${name.slice(0, -"-migration".length)}`));
      expect(found, name).toBe(true);
    }
  });
});
