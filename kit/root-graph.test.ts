import { describe, expect, it } from "vitest";
import { synthAll } from "../test/synth.ts";
import { moduleEdges, platformEdges, synthTimeSettings, type RootJson } from "./root-graph.ts";

const root: RootJson = {
  module: {
    network: { source: "../../modules/network", name: "x-${var.environment}", az_count: 2 },
    groups: {
      source: "../../modules/security-groups",
      vpc_id: "${module.network.vpc_id}",
      cidr: "${module.network.vpc_cidr}",
      "//": { metadata: { path: "dev/groups" } },
    },
    runner: {
      source: "../../modules/ci-runner",
      subnets: "${element(module.network.private_subnet_ids, 0)}",
      sg: "${module.groups.node_sg}",
      connection_arn: "${data.aws_codestarconnections_connection.github.arn}",
      boundary: "arn:${data.aws_partition.p.partition}:iam::1:policy/b",
      namespaces: ["expense"],
    },
  },
  output: {
    vpc_id: { value: "${module.network.vpc_id}" },
    runner_sg: { value: "${module.groups.node_sg}" },
  },
};

describe("root graph", () => {
  it("finds every module-to-module reference, with the outputs read, and non-context data sources", () => {
    expect(moduleEdges(root)).toEqual([
      { from: "network", to: "groups", outputs: ["vpc_cidr", "vpc_id"] },
      {
        from: "data.aws_codestarconnections_connection.github",
        to: "runner",
        outputs: ["arn"],
      },
      { from: "groups", to: "runner", outputs: ["node_sg"] },
      { from: "network", to: "runner", outputs: ["private_subnet_ids"] },
    ]);
  });

  it("maps the platform's remote-state reads to the modules behind the root outputs", () => {
    const platform = {
      resource: { t: { x: "${data.terraform_remote_state.env.outputs.vpc_id}" } },
    };
    expect(platformEdges(root, platform, "platform")).toEqual([
      { from: "network", to: "platform", outputs: ["vpc_id"] },
    ]);
    const unknown = { resource: { t: { x: "${data.terraform_remote_state.env.outputs.nope}" } } };
    expect(() => platformEdges(root, unknown, "platform")).toThrow(/reads output nope/);
  });

  it("lists literal module arguments as synth-time settings, not references or metadata", () => {
    expect(synthTimeSettings(root)).toEqual([
      { module: "network", argument: "az_count", value: 2 },
      { module: "runner", argument: "namespaces", value: ["expense"] },
    ]);
  });

  it("covers every module call of the synthesized roots, and the platform reads declared outputs", () => {
    const { assembly } = synthAll();
    for (const { config, stack } of assembly.environments) {
      const json = stack.toTerraform() as RootJson;
      // Wiring written in envs/root-stack.ts, found again in the JSON.
      expect(moduleEdges(json)).toEqual(
        expect.arrayContaining([
          { from: "network", to: "eks", outputs: ["private_subnet_ids"] },
          { from: "security_groups", to: "eks", outputs: ["node_security_group_id"] },
          { from: "logging", to: "opensearch", outputs: ["fluent_bit_role_arn"] },
        ]),
      );
      const platform = assembly.platforms.find((p) => p.config === config)!.stack.toTerraform();
      expect(platformEdges(json, platform as RootJson, "platform").length).toBeGreaterThan(0);
      // The values the README and issue name as fixed at synth time are listed.
      const keys = synthTimeSettings(json).map((s) => `${s.module}.${s.argument}`);
      expect(keys).toEqual(
        expect.arrayContaining([
          "rds.multi_az",
          "rds.backup_retention_days",
          "elasticache.num_cache_clusters",
        ]),
      );
    }
  });
});
