import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { TerraformStack } from "cdktf";
import { TERRAFORM_VERSION_CONSTRAINT } from "./providers.ts";

/** The tags every resource of a root stack carries through the provider's `default_tags`. */
export interface DefaultTags {
  readonly Project: string;
  readonly Environment: string;
  readonly ManagedBy: string;
  readonly CostCenter: string;
}

/** Props of a root stack's AWS provider. */
export interface AwsRootProps {
  readonly region: string;
  readonly tags: DefaultTags;
  /** When non-empty, the provider refuses credentials of any other account. */
  readonly accountId?: string;
}

/**
 * Makes `stack` a root configuration: pins Terraform and the AWS provider and configures the
 * provider with `default_tags`, so every taggable resource (modules included) gets Project,
 * Environment, ManagedBy and CostCenter.
 */
export function configureAwsRoot(stack: TerraformStack, props: AwsRootProps): AwsProvider {
  stack.addOverride("terraform.required_version", TERRAFORM_VERSION_CONSTRAINT);
  const provider = new AwsProvider(stack, "aws", {
    region: props.region,
    defaultTags: [{ tags: { ...props.tags } }],
    allowedAccountIds: props.accountId ? [props.accountId] : undefined,
  });
  // CDKTF writes the short source "aws"; spell out the registry address reviewers expect.
  stack.addOverride("terraform.required_providers.aws.source", "hashicorp/aws");
  return provider;
}
