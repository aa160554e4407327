import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { synthModule } from "../../test/synth.ts";
import { addonRoles } from "./index.ts";
import { addonRolesInputs } from "./inputs.ts";

const { json } = synthModule(addonRoles as never);

type Condition = { test: string; variable: string; values: string[] };
type Statement = {
  sid?: string;
  actions: string[];
  resources: string[];
  condition?: Condition[];
};
const document = (name: string) =>
  (json.data?.aws_iam_policy_document?.[name] as { statement: Statement[] }).statement;
const statementsOf = (role: string) => document(`${role}_permissions`);

describe("addon-roles module", () => {
  it.each([
    ["cluster_autoscaler", "cluster_autoscaler_namespace", "cluster_autoscaler_service_account"],
    [
      "load_balancer_controller",
      "load_balancer_controller_namespace",
      "load_balancer_controller_service_account",
    ],
  ])(
    "lets only one service account assume the %s role, through the cluster's OIDC provider",
    (role, namespace, serviceAccount) => {
      const trust = document(`${role}_trust`);
      expect(trust).toHaveLength(1);
      expect(trust[0]).toMatchObject({
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: ["${var.oidc_provider_arn}"] }],
        condition: [
          {
            test: "StringEquals",
            variable: "${var.oidc_issuer_host}:sub",
            values: [`system:serviceaccount:\${var.${namespace}}:\${var.${serviceAccount}}`],
          },
          {
            test: "StringEquals",
            variable: "${var.oidc_issuer_host}:aud",
            values: ["sts.amazonaws.com"],
          },
        ],
      });
      expect(json.resource?.aws_iam_role?.[`${role}_role`]).toMatchObject({
        assume_role_policy: `\${data.aws_iam_policy_document.${role}_trust.json}`,
      });
      expect(json.resource?.aws_iam_role_policy?.[`${role}_policy`]).toMatchObject({
        role: `\${aws_iam_role.${role}_role.id}`,
        policy: `\${data.aws_iam_policy_document.${role}_permissions.json}`,
      });
    },
  );

  it("defaults the service accounts to the ones the platform stack's charts use", () => {
    expect(addonRolesInputs.clusterAutoscalerNamespace.default).toBe("kube-system");
    expect(addonRolesInputs.clusterAutoscalerServiceAccount.default).toBe("cluster-autoscaler");
    expect(addonRolesInputs.loadBalancerControllerNamespace.default).toBe("kube-system");
    expect(addonRolesInputs.loadBalancerControllerServiceAccount.default).toBe(
      "aws-load-balancer-controller",
    );
  });

  it("lets the autoscaler describe anything but resize only the Auto Scaling groups this cluster owns", () => {
    const statements = statementsOf("cluster_autoscaler");
    const unconditioned = statements.filter((s) => s.resources.includes("*") && !s.condition);
    for (const s of unconditioned)
      for (const action of s.actions) expect(action).toMatch(/^(autoscaling|ec2):Describe/);
    const resize = statements.find((s) => s.actions.includes("autoscaling:SetDesiredCapacity"));
    expect(resize).toMatchObject({
      actions: [
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
      ],
      resources: ["*"],
      condition: [
        {
          test: "StringEquals",
          variable: "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}",
          values: ["owned"],
        },
      ],
    });
    const nodegroups = statements.find((s) => s.actions.includes("eks:DescribeNodegroup"));
    expect(nodegroups?.resources[0]).toContain(":nodegroup/${var.cluster_name}/*");
  });

  it("gives the load balancer controller its published policy: no wildcard action, writes tied to its cluster tag", () => {
    const statements = statementsOf("load_balancer_controller");
    const actions = statements.flatMap((s) => s.actions);
    expect(actions.some((a) => a.includes("*"))).toBe(false);
    expect(actions).toEqual(
      expect.arrayContaining([
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:DeleteLoadBalancer",
        "ec2:CreateSecurityGroup",
        "ec2:DeleteSecurityGroup",
        "iam:CreateServiceLinkedRole",
      ]),
    );
    const statementWith = (action: string) => statements.filter((s) => s.actions.includes(action));
    // Deleting or modifying is allowed only on resources carrying the controller's tag.
    for (const action of [
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup",
      "ec2:DeleteSecurityGroup",
    ]) {
      for (const s of statementWith(action))
        expect(s.condition, action).toContainEqual({
          test: "Null",
          variable: "aws:ResourceTag/elbv2.k8s.aws/cluster",
          values: ["false"],
        });
    }
    // Creating load balancers requires tagging them for the cluster.
    expect(statementWith("elasticloadbalancing:CreateLoadBalancer")[0]?.condition).toContainEqual({
      test: "Null",
      variable: "aws:RequestTag/elbv2.k8s.aws/cluster",
      values: ["false"],
    });
    expect(statementWith("iam:CreateServiceLinkedRole")[0]?.condition).toContainEqual({
      test: "StringEquals",
      variable: "iam:AWSServiceName",
      values: ["elasticloadbalancing.amazonaws.com"],
    });
  });

  it("validates its inputs and describes every variable", () => {
    expect(addonRolesInputs.clusterName.schema.safeParse("expense-dev-eks").success).toBe(true);
    expect(addonRolesInputs.clusterName.schema.safeParse("bad name").success).toBe(false);
    expect(
      addonRolesInputs.oidcProviderArn.schema.safeParse(
        "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      ).success,
    ).toBe(true);
    expect(addonRolesInputs.oidcProviderArn.schema.safeParse("arn:aws:iam::1:role/x").success).toBe(
      false,
    );
    expect(addonRolesInputs.clusterAutoscalerServiceAccount.schema.safeParse("CA_SA").success).toBe(
      false,
    );
    const root = new TerraformStack(Testing.app(), "root");
    const required = {
      name: "expense-dev",
      clusterName: "expense-dev-eks",
      oidcProviderArn:
        "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/A",
      oidcIssuerHost: "oidc.eks.eu-west-1.amazonaws.com/id/A",
    };
    expect(() =>
      addonRoles.call(root, "bad", { ...required, loadBalancerControllerNamespace: "Kube_System" }),
    ).toThrow('module addon-roles (bad): loadBalancerControllerNamespace = "Kube_System"');
    expect(() => addonRoles.call(root, "good", required)).not.toThrow();
    for (const [name, variable] of Object.entries(json.variable ?? {}))
      expect(variable.description, name).toMatch(/\.$/);
  });
});
