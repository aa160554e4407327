import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Testing, TerraformStack } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { renderStackHcl } from "../../kit/hcl/tree.ts";
import { renderModule, type RenderedModule } from "../../test/module-caller.ts";
import { VariableError, type VariableSpec } from "../../kit/variables.ts";
import { resourceOf, resourcesOf, synthModule } from "../../test/synth.ts";
import { describeDiagnostics, terraformBinary, validate } from "../../test/terraform.ts";
import { AMI_PARAMETER, bastion } from "./index.ts";
import { bastionInputs } from "./inputs.ts";

const { stack, json, text } = synthModule(bastion as never);
const instance = resourceOf(json, "aws_instance", "bastion");
const variables = json.variable ?? {};
const ENABLED = "${var.enabled ? 1 : 0}";

/** Arguments every call needs (the inputs without defaults). */
const required = {
  name: "expense-dev",
  subnetId: "subnet-0a1b2c",
  securityGroupId: "sg-0123abcd",
  instanceType: "t3.small",
};

describe("bastion module", () => {
  it("runs one instance in the given private subnet, without public IP or key pair", () => {
    expect(text).toHaveResourceWithProperties(Instance, {
      instance_type: "${var.instance_type}",
      subnet_id: "${var.subnet_id}",
      vpc_security_group_ids: ["${var.security_group_id}"],
      associate_public_ip_address: false,
      iam_instance_profile: "${aws_iam_instance_profile.instance_profile[0].name}",
    });
    expect(instance).not.toHaveProperty("key_name");
  });

  it("is reachable through Session Manager: role and profile with AmazonSSMManagedInstanceCore", () => {
    const trust = (
      json.data?.aws_iam_policy_document?.trust as { statement: Record<string, unknown>[] }
    ).statement;
    expect(trust).toEqual([
      {
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }],
      },
    ]);
    expect(resourceOf(json, "aws_iam_role_policy_attachment", "ssm_policy")).toMatchObject({
      role: "${aws_iam_role.role[0].name}",
      policy_arn:
        "arn:${data.aws_partition.context_partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    expect(resourceOf(json, "aws_iam_instance_profile", "instance_profile").role).toBe(
      "${aws_iam_role.role[0].name}",
    );
    expect(Object.keys(resourcesOf(json, "aws_iam_role_policy_attachment"))).toEqual([
      "ssm_policy",
    ]);
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual({});
  });

  it("answers only IMDSv2 requests, with a hop limit of 1", () => {
    expect(instance.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "disabled",
    });
  });

  it("encrypts its gp3 root volume with a module-created rotating key", () => {
    expect(instance.root_block_device).toMatchObject({
      volume_type: "gp3",
      volume_size: "${var.root_volume_size_gb}",
      encrypted: true,
      kms_key_id: "${aws_kms_key.key[0].arn}",
      delete_on_termination: true,
    });
    expect(resourceOf(json, "aws_kms_key", "key")).toMatchObject({
      enable_key_rotation: true,
      policy: "${data.aws_iam_policy_document.key_policy[0].json}",
    });
  });

  it("has detailed monitoring and EBS optimization", () => {
    expect(instance).toMatchObject({ monitoring: true, ebs_optimized: true });
  });

  it("boots the latest Amazon Linux 2023 from the public SSM parameter, and keeps it after creation", () => {
    expect(AMI_PARAMETER).toBe(
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    );
    expect(json.data?.aws_ssm_parameter?.ami).toEqual({ count: ENABLED, name: AMI_PARAMETER });
    expect(instance.ami).toBe("${data.aws_ssm_parameter.ami[0].insecure_value}");
    expect(instance.lifecycle).toEqual({ ignore_changes: ["ami"] });
  });

  it("renders ignore_changes as a bare reference in the HCL tree (no deprecation warning)", () => {
    const main = renderStackHcl(stack).get("main.tf") ?? "";
    expect(main).toMatch(/ignore_changes = \[\s*ami,?\s*\]/);
    expect(main).not.toMatch(/ignore_changes = \[\s*"ami"/);
  });

  it("installs the MySQL client only: no Redis client without a route to 6379", () => {
    expect(instance.user_data).toContain("dnf install -y mariadb105\n");
    expect(instance.user_data).not.toContain("redis");
  });

  it("creates nothing when disabled: every resource and data source is counted by enabled", () => {
    const counted = [
      ...Object.entries(json.resource ?? {}),
      ...Object.entries(json.data ?? {}).filter(
        ([type]) => !["aws_caller_identity", "aws_region", "aws_partition"].includes(type),
      ),
    ].flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, b]) => [`${type}.${name}`, b]),
    );
    expect(counted.map(([address]) => address).sort()).toEqual([
      "aws_iam_instance_profile.instance_profile",
      "aws_iam_policy_document.key_policy",
      "aws_iam_policy_document.trust",
      "aws_iam_role.role",
      "aws_iam_role_policy_attachment.ssm_policy",
      "aws_instance.bastion",
      "aws_kms_alias.key_alias",
      "aws_kms_key.key",
      "aws_ssm_parameter.ami",
    ]);
    for (const [address, body] of counted)
      expect((body as { count?: unknown }).count, String(address)).toBe(ENABLED);
    expect(variables.enabled?.default).toBe(true);
  });

  it("keeps every output valid when disabled (empty strings) and prints a start-session command", () => {
    const outputs = json.output ?? {};
    expect(Object.keys(outputs).sort()).toEqual(
      ["instance_id", "private_ip", "role_name", "ssm_start_session_command"].sort(),
    );
    expect(outputs.instance_id?.value).toBe('${try(aws_instance.bastion[0].id, "")}');
    expect(outputs.private_ip?.value).toBe('${try(aws_instance.bastion[0].private_ip, "")}');
    expect(outputs.role_name?.value).toBe('${try(aws_iam_role.role[0].name, "")}');
    expect(outputs.ssm_start_session_command?.value).toBe(
      '${try("aws ssm start-session --target ${aws_instance.bastion[0].id} --region ${data.aws_region.context_region.name}", "")}',
    );
  });

  it("tags every taggable resource with a Name and Component = bastion", () => {
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const [name, resource] of Object.entries(byName)) {
        if (!("tags" in resource)) continue;
        expect(resource.tags, `${type}.${name}`).toMatchObject({ Component: "bastion" });
        expect((resource.tags as Record<string, string>).Name, `${type}.${name}`).toBeTruthy();
      }
  });
});

