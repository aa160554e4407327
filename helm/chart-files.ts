/**
 * Reading the chart's files for the tests: values files merged the way Helm merges them, template
 * sources, and the schema validator.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { CHART_DIR, getPath } from "./scripts/values-doc.ts";

export { CHART_DIR };

/** The value at a dotted path of a values object, or undefined. */
export const at = getPath;

/** Plain JSON-like object. */
export type Values = Record<string, unknown>;

/** Environments that have a values-<env>.yaml. */
export const ENVIRONMENTS = ["dev", "staging", "production"] as const;

/** Text of a file inside the chart. */
export const chartFile = (path: string): string => readFileSync(join(CHART_DIR, path), "utf8");

/** A YAML file inside the chart, parsed. */
export const chartYaml = (path: string): Values => parse(chartFile(path)) as Values;

/** Whether a value is a YAML map (not a list, not null). */
export const isMap = (value: unknown): value is Values =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Helm's coalescing of a values file over the defaults: maps merge key by key, anything else
 * (lists included) replaces, and null deletes the key.
 */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = mergeValues(out[key], value);
    else out[key] = structuredClone(value);
  }
  return out;
}

/** values.yaml with the given files of the chart merged over it, in order. */
export const mergedValues = (...files: string[]): Values =>
  files.reduce((acc, file) => mergeValues(acc, chartYaml(file)), chartYaml("values.yaml"));

/** The compiled values.schema.json. */
export function schemaValidator(): ValidateFunction {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  return ajv.compile(JSON.parse(chartFile("values.schema.json")));
}

/** Names of the files in templates/, sorted. */
export const templateNames = (): string[] => readdirSync(join(CHART_DIR, "templates")).sort();

/** Source of a template. */
export const templateSource = (name: string): string => chartFile(join("templates", name));

/** One `{{ ... }}` action of a template, without delimiters and trim markers. */
export interface TemplateAction {
  /** The action's text, for example `if .Values.ingress.enabled` or `end`. */
  text: string;
  /** Offset of the opening `{{` in the source. */
  start: number;
  /** Offset just after the closing `}}`. */
  end: number;
}

/** Every action of a template source, comments included (`/* ... *\/`). */
export function templateActions(source: string): TemplateAction[] {
  const actions: TemplateAction[] = [];
  const pattern = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
  for (const match of source.matchAll(pattern)) {
    actions.push({ text: match[1]!, start: match.index, end: match.index + match[0].length });
  }
  return actions;
}

const OPENERS = /^(if|with|range|define|block)\b/;

/**
 * Nesting depth after each action (comments skipped): +1 after if/with/range/define/block, -1
 * after end.
 */
export function blockDepths(actions: TemplateAction[]): number[] {
  let depth = 0;
  return actions
    .filter((action) => !action.text.startsWith("/*"))
    .map((action) => {
      if (OPENERS.test(action.text)) depth += 1;
      else if (/^end\b/.test(action.text)) depth -= 1;
      return depth;
    });
}

/**
 * Checks that every if/with/range/define/block has its `end` and no `end` is left over; returns
 * the problems found (none when balanced).
 */
export function unbalancedBlocks(source: string): string[] {
  const depths = blockDepths(templateActions(source));
  const problems: string[] = [];
  if (depths.some((depth) => depth < 0))
    problems.push("an end closes a block that was never opened");
  if ((depths.at(-1) ?? 0) > 0) problems.push(`${depths.at(-1)} block(s) never closed`);
  return problems;
}

/** Body of a `define` block in _helpers.tpl, between its `define` and matching `end`. */
export function helperBody(name: string): string {
  const source = templateSource("_helpers.tpl");
  let depth = 0;
  let bodyStart = -1;
  for (const action of templateActions(source)) {
    if (action.text.startsWith("/*")) continue;
    if (bodyStart < 0) {
      if (action.text === `define "${name}"`) bodyStart = action.end;
      continue;
    }
    if (OPENERS.test(action.text)) depth += 1;
    else if (/^end\b/.test(action.text)) {
      if (depth === 0) return source.slice(bodyStart, action.start);
      depth -= 1;
    }
  }
  throw new Error(`helper ${name} is not defined or not closed`);
}
