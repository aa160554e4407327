import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { permissionsBoundaryName as boundaryName } from "../envs/root-stack.ts";
import type { AwsContext } from "../kit/kms.ts";
import {
  applyStatements,
  boundaryStatements,
  planStatements,
  type EnvironmentScope,
} from "./ci-policies.ts";
import {
  CI_WORKFLOWS,
  mainEnvironmentSubject,
  mainPlanSubject,
  planSubjects,
} from "./github-claims.ts";

const GITHUB_ISSUER = "token.actions.githubusercontent.com";

/** One environment the CI roles serve: its name, region and the Terraform types its stacks use. */
export interface CiEnvironment {
  readonly environment: string;
  readonly region: string;
  /** Resource and data types (`aws_vpc`, `data.aws_region`) of its `<env>` and `<env>-platform` stacks and their modules. */
  readonly resourceTypes: readonly string[];
  /** Types of the `<env>-platform` root alone: what its platform-plan role reads. */
  readonly platformResourceTypes: readonly string[];
}

/** Props of the GitHub Actions identity. */
export interface GithubOidcProps {
  readonly context: AwsContext;
  /** Prefix of every name (the bootstrap's `project` variable). */
  readonly project: string;
  /** `owner/name`; the only repository whose workflows may assume these roles. */
  readonly repository: string;
  readonly environments: readonly CiEnvironment[];
  /** What the roles need to read and lock state. */
  readonly stateBucketArn: string;
  readonly lockTableArn: string;
  readonly stateKeyArn: string;
  /** The API image repository the deploy roles push to. */
  readonly ecrRepositoryArn: string;
}

/**
 * Lets GitHub Actions workflows of one repository assume AWS roles with short-lived OIDC tokens,
 * so no AWS keys are stored in GitHub. Trust is matched on the customised subject (repository,
 * context, ref, workflow file; see github-claims.ts): the plan role serves pull requests and main
 * pushes of the plan workflow and may only read; each environment's apply and deploy roles serve
 * only jobs of their workflow on main running in that GitHub environment (where production's
 * manual approval lives). Each environment's platform-plan role plans its `<env>-platform` root
 * with a refresh, which reads the cluster (Helm keeps releases in Secrets): it is trusted only for
 * the plan workflow on main, never for pull requests, and its cluster access entry (modules/eks)
 * maps it to a read-only Kubernetes group (envs/platform/plan-reader-rbac.ts). Apply policies are derived from the Terraform types the environment's
 * stacks use (terraform-actions.ts), and every role they create carries the environment's
 * permissions boundary.
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
 */
export class GithubOidc extends Construct {
  readonly provider: IamOpenidConnectProvider;
  readonly planRole: IamRole;
  readonly applyRoles: Record<string, IamRole> = {};
  readonly deployRoles: Record<string, IamRole> = {};
  readonly platformPlanRoles: Record<string, IamRole> = {};
  readonly boundaries: Record<string, IamPolicy> = {};

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
    const iamArnPrefix = `arn:${context.partition}:iam::${context.accountId}:`;

    this.planRole = this.role(
      "plan",
      `${project}-github-plan`,
      "Terraform plan from pull requests and main: describe resources and read state, nothing else",
      "StringLike",
      planSubjects(repository),
    );
    const allTypes = [...new Set(props.environments.flatMap((e) => e.resourceTypes))];
    this.inlinePolicy("plan", this.planRole, [
      ...planStatements(allTypes, {
        publicParameterArnPrefix: `arn:${context.partition}:ssm:*::parameter`,
      }),
      ...this.stateAccessStatements({ read: ["envs/*"], lock: ["envs/*"], write: false }),
    ]);

