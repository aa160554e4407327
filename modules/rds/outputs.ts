import { numberOutput, stringOutput } from "../../kit/outputs.ts";

/** Outputs of the rds module. */
export const rdsOutputs = {
  endpoint: stringOutput("DNS name of the MySQL instance (without port); connect with TLS."),
  port: numberOutput("TCP port MySQL listens on."),
  databaseName: stringOutput("Name of the database created with the instance."),
  masterUsername: stringOutput("Name of the master user."),
  masterUserSecretArn: stringOutput(
    "ARN of the Secrets Manager secret (JSON with username and password) that RDS manages and rotates for the master user; decrypting it needs kms:Decrypt on kms_key_arn.",
  ),
  instanceIdentifier: stringOutput("Identifier of the DB instance, `<name>-mysql`."),
  instanceArn: stringOutput("ARN of the DB instance."),
  instanceResourceId: stringOutput(
    "Resource ID (db-...) of the instance, the resource part of `rds-db:connect` ARNs for IAM database authentication.",
  ),
  securityGroupId: stringOutput(
    "ID of the security group attached to the instance (the input, passed through).",
  ),
  kmsKeyArn: stringOutput(
    "ARN of the KMS key that encrypts the storage, snapshots, Performance Insights and the master user secret.",
  ),
} as const;
