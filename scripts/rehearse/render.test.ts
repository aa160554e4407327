import { describe, expect, it } from "vitest";
import { OVERRIDES } from "./gaps.ts";
import { renderHookModule, renderProviderOverride, renderTestFile, serviceOf } from "./render.ts";
import { overrideTargets } from "./targets.ts";

const rootHcl = `
module "eks" {
  source = "../../modules/eks"
  name   = "x"
}

module "network" {
  source = "../../modules/network"
}

resource "aws_budgets_budget" "budget" {
}
`;
const modules: Record<string, string> = {
  "../../modules/eks": [
    'resource "aws_eks_cluster" "cluster" {\n}',
    'resource "aws_eks_addon" "ebs_csi_addon" {\n}',
    'resource "aws_eks_addon" "coredns_addon" {\n}',
    'data "aws_eks_addon_version" "ebs_csi_version" {\n}',
  ].join("\n"),
  "../../modules/network": 'resource "aws_vpc" "vpc" {\n}',
};

describe("override targets", () => {
  it("finds every block of an overridden type in the root and in each module it calls", () => {
    const targets = overrideTargets(OVERRIDES, rootHcl, (source) => modules[source]!);
    expect(targets.map((t) => t.address).sort()).toEqual([
      "aws_budgets_budget.budget",
      "module.eks.aws_eks_addon.coredns_addon",
      "module.eks.aws_eks_addon.ebs_csi_addon",
      "module.eks.data.aws_eks_addon_version.ebs_csi_version",
    ]);
  });
});

describe("test file", () => {
  it("renders one override block per target with its reason and values, then the runs in order", () => {
    const targets = overrideTargets(OVERRIDES, rootHcl, (source) => modules[source]!).filter(
      (t) => t.override.type === "aws_eks_addon_version",
    );
    const text = renderTestFile(targets, [
      { kind: "apply", name: "apply" },
      { kind: "hook", name: "check" },
      { kind: "plan", name: "replan" },
    ]);
    expect(text).toContain(
      [
        "# aws_eks_addon_version: moto 5.2.1 has no EKS DescribeAddonVersions",
        "override_data {",
        "  target = module.eks.data.aws_eks_addon_version.ebs_csi_version",
        "  values = {",
        '    version = "v1.0.0-eksbuild.1"',
        "  }",
        "}",
      ].join("\n"),
    );
    const runs = [...text.matchAll(/^run "([^"]+)"/gm)].map((m) => m[1]);
    expect(runs).toEqual(["apply", "check", "replan"]);
    expect(text).toContain('run "check" {\n  module {\n    source = "./rehearse-hook"\n  }');
    expect(text).toContain('run "replan" {\n  command = plan\n}');
  });

  it("gives every override a reason and only HCL literal values", () => {
    for (const o of OVERRIDES) {
      expect(o.reason, o.type).toMatch(/moto 5\.2\.1/);
      for (const value of Object.values(o.values)) expect(value, o.type).toMatch(/^["[]/);
    }
  });

  it("renders a hook that runs its command with the step in the environment", () => {
    const hcl = renderHookModule('echo "$REHEARSE_STEP"');
    expect(hcl).toContain('command = "echo \\"$REHEARSE_STEP\\""');
    expect(hcl).toContain("triggers_replace = var.step");
  });
});

describe("provider override", () => {
  it("points every used service and STS at the emulator with fake credentials", () => {
    const hcl = renderProviderOverride("http://127.0.0.1:5000", ["ec2", "rds", "ec2"]);
    expect(hcl).toContain('access_key                  = "testing"');
    expect(hcl).toContain("s3_use_path_style           = true");
    expect(hcl).toContain("max_retries                 = 1");
    const endpoints = [...hcl.matchAll(/^ {4}(\w+)\s+= "(.+)"$/gm)].map((m) => `${m[1]}=${m[2]}`);
    expect(endpoints).toEqual([
      "ec2=http://127.0.0.1:5000",
      "rds=http://127.0.0.1:5000",
      "sts=http://127.0.0.1:5000",
    ]);
  });

  it("maps types to their service and refuses a type with no endpoint", () => {
    expect(serviceOf("aws_cloudwatch_log_group")).toBe("logs");
    expect(serviceOf("aws_db_instance")).toBe("rds");
    expect(serviceOf("aws_route53_record")).toBe("route53");
    expect(serviceOf("aws_route_table")).toBe("ec2");
    expect(serviceOf("aws_iam_policy_document")).toBeUndefined();
    expect(() => serviceOf("aws_quicksight_user")).toThrow(/aws_quicksight_user.*SERVICES/);
  });
});
