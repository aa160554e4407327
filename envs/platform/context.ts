import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../schema.ts";

/**
 * What every platform part needs: the stack to add its resources to (directly, so construct ids
 * stay Terraform addresses), the environment's config, and the `<env>` stack's outputs.
 */
export interface PlatformContext {
  /** The `<env>-platform` stack. */
  readonly scope: Construct;
  readonly config: EnvironmentConfig;
  /** The region variable of the stack (a Terraform expression). */
  readonly region: string;
  /** The `<env>` stack's output `name`, read from its remote state. */
  readonly output: (name: string) => string;
  /** The EKS cluster's name (the `<env>` stack's `cluster_name` output). */
  readonly clusterName: string;
}
