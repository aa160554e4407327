import { readFileSync } from "node:fs";
import { TerraformResource, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { listGenerated } from "../kit/hcl/tree.ts";
import { synthAll } from "./synth.ts";

const synthesized = synthAll();
const { assembly, tree } = synthesized;
const moduleIds = assembly.modules.map((m) => m.definition.name);
const rootIds = assembly.environments.map((e) => e.config.environment);

describe("generated tree", () => {
  it("matches the committed terraform/ folder (run `npm run synth` and commit when this fails)", () => {
    expect(listGenerated("terraform")).toEqual([...tree.terraform.keys()].sort());
    for (const [path, content] of tree.terraform) {
      expect(readFileSync(`terraform/${path}`, "utf8"), `terraform/${path} is stale`).toBe(content);
    }
    for (const [path, content] of tree.others) {
      expect(readFileSync(path, "utf8"), `${path} is stale`).toBe(content);
    }
  });

  it("has the layout of DESIGN.md", () => {
    for (const id of moduleIds) expect(tree.terraform.has(`modules/${id}/main.tf`), id).toBe(true);
    for (const env of ["dev", "staging", "production"]) {
      expect(tree.terraform.has(`envs/${env}/main.tf`), env).toBe(true);
      expect(tree.terraform.has(`envs/${env}/example.tfvars`), env).toBe(true);
      expect(tree.terraform.has(`envs/${env}-platform/main.tf`), env).toBe(true);
      expect(tree.terraform.has(`envs/${env}-platform/providers.tf`), env).toBe(true);
    }
    expect(tree.terraform.has("bootstrap/main.tf")).toBe(true);
  });

  it("renders every attribute of every block of the JSON in the HCL", () => {
    for (const { stack, dir } of [
      ...assembly.modules.map((m) => ({ stack: m.stack, dir: `modules/${m.definition.name}` })),
      ...assembly.environments.map((e) => ({
        stack: e.stack as TerraformStack,
        dir: `envs/${e.config.environment}`,
      })),
      ...assembly.platforms.map((p) => ({
        stack: p.stack as TerraformStack,
        dir: `envs/${p.config.environment}-platform`,
      })),
      { stack: assembly.bootstrap as TerraformStack, dir: "bootstrap" },
    ]) {
      const hcl = [
        tree.terraform.get(`${dir}/main.tf`) ?? "",
        tree.terraform.get(`${dir}/providers.tf`) ?? "",
      ].join("\n");
      const json = synthesized.stackJson(stack.node.id);
      const blocks: [string, Record<string, unknown>][] = [];
      for (const [type, configs] of Object.entries(json.provider ?? {}))
        for (const config of configs) blocks.push([`provider "${type}" {`, config]);
      for (const [kind, byType] of [
        ["resource", json.resource],
        ["data", json.data],
      ] as const) {
        for (const [type, byName] of Object.entries(byType ?? {})) {
          for (const [name, body] of Object.entries(byName))
            blocks.push([`${kind} "${type}" "${name}" {`, body]);
        }
      }
      for (const [name, body] of Object.entries(json.module ?? {}))
        blocks.push([`module "${name}" {`, body]);
      for (const [header, body] of blocks) {
        const start = hcl.indexOf(header);
        expect(start, `${dir}: ${header}`).toBeGreaterThanOrEqual(0);
        const text = hcl.slice(start, hcl.indexOf("\n}\n", start));
        for (const key of Object.keys(body).filter((k) => k !== "//")) {
          expect(text, `${dir}: ${header} lost ${key}`).toMatch(new RegExp(`\\b${key}\\b`));
        }
      }
    }
  });
});

describe("stack structure", () => {
  it("modules declare one described variable per input and describe every output", () => {
    for (const { definition, stack } of assembly.modules) {
      const json = synthesized.stackJson(stack.node.id);
      const variables = json.variable ?? {};
      expect(Object.keys(variables).length, definition.name).toBe(
        Object.keys(definition.inputs).length,
      );
      for (const [name, variable] of Object.entries(variables)) {
        expect(String(variable.description), `${definition.name}.${name}`).toMatch(/^\S.{19,}\.$/s);
      }
      for (const [name, output] of Object.entries(json.output ?? {})) {
        expect(String(output.description), `${definition.name} output ${name}`).toMatch(
          /^\S.{9,}\.$/s,
        );
      }
    }
  });

  it("modules declare required_providers only: no provider block, no backend", () => {
    for (const id of moduleIds) {
      const json = synthesized.stackJson(id);
      expect(json.provider, id).toBeUndefined();
      expect(json.terraform?.backend, id).toBeUndefined();
      expect(json.terraform?.required_providers, id).toEqual({
        aws: { source: "hashicorp/aws", version: ">= 5.100.0, < 6.0.0" },
      });
    }
  });

  it("environments use the S3 backend with both lock mechanisms, encryption and a per-env key", () => {
    for (const { config } of assembly.environments) {
      const backend = (
        synthesized.stackJson(config.environment).terraform?.backend as {
          s3: Record<string, unknown>;
        }
      ).s3;
      expect(backend).toMatchObject({
        bucket: config.account.state.bucket,
        key: `envs/${config.environment}/terraform.tfstate`,
        region: config.account.region,
        encrypt: true,
        use_lockfile: true,
        dynamodb_table: config.account.state.lockTable,
      });
    }
  });

  it("environments pin the AWS provider and tag everything through default_tags", () => {
    for (const env of rootIds) {
      const json = synthesized.stackJson(env);
      expect(json.terraform?.required_providers).toEqual({
        aws: { source: "hashicorp/aws", version: "5.100.0" },
      });
      const provider = json.provider?.aws?.[0] as {
        region: string;
        default_tags: { tags: Record<string, string> }[];
      };
      expect(provider.region).toBe("${var.region}");
      expect(Object.keys(provider.default_tags[0]!.tags).sort()).toEqual([
        "CostCenter",
        "Environment",
        "ManagedBy",
        "Project",
      ]);
      expect(provider.default_tags[0]!.tags.Environment).toBe("${var.environment}");
    }
  });

  it("exposes the tunables as validated top-level variables whose defaults come from the env config", () => {
    for (const { config } of assembly.environments) {
      const variables = synthesized.stackJson(config.environment).variable ?? {};
      expect(variables.region?.default).toBe(config.region);
      expect(variables.bastion_instance_type?.default).toBe(config.bastion.instanceType);
      expect(variables.rds_instance_class?.default).toBe(config.rds.instanceClass);
      expect(variables.spot_percentage?.default).toBe(config.eks.spotPercentage);
      for (const name of [
        "region",
        "environment",
        "bastion_instance_type",
        "node_instance_types",
        "rds_instance_class",
        "redis_node_type",
        "vpc_cidr",
      ]) {
        expect(
          (variables[name]?.validation as unknown[] | undefined)?.length,
          `${config.environment}.${name}`,
        ).toBeGreaterThan(0);
      }
    }
  });

  it("tags every taggable resource of every module and of the bootstrap with its Component", () => {
    const stacks = [...assembly.modules.map((m) => m.stack), assembly.bootstrap];
    let checked = 0;
    for (const stack of stacks) {
      const json = synthesized.stackJson(stack.node.id);
      for (const node of stack.node.findAll()) {
        if (!TerraformResource.isTerraformResource(node) || !("tagsInput" in node)) continue;
        const resource = node as TerraformResource;
        const body = json.resource?.[resource.terraformResourceType]?.[
          resource.friendlyUniqueId
        ] as { tags?: unknown };
        const tags = JSON.stringify(body?.tags ?? {});
        expect(
          tags,
          `${stack.node.id}: ${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
        ).toContain('"Component"');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
