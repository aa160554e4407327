/**
 * Strict field check of rendered Kubernetes objects: every key must be a field of the object's
 * API type, recursively (kubeconform's `-strict`). The types and their fields come from the
 * OpenAPI-generated models of @kubernetes/client-node (`getAttributeTypeMap()`), because the
 * kubernetes-models validators accept unknown fields.
 */
import { existsSync } from "node:fs";

const MODELS = new URL("../node_modules/@kubernetes/client-node/dist/gen/models/", import.meta.url);

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}
type Model = { getAttributeTypeMap(): Attribute[] };

const SCALARS = new Set(["string", "number", "boolean", "Date", "any", "object", "IntOrString"]);

async function model(type: string): Promise<Model | undefined> {
  const file = new URL(`${type}.js`, MODELS);
  if (!existsSync(file)) return undefined;
  return ((await import(file.href)) as Record<string, Model>)[type];
}

/** The client-node model name of `apiVersion`/`kind`, e.g. autoscaling/v2 HPA → V2HorizontalPodAutoscaler. */
export function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split("/").pop()!;
  return `${version[0]!.toUpperCase()}${version.slice(1)}${kind}`;
}

/** Paths of fields in `value` that type `type` does not have (empty: strictly valid). */
export async function unknownFields(value: unknown, type: string, path = ""): Promise<string[]> {
  if (value === null || value === undefined || SCALARS.has(type)) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array)
    return (
      await Promise.all(
        (value as unknown[]).map((v, i) => unknownFields(v, array[1]!, `${path}[${i}]`)),
      )
    ).flat();
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map)
    return (
      await Promise.all(
        Object.entries(value as object).map(([k, v]) => unknownFields(v, map[1]!, `${path}.${k}`)),
      )
    ).flat();
  const m = await model(type);
  if (!m) throw new Error(`no Kubernetes model ${type} (at ${path || "<root>"})`);
  const fields = new Map(m.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  const found: string[] = [];
  for (const [key, v] of Object.entries(value as object)) {
    const t = fields.get(key);
    if (!t) found.push(`${path}.${key}`);
    else found.push(...(await unknownFields(v, t, `${path}.${key}`)));
  }
  return found;
}
