import { Testing } from "cdktf";
import { expect } from "vitest";

// cdktf's matchers (toHaveResourceWithProperties, ...) extend the global `expect`; under vitest
// that global is vitest's own.
(globalThis as { expect?: unknown }).expect = expect;
Testing.setupJest();

declare module "vitest" {
  interface Assertion {
    toHaveResource(resourceType: string): void;
    toHaveResourceWithProperties(resourceType: string, properties: Record<string, unknown>): void;
    toHaveDataSource(resourceType: string): void;
    toHaveDataSourceWithProperties(resourceType: string, properties: Record<string, unknown>): void;
    toHaveProvider(resourceType: string): void;
    toHaveProviderWithProperties(resourceType: string, properties: Record<string, unknown>): void;
  }
}
