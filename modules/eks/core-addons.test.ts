import { describe, expect, it } from "vitest";
import { resourceOf, resourcesOf, synthModule } from "../../test/synth.ts";
import { eks } from "./index.ts";

const { json } = synthModule(eks as never);
const addon = (name: string) => resourceOf(json, "aws_eks_addon", name);
const versions = json.data?.aws_eks_addon_version ?? {};

describe("eks core add-ons (vpc-cni, coredns, kube-proxy)", () => {
  it.each(["vpc-cni", "coredns", "kube-proxy"])(
    "manages %s at the newest version for the cluster's Kubernetes version",
    (name) => {
      expect(addon(`addons_${name.replace("-", "_")}`)).toMatchObject({
        cluster_name: "${aws_eks_cluster.cluster.name}",
        addon_name: name,
        addon_version: `\${data.aws_eks_addon_version.addons_${name.replace("-", "_")}_version.version}`,
        resolve_conflicts_on_create: "OVERWRITE",
        resolve_conflicts_on_update: "PRESERVE",
      });
      expect(versions[`addons_${name.replace("-", "_")}_version`]).toEqual({
        addon_name: name,
        kubernetes_version: "${aws_eks_cluster.cluster.version}",
        most_recent: true,
      });
    },
  );

  it("turns on network policy enforcement in vpc-cni and gives aws-node its IRSA role", () => {
    const cni = addon("addons_vpc_cni");
    expect(JSON.parse(String(cni.configuration_values))).toEqual({ enableNetworkPolicy: "true" });
    expect(cni.service_account_role_arn).toBe("${aws_iam_role.addons_vpc_cni_role_role.arn}");
    expect(cni.depends_on).toEqual([
      "aws_iam_role_policy_attachment.addons_vpc_cni_role_cni_policy",
    ]);
  });

  it("lets only kube-system/aws-node assume the vpc-cni role, with AmazonEKS_CNI_Policy and nothing else", () => {
    const trust = json.data?.aws_iam_policy_document?.["addons_vpc_cni_role_trust"] as {
      statement: { condition: { variable: string; values: string[] }[] }[];
    };
    expect(trust.statement[0].condition.find((c) => c.variable.endsWith(":sub"))?.values).toEqual([
      "system:serviceaccount:kube-system:aws-node",
    ]);
    const attachments = Object.entries(resourcesOf(json, "aws_iam_role_policy_attachment")).filter(
      ([name]) => name.startsWith("addons_vpc_cni_role"),
    );
    expect(attachments.map(([, a]) => a.policy_arn)).toEqual([
      "arn:${data.aws_partition.context_partition.partition}:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
    expect(
      Object.keys(resourcesOf(json, "aws_iam_role_policy")).filter((n) => n.startsWith("addons_")),
    ).toEqual([]);
  });

  it("creates coredns and kube-proxy after the node groups (coredns needs a node to become ACTIVE)", () => {
    for (const name of ["coredns", "kube-proxy"]) {
      expect(addon(`addons_${name.replace("-", "_")}`).depends_on).toEqual([
        "aws_eks_node_group.nodes_on_demand",
        "aws_eks_node_group.nodes_spot",
      ]);
      expect(addon(`addons_${name.replace("-", "_")}`).service_account_role_arn).toBeUndefined();
    }
  });

  it("gives the vpc-cni role the module's permissions boundary", () => {
    expect(resourceOf(json, "aws_iam_role", "addons_vpc_cni_role_role")).toMatchObject({
      permissions_boundary: expect.stringContaining("var.permissions_boundary_arn"),
    });
  });
});
