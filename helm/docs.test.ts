import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isMap } from "./chart-files.ts";
import {
  type SchemaNode,
  chartDocFiles,
  getPath,
  parseParams,
  renderReadme,
  renderSchema,
  schemaNodeAt,
} from "./scripts/values-doc.ts";

const files = chartDocFiles();
const params = parseParams(files.values);
const documented = new Set(params.map((p) => p.path));
const values = parse(files.values) as Record<string, unknown>;
const schema = JSON.parse(files.schema) as SchemaNode;

/** Paths in values.yaml that no @param covers (a documented map covers its keys). */
function undocumented(node: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(node).flatMap(([key, value]) => {
    const path = prefix + key;
    if (documented.has(path)) return [];
    if (isMap(value) && Object.keys(value).length > 0) return undocumented(value, `${path}.`);
    return [path];
  });
}

/** Schema property paths that neither a @param nor a documented parent covers. */
function undocumentedInSchema(node: SchemaNode, prefix = ""): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const path = prefix + key;
    if (documented.has(path)) return [];
    if (child.properties) return undocumentedInSchema(child, `${path}.`);
    return [path];
  });
}

describe("## @param comments", () => {
  it("document a good number of values, each with a sentence", () => {
    expect(params.length).toBeGreaterThan(100);
    for (const param of params) {
      expect(param.description, param.path).toMatch(/^\S.{4,}[.)]$/);
      expect(param.section, param.path).not.toBe("");
    }
  });

  it("cover every value in values.yaml", () => {
    expect(undocumented(values)).toEqual([]);
  });

  it("name only values that exist", () => {
    expect(params.filter((p) => getPath(values, p.path) === undefined).map((p) => p.path)).toEqual(
      [],
    );
  });

  it("use camelCase keys only", () => {
    for (const param of params) {
      for (const key of param.path.split("."))
        expect(key, param.path).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    }
  });

  it("each have a typed schema property, and the schema has no undocumented property", () => {
    for (const param of params) {
      const node = schemaNodeAt(schema, param.path);
      expect(node, param.path).toBeDefined();
      expect(node!.type ?? node!.$ref, param.path).toBeDefined();
    }
    expect(undocumentedInSchema(schema)).toEqual([]);
  });
});

describe("generated documentation", () => {
  it("README.md values table is fresh (npx tsx helm/scripts/readme.ts)", () => {
    expect(files.readme).toBe(renderReadme(files.readme, files.values));
  });

  it("README.md lists every value with its default", () => {
    for (const param of params) expect(files.readme).toContain(`| \`${param.path}\` |`);
    expect(files.readme).toContain("| `autoscaling.targetCPUUtilizationPercentage` |");
    expect(files.readme).toMatch(/\| `config\.cacheTtlSeconds` \| .* \| `300` \|/);
  });

  it("values.schema.json descriptions are fresh (npx tsx helm/scripts/readme.ts)", async () => {
    const next = await renderSchema(files.schema, files.values, files.paths.schema);
    expect(files.schema).toBe(next);
    expect(schemaNodeAt(schema, "autoscaling.minReplicas")?.description).toBe("Fewest API pods.");
  });

  it("README.md explains a standalone install with an environment file", () => {
    expect(files.readme).toMatch(
      /helm (upgrade --install|install) expense-api \.\/helm\/expense-api/,
    );
    expect(files.readme).toContain("-f helm/expense-api/values-dev.yaml");
    expect(files.readme).toContain("70 × (n − 1) / n");
  });
});
