/**
 * Assertions against the emulator after an apply, with the AWS SDK v3 (not the Terraform JSON):
 * tags, NAT/EIP names, security-group rules, the state bucket and lock table, RDS, and
 * ElastiCache (from state: the emulator cannot hold a replication group, see gaps.ts).
 */
import {
  DescribeTableCommand,
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeTagsCommand,
  EC2Client,
  type SecurityGroupRule,
} from "@aws-sdk/client-ec2";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { ENVIRONMENTS } from "../../envs/index.ts";
import { REGION } from "./gaps.ts";
import { stateResources, type StateJson } from "./secrets.ts";

/** One assertion's outcome. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const REQUIRED_TAGS = ["Project", "Environment", "ManagedBy", "CostCenter", "Component"];

/** SDK client settings for the emulator. */
export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    forcePathStyle: true,
    maxAttempts: 3,
  };
}

type Resource = { address: string; mode?: string; type?: string; values?: Record<string, unknown> };

function resources(state: StateJson, type: string): Resource[] {
  return (stateResources(state) as Resource[]).filter(
    (r) => r.type === type && r.mode === "managed",
  );
}

async function check(name: string, body: () => Promise<string>): Promise<CheckResult> {
  try {
    return { name, ok: true, detail: await body() };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/**
 * Tags as the emulator holds them for this root's resources, from three APIs: EC2 DescribeTags
 * (ids in state), IAM GetRole (roles in state) and the tagging API (ARNs in state; moto covers S3,
 * DynamoDB, KMS, Logs, RDS, SNS and more). Each must carry all required tags.
 */
async function tags(endpoint: string, state: StateJson, environment: string): Promise<string> {
  const all = stateResources(state) as Resource[];
  const arns = new Set(
    all.map((r) => r.values?.arn).filter((a): a is string => typeof a === "string"),
  );
  const ids = new Set(
    all.map((r) => r.values?.id).filter((a): a is string => typeof a === "string"),
  );
  const found = new Map<string, Record<string, string>>();
  const add = (key: string, list: { Key?: string; Value?: string }[] | undefined) =>
    found.set(key, {
      ...found.get(key),
      ...Object.fromEntries((list ?? []).map((t) => [t.Key!, t.Value!])),
    });

  const tagging = new ResourceGroupsTaggingAPIClient(clientConfig(endpoint));
  let token: string | undefined;
  do {
    const page = await tagging.send(new GetResourcesCommand({ PaginationToken: token }));
    for (const r of page.ResourceTagMappingList ?? [])
      if (r.ResourceARN && arns.has(r.ResourceARN)) add(r.ResourceARN, r.Tags);
    token = page.PaginationToken || undefined;
  } while (token);

  const ec2 = new EC2Client(clientConfig(endpoint));
  let next: string | undefined;
  do {
    const page = await ec2.send(new DescribeTagsCommand({ NextToken: next, MaxResults: 1000 }));
    for (const t of page.Tags ?? [])
      if (t.ResourceId && ids.has(t.ResourceId)) add(t.ResourceId, [t]);
    next = page.NextToken || undefined;
  } while (next);

  const iam = new IAMClient(clientConfig(endpoint));
  for (const role of resources(state, "aws_iam_role")) {
    const name = String(role.values!.name);
    add(`role/${name}`, (await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Tags);
  }

  expect(found.size > 0, "none of this root's resources is visible with tags in the emulator");
  const bad = [...found].filter(
    ([, t]) => REQUIRED_TAGS.some((k) => !t[k]) || t.Environment !== environment,
  );
  expect(bad.length === 0, bad.map(([key, t]) => `${key}: ${JSON.stringify(t)}`).join("; "));
  return `${found.size} resources carry ${REQUIRED_TAGS.join("/")} (Environment=${environment})`;
}

async function natNames(endpoint: string, environment: string): Promise<string> {
  const ec2 = new EC2Client(clientConfig(endpoint));
  const gateways = (await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [];
  const addresses = (await ec2.send(new DescribeAddressesCommand({}))).Addresses ?? [];
  const name = (t?: { Key?: string; Value?: string }[]) => t?.find((x) => x.Key === "Name")?.Value;
  const pattern = new RegExp(`^expense-${environment}-nat-${REGION}[a-z]$`);
  const gatewayNames = gateways.map((g) => name(g.Tags) ?? "");
  const addressNames = addresses.map((a) => name(a.Tags) ?? "");
  expect(gateways.length > 0, "no NAT gateway");
  for (const n of [...gatewayNames, ...addressNames])
    expect(pattern.test(n), `NAT/EIP name ${JSON.stringify(n)} does not match ${pattern}`);
  expect(new Set(gatewayNames).size === gatewayNames.length, `duplicate NAT names ${gatewayNames}`);
  expect(new Set(addressNames).size === addressNames.length, `duplicate EIP names ${addressNames}`);
  return `NAT ${gatewayNames.join(", ")}; EIP ${addressNames.join(", ")}`;
}

/** A rule as a comparable string: group, direction, protocol, ports, peer. */
function ruleKey(r: {
  group: string;
  egress: boolean;
  protocol: string;
  from?: number;
  to?: number;
  peer: string;
}): string {
  const ports = r.protocol === "-1" ? "all" : `${r.from}-${r.to}`;
  return `${r.group} ${r.egress ? "egress" : "ingress"} ${r.protocol} ${ports} ${r.peer}`;
}

async function securityGroupRules(endpoint: string, state: StateJson): Promise<string> {
  const designed = [
    ...resources(state, "aws_vpc_security_group_ingress_rule"),
    ...resources(state, "aws_vpc_security_group_egress_rule"),
  ].map((r) => {
    const v = r.values!;
    return ruleKey({
      group: String(v.security_group_id),
      egress: r.type === "aws_vpc_security_group_egress_rule",
      protocol: String(v.ip_protocol),
      from: v.from_port as number,
      to: v.to_port as number,
      peer: String(
        v.cidr_ipv4 || v.cidr_ipv6 || v.referenced_security_group_id || v.prefix_list_id,
      ),
    });
  });
  const groups = new Set(
    [
      ...resources(state, "aws_security_group"),
      ...resources(state, "aws_default_security_group"),
    ].map((r) => String(r.values!.id)),
  );
  const ec2 = new EC2Client(clientConfig(endpoint));
  const rules: SecurityGroupRule[] =
    (await ec2.send(new DescribeSecurityGroupRulesCommand({}))).SecurityGroupRules ?? [];
  const actual = rules
    .filter((r) => groups.has(r.GroupId!))
    .map((r) =>
      ruleKey({
        group: r.GroupId!,
        egress: r.IsEgress === true,
        protocol: r.IpProtocol!,
        from: r.FromPort,
        to: r.ToPort,
        peer: r.CidrIpv4 || r.CidrIpv6 || r.ReferencedGroupInfo?.GroupId || r.PrefixListId || "",
      }),
    );
  const missing = designed.filter((k) => !actual.includes(k));
  const extra = actual.filter((k) => !designed.includes(k));
  expect(
    missing.length + extra.length === 0,
    `missing: ${missing.join("; ")} extra: ${extra.join("; ")}`,
  );
  const albGroups = new Set(
    resources(state, "aws_security_group")
      .filter((r) => String(r.values!.name).endsWith("-alb"))
      .map((r) => String(r.values!.id)),
  );
  const world = rules.filter(
    (r) =>
      groups.has(r.GroupId!) &&
      !r.IsEgress &&
      (r.CidrIpv4 === "0.0.0.0/0" || r.CidrIpv6 === "::/0"),
  );
  const badWorld = world.filter(
    (r) =>
      !albGroups.has(r.GroupId!) || ![80, 443].includes(r.FromPort!) || r.FromPort !== r.ToPort,
  );
  expect(
    badWorld.length === 0,
    `world ingress outside the ALB's 80/443: ${badWorld.map((r) => `${r.GroupId} ${r.FromPort}`).join(", ")}`,
  );
  expect(groups.size > 0 && designed.length > 0, "no security groups or rules in state");
  return `${actual.length} rules in ${groups.size} groups exactly as designed; world ingress only ALB ${world.map((r) => r.FromPort).join("/") || "(none)"}`;
}

async function stateBucket(endpoint: string, state: StateJson): Promise<string> {
  const bucket = String(resources(state, "aws_s3_bucket")[0]?.values?.bucket);
  const s3 = new S3Client(clientConfig(endpoint));
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
  expect(versioning.Status === "Enabled", `versioning ${versioning.Status}`);
  const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
  const sse =
    encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  expect(
    sse?.SSEAlgorithm === "aws:kms" && !!sse.KMSMasterKeyID,
    `encryption ${JSON.stringify(sse)}`,
  );
  const block = (await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))
    .PublicAccessBlockConfiguration;
  expect(
    !!block?.BlockPublicAcls &&
      !!block.BlockPublicPolicy &&
      !!block.IgnorePublicAcls &&
      !!block.RestrictPublicBuckets,
    `public access block ${JSON.stringify(block)}`,
  );
  const policy = JSON.parse(
    (await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? "{}",
  ) as {
    Statement?: { Effect: string; Condition?: Record<string, Record<string, unknown>> }[];
  };
  expect(
    (policy.Statement ?? []).some(
      (s) => s.Effect === "Deny" && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
    ),
    "no Deny on aws:SecureTransport=false",
  );
  return `${bucket}: versioning Enabled, SSE aws:kms, public access blocked, TLS-only policy`;
}

async function lockTable(endpoint: string, state: StateJson): Promise<string> {
  const name = String(resources(state, "aws_dynamodb_table")[0]?.values?.name);
  const dynamodb = new DynamoDBClient(clientConfig(endpoint));
  const table = (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
  const key = table?.KeySchema?.map((k) => `${k.AttributeName}:${k.KeyType}`).join(",");
  expect(key === "LockID:HASH", `key schema ${key}`);
  const backups = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: name }));
  const pitr =
    backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
  expect(pitr === "ENABLED", `PITR ${pitr}`);
  return `${name}: key LockID (HASH), PITR enabled`;
}

async function rds(endpoint: string, environment: string): Promise<string> {
  const config = ENVIRONMENTS.find((e) => e.environment === environment)!.rds;
  const client = new RDSClient(clientConfig(endpoint));
  const instances = (await client.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
  expect(instances.length === 1, `${instances.length} DB instances`);
  const db = instances[0]!;
  expect(db.StorageEncrypted === true, "storage not encrypted");
  expect(
    db.BackupRetentionPeriod === config.backupRetentionDays,
    `backup retention ${db.BackupRetentionPeriod}, want ${config.backupRetentionDays}`,
  );
  expect(db.MultiAZ === config.multiAz, `MultiAZ ${db.MultiAZ}, want ${config.multiAz}`);
  expect(
    db.DeletionProtection === config.deletionProtection,
    `deletion protection ${db.DeletionProtection}, want ${config.deletionProtection}`,
  );
  expect(db.PubliclyAccessible !== true, "publicly accessible");
  return `${db.DBInstanceIdentifier}: encrypted, backups ${db.BackupRetentionPeriod} d, MultiAZ ${db.MultiAZ}, deletion protection ${db.DeletionProtection}`;
}

/** From state: moto cannot hold the replication group (gaps.ts), so these are the applied values. */
async function elasticache(state: StateJson, environment: string): Promise<string> {
  const config = ENVIRONMENTS.find((e) => e.environment === environment)!.redis;
  const group = resources(state, "aws_elasticache_replication_group")[0]?.values;
  expect(!!group, "no replication group in state");
  expect(group!.transit_encryption_enabled === true, "no TLS");
  expect(
    group!.at_rest_encryption_enabled === true || group!.at_rest_encryption_enabled === "true",
    "no at-rest encryption",
  );
  const failover = config.nodeCount > 1;
  expect(
    group!.automatic_failover_enabled === failover,
    `automatic failover ${group!.automatic_failover_enabled}, want ${failover}`,
  );
  return `(from state, overridden) TLS, at-rest encryption, failover ${failover}, ${config.nodeCount} nodes`;
}

/** Every assertion that applies to `root` (bootstrap, dev, staging, production). */
export async function checkRoot(
  root: string,
  endpoint: string,
  state: StateJson,
): Promise<CheckResult[]> {
  const environment = root === "bootstrap" ? "shared" : root;
  const results = [await check("tags", () => tags(endpoint, state, environment))];
  if (root === "bootstrap") {
    results.push(await check("state bucket", () => stateBucket(endpoint, state)));
    results.push(await check("lock table", () => lockTable(endpoint, state)));
    return results;
  }
  results.push(await check("NAT/EIP names", () => natNames(endpoint, environment)));
  results.push(await check("security-group rules", () => securityGroupRules(endpoint, state)));
  results.push(await check("RDS", () => rds(endpoint, environment)));
  results.push(await check("ElastiCache", () => elasticache(state, environment)));
  return results;
}
