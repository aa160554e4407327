import { readFileSync } from "node:fs";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { PlatformStack } from "../envs/platform/index.ts";
import { EnvironmentStack } from "../envs/root-stack.ts";
import type { EnvironmentConfig } from "../envs/schema.ts";
import { MODULES } from "../modules/index.ts";
import { evaluateJson, UNKNOWN, type HclValue, type Scope } from "./hcl-eval.ts";

/** Terraform JSON of one synthesized stack (the parts the inventory reads). */
interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, { default?: unknown }>;
  locals?: Record<string, unknown>;
  module?: Record<string, Record<string, unknown>>;
}

/** How many of each billed thing an environment's synthesized stacks create. */
export interface Inventory {
  /** Instances per billed resource type (`BILLED_TYPES`), over the `<env>` stack and its modules. */
  readonly resources: Readonly<Record<string, number>>;
  /** `aws_kms_key` instances: customer-managed keys. */
  readonly kmsKeys: number;
  /** `aws_secretsmanager_secret` instances plus RDS-managed master passwords. */
  readonly secrets: number;
  readonly natGateways: number;
  /** `aws_eip` instances (public IPv4 addresses held all month). */
  readonly elasticIps: number;
  readonly logGroups: number;
  /** `aws_instance` instances (the bastion). */
  readonly instances: number;
  /** Root volume GiB over all `aws_instance` instances. */
  readonly instanceVolumeGb: number;
  /**
   * Application load balancers: `aws_lb` in the `<env>` stack plus one per distinct ALB Ingress
   * group the platform stack creates and the API chart's `values-<env>.yaml` enables.
   */
  readonly loadBalancers: number;
  /** OpenSearch domains and their data nodes and storage (zero when `logging.openSearch` is off). */
  readonly openSearch: readonly OpenSearchDomain[];
}

/** One OpenSearch domain as the stack configures it. */
export interface OpenSearchDomain {
  readonly instanceType: string;
  readonly instanceCount: number;
  /** EBS volume per data node, GiB. */
  readonly volumeGb: number;
}

const stackScope = (json: StackJson, variables: Record<string, HclValue>): Scope => {
  const locals = new Map<string, HclValue>();
  const scope: Scope = {
    variable: (name) => {
      if (name in variables) return variables[name]!;
      const spec = json.variable?.[name];
      if (spec && "default" in spec) return (spec.default ?? null) as HclValue;
      return UNKNOWN;
    },
    local: (name) => {
      if (!locals.has(name)) {
        if (!json.locals || !(name in json.locals)) return UNKNOWN;
        locals.set(name, evaluateJson(json.locals[name], scope));
      }
      return locals.get(name)!;
    },
  };
  return scope;
};

/** Instances of one resource block: 1, its evaluated `count`, or the size of its `for_each`. */
function instancesOf(
  resource: Record<string, unknown>,
  scope: Scope,
  where: string,
): { count: number; scope: Scope } {
  const meta = resource.count ?? resource.for_each;
  if (meta === undefined) return { count: 1, scope };
  const value = evaluateJson(meta, scope);
  const count =
    typeof value === "number"
      ? value
      : Array.isArray(value)
        ? value.length
        : value && typeof value === "object"
          ? Object.keys(value).length
          : NaN;
  if (!Number.isInteger(count))
    throw new Error(
      `cost: ${where}: cannot count ${JSON.stringify(meta)} before apply; extend cost/hcl-eval.ts`,
    );
  return { count, scope };
}

/**
 * Resource types the estimate bills (or reads, like the RDS-managed secret); only their `count`s are
 * evaluated, so other resources may use any Terraform syntax.
 */
export const BILLED_TYPES = [
  "aws_kms_key",
  "aws_secretsmanager_secret",
  "aws_db_instance",
  "aws_nat_gateway",
  "aws_eip",
  "aws_cloudwatch_log_group",
  "aws_instance",
  "aws_lb",
  "aws_opensearch_domain",
] as const;

/** Adds the billed resources of a stack (in `scope`) to `counts`, handing each block to `visit`. */
function countStack(
  json: StackJson,
  scope: Scope,
  where: string,
  counts: Record<string, number>,
  visit: (type: string, body: Record<string, unknown>, count: number, scope: Scope) => void,
): void {
  for (const [type, blocks] of Object.entries(json.resource ?? {})) {
    if (!(BILLED_TYPES as readonly string[]).includes(type)) continue;
    for (const [name, body] of Object.entries(blocks)) {
      const { count } = instancesOf(body, scope, `${where} ${type}.${name}`);
      counts[type] = (counts[type] ?? 0) + count;
      visit(type, body, count, scope);
    }
  }
}

