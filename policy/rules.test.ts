import { readFileSync } from "node:fs";
import { Testing, TerraformStack } from "cdktf";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.ts";
import { rootStack } from "./fixtures.ts";
import { RULES } from "./rules/index.ts";
import type { StackJson } from "./types.ts";

const KEY = "${aws_kms_key.k.arn}";
const key = { aws_kms_key: { k: { enable_key_rotation: true } } };
const bucket = { aws_s3_bucket: { b: { bucket: "b" } } };
const onBucket = { bucket: "${aws_s3_bucket.b.id}" };
const sse = (algorithm: string) => ({
  aws_s3_bucket_server_side_encryption_configuration: {
    e: {
      ...onBucket,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: algorithm } }],
    },
  },
});
const pab = (restrict: boolean) => ({
  aws_s3_bucket_public_access_block: {
    p: {
      ...onBucket,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: restrict,
    },
  },
});
const table = (sseBlock: object, pitr: boolean) => ({
  aws_dynamodb_table: {
    t: { server_side_encryption: sseBlock, point_in_time_recovery: { enabled: pitr } },
  },
});
const db = (extra: object) => ({
  aws_db_instance: {
    db: {
      storage_encrypted: true,
      kms_key_id: KEY,
      backup_retention_period: 7,
      parameter_group_name: "${aws_db_parameter_group.tls.name}",
      ...extra,
    },
  },
});
const tlsGroup = (value: string) => ({
  aws_db_parameter_group: { tls: { parameter: [{ name: "require_secure_transport", value }] } },
});
const redis = (extra: object) => ({
  aws_elasticache_replication_group: {
    r: {
      at_rest_encryption_enabled: true,
      kms_key_id: KEY,
      transit_encryption_enabled: true,
      ...extra,
    },
  },
});
const eks = (extra: object) => ({
  aws_eks_cluster: {
    c: {
      encryption_config: { resources: ["secrets"], provider: { key_arn: KEY } },
      vpc_config: { endpoint_private_access: true, endpoint_public_access: false },
      enabled_cluster_log_types: [
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
      ],
      ...extra,
    },
  },
});
const ingress = (extra: object, group = "alb") => ({
  aws_security_group: { [group]: { description: "group" } },
  aws_vpc_security_group_ingress_rule: {
    r: {
      security_group_id: `\${aws_security_group.${group}.id}`,
      description: "in",
      ip_protocol: "tcp",
      from_port: 443,
      to_port: 443,
      cidr_ipv4: "0.0.0.0/0",
      ...extra,
    },
  },
});
const trust = (conditions: object[]) => ({
  data: {
    aws_iam_policy_document: {
      trust: {
        statement: [
          {
            actions: ["sts:AssumeRoleWithWebIdentity"],
            principals: [
              { type: "Federated", identifiers: ["${aws_iam_openid_connect_provider.gh.arn}"] },
            ],
            condition: conditions,
          },
        ],
      },
    },
  },
});
const githubRole = {
  aws_iam_openid_connect_provider: { gh: { url: "https://token.actions.githubusercontent.com" } },
  aws_iam_role: { ci: { assume_role_policy: "${data.aws_iam_policy_document.trust.json}" } },
};
const aud = {
  test: "StringEquals",
  variable: "token.actions.githubusercontent.com:aud",
  values: ["sts.amazonaws.com"],
};
const sub = (values: string[], test = "StringEquals") => ({
  test,
  variable: "token.actions.githubusercontent.com:sub",
  values,
});
const policy = (actions: string[], resources: string[]) => ({
  aws_iam_role_policy: {
    p: {
      role: "r",
      policy: JSON.stringify({
        Statement: [{ Effect: "Allow", Action: actions, Resource: resources }],
      }),
    },
  },
});

