import { z } from "zod";
import { ConfigError, describeIssue } from "../kit/errors.ts";
import { isIpv4Cidr, LOG_RETENTION_DAYS, PATTERNS } from "../kit/patterns.ts";
import {
  ENGINE_LIFECYCLE_SUPPORT,
  ENGINE_SUPPORT_RULE,
  rdsInputs,
  STORAGE_AUTOSCALING_RULE,
} from "../modules/rds/inputs.ts";

const pattern = (regex: string, what: string) =>
  z.string().regex(new RegExp(regex), `must be ${what}`);
const dnsName = pattern(PATTERNS.optionalDnsName, "a lower-case DNS name or empty");
const ec2Type = pattern(PATTERNS.ec2InstanceType, "an EC2 instance type such as t3.medium");
const cidr = z
  .string()
  .refine(isIpv4Cidr, "must be an IPv4 CIDR block whose address is the network address");

/** Values that identify the AWS account and the people and repository around it. */
export const accountSchema = z.strictObject({
  /** Short project name; the first part of every AWS name. */
  project: pattern(PATTERNS.resourceName, "3-32 lower-case letters, digits or hyphens"),
  /** Cost allocation tag value. */
  costCenter: z.string().min(1, "must not be empty").max(256),
  /** Default AWS region of every environment. */
  region: pattern(PATTERNS.awsRegion, "an AWS region such as eu-west-1"),
  /** Optional 12-digit account id; when set, the AWS provider refuses to run against any other. */
  accountId: pattern(`(${PATTERNS.awsAccountId})?`, "a 12-digit AWS account id or empty").default(
    "",
  ),
  /** Remote state: bucket and lock table created by the bootstrap stack. */
  state: z.strictObject({
    bucket: pattern(PATTERNS.s3BucketName, "an S3 bucket name (lower case, digits, hyphens)"),
    lockTable: pattern(PATTERNS.dynamoTableName, "a DynamoDB table name"),
    /** ARN of the bootstrap's state KMS key (its `state_kms_key_arn` output); empty until known. */
    kmsKeyArn: pattern(PATTERNS.optionalArn, "a KMS key ARN or empty").default(""),
    /** Days a superseded state version is kept. */
    noncurrentVersionDays: z.number().int().min(1).max(3650),
  }),
  /** `owner/name` of the GitHub repository whose workflows may assume the CI roles. */
  githubRepository: pattern(PATTERNS.githubRepository, "a GitHub repository as owner/name"),
  /** Who receives budget alerts. */
  alertEmails: z
    .array(pattern(PATTERNS.email, "an e-mail address"))
    .min(1, "must list at least one address"),
  /**
   * IAM roles of people who administer the clusters (EKS access entries), besides each
   * environment's CI apply role; add the role you run `terraform apply` with by hand.
   */
  clusterAdminRoleArns: z.array(pattern(PATTERNS.iamRoleArn, "an IAM role ARN")).default([]),
});

