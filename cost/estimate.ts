import type { EnvironmentConfig } from "../envs/schema.ts";
import { BUDGET_WARNING_SHARE, FIXED, HOURS_PER_MONTH, USAGE } from "./assumptions.ts";
import { inventory as synthesizedInventory, type Inventory } from "./inventory.ts";
import type { PriceTable } from "./prices.ts";

/** One line of an estimate: what is billed, how much of it, and what that costs per month. */
export interface CostLine {
  readonly item: string;
  /** Billed quantity per month, in `unit`. */
  readonly quantity: number;
  readonly unit: string;
  /** USD per month, rounded to cents. */
  readonly monthlyUsd: number;
}

/** The monthly estimate of one environment and how it compares with its budget. */
export interface Estimate {
  readonly environment: string;
  readonly lines: CostLine[];
  /** Sum of the (rounded) lines, USD per month. */
  readonly totalUsd: number;
  /** The env config's `budget.monthlyLimitUsd`. */
  readonly budgetUsd: number;
  /** totalUsd / budgetUsd. */
  readonly budgetShare: number;
  /** True when the estimate exceeds 80 % of the budget (the budget's first alert would fire). */
  readonly overWarningShare: boolean;
}

/** How many EKS worker nodes run on demand and how many on spot. */
export interface NodeSplit {
  readonly onDemand: number;
  readonly spot: number;
}

/**
 * Splits `desiredNodes` the way the eks module does: the on-demand base first, then the on-demand
 * share of the nodes above it rounded down; the rest run on spot.
 */
