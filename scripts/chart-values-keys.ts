/**
 * Writes envs/platform/chart-values-keys.json: for each pinned platform chart, the keys of its
 * values.yaml that the platform's values use. Run it after changing a pin or a value, with the
 * pinned charts' values.yaml files (read from the upstream repositories at the pinned version,
 * e.g. `git show kube-prometheus-stack-88.5.3:charts/kube-prometheus-stack/values.yaml`) in a
 * folder as `<chart>.yaml`, a subchart's as `<chart>.<alias>.yaml` (its keys sit under `<alias>`,
 * the parent's values win, as in Helm), and `<chart>.source` naming where they came from:
 *   tsx scripts/chart-values-keys.ts /path/to/folder
 * envs/platform/chart-keys.test.ts then fails when a value's key is not in this copy.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { format } from "prettier";
import { parse } from "yaml";
import { ENVIRONMENTS } from "../envs/index.ts";
import { documentedKeysFor, leafPaths, type DocumentedKeys } from "../envs/platform/chart-keys.ts";
import { platformReleases, withIngress } from "../envs/platform/chart-keys-releases.ts";
import { PlatformStack } from "../envs/platform/index.ts";

const folder = process.argv[2];
if (!folder) throw new Error("usage: tsx scripts/chart-values-keys.ts <folder of <chart>.yaml>");

/**
 * Keys with defaults that the chart's templates nevertheless range over as free-form maps (so the
 * defaults do not list every allowed key), or that another tool validates.
 */
const FREE_FORM: Record<string, string[]> = {
  // templates/deployment.yaml: `range $key, $value := .Values.extraArgs` → `--<key>=<value>`.
  "cluster-autoscaler": ["extraArgs"],
  // Alertmanager's own configuration, checked by `amtool check-config` (envs/platform tests).
  "kube-prometheus-stack": ["alertmanager.config"],
};

/** Keys the chart's templates read that its values.yaml documents only in a comment. */
const COMMENTED: Record<string, string[]> = {
  // Grafana subchart templates/ingress.yaml: `if .Values.ingress.ingressClassName`.
  "kube-prometheus-stack": ["grafana.ingress.ingressClassName"],
};

/** Free-form maps the templates read that values.yaml documents only in a comment. */
const COMMENTED_OPEN: Record<string, string[]> = {
  // Grafana subchart templates/serviceaccount.yaml: `with .Values.serviceAccount.annotations`.
  "kube-prometheus-stack": ["grafana.serviceAccount.annotations"],
};

const used = new Map<string, { version: string; paths: Set<string> }>();
for (const config of ENVIRONMENTS.flatMap((c) => [c, withIngress(c)])) {
  const stack = new PlatformStack(new App(), config);
  for (const { chart, values } of platformReleases(stack)) {
    const entry = used.get(chart.chart) ?? { version: chart.version, paths: new Set<string>() };
    for (const path of leafPaths(values)) entry.paths.add(path);
    used.set(chart.chart, entry);
  }
}
const out: Record<string, DocumentedKeys> = {};
for (const [chart, { version, paths }] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
  const upstream = parse(readFileSync(join(folder, `${chart}.yaml`), "utf8")) as Record<
    string,
    unknown
  >;
  for (const file of readdirSync(folder)) {
    const alias = file.startsWith(`${chart}.`) ? file.slice(chart.length + 1, -".yaml".length) : "";
    if (!alias || !file.endsWith(".yaml") || alias.includes(".")) continue;
    const sub = parse(readFileSync(join(folder, file), "utf8")) as Record<string, unknown>;
    upstream[alias] = deepMerge(sub, (upstream[alias] ?? {}) as Record<string, unknown>);
  }
  const source = readFileSync(join(folder, `${chart}.source`), "utf8").trim();
  const found = documentedKeysFor(upstream, [...paths]);
  for (const key of FREE_FORM[chart] ?? []) {
    if (
      !(
        key
          .split(".")
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], upstream) !==
        undefined
      )
    )
      throw new Error(`${chart}: free-form key ${key} is not in its values.yaml`);
    found.open = [...new Set([...found.open, key])].sort();
    found.keys = found.keys.filter((k) => !k.startsWith(`${key}.`));
  }
  found.keys = [...new Set([...found.keys, ...(COMMENTED[chart] ?? [])])].sort();
  found.open = [...new Set([...found.open, ...(COMMENTED_OPEN[chart] ?? [])])].sort();
  out[chart] = { version, source, ...found };
}
/** `over` merged onto `base`, recursively for objects. */
function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const below = out[key];
    out[key] = isObject(below) && isObject(value) ? deepMerge(below, value) : value;
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const target = new URL("../envs/platform/chart-values-keys.json", import.meta.url);
writeFileSync(target, await format(JSON.stringify(out), { parser: "json", printWidth: 100 }));
console.log(`wrote ${target.pathname}`);
