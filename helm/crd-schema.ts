/**
 * Strict validation of the chart's prometheus-operator custom resources (ServiceMonitor,
 * PrometheusRule) against the CRDs the cluster really has: those kube-prometheus-stack 88.5.3
 * installs (envs/platform/kube-prometheus-stack.ts), prometheus-operator v0.93.1, vendored
 * verbatim in helm/crd-schemas/ (source and refresh: helm/crd-schemas/README.md).
 *
 * A CRD's structural schema prunes every field it does not declare unless the object is marked
 * `x-kubernetes-preserve-unknown-fields`; a pruned field is a silently lost setting, so here an
 * undeclared field is an error (JSON Schema `additionalProperties: false`), like kubeconform's
 * `-strict`. `metadata` is checked as ObjectMeta by strict-fields.ts.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parse } from "yaml";

/** The vendored CRD files, one per kind. */
export const CRD_FILES = {
  ServiceMonitor: "crd-servicemonitors.yaml",
  PrometheusRule: "crd-prometheusrules.yaml",
} as const;

/** Kinds of monitoring.coreos.com the chart renders and this module validates. */
export type MonitoringKind = keyof typeof CRD_FILES;

type Schema = { [key: string]: unknown };

interface Crd {
  metadata: { annotations: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
  };
}

/** The parsed vendored CRD of `kind`. */
export function crd(kind: MonitoringKind): Crd {
  const file = new URL(`./crd-schemas/${CRD_FILES[kind]}`, import.meta.url);
  return parse(readFileSync(file, "utf8")) as Crd;
}

/**
 * Go's `(?i)` prefix (case-insensitive) has no JavaScript equivalent inside a pattern string:
 * spell each letter as a class of both cases.
 */
function jsPattern(pattern: string): string {
  const i = pattern.indexOf("(?i)");
  if (i < 0) return pattern;
  const rest = pattern
    .slice(i + 4)
    .replace(/(\\.)|[a-zA-Z]/g, (m, escaped: string | undefined) =>
      escaped ? m : `[${m.toLowerCase()}${m.toUpperCase()}]`,
    );
  return pattern.slice(0, i) + rest;
}

/**
 * The CRD's openAPIV3Schema as a JSON Schema for ajv: objects without
 * `x-kubernetes-preserve-unknown-fields: true` and without a map schema
 * (`additionalProperties`) get `additionalProperties: false`; the `x-kubernetes-*` annotations,
 * which only steer the API server (list/map semantics), are dropped. `metadata` is left to the
 * ObjectMeta check.
 */
export function strictSchema(schema: Schema, root = true): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-")) continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, sub]) => [
          name,
          root && name === "metadata" ? {} : strictSchema(sub, false),
        ]),
      );
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = strictSchema(value as Schema, false);
    } else if (key === "anyOf" || key === "allOf" || key === "oneOf") {
      out[key] = (value as Schema[]).map((s) => strictSchema(s, false));
    } else if (key === "pattern") {
      out.pattern = jsPattern(value as string);
    } else out[key] = value;
  }
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (schema.type === "object" && !preserve && !("additionalProperties" in schema))
    out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ strict: true, strictTypes: false, allErrors: true, allowUnionTypes: true });
// The formats the two CRDs use (OpenAPI's int64, RFC 3339 date-time); ajv knows none by default.
ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
ajv.addFormat("date-time", {
  type: "string",
  validate: (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(s),
});

const validators = new Map<string, ValidateFunction>();

/** The strict validator of `apiVersion`/`kind`; throws for a kind or version no vendored CRD serves. */
export function crValidator(apiVersion: string, kind: string): ValidateFunction {
  const key = `${apiVersion}/${kind}`;
  const cached = validators.get(key);
  if (cached) return cached;
  if (!(kind in CRD_FILES)) throw new Error(`no vendored CRD for kind ${kind} (${apiVersion})`);
  const definition = crd(kind as MonitoringKind);
  const [group, version] = apiVersion.split("/");
  const served = definition.spec.versions.find((v) => v.name === version && v.served);
  if (group !== definition.spec.group || !served)
    throw new Error(`CRD ${definition.spec.names.kind} does not serve apiVersion ${apiVersion}`);
  const validate = ajv.compile(strictSchema(served.schema.openAPIV3Schema));
  validators.set(key, validate);
  return validate;
}

/** Errors of `object` against its CRD, as `<path>: <message>` lines (empty: valid). */
export function crErrors(object: { apiVersion: string; kind: string }): string[] {
  const validate = crValidator(object.apiVersion, object.kind);
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) =>
    e.keyword === "additionalProperties"
      ? `${e.instancePath}/${String(e.params.additionalProperty)}: unknown field`
      : `${e.instancePath}: ${e.message ?? e.keyword}`,
  );
}
