import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  CHART_DIR,
  at,
  blockDepths,
  chartFile,
  chartYaml,
  helperBody,
  templateActions,
  templateNames,
  templateSource,
  unbalancedBlocks,
} from "./chart-files.ts";

const templates = templateNames();
const manifests = templates.filter((name) => name.endsWith(".yaml"));
const defaults = chartYaml("values.yaml");

/** Names given to `define` in _helpers.tpl. */
const defined = templateActions(templateSource("_helpers.tpl"))
  .map((a) => /^define "([^"]+)"$/.exec(a.text)?.[1])
  .filter((name): name is string => name !== undefined);

/** The actions of a template that are not comments. */
const code = (name: string) =>
  templateActions(templateSource(name)).filter((a) => !a.text.startsWith("/*"));

describe("chart metadata and plain files", () => {
  it("Chart.yaml is apiVersion v2 with a kubeVersion constraint and an appVersion", () => {
    const chart = chartYaml("Chart.yaml");
    expect(chart).toMatchObject({ apiVersion: "v2", name: "expense-api", type: "application" });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof chart.appVersion).toBe("string");
    expect(chart.kubeVersion).toMatch(/^>=1\.\d+\.\d+-0$/);
  });

  it("every YAML and JSON file outside templates/ parses", () => {
    const files = (dir: string): string[] =>
      readdirSync(join(CHART_DIR, dir), { withFileTypes: true }).flatMap((entry) => {
        const path = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory()) return path === "templates" ? [] : files(path);
        return /\.(ya?ml|json)$/.test(entry.name) ? [path] : [];
      });
    const found = files("");
    expect(found).toEqual(
      expect.arrayContaining([
        "Chart.yaml",
        "values.yaml",
        "values-dev.yaml",
        "values-staging.yaml",
        "values-production.yaml",
        "values.schema.json",
        "dashboards/expense-api.json",
        "ci/lint-values.yaml",
      ]),
    );
    for (const file of found) {
      const text = chartFile(file);
      if (file.endsWith(".json")) expect(() => JSON.parse(text), file).not.toThrow();
      else {
        const docs = parseAllDocuments(text);
        for (const doc of docs) expect(doc.errors, file).toEqual([]);
        expect(docs.length, file).toBe(1);
      }
    }
  });

  it(".helmignore keeps the dashboards and drops the CI-only values", () => {
    const ignore = chartFile(".helmignore").split("\n");
    expect(ignore).toContain("ci/");
    expect(ignore.some((line) => line.startsWith("dashboards"))).toBe(false);
  });
});

