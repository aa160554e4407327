import { CodeconnectionsConnection } from "@cdktf/provider-aws/lib/codeconnections-connection";
import { DataAwsIamRoles } from "@cdktf/provider-aws/lib/data-aws-iam-roles";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { Aspects, Fn, LocalBackend, TerraformOutput, Token, type TerraformVariable } from "cdktf";
import { Stack } from "../kit/stack.ts";
import type { Construct } from "constructs";
import type { AccountConfig } from "../envs/schema.ts";
import { AwsContext } from "../kit/kms.ts";
import { configureAwsRoot } from "../kit/root-stack.ts";
import { ComponentTag } from "../kit/tags.ts";
import { githubConnectionName } from "../envs/root-stack.ts";
import { declareVariables } from "../kit/variables.ts";
import { bootstrapInputs } from "./inputs.ts";
import { ImageRepository } from "./ecr.ts";
import { GithubOidc, type CiEnvironment } from "./github-oidc.ts";
import { subjectTemplateCommand } from "./github-claims.ts";
import { StateStore } from "./state-store.ts";

/** The EC2 Auto Scaling service-linked role's fixed name. */
export const AUTOSCALING_SERVICE_LINKED_ROLE = "AWSServiceRoleForAutoScaling";

/**
 * The account bootstrap, applied once by an administrator before any environment: the state
 * bucket and lock table every environment's backend uses, the API image repository and the GitHub
 * Actions OIDC identity with its plan, platform-plan, apply and deploy roles. Its own state is local at first (it
 * cannot live in a bucket that does not exist yet); the README shows how to migrate it.
 */
export class BootstrapStack extends Stack {
  constructor(
    scope: Construct,
    id: string,
    account: AccountConfig,
    environments: readonly CiEnvironment[],
  ) {
    super(scope, id);
    const vars = declareVariables(this, bootstrapInputs, {
      region: account.region,
      project: account.project,
      stateBucketName: account.state.bucket,
      lockTableName: account.state.lockTable,
      noncurrentVersionExpirationDays: account.state.noncurrentVersionDays,
      githubRepository: account.githubRepository,
    });
    new LocalBackend(this, { path: "terraform.tfstate" });
    configureAwsRoot(this, {
      region: vars.region,
      accountId: account.accountId,
      tags: {
        Project: account.project,
        Environment: "shared",
        ManagedBy: "terraform",
        CostCenter: account.costCenter,
      },
    });

    Aspects.of(this).add(new ComponentTag("bootstrap"));
    const context = new AwsContext(this);
    const state = new StateStore(this, "state", {
      context,
      project: vars.project,
      bucketName: vars.stateBucketName,
      lockTableName: vars.lockTableName,
      noncurrentVersionExpirationDays: vars.noncurrentVersionExpirationDays,
      abortIncompleteUploadDays: vars.abortIncompleteUploadDays,
    });

    // Exists once per account; EKS node groups' encrypted volumes are created through it, and the
    // nodes' EBS key policy names it. The count follows the variable only (never the lookup: once
    // created, the lookup finds the role and a lookup-driven count would plan to delete it). The
    // lookup only makes "missing and not created" a plan-time error instead of a KMS error later.
    const existing = new DataAwsIamRoles(this, "autoscaling-service-linked-role-lookup", {
      nameRegex: `^${AUTOSCALING_SERVICE_LINKED_ROLE}$`,
      pathPrefix: "/aws-service-role/autoscaling.amazonaws.com/",
    });
    const createVariable = this.node.findChild(
      "variable-create_autoscaling_service_linked_role",
    ) as TerraformVariable;
    createVariable.addValidation({
      condition: `\${var.create_autoscaling_service_linked_role || length(${existing.fqn}.names) > 0}`,
      errorMessage: `${AUTOSCALING_SERVICE_LINKED_ROLE} does not exist in this account (new account): set create_autoscaling_service_linked_role = true so the bootstrap creates it (the EKS node volume key policy names it).`,
    });
    new IamServiceLinkedRole(this, "autoscaling-service-linked-role", {
      count: Token.asNumber(Fn.conditional(vars.createAutoscalingServiceLinkedRole, 1, 0)),
      awsServiceName: "autoscaling.amazonaws.com",
    });
    // Production's promotions are matched first, so its images are the best protected.
    const images = new ImageRepository(this, "images", {
      context,
      project: vars.project,
      environments: environments.map((e) => e.environment).reverse(),
    });
    const github = new GithubOidc(this, "github", {
      context,
      project: vars.project,
      repository: vars.githubRepository,
      environments,
      stateBucketArn: state.bucket.arn,
      lockTableArn: state.lockTable.arn,
      stateKeyArn: state.key.arn,
      ecrRepositoryArn: images.repository.arn,
    });

    new TerraformOutput(this, "state_bucket_name", {
      value: state.bucket.bucket,
      description: "Name of the Terraform state bucket.",
    });
    new TerraformOutput(this, "state_bucket_arn", {
      value: state.bucket.arn,
      description: "ARN of the Terraform state bucket.",
    });
    new TerraformOutput(this, "lock_table_name", {
      value: state.lockTable.name,
      description: "Name of the DynamoDB state lock table.",
    });
    new TerraformOutput(this, "state_kms_key_arn", {
      value: state.key.arn,
      description:
        "ARN of the KMS key that encrypts state; set it as state.kmsKeyArn in envs/account.ts.",
    });
    // Created PENDING: an administrator authorises it once in the console (docs/ci.md) before
    // any environment's in-VPC CI runner can register with GitHub.
    const connection = new CodeconnectionsConnection(this, "github-connection", {
      name: githubConnectionName(account.project),
      providerType: "GitHub",
      tags: { Name: githubConnectionName(account.project) },
    });
    const byEnv = (roles: Record<string, { arn: string }>) =>
      Object.fromEntries(Object.entries(roles).map(([env, role]) => [env, role.arn]));
    const outputs: Record<string, [unknown, string]> = {
      ecr_repository_url: [images.repository.repositoryUrl, "URL of the API image repository."],
      github_connection_arn: [
        connection.arn,
        "GitHub connection of the CI runners; authorise it once in the console (status must be AVAILABLE).",
      ],
      github_oidc_provider_arn: [github.provider.arn, "ARN of the GitHub Actions OIDC provider."],
      github_plan_role_arn: [
        github.planRole.arn,
        "Role for terraform plan in pull requests and on main.",
      ],
      github_apply_role_arns: [byEnv(github.applyRoles), "Terraform apply role per environment."],
      permissions_boundary_arns: [
        byEnv(github.boundaries),
        "Permissions boundary per environment; every role its apply role creates carries it.",
      ],
      github_subject_template_command: [
        subjectTemplateCommand(vars.githubRepository),
        "Run once (repository admin): makes GitHub's OIDC subject carry context, ref and workflow, which the roles' trust policies match.",
      ],
      github_platform_plan_role_arns: [
        byEnv(github.platformPlanRoles),
        "Role per environment for the <env>-platform plan on main (refreshes through the cluster); set this map as repository variable AWS_PLATFORM_PLAN_ROLE_ARNS.",
      ],
      github_deploy_role_arns: [
        byEnv(github.deployRoles),
        "Image push and Helm deploy role per environment.",
      ],
    };
    for (const [name, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value, description });
    }
  }
}
