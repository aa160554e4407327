import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CodebuildWebhook } from "@cdktf/provider-aws/lib/codebuild-webhook";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { defineModule } from "../../kit/module.ts";
import { AwsContext, cloudWatchLogsKeyStatement, EncryptionKey } from "../../kit/kms.ts";
import { RunnerRole } from "./iam.ts";
import { ciRunnerInputs, type CiRunnerInputs } from "./inputs.ts";
import { ciRunnerOutputs } from "./outputs.ts";

/** The GitHub webhook event that starts one runner per queued workflow job. */
export const RUNNER_EVENT = "WORKFLOW_JOB_QUEUED";

/**
 * A CodeBuild-hosted GitHub Actions runner inside the environment's VPC, so workflow jobs reach
 * the EKS cluster's private API endpoint without opening it to the internet. CodeBuild starts a
 * fresh, ephemeral runner in the private subnets for every queued job whose `runs-on` names this
 * project (`codebuild-<project>-${{ github.run_id }}-${{ github.run_attempt }}`). The runner has
 * its own security group (HTTPS out, DNS to the VPC resolver, nothing in), which the cluster
 * security group admits on 443, and a service role limited to logs, VPC interfaces and the GitHub
 * connection.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 */
export const ciRunner = defineModule({
  name: "ci-runner",
  description:
    "CodeBuild-hosted GitHub Actions runner in the private subnets (webhook on queued workflow jobs), with its own security group admitted by the EKS cluster security group on 443, a least-privilege service role and KMS-encrypted build logs.",
  inputs: ciRunnerInputs,
  outputs: ciRunnerOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const projectName = `${vars.name}-ci-runner`;

    const logsKey = new EncryptionKey(scope, "logs-key", {
      context,
      alias: projectName,
      description: `Encrypts the build logs of ${projectName}`,
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });
    const logGroup = new CloudwatchLogGroup(scope, "log-group", {
      name: `/aws/codebuild/${projectName}`,
      retentionInDays: vars.logRetentionDays,
      kmsKeyId: logsKey.arn,
      tags: { Name: projectName },
    });

    const group = new SecurityGroup(scope, "security-group", {
      name: projectName,
      description: "CodeBuild GitHub Actions runner: HTTPS out (EKS API, GitHub, AWS), no inbound",
      vpcId: vars.vpcId,
      tags: { Name: projectName },
      lifecycle: { createBeforeDestroy: true },
    });
    new VpcSecurityGroupEgressRule(scope, "https-out", {
      securityGroupId: group.id,
      description: "HTTPS to the EKS API endpoint, GitHub, registries and AWS APIs (through NAT)",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      tags: { Name: `${projectName}-https-out` },
    });
    for (const protocol of ["udp", "tcp"]) {
      new VpcSecurityGroupEgressRule(scope, `dns-${protocol}-out`, {
        securityGroupId: group.id,
        description: `DNS over ${protocol.toUpperCase()} to the VPC resolver`,
        ipProtocol: protocol,
        fromPort: 53,
        toPort: 53,
        cidrIpv4: vars.vpcCidr,
        tags: { Name: `${projectName}-dns-${protocol}-out` },
      });
    }
    // The private endpoint's network interfaces carry the cluster security group.
    new VpcSecurityGroupIngressRule(scope, "cluster-api-from-runner", {
      securityGroupId: vars.clusterSecurityGroupId,
      description: "Kubernetes API (private endpoint) from the CI runner",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      referencedSecurityGroupId: group.id,
      tags: { Name: `${projectName}-to-cluster-api` },
    });

    const role = new RunnerRole(scope, "service-role", {
      context,
      projectName,
      logGroupArn: logGroup.arn,
      connectionArn: vars.connectionArn,
      privateSubnetIds: vars.privateSubnetIds,
    });

    const project = new CodebuildProject(scope, "project", {
      name: projectName,
      description: "Ephemeral GitHub Actions runners inside the VPC for cluster-facing jobs",
      serviceRole: role.role.arn,
      buildTimeout: vars.buildTimeoutMinutes,
      queuedTimeout: 60,
      // A runner build runs the job's steps; the source only identifies the repository.
      source: {
        type: "GITHUB",
        location: vars.repositoryUrl,
        gitCloneDepth: 1,
        auth: { type: "CODECONNECTIONS", resource: vars.connectionArn },
      },
      artifacts: { type: "NO_ARTIFACTS" },
      environment: {
        type: "LINUX_CONTAINER",
        computeType: vars.computeType,
        image: vars.image,
        imagePullCredentialsType: "CODEBUILD",
        privilegedMode: false,
      },
      vpcConfig: {
        vpcId: vars.vpcId,
        subnets: vars.privateSubnetIds,
        securityGroupIds: [group.id],
      },
      logsConfig: {
        cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
        s3Logs: { status: "DISABLED" },
      },
      tags: { Name: projectName },
      dependsOn: [role.role],
    });
    new CodebuildWebhook(scope, "webhook", {
      projectName: project.name,
      buildType: "BUILD",
      filterGroup: [{ filter: [{ type: "EVENT", pattern: RUNNER_EVENT }] }],
    });

    return {
      projectName: project.name,
      securityGroupId: group.id,
      serviceRoleArn: role.role.arn,
      logGroupName: logGroup.name,
    };
  },
});

export type { CiRunnerInputs };
