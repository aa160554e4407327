import { Fn, TerraformResource, Token, type IAspect, type IResolvable } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Adds `Component = <name>` to the tags of every taggable resource in a stack; Project,
 * Environment, ManagedBy and CostCenter come from the caller's provider `default_tags`.
 */
export class ComponentTag implements IAspect {
  constructor(private readonly component: string) {}

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node) || !("tagsInput" in node)) return;
    const taggable = node as TerraformResource & {
      tags?: Record<string, string>;
      tagsInput?: unknown;
    };
    const existing = taggable.tagsInput;
    const component = { Component: this.component };
    taggable.tags = Token.isUnresolved(existing)
      ? (Fn.merge([existing as IResolvable, component]) as unknown as Record<string, string>)
      : { ...(existing as Record<string, string> | undefined), ...component };
  }
}
