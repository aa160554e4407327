import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "../../kit/kms.ts";

/** Props of the runner's service role. */
export interface RunnerRoleProps {
  readonly context: AwsContext;
  /** The CodeBuild project's name (also the role's). */
  readonly projectName: string;
  readonly logGroupArn: string;
  readonly connectionArn: string;
  readonly privateSubnetIds: string[];
}

/**
 * The CodeBuild service role of the runner: write its own build logs, manage the network
 * interfaces that put it in the private subnets, and use the GitHub connection to register as
 * a runner. Nothing else: a job gets AWS access by assuming a CI role through GitHub OIDC, so
 * what a workflow may do is decided by those roles' trust, not by where the job runs.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html
 */
export class RunnerRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: RunnerRoleProps) {
    super(scope, id);
    const { context } = props;
    const projectArn = context.arn("codebuild", `project/${props.projectName}`);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "CodeBuildForThisProjectOnly",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["codebuild.amazonaws.com"] }],
          // Confused-deputy guard: only this account's runner project may use the role.
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [projectArn] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.projectName,
      description: `CodeBuild-hosted GitHub Actions runner ${props.projectName}: logs, VPC interfaces, GitHub connection`,
      assumeRolePolicy: trust.json,
      tags: { Name: props.projectName },
    });
    const subnetArns = Token.asList(
      Fn.formatlist(context.arn("ec2", "subnet/%s"), [props.privateSubnetIds]),
    );
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: [
        {
          sid: "WriteOwnBuildLogs",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${props.logGroupArn}:*`],
        },
        {
          // The EC2 describe and interface calls CodeBuild makes to place a build in the VPC
          // support no resource-level scoping.
          sid: "ManageVpcInterfaces",
          actions: [
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "ec2:DescribeDhcpOptions",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSubnets",
            "ec2:DescribeVpcs",
          ],
          resources: ["*"],
        },
        {
          sid: "AttachInterfacesInPrivateSubnetsOnly",
          actions: ["ec2:CreateNetworkInterfacePermission"],
          resources: [context.arn("ec2", "network-interface/*")],
          condition: [
            {
              test: "StringEquals",
              variable: "ec2:AuthorizedService",
              values: ["codebuild.amazonaws.com"],
            },
            { test: "ArnEquals", variable: "ec2:Subnet", values: subnetArns },
          ],
        },
        {
          // The service was renamed; IAM accepts both prefixes for the same connection.
          sid: "UseGitHubConnection",
          actions: [
            "codeconnections:GetConnection",
            "codeconnections:GetConnectionToken",
            "codeconnections:UseConnection",
            "codestar-connections:GetConnection",
            "codestar-connections:GetConnectionToken",
            "codestar-connections:UseConnection",
          ],
          resources: [props.connectionArn],
        },
      ],
    });
    new IamRolePolicy(this, "policy", {
      name: "runner",
      role: this.role.name,
      policy: permissions.json,
    });
  }
}
