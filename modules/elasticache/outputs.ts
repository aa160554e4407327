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
  authSecretArn: stringOutput(
    "ARN of the Secrets Manager secret holding the AUTH token as a plain string (the module's or the one passed in).",
  ),
  replicationGroupId: stringOutput("ID of the replication group, `<name>-redis`."),
  replicationGroupArn: stringOutput("ARN of the replication group."),
  securityGroupId: stringOutput(
    "ID of the security group attached to the nodes (the input, passed through).",
  ),
  kmsKeyArn: stringOutput(
    "ARN of the KMS key that encrypts the data at rest, the snapshots and the module-created AUTH token secret.",
  ),
} as const;
