import { S3Backend, type S3BackendConfig, type TerraformStack } from "cdktf";
import type { AccountConfig } from "./schema.ts";

/** Key of a root stack's state in the state bucket: `envs/<stack id>/terraform.tfstate`. */
export function stateKey(stackId: string): string {
  return `envs/${stackId}/terraform.tfstate`;
}

/**
 * Where a root stack's state lives (bucket, key, region): what its backend writes and what a
 * `terraform_remote_state` reading it needs.
 */
export function stateLocation(
  account: AccountConfig,
  stackId: string,
): Pick<S3BackendConfig, "bucket" | "key" | "region"> {
  return { bucket: account.state.bucket, key: stateKey(stackId), region: account.region };
}

/**
 * Gives a root stack the S3 backend of the bootstrap's state bucket, keyed by the stack id, with
 * encryption and both lock mechanisms. Terraform forbids variables in a backend block; these come
 * from the config at synth time and can be overridden with `terraform init -backend-config=...`.
 */
export function configureStateBackend(
  stack: TerraformStack,
  account: AccountConfig,
  stackId: string,
): S3Backend {
  const backend = new S3Backend(stack, {
    ...stateLocation(account, stackId),
    encrypt: true,
    kmsKeyId: account.state.kmsKeyArn || undefined,
    dynamodbTable: account.state.lockTable,
  });
  // S3-native locking (Terraform >= 1.10); the DynamoDB table stays for older clients and is
  // what Terraform documents for the transition. CDKTF 0.21 predates the argument.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  return backend;
}