/** Distinct ALB Ingress groups among Ingress objects (a group shares one load balancer). */
function albGroups(ingresses: { className: unknown; annotations: unknown; name: string }[]) {
  const groups = new Set<string>();
  for (const ingress of ingresses) {
    if (ingress.className !== "alb") continue;
    const annotations = (ingress.annotations ?? {}) as Record<string, unknown>;
    const group = annotations["alb.ingress.kubernetes.io/group.name"];
    groups.add(typeof group === "string" ? `group:${group}` : `ingress:${ingress.name}`);
  }
  return groups;
}

/** The API chart's Ingress in one environment, from values.yaml under values-<env>.yaml. */
function chartIngresses(env: string): { className: unknown; annotations: unknown; name: string }[] {
  const read = (file: string) =>
    (parse(readFileSync(`helm/expense-api/${file}`, "utf8")) ?? {}) as {
      ingress?: Record<string, unknown>;
    };
  const ingress = { ...read("values.yaml").ingress, ...read(`values-${env}.yaml`).ingress };
  if (ingress.enabled !== true) return [];
  return [{ className: ingress.className, annotations: ingress.annotations, name: "expense-api" }];
}

/**
 * Synthesizes the environment's `<env>` and `<env>-platform` stacks and the modules (in memory),
 * evaluates every `count` with the root variables' defaults (the values in `envs/<env>.ts`), and
 * counts what they create.
 */
export function inventory(config: EnvironmentConfig): Inventory {
  const app = Testing.app();
  const modules = new Map(
    MODULES.map((definition) => [
      definition.name,
      JSON.parse(Testing.synth(definition.synthesize(app))) as StackJson,
    ]),
  );
  const root = JSON.parse(Testing.synth(new EnvironmentStack(app, config))) as StackJson;
  const platform = JSON.parse(Testing.synth(new PlatformStack(app, config))) as StackJson;

  const counts: Record<string, number> = {};
  let managedPasswords = 0;
  let instanceVolumeGb = 0;
  const openSearch: OpenSearchDomain[] = [];
  const visit = (type: string, body: Record<string, unknown>, count: number, scope: Scope) => {
    if (type === "aws_db_instance" && evaluateJson(body.manage_master_user_password, scope))
      managedPasswords += count;
    if (type === "aws_instance" && count > 0) {
      const root = evaluateJson(body.root_block_device, scope) as Record<string, HclValue>;
      const size = root.volume_size;
      if (typeof size !== "number")
        throw new Error(`cost: ${config.environment}: aws_instance root volume size is not known`);
      instanceVolumeGb += count * size;
    }
    if (type === "aws_opensearch_domain" && count > 0) {
      const cluster = evaluateJson(body.cluster_config, scope) as Record<string, HclValue>;
      const ebs = evaluateJson(body.ebs_options, scope) as Record<string, HclValue>;
      for (let i = 0; i < count; i++)
        openSearch.push({
          instanceType: cluster.instance_type as string,
          instanceCount: cluster.instance_count as number,
          volumeGb: ebs.volume_size as number,
        });
    }
  };

  const rootScope = stackScope(root, {});
  countStack(root, rootScope, config.environment, counts, visit);
  for (const [id, call] of Object.entries(root.module ?? {})) {
    const name = String(call.source).replace(/^.*\//, "");
    const json = modules.get(name);
    if (!json) throw new Error(`cost: ${config.environment}: module ${id} calls unknown ${name}`);
    const args: Record<string, HclValue> = {};
    for (const [key, value] of Object.entries(call))
      if (!["source", "depends_on", "providers", "count", "for_each"].includes(key))
        args[key] = evaluateJson(value, rootScope);
    countStack(json, stackScope(json, args), `${config.environment} module.${id}`, counts, visit);
  }

  const platformIngresses = Object.entries(platform.resource?.kubernetes_ingress_v1 ?? {}).map(
    ([name, body]) => {
      const spec = (body.spec as { ingress_class_name?: unknown } | undefined) ?? {};
      const metadata = (body.metadata as { annotations?: unknown } | undefined) ?? {};
      return { className: spec.ingress_class_name, annotations: metadata.annotations, name };
    },
  );
  const groups = albGroups([...platformIngresses, ...chartIngresses(config.environment)]);

  const n = (type: string) => counts[type] ?? 0;
  return {
    resources: counts,
    kmsKeys: n("aws_kms_key"),
    secrets: n("aws_secretsmanager_secret") + managedPasswords,
    natGateways: n("aws_nat_gateway"),
    elasticIps: n("aws_eip"),
    logGroups: n("aws_cloudwatch_log_group"),
    instances: n("aws_instance"),
    instanceVolumeGb,
    loadBalancers: n("aws_lb") + groups.size,
    openSearch,
  };
}
