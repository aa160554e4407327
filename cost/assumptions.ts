import type { EnvironmentConfig } from "../envs/schema.ts";

/** Hours in the average month (8,760 / 12), the basis of every hourly line. */
export const HOURS_PER_MONTH = 730;

/** Share of the budget at which the estimate is flagged, the same as the budget's first alert. */
export const BUDGET_WARNING_SHARE = 0.8;

/**
 * Usage the env configs do not decide (traffic, log volume) and sizes that live in module
 * defaults rather than in the configs. Each is a round, stated guess for a small internal API;
 * replace them with Cost Explorer figures once an environment has run for a month.
 */
export interface UsageAssumptions {
  /** GB per month written to CloudWatch Logs: flow logs, EKS control-plane logs, app logs. */
  readonly logIngestionGbPerMonth: number;
  /** GB per month through the NAT gateways (ECR API, OS updates, external APIs; S3 uses the gateway endpoint). */
  readonly natDataGbPerMonth: number;
  /** Average load balancer capacity units (one LCU is 25 new connections/s or 1 GB/h processed). */
  readonly albAverageLcu: number;
}

/** Per-environment usage guesses. */
export const USAGE: Readonly<Record<EnvironmentConfig["environment"], UsageAssumptions>> = {
  dev: { logIngestionGbPerMonth: 10, natDataGbPerMonth: 20, albAverageLcu: 1 },
  staging: { logIngestionGbPerMonth: 15, natDataGbPerMonth: 30, albAverageLcu: 1 },
  production: { logIngestionGbPerMonth: 50, natDataGbPerMonth: 100, albAverageLcu: 2 },
};

/**
 * Sizes every environment shares, taken from the modules' defaults. Counts (KMS keys, secrets,
 * NAT gateways, EIPs, log groups, load balancers, the bastion, OpenSearch) are not assumed: they
 * are counted in the synthesized stacks (cost/inventory.ts).
 */
export const FIXED = {
  /** gp3 root volume per EKS worker node, GB (the eks module's `nodeDiskSizeGb` default). */
  nodeVolumeGb: 30,
} as const;

/** The assumptions as sentences, for the CLI and the docs. */
export function describeAssumptions(): string[] {
  const usage = (Object.entries(USAGE) as [string, UsageAssumptions][])
    .map(
      ([env, u]) =>
        `${env} ${u.logIngestionGbPerMonth} GB logs, ${u.natDataGbPerMonth} GB NAT, ${u.albAverageLcu} LCU`,
    )
    .join("; ");
  return [
    `${HOURS_PER_MONTH} hours per month; everything runs all month at the configured desired sizes (no autoscaling above desiredNodes, no scheduled shutdown).`,
    "EKS nodes: on-demand = base + floor((desired - base) x (100 - spot %) / 100), the rest spot (the eks module's split); on-demand nodes are the first instance type, spot nodes cost the average spot price of all listed types.",
    `Each node has a ${FIXED.nodeVolumeGb} GB gp3 root volume; the bastion (when enabled) the root volume its module sets and no public IP (Session Manager). Each Prometheus replica has a gp3 volume of \`platform.prometheusStorageGb\` (baseline IOPS and throughput, billed at its full size).`,
    "Counted in the synthesized `<env>` stack and its modules (each `count` evaluated with the env's values, see cost/inventory.ts), not assumed: customer-managed KMS keys, Secrets Manager secrets (plus the RDS-managed master password), NAT gateways and their EIPs, CloudWatch log groups, the bastion, OpenSearch domains; application load balancers = `aws_lb` resources plus distinct ALB Ingress groups of the platform stack and the API chart's `values-<env>.yaml`, each holding one public IPv4 per AZ.",
    `Usage per month (logs ingested, data through NAT, average ALB LCUs): ${usage}.`,
    "CloudWatch Logs storage at steady state = monthly ingestion x retention days / 30 (uncompressed size, an upper bound).",
    "RDS multi-AZ doubles the instance and storage price; backup storage up to the database size is free; the master password lives in an RDS-managed secret.",
    "KMS and Secrets Manager requests within their free allowances. OpenSearch (when `openSearch.enabled`): data nodes on demand all month and their gp3 volumes; its log volume is the same as CloudWatch's (no extra ingestion charge).",
    "Not included: data transfer out to the internet and across AZs, ECR storage, CloudWatch metrics and alarms, in-cluster add-ons beyond node capacity and the Prometheus volumes, EBS snapshots, support plan, tax. Budgets alerts and SNS e-mail at this volume are free.",
  ];
}