export function splitNodes(eks: EnvironmentConfig["eks"]): NodeSplit {
  const base = Math.min(eks.onDemandBaseNodes, eks.desiredNodes);
  const above = eks.desiredNodes - base;
  const onDemand = base + Math.floor((above * (100 - eks.spotPercentage)) / 100);
  return { onDemand, spot: eks.desiredNodes - onDemand };
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Looks a price up, failing with the environment, field and value when the table lacks it. */
function priceOf<T>(table: Readonly<Record<string, T>>, key: string, where: string): T {
  const price = table[key];
  if (price === undefined)
    throw new Error(
      `cost: no price for ${where} = ${JSON.stringify(key)}; add it to cost/prices.ts`,
    );
  return price;
}

/**
 * Monthly cost estimate of one environment, from its config, a price table and the counts of what
 * its synthesized stacks create (KMS keys, secrets, NAT gateways, EIPs, log groups, the bastion,
 * load balancers, OpenSearch), so the estimate follows the code rather than a list of constants.
 */
export function estimate(
  config: EnvironmentConfig,
  prices: PriceTable,
  counted: Inventory = synthesizedInventory(config),
): Estimate {
  const env = config.environment;
  if (config.region !== prices.region)
    throw new Error(
      `cost: envs/${env} runs in ${config.region} but the price table is for ${prices.region}`,
    );
  const usage = USAGE[env];
  const h = HOURS_PER_MONTH;
  const lines: CostLine[] = [];
  const add = (item: string, quantity: number, unit: string, unitPrice: number) =>
    lines.push({ item, quantity, unit, monthlyUsd: cents(quantity * unitPrice) });

  add("EKS control plane", h, "cluster-hours", prices.eksControlPlaneHourly);

  const { eks } = config;
  const nodes = splitNodes(eks);
  const [onDemandType] = eks.nodeInstanceTypes as [string, ...string[]];
  const onDemandPrice = priceOf(prices.ec2, onDemandType, `envs/${env}: eks.nodeInstanceTypes[0]`);
  const spotPrices = eks.nodeInstanceTypes.map(
    (type, i) => priceOf(prices.ec2, type, `envs/${env}: eks.nodeInstanceTypes[${i}]`).spotHourly,
  );
  const spotAverage = spotPrices.reduce((a, b) => a + b, 0) / spotPrices.length;
  add(
    `EKS nodes on-demand (${nodes.onDemand} x ${onDemandType})`,
    nodes.onDemand * h,
    "instance-hours",
    onDemandPrice.onDemandHourly,
  );
  add(
    `EKS nodes spot (${nodes.spot} x ${eks.nodeInstanceTypes.join("/")})`,
    nodes.spot * h,
    "instance-hours",
    spotAverage,
  );
  add(
    "EKS node root volumes (gp3)",
    eks.desiredNodes * FIXED.nodeVolumeGb,
    "GB-months",
    prices.ebsGp3PerGbMonth,
  );
  const { platform } = config;
  add(
    `Prometheus volumes (gp3, ${platform.prometheusReplicas} x ${platform.prometheusStorageGb} GB)`,
    platform.prometheusReplicas * platform.prometheusStorageGb,
    "GB-months",
    prices.ebsGp3PerGbMonth,
  );

  const { network } = config;
  add(
    `NAT gateways (${counted.natGateways})`,
    counted.natGateways * h,
    "gateway-hours",
    prices.natGateway.hourly,
  );
  if (counted.natGateways > 0)
    add("NAT data processed", usage.natDataGbPerMonth, "GB", prices.natGateway.perGbProcessed);
  add(
    `Public IPv4 (NAT EIPs, ${counted.elasticIps})`,
    counted.elasticIps * h,
    "address-hours",
    prices.publicIpv4Hourly,
  );

  // Load balancers exist only once an ALB Ingress (or aws_lb) does; each has a node per AZ.
  const albs = counted.loadBalancers;
  if (albs > 0) {
    add(`Application Load Balancers (${albs})`, albs * h, "ALB-hours", prices.alb.hourly);
    add("ALB capacity units", albs * usage.albAverageLcu * h, "LCU-hours", prices.alb.perLcuHour);
    add(
      `Public IPv4 (ALB, one per AZ)`,
      albs * network.azCount * h,
      "address-hours",
      prices.publicIpv4Hourly,
    );
  }

  const { rds } = config;
  const rdsPrice = priceOf(prices.rds, rds.instanceClass, `envs/${env}: rds.instanceClass`);
  add(
    `RDS MySQL ${rds.instanceClass} (${rds.multiAz ? "multi-AZ" : "single-AZ"})`,
    h,
    "instance-hours",
    rds.multiAz ? rdsPrice.multiAzHourly : rdsPrice.singleAzHourly,
  );
  add(
    `RDS gp3 storage${rds.multiAz ? " (multi-AZ)" : ""}`,
    rds.allocatedStorageGb,
    "GB-months",
    rds.multiAz ? prices.rdsGp3PerGbMonth.multiAz : prices.rdsGp3PerGbMonth.singleAz,
  );

  const { redis } = config;
  add(
    `ElastiCache ${redis.nodeCount} x ${redis.nodeType}`,
    redis.nodeCount * h,
    "node-hours",
    priceOf(prices.elasticache, redis.nodeType, `envs/${env}: redis.nodeType`),
  );

  const { bastion } = config;
  if (counted.instances > 0) {
    const price = priceOf(prices.ec2, bastion.instanceType, `envs/${env}: bastion.instanceType`);
    add(
      `Bastion ${bastion.instanceType}`,
      counted.instances * h,
      "instance-hours",
      price.onDemandHourly,
    );
    add(
      "Bastion root volume (gp3)",
      counted.instanceVolumeGb,
      "GB-months",
      prices.ebsGp3PerGbMonth,
    );
  }

  for (const domain of counted.openSearch) {
    const price = priceOf(
      prices.openSearch.instances,
      domain.instanceType,
      `envs/${env}: openSearch.instanceType`,
    );
    add(
      `OpenSearch ${domain.instanceCount} x ${domain.instanceType}`,
      domain.instanceCount * h,
      "instance-hours",
      price,
    );
    add(
      `OpenSearch storage (gp3, ${domain.instanceCount} x ${domain.volumeGb} GB)`,
      domain.instanceCount * domain.volumeGb,
      "GB-months",
      prices.openSearch.gp3PerGbMonth,
    );
  }

  add(
    `CloudWatch Logs ingestion (${counted.logGroups} log groups)`,
    usage.logIngestionGbPerMonth,
    "GB",
    prices.cloudwatchLogs.ingestionPerGb,
  );
  add(
    `CloudWatch Logs storage (${config.logRetentionDays} days retained)`,
    cents((usage.logIngestionGbPerMonth * config.logRetentionDays) / 30),
    "GB-months",
    prices.cloudwatchLogs.storagePerGbMonth,
  );
  add("KMS customer-managed keys", counted.kmsKeys, "key-months", prices.kmsKeyMonthly);
  add(
    "Secrets Manager secrets",
    counted.secrets,
    "secret-months",
    prices.secretsManagerSecretMonthly,
  );
  add("Terraform state (S3 + DynamoDB)", 1, "month", prices.stateStoreMonthly);

  const totalUsd = cents(lines.reduce((sum, line) => sum + line.monthlyUsd, 0));
  const budgetUsd = config.budget.monthlyLimitUsd;
  return {
    environment: env,
    lines,
    totalUsd,
    budgetUsd,
    budgetShare: totalUsd / budgetUsd,
    overWarningShare: totalUsd > budgetUsd * BUDGET_WARNING_SHARE,
  };
}
