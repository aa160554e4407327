/**
 * Reads the `## @section` / `## @param <path> <description>` comments of the chart's values.yaml
 * and derives from them the README's values table and the descriptions in values.schema.json, so
 * that a value is described in exactly one place.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { parse } from "yaml";

/** Folder of the chart. */
export const CHART_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "expense-api");

/** Markers around the generated table in the chart README. */
export const TABLE_START = "<!-- values-table:start -->";
export const TABLE_END = "<!-- values-table:end -->";

/** One documented value. */
export interface ValueParam {
  /** Dotted path in values.yaml, for example `autoscaling.minReplicas`. */
  path: string;
  /** One-sentence description. */
  description: string;
  /** Title of the `## @section` the value belongs to. */
  section: string;
}

/** A JSON schema node, as far as these scripts read it. */
export interface SchemaNode {
  description?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  $ref?: string;
  [keyword: string]: unknown;
}

const PARAM = /^\s*## @param (\S+) (.+)$/;
const SECTION = /^\s*## @section (.+)$/;

/** Every `## @param` of a values file, in file order. Throws on a malformed or repeated one. */
export function parseParams(valuesYaml: string): ValueParam[] {
  const params: ValueParam[] = [];
  const seen = new Set<string>();
  let section = "";
  for (const [index, line] of valuesYaml.split("\n").entries()) {
    const sectionMatch = SECTION.exec(line);
    if (sectionMatch) {
      section = sectionMatch[1]!.trim();
      continue;
    }
    if (/^\s*## @param/.test(line)) {
      const match = PARAM.exec(line);
      if (!match) throw new Error(`values.yaml:${index + 1}: malformed @param comment: ${line}`);
      const [, path, description] = match as unknown as [string, string, string];
      if (seen.has(path)) throw new Error(`values.yaml:${index + 1}: ${path} documented twice`);
      seen.add(path);
      params.push({ path, description: description.trim(), section });
    }
  }
  return params;
}

/** The value at a dotted path, or undefined when a segment is missing. */
export function getPath(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The schema node that describes a dotted values path, following `properties` only. */
export function schemaNodeAt(schema: SchemaNode, path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const key of path.split(".")) {
    node = node?.properties?.[key];
  }
  return node;
}

const cell = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** Markdown tables (one per section) of every documented value with its default. */
export function renderValuesTable(valuesYaml: string): string {
  const values: unknown = parse(valuesYaml);
  const out: string[] = [];
  let section: string | undefined;
  for (const param of parseParams(valuesYaml)) {
    if (param.section !== section) {
      section = param.section;
      out.push("", `### ${section}`, "", "| Name | Description | Default |", "| --- | --- | --- |");
    }
    const value = getPath(values, param.path);
    const shown = value === undefined ? "" : `\`${cell(JSON.stringify(value))}\``;
    out.push(`| \`${param.path}\` | ${cell(param.description)} | ${shown} |`);
  }
  return out.join("\n").trimStart();
}

/** The README with its values table replaced by a freshly rendered one. */
export function renderReadme(readme: string, valuesYaml: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md lacks the ${TABLE_START} ... ${TABLE_END} markers`);
  }
  const table = renderValuesTable(valuesYaml);
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

/**
 * values.schema.json with the description of every documented value set from its `## @param`,
 * formatted with the repository's Prettier settings. Types and constraints stay hand-written.
 */
export async function renderSchema(
  schemaJson: string,
  valuesYaml: string,
  file: string,
): Promise<string> {
  const schema = JSON.parse(schemaJson) as SchemaNode;
  for (const param of parseParams(valuesYaml)) {
    const node = schemaNodeAt(schema, param.path);
    if (!node) throw new Error(`values.schema.json has no property for ${param.path}`);
    node.description = param.description;
  }
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(schema), { ...options, filepath: file });
}

/** The chart files the documentation is derived from and written to. */
export function chartDocFiles(chartDir = CHART_DIR) {
  const paths = {
    values: join(chartDir, "values.yaml"),
    schema: join(chartDir, "values.schema.json"),
    readme: join(chartDir, "README.md"),
  };
  return {
    paths,
    values: readFileSync(paths.values, "utf8"),
    schema: readFileSync(paths.schema, "utf8"),
    readme: readFileSync(paths.readme, "utf8"),
  };
}