/** Everything that differs between dev, staging and production. */
export const environmentSchema = z.strictObject({
  environment: z.enum(["dev", "staging", "production"]),
  region: pattern(PATTERNS.awsRegion, "an AWS region such as eu-west-1"),
  network: z.strictObject({
    vpcCidr: cidr.refine((v) => {
      const prefix = Number(v.split("/")[1]);
      return prefix >= 16 && prefix <= 18;
    }, "must have a prefix from /16 to /18"),
    azCount: z.number().int().min(2, "must be at least 2 (high availability)").max(4),
    /** `single`: one NAT gateway for all AZs (cheap); `per_az`: one per AZ (no cross-AZ dependency). */
    natGateways: z.enum(["single", "per_az"]),
  }),
  /** CloudWatch retention (days) for flow logs, EKS control-plane and application logs. */
  logRetentionDays: z
    .number()
    .int()
    .refine(
      (d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d),
      "must be a CloudWatch retention period (1, 3, 5, 7, 14, 30, 60, 90, ...)",
    ),
  bastion: z.strictObject({
    enabled: z.boolean(),
    instanceType: ec2Type,
    /** SSH is off by default (Session Manager); list CIDRs only to allow SSH from them. */
    sshAllowedCidrs: z.array(cidr),
  }),
  eks: z.strictObject({
    version: pattern(PATTERNS.kubernetesVersion, "a Kubernetes minor version such as 1.33"),
    /** Instance types of one size; the first is the on-demand type, all of them serve spot. */
    nodeInstanceTypes: z.array(ec2Type).min(1),
    minNodes: z.number().int().min(1),
    maxNodes: z.number().int().min(1),
    desiredNodes: z.number().int().min(1),
    /** Nodes that are always on-demand, before the spot percentage applies. */
    onDemandBaseNodes: z.number().int().min(0),
    /** Share of the nodes above the base that run on spot, 0-100. */
    spotPercentage: z.number().int().min(0).max(100),
    /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private only. */
    publicAccessCidrs: z.array(cidr),
  }),
  rds: z.strictObject({
    instanceClass: pattern(PATTERNS.rdsInstanceClass, "an RDS instance class such as db.t3.micro"),
    multiAz: z.boolean(),
    allocatedStorageGb: z.number().int().min(20),
    maxAllocatedStorageGb: z.number().int().max(65536),
    backupRetentionDays: z.number().int().min(7, "must be at least 7 days").max(35),
    deletionProtection: z.boolean(),
    /** MySQL version; 8.0 only together with `engineLifecycleSupport` extended support. */
    engineVersion: rdsInputs.engineVersion.schema.default(rdsInputs.engineVersion.default),
    /** End-of-standard-support behaviour (cost choice), see modules/rds/inputs.ts. */
    engineLifecycleSupport: z
      .enum(ENGINE_LIFECYCLE_SUPPORT)
      .default(rdsInputs.engineLifecycleSupport.default),
  }),
  redis: z.strictObject({
    nodeType: pattern(PATTERNS.cacheNodeType, "an ElastiCache node type such as cache.t4g.small"),
    /** Primary plus replicas; at least 2 so automatic failover and multi-AZ work. */
    nodeCount: z.number().int().min(2, "must be at least 2 (failover needs a replica)").max(6),
    snapshotRetentionDays: z.number().int().min(0).max(35),
  }),
  api: z.strictObject({
    /** Redis TTL of cached reads, seconds. */
    cacheTtlSeconds: z.number().int().min(1).max(86400),
    minReplicas: z.number().int().min(1),
    maxReplicas: z.number().int().min(1),
  }),
  /** In-cluster add-ons of the `<env>-platform` stack. */
  platform: z.strictObject({
    /**
     * Days Prometheus keeps samples (also capped by size: see `prometheusStorageGb`).
     */
    prometheusRetentionDays: z.number().int().min(1).max(90),
    /**
     * Size of each Prometheus replica's persistent volume (encrypted gp3 through the EBS CSI
     * driver), GiB. Prometheus also stops keeping samples at 90 % of it, so a full disk drops the
     * oldest data instead of crashing. Raising it later resizes nothing by itself: expand the
     * existing PVCs too (the gp3 class allows expansion; see docs/deployment.md).
     */
    prometheusStorageGb: z.number().int().min(10).max(1000),
    /** Prometheus replicas; each scrapes every target, two survive a node loss. */
    prometheusReplicas: z.number().int().min(1).max(3),
    /** AWS Load Balancer Controller replicas (leader-elected; a second keeps its webhooks up). */
    loadBalancerControllerReplicas: z.number().int().min(1).max(3),
  }),
  /**
   * Optional EFK: Fluent Bit also ships the application logs to an Amazon OpenSearch Service
   * domain (modules/opensearch), kept as long as CloudWatch keeps them. Off by default.
   */
  openSearch: z
    .strictObject({
      enabled: z.boolean().default(false),
      instanceType: pattern(
        "^[a-z][a-z0-9]*\\.(small|medium|large|[0-9]*xlarge)\\.search$",
        "an OpenSearch instance type such as t3.small.search",
      ).default("t3.small.search"),
      /** Data nodes, an even number over two Availability Zones. */
      instanceCount: z
        .number()
        .int()
        .refine((n) => n >= 2 && n <= 10 && n % 2 === 0, "must be an even number from 2 to 10")
        .default(2),
      /** gp3 volume per data node, GiB. */
      volumeGb: z.number().int().min(10).max(1000).default(20),
    })
    .prefault({}),
  budget: z.strictObject({
    /** Monthly cost budget in USD; alerts at 80 % and 100 % actual, 100 % forecast. */
    monthlyLimitUsd: z.number().positive(),
  }),
  /**
   * ACM certificate ARN for the ALB's HTTPS listener, when the certificate exists outside this
   * project; empty to have the `<env>` stack request one, DNS-validated in `ingress.hostedZone`.
   */
  certificateArn: pattern(PATTERNS.optionalArn, "an ACM certificate ARN or empty").default(""),
  /**
   * The way in from the internet: host names of the API and Grafana on the ALB. All empty (the
   * default): no certificate, no Ingress; nothing is exposed (docs/deployment.md).
   */
  ingress: z
    .strictObject({
      /** Route 53 public hosted zone the certificate is validated in, e.g. example.com. */
      hostedZone: dnsName.default(""),
      /** Host name of the API, inside the zone, e.g. api.dev.example.com. */
      apiHost: dnsName.default(""),
      /** Host name of Grafana, inside the zone, e.g. grafana.dev.example.com. */
      grafanaHost: dnsName.default(""),
    })
    .default({ hostedZone: "", apiHost: "", grafanaHost: "" }),
});