/** A broken and a compliant fixture for every rule of the table. */
const CASES: Record<string, { broken: StackJson; compliant: StackJson }> = {
  "ENC-S3": {
    broken: rootStack({ ...bucket, ...sse("AES256") }),
    compliant: rootStack({ ...bucket, ...sse("aws:kms") }),
  },
  "ENC-DYNAMODB": {
    broken: rootStack(table({ enabled: true }, true)),
    compliant: rootStack(table({ enabled: true, kms_key_arn: KEY }, true)),
  },
  "ENC-RDS": {
    broken: rootStack({ ...db({ storage_encrypted: false }), ...tlsGroup("1") }),
    compliant: rootStack({ ...db({}), ...tlsGroup("1") }),
  },
  "ENC-ELASTICACHE": {
    broken: rootStack(redis({ kms_key_id: undefined })),
    compliant: rootStack(redis({})),
  },
  "ENC-EBS": {
    broken: rootStack({
      aws_instance: { i: { root_block_device: { encrypted: false } } },
      aws_launch_template: { lt: {} },
    }),
    compliant: rootStack({
      aws_instance: { i: { root_block_device: { encrypted: true } } },
      aws_launch_template: {
        lt: { block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: true } }] },
      },
    }),
  },
  "ENC-SNS": {
    broken: rootStack({ aws_sns_topic: { t: { name: "t" } } }),
    compliant: rootStack({ aws_sns_topic: { t: { kms_master_key_id: KEY } } }),
  },
  "ENC-LOGS": {
    broken: rootStack({ aws_cloudwatch_log_group: { l: { retention_in_days: 7 } } }),
    compliant: rootStack({
      aws_cloudwatch_log_group: { l: { retention_in_days: 7, kms_key_id: KEY } },
    }),
  },
  "ENC-EKS-SECRETS": {
    broken: rootStack(eks({ encryption_config: undefined })),
    compliant: rootStack(eks({})),
  },
  "ENC-ECR": {
    broken: rootStack({
      aws_ecr_repository: { r: { encryption_configuration: { encryption_type: "AES256" } } },
    }),
    compliant: rootStack({
      aws_ecr_repository: {
        r: { encryption_configuration: { encryption_type: "KMS", kms_key: KEY } },
      },
    }),
  },
  "TLS-RDS": {
    broken: rootStack({ ...db({}), ...tlsGroup("0") }),
    compliant: rootStack({ ...db({}), ...tlsGroup("1") }),
  },
  "TLS-ELASTICACHE": {
    broken: rootStack(redis({ transit_encryption_enabled: false })),
    compliant: rootStack(redis({})),
  },
  "S3-PUBLIC-ACCESS": {
    broken: rootStack({ ...bucket, ...pab(false) }),
    compliant: rootStack({ ...bucket, ...pab(true) }),
  },
  "S3-VERSIONING": {
    broken: rootStack({
      ...bucket,
      aws_s3_bucket_versioning: {
        v: { ...onBucket, versioning_configuration: { status: "Suspended" } },
      },
    }),
    compliant: rootStack({
      ...bucket,
      aws_s3_bucket_versioning: {
        v: { ...onBucket, versioning_configuration: { status: "Enabled" } },
      },
    }),
  },
  "S3-LIFECYCLE": {
    broken: rootStack(bucket),
    compliant: rootStack({
      ...bucket,
      aws_s3_bucket_lifecycle_configuration: {
        l: { ...onBucket, rule: [{ id: "x", status: "Enabled" }] },
      },
    }),
  },
  "DYNAMODB-PITR": {
    broken: rootStack(table({ enabled: true, kms_key_arn: KEY }, false)),
    compliant: rootStack(table({ enabled: true, kms_key_arn: KEY }, true)),
  },
  "RDS-BACKUPS": {
    broken: rootStack({ ...db({ backup_retention_period: 1 }), ...tlsGroup("1") }),
    compliant: rootStack({ ...db({ backup_retention_period: 14 }), ...tlsGroup("1") }),
  },
  "RDS-PRIVATE": {
    broken: rootStack({ ...db({ publicly_accessible: true }), ...tlsGroup("1") }),
    compliant: rootStack({ ...db({ publicly_accessible: false }), ...tlsGroup("1") }),
  },
  "RDS-DELETION-PROTECTION": {
    broken: rootStack(
      { ...db({ deletion_protection: false }), ...tlsGroup("1") },
      { vars: { environment: "production" } },
    ),
    compliant: rootStack(
      { ...db({ deletion_protection: true }), ...tlsGroup("1") },
      { vars: { environment: "production" } },
    ),
  },
  "LOG-RETENTION": {
    broken: rootStack({ aws_cloudwatch_log_group: { l: { kms_key_id: KEY } } }),
    compliant: rootStack({
      aws_cloudwatch_log_group: { l: { kms_key_id: KEY, retention_in_days: 30 } },
    }),
  },
  "ECR-IMAGES": {
    broken: rootStack({ aws_ecr_repository: { r: { image_tag_mutability: "MUTABLE" } } }),
    compliant: rootStack({
      aws_ecr_repository: {
        r: {
          image_tag_mutability: "IMMUTABLE",
          image_scanning_configuration: { scan_on_push: true },
        },
      },
    }),
  },
  "SG-OPEN-INGRESS": {
    broken: rootStack(ingress({ from_port: 22, to_port: 22 })),
    compliant: rootStack(ingress({})),
  },
  "SG-OPEN-EGRESS": {
    broken: rootStack({
      aws_security_group: {
        nodes: {
          description: "nodes",
          egress: [
            {
              description: "all out",
              protocol: "-1",
              from_port: 0,
              to_port: 0,
              cidr_blocks: ["0.0.0.0/0"],
            },
          ],
        },
      },
    }),
    compliant: rootStack({
      aws_security_group: {
        nodes: {
          description: "nodes",
          egress: [
            {
              description: "https out",
              protocol: "tcp",
              from_port: 443,
              to_port: 443,
              cidr_blocks: ["0.0.0.0/0"],
            },
          ],
        },
      },
    }),
  },
  "SG-DESCRIPTION": {
    broken: rootStack({
      aws_security_group_rule: {
        r: {
          type: "ingress",
          security_group_id: "sg-1",
          protocol: "tcp",
          from_port: 1,
          to_port: 1,
          cidr_blocks: ["10.0.0.0/8"],
          description: "",
        },
      },
    }),
    compliant: rootStack({
      aws_security_group_rule: {
        r: {
          type: "ingress",
          security_group_id: "sg-1",
          protocol: "tcp",
          from_port: 1,
          to_port: 1,
          cidr_blocks: ["10.0.0.0/8"],
          description: "internal",
        },
      },
    }),
  },
  "VPC-FLOW-LOGS": {
    broken: rootStack({ aws_vpc: { v: { cidr_block: "10.0.0.0/16" } } }),
    compliant: rootStack({
      aws_vpc: { v: { cidr_block: "10.0.0.0/16" } },
      aws_flow_log: { f: { vpc_id: "${aws_vpc.v.id}" } },
    }),
  },
  IMDSV2: {
    broken: rootStack({
      aws_launch_template: { lt: { metadata_options: { http_tokens: "optional" } } },
    }),
    compliant: rootStack({
      aws_launch_template: { lt: { metadata_options: { http_tokens: "required" } } },
    }),
  },
  "EKS-ENDPOINT": {
    broken: rootStack(
      eks({ vpc_config: { endpoint_private_access: true, endpoint_public_access: true } }),
    ),
    compliant: rootStack(
      eks({
        vpc_config: {
          endpoint_private_access: true,
          endpoint_public_access: true,
          public_access_cidrs: ["203.0.113.0/24"],
        },
      }),
    ),
  },
  "EKS-LOGS": {
    broken: rootStack(eks({ enabled_cluster_log_types: ["api", "audit"] })),
    compliant: rootStack(eks({})),
  },
  "KMS-ROTATION": {
    broken: rootStack({ aws_kms_key: { k: { enable_key_rotation: false } } }),
    compliant: rootStack(key),
  },
  "IAM-GITHUB-TRUST": {
    broken: rootStack(
      githubRole,
      trust([aud, sub(["repo:acme/*:ref:refs/heads/main"], "StringLike")]),
    ),
    compliant: rootStack(
      githubRole,
      trust([aud, sub(["repo:acme/expense:environment:production"])]),
    ),
  },
  "IAM-NO-ADMIN": {
    broken: rootStack(policy(["*"], ["*"])),
    compliant: rootStack(policy(["s3:GetObject"], ["*"])),
  },
};

