import { account } from "./account.ts";
import { defineEnvironment } from "./schema.ts";

/** Production: three AZs, a NAT gateway per AZ, multi-AZ data stores, on-demand nodes only. */
export const production = defineEnvironment(account, {
  environment: "production",
  region: account.region,
  network: { vpcCidr: "10.30.0.0/16", azCount: 3, natGateways: "per_az" },
  logRetentionDays: 90,
  bastion: { enabled: true, instanceType: "t3.medium", sshAllowedCidrs: [] },
  eks: {
    version: "1.34",
    nodeInstanceTypes: ["t3.large", "t3a.large", "m5.large"],
    minNodes: 3,
    maxNodes: 9,
    desiredNodes: 3,
    onDemandBaseNodes: 3,
    spotPercentage: 0,
    publicAccessCidrs: [],
  },
  rds: {
    instanceClass: "db.t3.small",
    multiAz: true,
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    backupRetentionDays: 7,
    deletionProtection: true,
  },
  redis: { nodeType: "cache.t4g.small", nodeCount: 3, snapshotRetentionDays: 7 },
  api: { cacheTtlSeconds: 300, minReplicas: 2, maxReplicas: 10 },
  platform: {
    prometheusRetentionDays: 15,
    prometheusStorageGb: 100,
    prometheusReplicas: 2,
    loadBalancerControllerReplicas: 2,
  },
  budget: { monthlyLimitUsd: 1500 },
});
