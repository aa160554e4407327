import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { type StackJson } from "../../test/synth.ts";
import { dev } from "../dev.ts";
import { production } from "../production.ts";
import { PLATFORM_READER_GROUP } from "../root-stack.ts";
import type { EnvironmentConfig } from "../schema.ts";
import { staging } from "../staging.ts";
import type { PlatformContext } from "./context.ts";
import {
  createPlanReaderRbac,
  PLAN_READER_NAMES,
  READ_VERBS,
  REFRESH_READS,
} from "./plan-reader-rbac.ts";
import { PlatformStack } from "./stack.ts";

type Rule = { api_groups: string[]; resources: string[]; verbs: string[] };
type Rbac = {
  metadata: { name: string; namespace?: string };
  rule?: Rule[];
  role_ref?: { kind: string; name: string };
  subject?: { kind: string; name: string }[];
};

const withEfk = (config: EnvironmentConfig): EnvironmentConfig => ({
  ...config,
  openSearch: { ...config.openSearch, enabled: true },
});
// Every environment as committed, plus the EFK option (which adds a Job and its RBAC).
const VARIANTS: [string, EnvironmentConfig][] = [
  ["dev", dev],
  ["staging", staging],
  ["production", production],
  ["dev with EFK", withEfk(dev)],
];
const stacks = VARIANTS.map(
  ([name, config]) =>
    [
      name,
      JSON.parse(Testing.synth(new PlatformStack(Testing.app(), config))) as StackJson,
    ] as const,
);

const of = (json: StackJson, type: string) => (json.resource?.[type] ?? {}) as Record<string, Rbac>;
/** `group/resource` of every resource a rule grants. */
const granted = (rules: Rule[]) =>
  rules.flatMap((r) => r.api_groups.flatMap((g) => r.resources.map((res) => `${g}/${res}`)));
const key = (r: { apiGroup: string; resource: string }) => `${r.apiGroup}/${r.resource}`;

describe.each(stacks)("platform-plan reader RBAC (%s)", (_name, json) => {
  const roles = of(json, "kubernetes_cluster_role_v1");
  const reader = Object.values(roles).find((r) => r.metadata.name === PLAN_READER_NAMES.objects)!;
  const releaseReader = Object.values(roles).find(
    (r) => r.metadata.name === PLAN_READER_NAMES.secrets,
  )!;

  it("covers every in-cluster type of the synthesized stack with a read of its objects", () => {
    const types = Object.keys(json.resource ?? {}).filter((t) => /^(kubernetes_|helm_)/.test(t));
    expect(types.length).toBeGreaterThan(5);
    const all = new Set(granted([...reader.rule!, ...releaseReader.rule!]));
    for (const type of types) {
      expect(REFRESH_READS[type], `${type} has no REFRESH_READS entry`).toBeDefined();
      expect(all.has(key(REFRESH_READS[type]!)), type).toBe(true);
    }
    // Exactly those: nothing the stack does not manage.
    expect([...all].sort()).toEqual([...new Set(types.map((t) => key(REFRESH_READS[t]!)))].sort());
  });

  it("grants only get/list/watch, and Secrets only through the release reader", () => {
    for (const role of [reader, releaseReader])
      for (const rule of role.rule!) expect(rule.verbs).toEqual([...READ_VERBS]);
    expect(granted(reader.rule!)).not.toContain("/secrets");
    expect(granted(releaseReader.rule!)).toEqual(["/secrets"]);
    // No other role or binding of the stack names the reader group.
    const bindings = { ...of(json, "kubernetes_role_binding_v1") };
    const named = Object.values(bindings).filter((b) =>
      b.subject?.some((s) => s.name === PLATFORM_READER_GROUP),
    );
    expect(named.every((b) => b.metadata.name === PLAN_READER_NAMES.secrets)).toBe(true);
  });

  it("binds the objects reader cluster-wide and the release reader only where releases live", () => {
    const clusterBindings = Object.values(of(json, "kubernetes_cluster_role_binding_v1"));
    expect(clusterBindings).toHaveLength(1);
    expect(clusterBindings[0]!.role_ref!.name).toBe(
      "${kubernetes_cluster_role_v1.plan_reader_role.metadata[0].name}",
    );
    expect(clusterBindings[0]!.subject).toEqual([
      expect.objectContaining({ kind: "Group", name: PLATFORM_READER_GROUP }),
    ]);
    const releaseNamespaces = new Set(
      Object.values(
        (json.resource?.helm_release ?? {}) as Record<string, { namespace: string }>,
      ).map((r) => r.namespace),
    );
    const secretBindings = Object.values(of(json, "kubernetes_role_binding_v1")).filter(
      (b) => b.metadata.name === PLAN_READER_NAMES.secrets,
    );
    expect(new Set(secretBindings.map((b) => b.metadata.namespace))).toEqual(releaseNamespaces);
    expect(secretBindings).toHaveLength(releaseNamespaces.size);
    for (const b of secretBindings) {
      expect(b.role_ref).toMatchObject({
        kind: "ClusterRole",
        name: "${kubernetes_cluster_role_v1.plan_release_reader_role.metadata[0].name}",
      });
      expect(b.subject).toEqual([
        expect.objectContaining({ kind: "Group", name: PLATFORM_READER_GROUP }),
      ]);
    }
    // The app's namespace holds no release, so the reader cannot list its Secrets.
    expect(releaseNamespaces).not.toContain(
      "${kubernetes_namespace_v1.namespace_app.metadata[0].name}",
    );
  });
});

describe("createPlanReaderRbac", () => {
  it("refuses a platform stack with an in-cluster type it cannot map to a read", () => {
    const stack = new TerraformStack(Testing.app(), "platform");
    new SecretV1(stack, "secret", { metadata: { name: "x", namespace: "default" } });
    const ctx = { scope: stack } as unknown as PlatformContext;
    expect(() => createPlanReaderRbac(ctx)).toThrow(
      /REFRESH_READS has no entry for kubernetes_secret_v1/,
    );
  });
});
