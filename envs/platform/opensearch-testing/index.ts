/**
 * Test support for the OpenSearch setup (imported by tests only): body shapes, a SigV4 verifier,
 * a fake domain and the Terraform evaluation of the setup's expressions.
 */
export * from "./fake.ts";
export * from "./shapes.ts";
export * from "./sigv4.ts";
export * from "./terraform.ts";
