import { numberOutput, stringOutput } from "../../kit/outputs.ts";

/** Outputs of the elasticache module. */
export const elasticacheOutputs = {
  primaryEndpointAddress: stringOutput(
    "DNS name of the primary (read-write) endpoint; it follows the primary on failover.",
  ),
  readerEndpointAddress: stringOutput(
    "DNS name of the reader endpoint, balanced over the replicas.",
  ),
  port: numberOutput("TCP port Redis listens on (TLS)."),
  tlsEnabled: stringOutput(
    'Whether clients must connect with TLS: always "true" (in-transit encryption is required).',
  ),
  appUserId: stringOutput(
    "User ID (and user name) of the application's IAM-authenticated Redis user: the AUTH user name and the `User` of its IAM token.",
  ),
  appUserArn: stringOutput(
    "ARN of the application's Redis user, a resource of the `elasticache:Connect` permission.",
  ),
  replicationGroupId: stringOutput("ID of the replication group, `<name>-redis`."),
  replicationGroupArn: stringOutput("ARN of the replication group."),
  securityGroupId: stringOutput(
    "ID of the security group attached to the nodes (the input, passed through).",
  ),
  kmsKeyArn: stringOutput("ARN of the KMS key that encrypts the data at rest and the snapshots."),
} as const;
