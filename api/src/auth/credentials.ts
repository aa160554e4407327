/**
 * Where the API's database and Redis passwords come from. A provider hands out the password for
 * the NEXT new connection; open connections keep the one they authenticated with, which both
 * MySQL and Redis allow (a rotated password or an expired IAM token only affects new logins).
 * So rotation never interrupts traffic: new connections pick up the new value, and a login the
 * server rejects makes the caller invalidate the cached value and ask again.
 */

/** A source of the current password or IAM token. */
export interface CredentialProvider {
  /** `password` for a fixed or externally rotated secret, `iam` for signed tokens. */
  readonly kind: "password" | "iam";
  /** The value to log in with now (cached; never throws for a fixed password). */
  get(): Promise<string>;
  /** Forgets the cached value, after the server refused it; the next `get` fetches a new one. */
  invalidate(): void;
}

/** A password that only changes when `read` returns something else (local runs, tests). */
export function passwordProvider(read: () => string): CredentialProvider {
  return { kind: "password", get: async () => read(), invalidate: () => undefined };
}

/** Options of {@link tokenProvider}. */
export interface TokenProviderOptions {
  /** How long a token is accepted after signing, ms (IAM tokens: 15 minutes). */
  validityMs: number;
  /** Sign a new token once the cached one is this old, ms; well before `validityMs`. */
  refreshAfterMs: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

/**
 * Short-lived tokens from `sign`, cached and re-signed once `refreshAfterMs` old, so a new
 * connection never presents a token close to expiry. Concurrent callers share one signing.
 */
export function tokenProvider(
  sign: () => Promise<string>,
  { validityMs, refreshAfterMs, now = Date.now }: TokenProviderOptions,
): CredentialProvider {
  if (!(refreshAfterMs > 0 && refreshAfterMs < validityMs))
    throw new Error(
      `refreshAfterMs (${refreshAfterMs}) must be between 0 and validityMs (${validityMs})`,
    );
  let cached: { value: string; signedAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return {
    kind: "iam",
    get() {
      if (cached && now() - cached.signedAt < refreshAfterMs) return Promise.resolve(cached.value);
      pending ??= (async () => {
        const signedAt = now();
        try {
          const value = await sign();
          cached = { value, signedAt };
          return value;
        } finally {
          pending = undefined;
        }
      })();
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** IAM tokens of RDS and ElastiCache are valid for 15 minutes. */
export const IAM_TOKEN_VALIDITY_MS = 15 * 60_000;
/** Re-sign after 10 minutes: a connection opened with the token has 5 minutes of margin. */
export const IAM_TOKEN_REFRESH_MS = 10 * 60_000;