describe("template structure", () => {
  it("defines the standard helpers, truncating names to 63 characters", () => {
    for (const name of [
      "name",
      "fullname",
      "chart",
      "labels",
      "selectorLabels",
      "serviceAccountName",
    ]) {
      expect(defined).toContain(`expense-api.${name}`);
    }
    for (const name of ["name", "fullname", "chart", "migrationName"]) {
      expect(helperBody(`expense-api.${name}`)).toContain("trunc 63");
    }
  });

  it("selects pods on name and instance only", () => {
    const labels = helperBody("expense-api.selectorLabels").trim().split("\n");
    expect(labels.map((l) => l.split(":")[0])).toEqual([
      "app.kubernetes.io/name",
      "app.kubernetes.io/instance",
    ]);
    expect(helperBody("expense-api.labels")).toContain('include "expense-api.selectorLabels"');
  });

  it.each(templates)("%s has balanced if/with/range/define blocks", (name) => {
    expect(unbalancedBlocks(templateSource(name))).toEqual([]);
  });

  it.each(templates)("%s includes only defined helpers", (name) => {
    const includes = [...templateSource(name).matchAll(/include "([^"]+)"/g)].map((m) => m[1]!);
    const known = new Set(defined);
    expect(includes.filter((n) => !known.has(n) && !n.startsWith("expense-api/templates"))).toEqual(
      [],
    );
  });

  it.each(templates)("%s reads only values that exist in values.yaml", (name) => {
    const paths = [...templateSource(name).matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map(
      (m) => m[1]!,
    );
    expect(paths.filter((p) => at(defaults, p.replace(/\.$/, "")) === undefined)).toEqual([]);
  });

  it.each(manifests)("%s renders at most one resource kind", (name) => {
    const kinds = [...templateSource(name).matchAll(/^kind: (\S+)$/gm)];
    expect(kinds.length).toBe(1);
    expect(templateSource(name)).not.toMatch(/^---$/m);
  });

  it.each(manifests)("%s labels its resource with the common labels", (name) => {
    expect(templateSource(name)).toMatch(
      /labels:\n\s+\{\{- include "expense-api\.labels" \. \| nindent 4 \}\}/,
    );
  });

  it("uses nindent, never a bare indent, to place included blocks", () => {
    for (const name of manifests) {
      for (const action of code(name)) {
        if (/\b(toYaml|include)\b/.test(action.text) && /\|\s*indent\b/.test(action.text)) {
          throw new Error(`${name}: "${action.text}" should use nindent`);
        }
      }
    }
    expect(manifests.length).toBeGreaterThan(10);
  });
});

describe("optional templates", () => {
  // Each template that can be left out, and the condition that must wrap its whole body.
  const guards: [string, string, Record<string, unknown>][] = [
    ["ingress.yaml", "if .Values.ingress.enabled", { "ingress.enabled": false }],
    ["networkpolicy.yaml", "if .Values.networkPolicy.enabled", { "networkPolicy.enabled": false }],
    [
      "servicemonitor.yaml",
      "if .Values.serviceMonitor.enabled",
      { "serviceMonitor.enabled": false },
    ],
    [
      "prometheusrule.yaml",
      "if .Values.prometheusRule.enabled",
      { "prometheusRule.enabled": false },
    ],
    ["dashboard-configmap.yaml", "if .Values.dashboard.enabled", { "dashboard.enabled": false }],
    ["hpa.yaml", "if .Values.autoscaling.enabled", { "autoscaling.enabled": true }],
    ["pdb.yaml", "if .Values.pdb.enabled", { "pdb.enabled": true }],
    ["serviceaccount.yaml", "if .Values.serviceAccount.create", { "serviceAccount.create": true }],
    ["secret.yaml", "if not .Values.secret.existingSecret", { "secret.existingSecret": "" }],
    ["migration-job.yaml", "if .Values.migration.enabled", { "migration.enabled": true }],
    ["migration-configmap.yaml", "if .Values.migration.enabled", { "migration.enabled": true }],
    [
      "migration-secret.yaml",
      "if and .Values.migration.enabled (not .Values.secret.existingSecret)",
      { "migration.enabled": true, "secret.existingSecret": "" },
    ],
  ];

  it.each(guards)("%s is wrapped in {{- %s }} ... {{- end }}", (name, condition) => {
    const actions = code(name);
    expect(actions[0]?.text).toBe(condition);
    const source = templateSource(name);
    expect(source.slice(actions.at(-1)!.start).trim()).toBe("{{- end }}");
    // The first `if` closes at the very last action: nothing is rendered outside it.
    const depths = blockDepths(actions);
    expect(depths.slice(0, -1).every((d) => d > 0)).toBe(true);
    expect(depths.at(-1)).toBe(0);
  });

  it.each(guards)("%s: the defaults of the flags in {{- %s }}", (_name, condition, flags) => {
    for (const [path, expected] of Object.entries(flags)) {
      expect(condition).toContain(`.Values.${path}`);
      expect(at(defaults, path), path).toBe(expected);
    }
  });

  it("leaves every optional feature off by default", () => {
    for (const flag of [
      "ingress",
      "networkPolicy",
      "serviceMonitor",
      "prometheusRule",
      "dashboard",
    ]) {
      expect(at(defaults, `${flag}.enabled`), flag).toBe(false);
    }
  });

  it("guards every template except the always-on Deployment, Service and ConfigMap", () => {
    const guarded = new Set(guards.map(([name]) => name));
    const always = manifests.filter((name) => !guarded.has(name));
    expect(always.sort()).toEqual(["configmap.yaml", "deployment.yaml", "service.yaml"]);
  });
});

describe("workload details", () => {
  const deployment = templateSource("deployment.yaml");

  it("rolls out without ever dropping below the desired count", () => {
    expect(deployment).toMatch(/rollingUpdate:\n(\s+#.*\n)*\s+maxUnavailable: 0\n/);
    expect(deployment).toContain("{{- if not .Values.autoscaling.enabled }}\n  replicas:");
  });

  it("rolls pods when the chart's ConfigMap or Secret changes", () => {
    expect(deployment).toContain(
      'checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}',
    );
    expect(deployment).toContain(
      'checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}',
    );
  });

  it("probes live, ready and startup, and pauses before SIGTERM", () => {
    expect(at(defaults, "livenessProbe.httpGet.path")).toBe("/health/live");
    expect(at(defaults, "readinessProbe.httpGet.path")).toBe("/health/ready");
    expect(at(defaults, "startupProbe.httpGet.path")).toBe("/health/live");
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      expect(deployment).toContain(
        `${probe}:\n            {{- toYaml .Values.${probe} | nindent 12 }}`,
      );
    }
    expect(deployment).toMatch(
      /preStop:\n\s+sleep:\n\s+seconds: \{\{ \.Values\.lifecycle\.preStopSleepSeconds \}\}/,
    );
    expect(deployment).toMatch(
      /fail "lifecycle\.preStopSleepSeconds must be shorter than terminationGracePeriodSeconds/,
    );
  });

  it("spreads pods across zones and nodes", () => {
    expect(deployment).toContain("topologyKey: topology.kubernetes.io/zone");
    expect(deployment).toContain("topologyKey: kubernetes.io/hostname");
  });

  it("refuses minReplicas above maxReplicas (JSON schema draft-07 cannot compare two values)", () => {
    expect(templateSource("hpa.yaml")).toMatch(
      /if gt \(int \$a\.minReplicas\) \(int \$a\.maxReplicas\) \}\}\n\{\{- fail /,
    );
  });

  it("mounts a writable /tmp under a read-only root filesystem in both containers", () => {
    for (const name of ["deployment.yaml", "migration-job.yaml"]) {
      const source = templateSource(name);
      expect(source, name).toMatch(/- name: tmp\n\s+mountPath: \/tmp/);
      expect(source, name).toContain("{{- toYaml .Values.securityContext | nindent 12 }}");
      expect(source, name).toContain("{{- toYaml .Values.podSecurityContext | nindent 8 }}");
    }
  });

  it("requires the image repository and the connection settings it cannot default", () => {
    expect(helperBody("expense-api.image")).toMatch(/required "image\.repository is required/);
    const config = helperBody("expense-api.configData");
    for (const value of ["config.database.host", "config.database.user", "config.redis.host"]) {
      expect(config).toContain(`required "${value} is required`);
    }
    expect(helperBody("expense-api.secretData")).toContain(
      'required "secret.dbPassword is required',
    );
  });
});

describe("migration hook", () => {
  /** The helm.sh/hook* annotations of a template, read from its text. */
  const hook = (name: string): Record<string, string> =>
    Object.fromEntries(
      [...templateSource(name).matchAll(/^\s+(helm\.sh\/hook[a-z-]*): "?([^"\n]+)"?$/gm)].map(
        (m) => [m[1]!, m[2]!],
      ),
    );

  it("runs the migration Job before install and upgrade, after its settings exist", () => {
    const job = hook("migration-job.yaml");
    expect(job["helm.sh/hook"]).toBe("pre-install,pre-upgrade");
    for (const name of ["migration-configmap.yaml", "migration-secret.yaml"]) {
      const copy = hook(name);
      expect(copy["helm.sh/hook"], name).toBe(job["helm.sh/hook"]);
      expect(Number(copy["helm.sh/hook-weight"]), name).toBeLessThan(
        Number(job["helm.sh/hook-weight"]),
      );
      expect(copy["helm.sh/hook-delete-policy"], name).toContain("before-hook-creation");
    }
    expect(job["helm.sh/hook-delete-policy"]).toBe("before-hook-creation,hook-succeeded");
  });

  it("reads the hook-scoped copies, never the release's ordinary ConfigMap or Secret", () => {
    const source = templateSource("migration-job.yaml");
    expect(source).toContain('"own" (include "expense-api.migrationName" .)');
    expect(source).toContain(
      '.Values.secret.existingSecret | default (include "expense-api.migrationName" .)',
    );
    expect(source).not.toContain('include "expense-api.secretName"');
    expect(source).not.toContain("serviceAccountName: {{ include");
  });

  it("labels its pods so that no selector of the API matches them", () => {
    const source = templateSource("migration-job.yaml");
    expect(source).toContain('{{- include "expense-api.migrationPodLabels" . | nindent 8 }}');
    expect(helperBody("expense-api.migrationPodLabels")).toMatch(
      /app\.kubernetes\.io\/name: \{\{ printf "%s-migration"/,
    );
  });
});
