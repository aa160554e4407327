/**
 * Reads the RDS-managed master credentials from Secrets Manager at run time (the migration Job's
 * role may; the API's may not). Terraform only knows the secret's ARN, never its value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** User name and password of the master user. */
export interface MasterCredentials {
  username: string;
  password: string;
}

/** Fetches and parses the secret RDS manages (`{"username": ..., "password": ...}`). */
export async function readMasterSecret(
  secretArn: string,
  region: string,
): Promise<MasterCredentials> {
  const client = new SecretsManagerClient({ region });
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const parsed = JSON.parse(SecretString ?? "{}") as Partial<MasterCredentials>;
    if (!parsed.username || !parsed.password)
      throw new Error(`secret ${secretArn} has no username/password`);
    return { username: parsed.username, password: parsed.password };
  } finally {
    client.destroy();
  }
}
