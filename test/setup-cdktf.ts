import { Testing } from "cdktf";
import { expect } from "vitest";

// cdktf's matchers (toHaveResourceWithProperties, ...) extend the global `expect`; under vitest
// that global is vitest's own.
(globalThis as { expect?: unknown }).expect = expect;
Testing.setupJest();

/** The matchers take the provider class itself (for example `Vpc`), which knows its type name. */
type ResourceClass = { readonly tfResourceType: string };

declare module "vitest" {
  interface Assertion {
    toHaveResource(resource: ResourceClass): void;
    toHaveResourceWithProperties(
      resource: ResourceClass,
      properties: Record<string, unknown>,
    ): void;
    toHaveDataSource(dataSource: ResourceClass): void;
    toHaveDataSourceWithProperties(
      dataSource: ResourceClass,
      properties: Record<string, unknown>,
    ): void;
    toHaveProvider(provider: ResourceClass): void;
    toHaveProviderWithProperties(
      provider: ResourceClass,
      properties: Record<string, unknown>,
    ): void;
  }
}
