import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import type { AwsContext } from "../kit/kms.ts";

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/** Props of the GitHub Actions identity. */
export interface GithubOidcProps {
  readonly context: AwsContext;
  readonly project: string;
  /** `owner/name`; the only repository whose workflows may assume these roles. */
  readonly repository: string;
  readonly environments: readonly string[];
  /** What the plan role needs to read and lock state. */
  readonly stateBucketArn: string;
  readonly lockTableArn: string;
  readonly stateKeyArn: string;
  /** The API image repository the deploy roles push to. */
  readonly ecrRepositoryArn: string;
}

/**
 * Lets GitHub Actions workflows of one repository assume AWS roles with short-lived OIDC tokens,
 * so no AWS keys are stored in GitHub. The plan role serves pull requests and main (read-only plus
 * state); each environment has an apply role (the only broad one) and a deploy role (push the API
 * image, describe the cluster), both trusted only for jobs running in that GitHub environment, which
 * is where production's manual approval lives.
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 */
export class GithubOidc extends Construct {
  readonly provider: IamOpenidConnectProvider;
  readonly planRole: IamRole;
  readonly applyRoles: Record<string, IamRole> = {};
  readonly deployRoles: Record<string, IamRole> = {};

  constructor(
    scope: Construct,
    id: string,
    private readonly props: GithubOidcProps,
  ) {
    super(scope, id);
    const { context, project, repository } = props;
    // No thumbprint_list: since 2023 IAM verifies GitHub's tokens against its trusted root CAs and
    // ignores thumbprints for this issuer, and AWS provider 5.x makes the argument optional.
    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${GITHUB_ISSUER}`,
      clientIdList: ["sts.amazonaws.com"],
      tags: { Name: "github-actions" },
    });

    this.planRole = this.role(
      "plan",
      `${project}-github-plan`,
      "Terraform plan from pull requests and main: read-only plus state",
      [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/main`],
    );
    new IamRolePolicyAttachment(this, "plan-read-only", {
      role: this.planRole.name,
      policyArn: `arn:${context.partition}:iam::aws:policy/ReadOnlyAccess`,
    });
    this.inlinePolicy("plan-state", this.planRole, this.stateAccessStatements());

    for (const env of props.environments) {
      const subject = [`repo:${repository}:environment:${env}`];
      const apply = this.role(
        `apply-${env}`,
        `${project}-${env}-github-apply`,
        `Terraform apply of ${env}, only from the ${env} GitHub environment`,
        subject,
      );
      // Creating VPCs, EKS, RDS, IAM roles and KMS keys needs broad rights; the trust policy is what
      // narrows this role: one repository, one protected GitHub environment. Listed in policy/exceptions.
      new IamRolePolicyAttachment(this, `apply-${env}-admin`, {
        role: apply.name,
        policyArn: `arn:${context.partition}:iam::aws:policy/AdministratorAccess`,
      });
      this.applyRoles[env] = apply;

      const deploy = this.role(
        `deploy-${env}`,
        `${project}-${env}-github-deploy`,
        `API image push and Helm deploy to ${env}`,
        subject,
      );
      this.inlinePolicy(`deploy-${env}`, deploy, [
        { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
          sid: "PushApiImage",
          actions: [
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:CompleteLayerUpload",
            "ecr:DescribeImages",
            "ecr:GetDownloadUrlForLayer",
            "ecr:InitiateLayerUpload",
            "ecr:PutImage",
            "ecr:UploadLayerPart",
          ],
          resources: [props.ecrRepositoryArn],
        },
        // Kubernetes permissions come from the cluster's namespaced access entry for this role.
        {
          sid: "DescribeCluster",
          actions: ["eks:DescribeCluster"],
          resources: [context.arn("eks", `cluster/${project}-${env}-eks`)],
        },
      ]);
      this.deployRoles[env] = deploy;
    }
  }

  /** A role trusted only for this repository's tokens with one of `subjects`, audience STS. */
  private role(id: string, name: string, description: string, subjects: string[]): IamRole {
    const trust = new DataAwsIamPolicyDocument(this, `${id}-trust`, {
      statement: [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [this.provider.arn] }],
          condition: [
            {
              test: "StringEquals",
              variable: `${GITHUB_ISSUER}:aud`,
              values: ["sts.amazonaws.com"],
            },
            { test: "StringEquals", variable: `${GITHUB_ISSUER}:sub`, values: subjects },
          ],
        },
      ],
    });
    return new IamRole(this, id, {
      name,
      description,
      assumeRolePolicy: trust.json,
      maxSessionDuration: 3600,
      tags: { Name: name },
    });
  }

  private inlinePolicy(
    id: string,
    role: IamRole,
    statements: DataAwsIamPolicyDocumentStatement[],
  ): void {
    const document = new DataAwsIamPolicyDocument(this, `${id}-policy-document`, {
      statement: statements,
    });
    new IamRolePolicy(this, `${id}-policy`, { name: id, role: role.id, policy: document.json });
  }

  /** Read, write and lock state objects (plan refreshes and writes the lock file; never deletes state). */
  private stateAccessStatements(): DataAwsIamPolicyDocumentStatement[] {
    const { stateBucketArn, lockTableArn, stateKeyArn } = this.props;
    return [
      { sid: "ListState", actions: ["s3:ListBucket"], resources: [stateBucketArn] },
      { sid: "ReadState", actions: ["s3:GetObject"], resources: [`${stateBucketArn}/*`] },
      {
        sid: "LockFile",
        actions: ["s3:PutObject", "s3:DeleteObject"],
        resources: [`${stateBucketArn}/*.tflock`],
      },
      {
        sid: "LockTable",
        actions: [
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:DeleteItem",
          "dynamodb:DescribeTable",
        ],
        resources: [lockTableArn],
      },
      {
        sid: "StateKey",
        actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        resources: [stateKeyArn],
      },
    ];
  }
}
