import { TerraformStack, type TerraformElement } from "cdktf";
import type { Node } from "constructs";
import { toSnakeCase } from "./naming.ts";

/**
 * A stack whose Terraform addresses read like hand-written ones: the construct path below the
 * stack in snake_case (`flow-logs/key/key` becomes `flow_logs_key`), without CDKTF's hash
 * suffixes. Construct ids therefore are addresses: renaming one is a state move (`moved` block).
 */
export class Stack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = "node" in element ? element.node : element;
    const below = node.scopes
      .slice(node.scopes.indexOf(this) + 1)
      .map((scope) => toSnakeCase(scope.node.id));
    const parts = below.filter((part, index) => part !== below[index - 1]);
    const id = parts.join("_");
    const owner = this.allocated.get(id);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(
        `Terraform address ${id} is used by both ${owner} and ${node.path}; rename one construct`,
      );
    }
    this.allocated.set(id, node.path);
    return id;
  }
}