const run = (ruleId: string, stack: StackJson) => {
  const rule = RULES.find((r) => r.id === ruleId)!;
  return evaluate({ fixture: stack }, [], [rule]).violations;
};

describe("the rule table", () => {
  it("has unique ids and a fixture pair for every rule", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
  });

  describe.each(Object.entries(CASES))("%s", (ruleId, { broken, compliant }) => {
    it("flags the broken fixture", () => {
      const found = run(ruleId, broken);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((v) => v.rule === ruleId && v.address.startsWith("fixture."))).toBe(true);
    });
    it("passes the compliant fixture", () => {
      expect(run(ruleId, compliant)).toEqual([]);
    });
  });
});

describe("rule details", () => {
  it("judges a stack synthesized with the provider classes", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "synthesized");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new DbInstance(stack, "db", { instanceClass: "db.t3.micro", storageEncrypted: false });
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    const found = evaluate(
      { synthesized: json },
      [],
      RULES.filter((r) => r.id === "ENC-RDS"),
    );
    expect(found.violations.map((v) => v.found)).toEqual([
      "storage_encrypted is false",
      "kms_key_id is absent",
    ]);
  });

  it("lets only the ALB group take 80/443 from the internet", () => {
    expect(run("SG-OPEN-INGRESS", rootStack(ingress({}, "bastion")))).toHaveLength(1);
    expect(
      run(
        "SG-OPEN-INGRESS",
        rootStack(ingress({ cidr_ipv4: undefined, cidr_ipv6: "::/0" }, "bastion")),
      ),
    ).toHaveLength(1);
    expect(
      run(
        "SG-OPEN-INGRESS",
        rootStack(ingress({ cidr_ipv4: "10.0.0.0/8", from_port: 22, to_port: 22 })),
      ),
    ).toEqual([]);
  });

  it("rejects a GitHub trust without an audience or spanning repositories", () => {
    const found = (conditions: object[]) =>
      run("IAM-GITHUB-TRUST", rootStack(githubRole, trust(conditions)));
    expect(found([sub(["repo:acme/expense:pull_request"])])).toHaveLength(1);
    expect(found([aud, sub(["*"], "StringLike")])).toHaveLength(1);
    expect(
      found([aud, sub(["repo:acme/a:pull_request", "repo:acme/b:pull_request"])]),
    ).toHaveLength(1);
    expect(found([aud])).toHaveLength(1);
  });

  it("flags an attached AdministratorAccess and an unparseable policy as cannot-prove", () => {
    const attach = rootStack({
      aws_iam_role_policy_attachment: {
        a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" },
      },
    });
    expect(run("IAM-NO-ADMIN", attach)).toHaveLength(1);
    const opaque = rootStack({ aws_iam_policy: { p: { policy: "${jsonencode(local.policy)}" } } });
    expect(run("IAM-NO-ADMIN", opaque)[0]?.found).toMatch(/^cannot prove/);
    const encoded = rootStack({
      aws_iam_policy: {
        p: {
          policy:
            '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = "*", "Resource" = "*"}]})}',
        },
      },
    });
    expect(run("IAM-NO-ADMIN", encoded)).toHaveLength(1);
  });

  it("does not read KMS key policies as identity policies", () => {
    const stack = rootStack(
      {
        aws_kms_key: {
          k: { enable_key_rotation: true, policy: "${data.aws_iam_policy_document.kp.json}" },
        },
      },
      {
        data: {
          aws_iam_policy_document: { kp: { statement: [{ actions: ["*"], resources: ["*"] }] } },
        },
      },
    );
    expect(evaluate({ fixture: stack }, []).violations).toEqual([]);
  });

  it("requires deletion protection only in production", () => {
    const dev = rootStack(
      { ...db({ deletion_protection: false }), ...tlsGroup("1") },
      { vars: { environment: "dev" } },
    );
    expect(run("RDS-DELETION-PROTECTION", dev)).toEqual([]);
  });

  it("rejects a default (literal) RDS parameter group", () => {
    const stack = rootStack(db({ parameter_group_name: "default.mysql8.0" }));
    expect(run("TLS-RDS", stack)[0]?.found).toMatch(/not a group defined here/);
  });
});

describe("docs/policy.md", () => {
  it("lists every rule of the table", () => {
    const doc = readFileSync(new URL("../docs/policy.md", import.meta.url), "utf8");
    const missing = RULES.map((r) => r.id).filter((id) => !doc.includes(`| ${id} |`));
    expect(missing).toEqual([]);
  });
});