/** Account-wide settings, parsed. */
export type AccountConfig = z.infer<typeof accountSchema>;
/** One environment's settings before validation. */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** One environment's validated settings plus the account settings it runs in. */
export type EnvironmentConfig = z.infer<typeof environmentSchema> & {
  readonly account: AccountConfig;
};

/** Parses `input` or throws a one-line ConfigError naming the field and the bad value. */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: string,
): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(describeIssue(where, input, result.error));
  return result.data;
}

/** Validates an environment (including cross-field rules) and attaches the account settings. */
export function defineEnvironment(
  account: AccountConfig,
  input: EnvironmentInput,
): EnvironmentConfig {
  const where = `envs/${String((input as { environment?: unknown }).environment ?? "?")}`;
  const env = parseConfig(environmentSchema, input, where);
  const { eks, api, rds } = env;
  const fail = (field: string, value: unknown, why: string) => {
    throw new ConfigError(`${where}: ${field} = ${JSON.stringify(value)}: ${why}`);
  };
  if (eks.minNodes > eks.maxNodes)
    fail("eks.minNodes", eks.minNodes, `must not exceed eks.maxNodes (${eks.maxNodes})`);
  if (eks.desiredNodes < eks.minNodes || eks.desiredNodes > eks.maxNodes)
    fail("eks.desiredNodes", eks.desiredNodes, `must be between eks.minNodes and eks.maxNodes`);
  if (eks.onDemandBaseNodes > eks.maxNodes)
    fail("eks.onDemandBaseNodes", eks.onDemandBaseNodes, "must not exceed eks.maxNodes");
  if (api.minReplicas > api.maxReplicas)
    fail(
      "api.minReplicas",
      api.minReplicas,
      `must not exceed api.maxReplicas (${api.maxReplicas})`,
    );
  // The same rules the rds module's validation blocks apply at plan time.
  if (!STORAGE_AUTOSCALING_RULE.test(rds.maxAllocatedStorageGb, rds.allocatedStorageGb))
    fail(
      "rds.maxAllocatedStorageGb",
      rds.maxAllocatedStorageGb,
      `must be at least 10 % above rds.allocatedStorageGb (${rds.allocatedStorageGb}); RDS storage autoscaling rejects a smaller limit`,
    );
  if (!ENGINE_SUPPORT_RULE.test(rds.engineVersion, rds.engineLifecycleSupport))
    fail(
      "rds.engineVersion",
      rds.engineVersion,
      'is MySQL 8.0, past RDS end of standard support (2026-07-31): use 8.4, or choose 8.0 deliberately with rds.engineLifecycleSupport = "open-source-rds-extended-support" (billed as RDS Extended Support)',
    );
  const { ingress } = env;
  const hosts = [
    ["ingress.apiHost", ingress.apiHost],
    ["ingress.grafanaHost", ingress.grafanaHost],
  ] as const;
  if (hosts.some(([, host]) => host) !== hosts.every(([, host]) => host))
    fail("ingress", ingress, "set both apiHost and grafanaHost, or neither");
  if (ingress.apiHost && !ingress.hostedZone && !env.certificateArn)
    fail(
      "ingress.hostedZone",
      "",
      "is required to validate a certificate when certificateArn is empty",
    );
  for (const [field, host] of hosts)
    if (host && ingress.hostedZone && !host.endsWith(`.${ingress.hostedZone}`))
      fail(field, host, `must be inside ingress.hostedZone (${ingress.hostedZone})`);
  return { ...env, account };
}
