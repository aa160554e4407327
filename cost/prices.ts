/**
 * Price table for the cost estimate: AWS list prices in USD for ONE region, eu-west-1 (Ireland),
 * the region of every environment config.
 *
 * Date: 2026-11 (compiled 2026-11-26). Source: the AWS public on-demand price list (Linux, shared
 * tenancy, no Savings Plans or Reserved Instances, no free tier, excluding tax); spot prices are
 * typical averages for eu-west-1, roughly 60-70 % below on-demand, not a quote (spot prices move
 * with supply and demand, per AZ, every few minutes). Every figure is APPROXIMATE: check the AWS
 * pricing pages (or the Pricing API) before relying on one, and update the date when you do.
 * @see https://aws.amazon.com/ec2/pricing/on-demand/
 * @see https://aws.amazon.com/ec2/spot/pricing/
 */

/** On-demand and typical spot price of one EC2 instance type, USD per hour. */
export interface Ec2Price {
  readonly onDemandHourly: number;
  /** Typical spot price (an average, not a quote). */
  readonly spotHourly: number;
}

/** RDS for MySQL price of one instance class, USD per hour. */
export interface RdsPrice {
  readonly singleAzHourly: number;
  /** Multi-AZ (one standby): twice the single-AZ price. */
  readonly multiAzHourly: number;
}

/** Everything the estimate prices, for one region at one date. */
export interface PriceTable {
  readonly region: string;
  /** When the figures were compiled, `YYYY-MM` or `YYYY-MM-DD`. */
  readonly date: string;
  readonly currency: "USD";
  /** Where the figures come from and what they leave out. */
  readonly source: string;
  /** How spot prices were chosen. */
  readonly spotAssumption: string;
  readonly ec2: Readonly<Record<string, Ec2Price>>;
  /** EKS cluster in standard support (extended support costs $0.60 per hour). */
  readonly eksControlPlaneHourly: number;
  readonly natGateway: { readonly hourly: number; readonly perGbProcessed: number };
  /** Every public IPv4 address, in use or not, since February 2024 (NAT EIPs, ALB nodes). */
  readonly publicIpv4Hourly: number;
  readonly rds: Readonly<Record<string, RdsPrice>>;
  /** RDS gp3 storage per GB-month; multi-AZ stores two copies. */
  readonly rdsGp3PerGbMonth: { readonly singleAz: number; readonly multiAz: number };
  /** ElastiCache (Redis OSS / Valkey on-demand nodes) per node type, USD per node-hour. */
  readonly elasticache: Readonly<Record<string, number>>;
  readonly alb: { readonly hourly: number; readonly perLcuHour: number };
  readonly cloudwatchLogs: { readonly ingestionPerGb: number; readonly storagePerGbMonth: number };
  readonly ebsGp3PerGbMonth: number;
  /** Amazon OpenSearch Service: on-demand data node price per instance type, and gp3 storage. */
  readonly openSearch: {
    readonly instances: Readonly<Record<string, number>>;
    readonly gp3PerGbMonth: number;
  };
  /** Customer-managed KMS key (requests within the free 20,000 per month are assumed). */
  readonly kmsKeyMonthly: number;
  readonly secretsManagerSecretMonthly: number;
  /**
   * The Terraform state bucket and lock table: a few MB of versioned state and a handful of
   * on-demand DynamoDB requests per run. Negligible; one small line per environment.
   */
  readonly stateStoreMonthly: number;
}

/** The price table the estimate and the generated docs use. */
export const PRICES: PriceTable = {
  region: "eu-west-1",
  date: "2026-11",
  currency: "USD",
  source:
    "AWS public on-demand price list for eu-west-1 (Linux, shared tenancy), approximate; no Savings Plans, Reserved Instances, free tier or tax.",
  spotAssumption:
    "Spot prices are typical eu-west-1 averages, about 60-70 % below on-demand; real spot prices vary by AZ and over time.",
  ec2: {
    "t3.small": { onDemandHourly: 0.0228, spotHourly: 0.0078 },
    "t3.medium": { onDemandHourly: 0.0456, spotHourly: 0.016 },
    "t3a.medium": { onDemandHourly: 0.0408, spotHourly: 0.015 },
    "t2.medium": { onDemandHourly: 0.05, spotHourly: 0.017 },
    "t3.large": { onDemandHourly: 0.0912, spotHourly: 0.032 },
    "t3a.large": { onDemandHourly: 0.0816, spotHourly: 0.029 },
    "m5.large": { onDemandHourly: 0.107, spotHourly: 0.04 },
  },
  eksControlPlaneHourly: 0.1,
  natGateway: { hourly: 0.048, perGbProcessed: 0.048 },
  publicIpv4Hourly: 0.005,
  rds: {
    "db.t3.micro": { singleAzHourly: 0.018, multiAzHourly: 0.036 },
    "db.t3.small": { singleAzHourly: 0.036, multiAzHourly: 0.072 },
  },
  rdsGp3PerGbMonth: { singleAz: 0.127, multiAz: 0.254 },
  elasticache: {
    "cache.t4g.micro": 0.017,
    "cache.t4g.small": 0.034,
  },
  alb: { hourly: 0.0252, perLcuHour: 0.008 },
  cloudwatchLogs: { ingestionPerGb: 0.57, storagePerGbMonth: 0.03 },
  ebsGp3PerGbMonth: 0.088,
  // OpenSearch Service on-demand, eu-west-1 (https://aws.amazon.com/opensearch-service/pricing/).
  openSearch: {
    instances: {
      "t3.small.search": 0.038,
      "t3.medium.search": 0.076,
      "m6g.large.search": 0.141,
      "r6g.large.search": 0.185,
    },
    gp3PerGbMonth: 0.134,
  },
  kmsKeyMonthly: 1,
  secretsManagerSecretMonthly: 0.4,
  stateStoreMonthly: 0.1,
};
