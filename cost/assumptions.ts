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

/** Sizes and counts every environment shares, taken from the modules' defaults. */
export const FIXED = {
  /** gp3 root volume per EKS worker node, GB (the eks module's `nodeDiskSizeGb` default). */
  nodeVolumeGb: 30,
  /** gp3 root volume of the bastion, GB (the Amazon Linux 2023 AMI's default). */
  bastionVolumeGb: 8,
  /**
   * Customer-managed KMS keys per environment, one per purpose: flow logs, EKS secrets, EKS and
   * application logs, RDS, ElastiCache, EBS, budget alerts (SNS).
   */
  kmsKeys: 7,
  /** Secrets Manager secrets per environment: the RDS-managed master password and the Redis auth token. */
  secrets: 2,
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
    `Each node has a ${FIXED.nodeVolumeGb} GB gp3 root volume; the bastion (when enabled) an ${FIXED.bastionVolumeGb} GB one and no public IP (Session Manager). Each Prometheus replica has a gp3 volume of \`platform.prometheusStorageGb\` (baseline IOPS and throughput, billed at its full size).`,
    "NAT gateways: 1 for `single`, one per AZ for `per_az`, each with a public IPv4 (EIP); the internet-facing ALB holds one public IPv4 per AZ.",
    `Usage per month (logs ingested, data through NAT, average ALB LCUs): ${usage}.`,
    "CloudWatch Logs storage at steady state = monthly ingestion x retention days / 30 (uncompressed size, an upper bound).",
    "RDS multi-AZ doubles the instance and storage price; backup storage up to the database size is free; the master password lives in an RDS-managed secret.",
    `${FIXED.kmsKeys} customer-managed KMS keys and ${FIXED.secrets} Secrets Manager secrets per environment; KMS and Secrets Manager requests within their free allowances.`,
    "Not included: data transfer out to the internet and across AZs, ECR storage, CloudWatch metrics and alarms, in-cluster add-ons beyond node capacity and the Prometheus volumes, EBS snapshots, support plan, tax. Budgets alerts and SNS e-mail at this volume are free.",
  ];
}