describe("bastion inputs", () => {
  const cases: [keyof typeof bastionInputs, unknown[], unknown[]][] = [
    [
      "instanceType",
      ["t3.small", "t3.medium", "t3a.small", "m7i-flex.large", "c6in.xlarge"],
      ["t4g.small", "m7g.large", "c7gn.large", "t3.big", "db.t3.small", "t3"],
    ],
    ["subnetId", ["subnet-0a1b2c"], ["subnet-", "sg-0a1b2c", ""]],
    ["securityGroupId", ["sg-0123abcd"], ["sg-", "subnet-0a"]],
    ["rootVolumeSizeGb", [8, 20, 200], [0, 7, 201, 20.5]],
    ["enabled", [true, false], ["true", 1]],
  ];

  it.each(cases)("%s accepts good values and rejects bad ones (zod side)", (key, good, bad) => {
    const spec = bastionInputs[key] as VariableSpec<unknown>;
    for (const value of good)
      expect(spec.schema.safeParse(value).success, String(value)).toBe(true);
    for (const value of bad)
      expect(spec.schema.safeParse(value).success, String(value)).toBe(false);
  });

  it("rejects a bad literal argument at the call site, naming the field and the value", () => {
    const root = new TerraformStack(Testing.app(), "root");
    expect(() => bastion.call(root, "bastion", { ...required, instanceType: "t4g.small" })).toThrow(
      VariableError,
    );
    expect(() => bastion.call(root, "bastion2", { ...required, subnetId: "subnet" })).toThrow(
      'module bastion (bastion2): subnetId = "subnet": must be a subnet id',
    );
    expect(() =>
      bastion.call(root, "bastion3", { ...required, instanceType: "t3.medium", enabled: false }),
    ).not.toThrow();
  });
});

describe.runIf(terraformBinary())("bastion with terraform", () => {
  let rendered: RenderedModule;

  beforeAll(async () => {
    rendered = await renderModule(stack, "bastion");
  });

  /** A root module calling the rendered module with `args`, validated by real terraform. */
  const validateCall = (args: Record<string, unknown>) =>
    rendered.validateCall(
      { ...required, ...args },
      'output "command" {\n  value = module.bastion.ssm_start_session_command\n}\n',
    );

  it("validates the rendered HCL, and enabled and disabled calls, cleanly", async () => {
    const module = await validate(rendered.dir);
    expect(module.valid, describeDiagnostics(module)).toBe(true);
    expect(module.warning_count, describeDiagnostics(module)).toBe(0);
    for (const enabled of [true, false]) {
      const result = await validateCall({ enabled, instanceType: "t3.medium" });
      expect(result.valid, describeDiagnostics(result)).toBe(true);
      expect(result.warning_count, describeDiagnostics(result)).toBe(0);
    }
  });

  it("rejects bad values through the module's validation blocks", async () => {
    const result = await validateCall({ instanceType: "t4g.small", rootVolumeSizeGb: 4 });
    expect(result.valid).toBe(false);
    const text = describeDiagnostics(result);
    expect(text).toContain("instance_type must be an x86_64 EC2 instance type such as t3.small");
    expect(text).toContain("root_volume_size_gb must be a whole number >= 8 and <= 200.");
  });
});