    for (const env of props.environments) {
      const name = env.environment;
      const prefix = `${project}-${name}`;
      const boundary = new IamPolicy(this, `boundary-${name}`, {
        name: boundaryName(project, name),
        description: `Permissions boundary of every role the ${name} apply role creates`,
        policy: new DataAwsIamPolicyDocument(this, `boundary-${name}-document`, {
          statement: boundaryStatements(
            `arn:${context.partition}:secretsmanager:${env.region}:${context.accountId}:secret:`,
          ),
        }).json,
        tags: { Name: boundaryName(project, name) },
      });
      this.boundaries[name] = boundary;

      const apply = this.role(
        `apply-${name}`,
        `${prefix}-github-apply`,
        `Terraform apply of ${name}: only ${CI_WORKFLOWS.apply} on main in the ${name} GitHub environment`,
        "StringEquals",
        [mainEnvironmentSubject(repository, name, CI_WORKFLOWS.apply)],
      );
      const scope: EnvironmentScope = {
        iamArnPrefix,
        namePrefix: prefix,
        boundaryArn: boundary.arn,
        publicParameterArnPrefix: `arn:${context.partition}:ssm:${env.region}::parameter`,
      };
      this.inlinePolicy(`apply-${name}`, apply, [
        ...applyStatements(env.resourceTypes, scope),
        ...this.stateAccessStatements({
          read: [`envs/${name}/*`, `envs/${name}-platform/*`],
          lock: [`envs/${name}/*`, `envs/${name}-platform/*`],
          write: true,
        }),
      ]);
      this.applyRoles[name] = apply;

      // Not the plan role: pull requests can run any step as that one, and this role can read
      // Secrets in the cluster. No permissions boundary, like the other CI roles: it creates no
      // role (the boundaries bound the roles the apply role creates) and needs S3, which they lack.
      const platformPlan = this.role(
        `platform-plan-${name}`,
        `${prefix}-github-platform-plan`,
        `Terraform plan (with refresh) of ${name}-platform: only ${CI_WORKFLOWS.plan} on main, never pull requests; reads its state and, through its access entry, the cluster`,
        "StringEquals",
        [mainPlanSubject(repository)],
      );
      this.inlinePolicy(`platform-plan-${name}`, platformPlan, [
        // The platform root's own AWS reads (derived like the plan role's; today none: the
        // cluster endpoint comes from the <env> state and `aws eks get-token` needs no permission).
        ...planStatements(env.platformResourceTypes, {
          publicParameterArnPrefix: `arn:${context.partition}:ssm:${env.region}::parameter`,
        }),
        // Reads the <env> state (terraform_remote_state) and its own; locks only its own.
        ...this.stateAccessStatements({
          read: [`envs/${name}/*`, `envs/${name}-platform/*`],
          lock: [`envs/${name}-platform/*`],
          write: false,
        }),
      ]);
      this.platformPlanRoles[name] = platformPlan;

      const deploy = this.role(
        `deploy-${name}`,
        `${prefix}-github-deploy`,
        `API image push and Helm deploy to ${name}: only ${CI_WORKFLOWS.deploy} on main in the ${name} GitHub environment`,
        "StringEquals",
        [mainEnvironmentSubject(repository, name, CI_WORKFLOWS.deploy)],
      );
      this.inlinePolicy(`deploy-${name}`, deploy, [
        // Exactly the calls api.yml makes (checked in github-oidc.test.ts against its steps): the
        // image push, the digest lookup and the promotion retag (batch-get-image, put-image).
        { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
          sid: "PushApiImage",
          actions: [
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:CompleteLayerUpload",
            "ecr:DescribeImages",
            "ecr:InitiateLayerUpload",
            "ecr:PutImage",
            "ecr:UploadLayerPart",
          ],
          resources: [props.ecrRepositoryArn],
        },
        // Kubernetes permissions come from the cluster's namespaced access entry for this role;
        // the cluster lives in the environment's own region.
        {
          sid: "DescribeCluster",
          actions: ["eks:DescribeCluster"],
          resources: [
            `arn:${context.partition}:eks:${env.region}:${context.accountId}:cluster/${prefix}-eks`,
          ],
        },
      ]);
      this.deployRoles[name] = deploy;
    }
  }

  /** A role trusted only for GitHub tokens whose subject matches one of `subjects`, audience STS. */
  private role(
    id: string,
    name: string,
    description: string,
    test: "StringEquals" | "StringLike",
    subjects: string[],
  ): IamRole {
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
            { test, variable: `${GITHUB_ISSUER}:sub`, values: subjects },
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

  /**
   * Read (and, with `write`, write) the state objects under the `read` prefixes of the bucket,
   * take the locks of the `lock` prefixes (lock file and table), use the state key. Plans write
   * only lock files; nobody deletes state.
   */
  private stateAccessStatements(keys: {
    read: string[];
    lock: string[];
    write: boolean;
  }): DataAwsIamPolicyDocumentStatement[] {
    const { stateBucketArn, lockTableArn, stateKeyArn } = this.props;
    return [
      { sid: "ListState", actions: ["s3:ListBucket"], resources: [stateBucketArn] },
      {
        sid: "ReadState",
        actions: keys.write ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"],
        resources: keys.read.map((k) => `${stateBucketArn}/${k}`),
      },
      {
        sid: "LockFile",
        actions: ["s3:PutObject", "s3:DeleteObject"],
        resources: keys.lock.map((k) => `${stateBucketArn}/${k.replace(/\*$/, "")}*.tflock`),
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
