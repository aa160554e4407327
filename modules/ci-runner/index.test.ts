import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodebuildWebhook } from "@cdktf/provider-aws/lib/codebuild-webhook";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS } from "../../envs/index.ts";
import { VariableError } from "../../kit/variables.ts";
import { resourceOf, resourcesOf, synthAll, synthModule } from "../../test/synth.ts";
import { ciRunner, RUNNER_EVENT } from "./index.ts";

const { json, text } = synthModule(ciRunner as never);

/** Arguments every call needs (the inputs without defaults). */
const required = {
  name: "expense-dev",
  repositoryUrl: "https://github.com/acme/expense.git",
  connectionArn:
    "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
  vpcId: "vpc-0abc123",
  vpcCidr: "10.0.0.0/16",
  privateSubnetIds: ["subnet-0a1b2c"],
  clusterSecurityGroupId: "sg-0123abcd",
  logRetentionDays: 7,
};

interface Statement {
  sid: string;
  actions: string[];
  resources: string[];
  condition?: { test: string; variable: string; values: string[] }[];
}
const statements = (name: string) =>
  (json.data?.aws_iam_policy_document?.[name] as { statement: Statement[] }).statement;

describe("ci-runner module", () => {
  it("runs ephemeral runners in the private subnets with its own security group", () => {
    expect(resourceOf(json, "aws_codebuild_project", "project")).toMatchObject({
      name: "${var.name}-ci-runner",
      vpc_config: {
        vpc_id: "${var.vpc_id}",
        subnets: "${var.private_subnet_ids}",
        security_group_ids: ["${aws_security_group.security_group.id}"],
      },
      source: {
        type: "GITHUB",
        location: "${var.repository_url}",
        auth: { type: "CODECONNECTIONS", resource: "${var.connection_arn}" },
      },
      environment: { privileged_mode: false, type: "LINUX_CONTAINER" },
      logs_config: { cloudwatch_logs: { status: "ENABLED" } },
    });
    expect(text).toHaveResource(CodebuildProject);
  });

  it("starts a runner for every queued workflow job through the GitHub webhook", () => {
    expect(text).toHaveResourceWithProperties(CodebuildWebhook, {
      project_name: "${aws_codebuild_project.project.name}",
      build_type: "BUILD",
      filter_group: [{ filter: [{ type: "EVENT", pattern: RUNNER_EVENT }] }],
    });
    expect(RUNNER_EVENT).toBe("WORKFLOW_JOB_QUEUED");
  });

  it("has the cluster security group admit the runner on 443, and nothing else in", () => {
    expect(text).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, {
      security_group_id: "${var.cluster_security_group_id}",
      referenced_security_group_id: "${aws_security_group.security_group.id}",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
    });
    const ingress = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
    expect(Object.keys(ingress)).toEqual(["cluster_api_from_runner"]);
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    expect(egress.map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([
      [443, "0.0.0.0/0"],
      [53, "${var.vpc_cidr}"],
      [53, "${var.vpc_cidr}"],
    ]);
  });

  it("gives the service role only logs, VPC interfaces and the GitHub connection", () => {
    const trust = statements("service_role_trust");
    expect(trust[0]!.condition?.map((c) => c.variable).sort()).toEqual([
      "aws:SourceAccount",
      "aws:SourceArn",
    ]);
    const permissions = statements("service_role_permissions");
    const actions = permissions.flatMap((s) => s.actions);
    expect(actions.filter((a) => a.includes("*"))).toEqual([]);
    expect(actions.some((a) => /^(eks|iam|sts|s3|ecr):/.test(a))).toBe(false);
    const connection = permissions.find((s) => s.sid === "UseGitHubConnection")!;
    expect(connection.resources).toEqual(["${var.connection_arn}"]);
    const eni = permissions.find((s) => s.sid === "AttachInterfacesInPrivateSubnetsOnly")!;
    expect(eni.condition?.find((c) => c.variable === "ec2:Subnet")?.values).toContain(
      "var.private_subnet_ids",
    );
    const logs = resourceOf(json, "aws_cloudwatch_log_group", "log_group");
    expect(logs.kms_key_id).toBe("${aws_kms_key.logs_key_key.arn}");
  });

  it("is called by every environment inside its VPC, next to its cluster", () => {
    const synthesized = synthAll();
    for (const { environment } of ENVIRONMENTS) {
      const call = synthesized.stackJson(environment).module?.ci_runner;
      expect(call, environment).toMatchObject({
        vpc_id: "${module.network.vpc_id}",
        private_subnet_ids: "${module.network.private_subnet_ids}",
        cluster_security_group_id: "${module.eks.cluster_security_group_id}",
        connection_arn: "${data.aws_codestarconnections_connection.github_connection.arn}",
      });
    }
  });

  it("rejects a bad literal argument at the call site, naming the field and the value", () => {
    const root = new TerraformStack(Testing.app(), "root");
    expect(() =>
      ciRunner.call(root, "runner", { ...required, repositoryUrl: "git@github.com:acme/x.git" }),
    ).toThrow(VariableError);
    expect(() =>
      ciRunner.call(root, "runner2", { ...required, connectionArn: "arn:aws:iam::1:role/x" }),
    ).toThrow(/connectionArn|connection_arn/);
  });
});
