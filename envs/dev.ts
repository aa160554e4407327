import { account } from "./account.ts";
import { defineEnvironment } from "./schema.ts";

/** Development: smallest sizes, one NAT gateway, mostly spot nodes, short log retention. */
export const dev = defineEnvironment(account, {
  environment: "dev",
  region: account.region,
  network: { vpcCidr: "10.10.0.0/16", azCount: 2, natGateways: "single" },
  logRetentionDays: 7,
  bastion: { enabled: true, instanceType: "t3.small", sshAllowedCidrs: [] },
  eks: {
    version: "1.34",
    nodeInstanceTypes: ["t3.medium", "t3a.medium", "t2.medium"],
    minNodes: 2,
    maxNodes: 4,
    desiredNodes: 2,
    onDemandBaseNodes: 0,
    spotPercentage: 100,
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
  redis: { nodeType: "cache.t4g.micro", nodeCount: 2, snapshotRetentionDays: 1 },
  api: { cacheTtlSeconds: 60, minReplicas: 2, maxReplicas: 4 },
  platform: {
    prometheusRetentionDays: 3,
    prometheusStorageGb: 20,
    prometheusReplicas: 1,
    loadBalancerControllerReplicas: 1,
  },
  budget: { monthlyLimitUsd: 400 },
});
