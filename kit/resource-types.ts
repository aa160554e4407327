import { TerraformDataSource, TerraformHclModule, TerraformResource } from "cdktf";
import type { Construct } from "constructs";

/**
 * The Terraform types a stack emits: resource types (`aws_vpc`) and data sources
 * (`data.aws_region`), sorted. What the CI roles' policies are derived from.
 */
export function resourceTypesOf(stack: Construct): string[] {
  const types = new Set<string>();
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformDataSource) types.add(`data.${c.terraformResourceType}`);
    else if (c instanceof TerraformResource) types.add(c.terraformResourceType);
  }
  return [...types].sort();
}

/** Names of the local modules a root stack calls (`source = "../<name>"`). */
export function calledModules(stack: Construct): string[] {
  return stack.node
    .findAll()
    .filter((c): c is TerraformHclModule => c instanceof TerraformHclModule)
    .map((m) => m.source.replace(/^\.\.\//, ""));
}
