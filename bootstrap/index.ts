import { Aspects, LocalBackend, TerraformOutput } from "cdktf";
import { Stack } from "../kit/stack.ts";
import type { Construct } from "constructs";
import type { AccountConfig } from "../envs/schema.ts";
import { AwsContext } from "../kit/kms.ts";
import { configureAwsRoot } from "../kit/root-stack.ts";
import { ComponentTag } from "../kit/tags.ts";
import { declareVariables } from "../kit/variables.ts";
import { bootstrapInputs } from "./inputs.ts";
import { StateStore } from "./state-store.ts";

/**
 * The account bootstrap, applied once by an administrator before any environment: the state
 * bucket and lock table every environment's backend uses. Its own state is local at first (it
 * cannot live in a bucket that does not exist yet); the README shows how to migrate it.
 */
export class BootstrapStack extends Stack {
  constructor(scope: Construct, id: string, account: AccountConfig) {
    super(scope, id);
    const vars = declareVariables(this, bootstrapInputs, {
      region: account.region,
      project: account.project,
      stateBucketName: account.state.bucket,
      lockTableName: account.state.lockTable,
      noncurrentVersionExpirationDays: account.state.noncurrentVersionDays,
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
  }
}
