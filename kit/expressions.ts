import { Fn, ref, TerraformDataSource, TerraformStack, Token, type TerraformResource } from "cdktf";

type Element = TerraformResource | TerraformDataSource;

/** The Terraform address of a resource or data source (`aws_x.name`, `data.aws_y.name`). */
function addressOf(element: Element): string {
  const prefix = TerraformDataSource.isTerraformDataSource(element) ? "data." : "";
  return `${prefix}${element.terraformResourceType}.${element.friendlyUniqueId}`;
}

/** `<address>[*].<attribute>`: the attribute of every instance of a counted element, as a list. */
export function splat(element: Element, attribute: string): string[] {
  return Token.asList(ref(`${addressOf(element)}[*].${attribute}`, TerraformStack.of(element)));
}

/** `<address>[0].<attribute>` of an element whose count is 0 or 1. */
export function first(element: Element, attribute: string): string {
  return Token.asString(ref(`${addressOf(element)}[0].${attribute}`, TerraformStack.of(element)));
}

/** The expression's value, or "" when it refers to an instance that count 0 did not create. */
export function orEmpty(expression: string): string {
  return Token.asString(Fn.try([expression, ""]));
}
