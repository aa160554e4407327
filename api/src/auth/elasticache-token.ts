/**
 * ElastiCache IAM authentication: the password of a new Redis connection (`AUTH <user> <token>`)
 * is a SigV4-presigned `GET http://<replication-group-id>/?Action=connect&User=<user-id>` for
 * service `elasticache`, valid 15 minutes, without the `http://`. The role needs
 * `elasticache:Connect` on the replication group and the user. ElastiCache closes IAM-authenticated
 * connections after 12 hours; the client then reconnects with a fresh token.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import {
  IAM_TOKEN_REFRESH_MS,
  IAM_TOKEN_VALIDITY_MS,
  tokenProvider,
  type CredentialProvider,
} from "./credentials.js";

/** Which cache and user the token is for. */
export interface ElastiCacheTokenOptions {
  /** Replication group ID (lower case), not the endpoint. */
  cacheName: string;
  /** User ID of the IAM-enabled user (equal to its user name). */
  user: string;
  region: string;
  /** @default the SDK's default chain (IRSA web identity in the pod) */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Signing time, for tests. @default now */
  signingDate?: Date;
}

/** Token lifetime in seconds, the most ElastiCache accepts. */
export const ELASTICACHE_TOKEN_EXPIRES_SECONDS = 900;

/** Signs one ElastiCache IAM authentication token (local; no network call). */
export async function signElastiCacheToken(options: ElastiCacheTokenOptions): Promise<string> {
  const signer = new SignatureV4({
    service: "elasticache",
    region: options.region,
    credentials: options.credentials ?? fromNodeProviderChain(),
    sha256: Sha256,
  });
  const hostname = options.cacheName.toLowerCase();
  const presigned = await signer.presign(
    {
      method: "GET",
      protocol: "http:",
      hostname,
      path: "/",
      query: { Action: "connect", User: options.user },
      headers: { host: hostname },
    },
    { expiresIn: ELASTICACHE_TOKEN_EXPIRES_SECONDS, signingDate: options.signingDate },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join("&");
  return `${hostname}/?${query}`;
}

/** Cached ElastiCache tokens, re-signed every 10 minutes. */
export function elastiCacheTokenProvider(options: ElastiCacheTokenOptions): CredentialProvider {
  return tokenProvider(() => signElastiCacheToken(options), {
    validityMs: IAM_TOKEN_VALIDITY_MS,
    refreshAfterMs: IAM_TOKEN_REFRESH_MS,
  });
}
