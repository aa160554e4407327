import { ref, TerraformStack, Token, type TerraformResource } from "cdktf";

/** `<resource>[*].<attribute>`: the attribute of every instance of a counted resource, as a list. */
export function splat(resource: TerraformResource, attribute: string): string[] {
  const address = `${resource.terraformResourceType}.${resource.friendlyUniqueId}[*].${attribute}`;
  return Token.asList(ref(address, TerraformStack.of(resource)));
}
