/** Converts a camelCase TypeScript key to the snake_case name Terraform uses for it. */
export function toSnakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
}

/** AWS resource name prefix `<project>-<env>`; the component is appended by each resource. */
export function namePrefix(project: string, environment: string): string {
  return `${project}-${environment}`;
}
