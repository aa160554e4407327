import { describe, expect, it } from "vitest";
import { resourceOf, synthModule } from "../../test/synth.ts";
import { openSearch, TLS_POLICY } from "./index.ts";
import { openSearchInputs } from "./inputs.ts";

const { json } = synthModule(openSearch as never);
const enabled = "${var.enabled ? 1 : 0}";

describe("opensearch module", () => {
  it("is off by default and creates every resource only when enabled", () => {
    expect(openSearchInputs.enabled.default).toBe(false);
    for (const [type, blocks] of Object.entries(json.resource ?? {}))
      for (const [name, body] of Object.entries(blocks))
        expect(body.count, `${type}.${name}`).toBe(enabled);
  });

  it("runs in the VPC behind a security group open to the nodes on 443 only", () => {
    const domain = resourceOf(json, "aws_opensearch_domain", "domain");
    expect(domain.vpc_options).toMatchObject({
      subnet_ids: "${slice(var.subnet_ids, 0, 2)}",
      security_group_ids: ["${aws_security_group.security_group[0].id}"],
    });
    expect(
      resourceOf(json, "aws_vpc_security_group_ingress_rule", "https_from_nodes"),
    ).toMatchObject({
      referenced_security_group_id: "${var.client_security_group_id}",
      from_port: 443,
      to_port: 443,
      ip_protocol: "tcp",
    });
    expect(json.resource?.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  it("encrypts at rest with its own rotated key and between nodes, and enforces HTTPS with TLS 1.2+", () => {
    const domain = resourceOf(json, "aws_opensearch_domain", "domain");
    expect(domain.encrypt_at_rest).toEqual({
      enabled: true,
      kms_key_id: "${aws_kms_key.key[0].arn}",
    });
    expect(domain.node_to_node_encryption).toEqual({ enabled: true });
    expect(domain.domain_endpoint_options).toEqual({
      enforce_https: true,
      tls_security_policy: TLS_POLICY,
    });
    expect(resourceOf(json, "aws_kms_key", "key").enable_key_rotation).toBe(true);
  });

  it("uses fine-grained access control with an IAM master role and no password anywhere", () => {
    const domain = resourceOf(json, "aws_opensearch_domain", "domain");
    expect(domain.advanced_security_options).toEqual({
      enabled: true,
      anonymous_auth_enabled: false,
      internal_user_database_enabled: false,
      master_user_options: { master_user_arn: "${aws_iam_role.admin_role[0].arn}" },
    });
    expect(JSON.stringify(json)).not.toMatch(/master_user_password|master_user_name/);
    const trust = json.data?.aws_iam_policy_document?.admin_trust as {
      statement: Record<string, unknown>[];
    };
    expect(trust.statement[0]).toMatchObject({
      actions: ["sts:AssumeRoleWithWebIdentity"],
      condition: [
        {
          variable: "${var.oidc_issuer_host}:sub",
          values: ["system:serviceaccount:${var.setup_namespace}:${var.setup_service_account}"],
        },
        { variable: "${var.oidc_issuer_host}:aud", values: ["sts.amazonaws.com"] },
      ],
    });
  });

  it("lets only the admin role and the log writer (Fluent Bit) send requests, to this domain only, and nobody delete", () => {
    const access = json.data?.aws_iam_policy_document?.access_policy as {
      statement: {
        sid: string;
        actions: string[];
        principals: { identifiers: string[] }[];
        resources: string[];
      }[];
    };
    expect(access.statement).toHaveLength(1);
    const [write] = access.statement;
    expect(write!.principals[0]!.identifiers).toEqual([
      "${aws_iam_role.admin_role[0].arn}",
      "${var.writer_role_arn}",
    ]);
    expect(write!.actions).toEqual([
      "es:ESHttpGet",
      "es:ESHttpHead",
      "es:ESHttpPost",
      "es:ESHttpPut",
    ]);
    expect(write!.resources).toHaveLength(1);
    expect(write!.resources[0]).toMatch(/:es:.*:domain\/\$\{var\.name\}-logs\/\*$/);
    expect(resourceOf(json, "aws_opensearch_domain", "domain").access_policies).toBe(
      "${data.aws_iam_policy_document.access_policy[0].json}",
    );
  });

  it("gives the admin role no identity policy: the domain's access policy is its only grant", () => {
    const role = resourceOf(json, "aws_iam_role", "admin_role");
    expect(role.inline_policy).toBeUndefined();
    expect(role.managed_policy_arns).toBeUndefined();
    for (const type of [
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
      "aws_iam_policy_attachment",
    ])
      expect(json.resource?.[type], type).toBeUndefined();
  });

  it("spreads an even number of data nodes over two zones on gp3", () => {
    const domain = resourceOf(json, "aws_opensearch_domain", "domain");
    expect(domain.cluster_config).toMatchObject({
      instance_count: "${var.instance_count}",
      zone_awareness_enabled: true,
      zone_awareness_config: { availability_zone_count: 2 },
    });
    expect(domain.ebs_options).toMatchObject({ volume_type: "gp3" });
    expect(openSearchInputs.instanceCount.schema.safeParse(3).success).toBe(false);
    expect(openSearchInputs.instanceType.schema.safeParse("t3.small").success).toBe(false);
    expect(openSearchInputs.name.schema.safeParse("expense-production").success).toBe(true);
    expect(openSearchInputs.name.schema.safeParse("a".repeat(24)).success).toBe(false);
  });
});
