/**
 * RDS IAM database authentication: the password of a new MySQL connection is a SigV4-presigned
 * `connect` request for the DB user, signed with the pod's role (IRSA), valid 15 minutes. The
 * role needs `rds-db:connect` on `dbuser:<resource-id>/<user>`; the user must be created
 * `IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'`, and the connection must use TLS.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.Connecting.html
 */
import { Signer } from "@aws-sdk/rds-signer";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import {
  IAM_TOKEN_REFRESH_MS,
  IAM_TOKEN_VALIDITY_MS,
  tokenProvider,
  type CredentialProvider,
} from "./credentials.js";

/** Where and as whom to connect. */
export interface RdsTokenOptions {
  host: string;
  port: number;
  user: string;
  region: string;
  /** @default the SDK's default chain (IRSA web identity in the pod) */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Signs one RDS IAM authentication token (no network call: presigning is local). */
export function signRdsToken(options: RdsTokenOptions): Promise<string> {
  const signer = new Signer({
    hostname: options.host,
    port: options.port,
    username: options.user,
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return signer.getAuthToken();
}

/** Cached RDS tokens, re-signed every 10 minutes. */
export function rdsTokenProvider(options: RdsTokenOptions): CredentialProvider {
  return tokenProvider(() => signRdsToken(options), {
    validityMs: IAM_TOKEN_VALIDITY_MS,
    refreshAfterMs: IAM_TOKEN_REFRESH_MS,
  });
}
