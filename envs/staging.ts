import { account } from "./account.ts";
import { defineEnvironment } from "./schema.ts";

/** Staging: production's shape at dev's sizes, so releases are rehearsed on the same topology. */
export const staging = defineEnvironment(account, {
  environment: "staging",
  region: account.region,
  network: { vpcCidr: "10.20.0.0/16", azCount: 2, natGateways: "single" },
  logRetentionDays: 30,
  bastion: { enabled: true, instanceType: "t3.small", sshAllowedCidrs: [] },
  eks: {
    version: "1.34",
    nodeInstanceTypes: ["t3.medium", "t3a.medium", "t2.medium"],
    minNodes: 2,
    maxNodes: 6,
    desiredNodes: 2,
    onDemandBaseNodes: 1,
    spotPercentage: 75,
    publicAccessCidrs: [],
  },
  rds: {
    instanceClass: "db.t3.micro",
    multiAz: false,
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    backupRetentionDays: 7,
    deletionProtection: false,
  },
  redis: { nodeType: "cache.t4g.small", nodeCount: 2, snapshotRetentionDays: 3 },
  api: { cacheTtlSeconds: 180, minReplicas: 2, maxReplicas: 6 },
  platform: {
    prometheusRetentionDays: 7,
    prometheusStorageGb: 50,
    prometheusReplicas: 1,
    loadBalancerControllerReplicas: 2,
  },
  budget: { monthlyLimitUsd: 600 },
});
