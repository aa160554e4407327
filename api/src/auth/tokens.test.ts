import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { tokenProvider } from "./credentials.js";
import { signElastiCacheToken } from "./elasticache-token.js";
import { signRdsToken } from "./rds-token.js";

// AWS's documented example key pair (IAM User Guide), never a real credential.
const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "session-token-example",
};
const DATE = new Date("2026-11-28T05:00:00Z");

/** AWS's URI encoding for SigV4 (RFC 3986 unreserved characters stay, everything else %XX). */
const uriEncode = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * Recomputes a presigned GET's signature with AWS's published SigV4 algorithm (canonical request,
 * string to sign, derived key) and returns it, independently of the SDK that signed the token.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
function expectedSignature(token: string, service: string, region: string): string {
  const [host, rawQuery] = token.split("/?") as [string, string];
  const params = new URLSearchParams(rawQuery);
  const canonicalQuery = [...params.entries()]
    .filter(([key]) => key !== "X-Amz-Signature")
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalRequest = [
    "GET",
    "/",
    canonicalQuery,
    `host:${host}\n`,
    "host",
    createHash("sha256").update("").digest("hex"),
  ].join("\n");
  const amzDate = params.get("X-Amz-Date")!;
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    amzDate,
    scope,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  const hmac = (key: string | Buffer, data: string) =>
    createHmac("sha256", key).update(data).digest();
  let key = hmac(`AWS4${credentials.secretAccessKey}`, amzDate.slice(0, 8));
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  return createHmac("sha256", key).update(stringToSign).digest("hex");
}

describe("ElastiCache IAM token", () => {
  it("is a presigned connect request for the user, valid 900 s, without the scheme", async () => {
    const token = await signElastiCacheToken({
      cacheName: "Expense-Dev-Redis",
      user: "expense-dev-redis-app",
      region: "eu-west-1",
      credentials,
      signingDate: DATE,
    });
    expect(token.startsWith("expense-dev-redis/?")).toBe(true);
    expect(token).not.toMatch(/^https?:/);
    const params = new URLSearchParams(token.split("/?")[1]);
    expect(Object.fromEntries(params)).toMatchObject({
      Action: "connect",
      User: "expense-dev-redis-app",
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": "AKIDEXAMPLE/20261128/eu-west-1/elasticache/aws4_request",
      "X-Amz-Date": "20261128T050000Z",
      "X-Amz-Expires": "900",
      "X-Amz-SignedHeaders": "host",
      "X-Amz-Security-Token": "session-token-example",
    });
    expect(params.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(params.get("X-Amz-Signature")).toBe(
      expectedSignature(token, "elasticache", "eu-west-1"),
    );
  });

  it("changes with the user, the cache and the time", async () => {
    const base = { cacheName: "c", user: "u", region: "eu-west-1", credentials, signingDate: DATE };
    const a = await signElastiCacheToken(base);
    expect(await signElastiCacheToken({ ...base, user: "v" })).not.toBe(a);
    expect(await signElastiCacheToken({ ...base, cacheName: "d" })).not.toBe(a);
    expect(
      await signElastiCacheToken({ ...base, signingDate: new Date(DATE.getTime() + 1000) }),
    ).not.toBe(a);
  });
});

describe("RDS IAM token", () => {
  it("is a presigned rds-db connect request for host, port and DB user, valid 900 s", async () => {
    const token = await signRdsToken({
      host: "expense-dev-mysql.abc.eu-west-1.rds.amazonaws.com",
      port: 3306,
      user: "expense_app",
      region: "eu-west-1",
      credentials,
    });
    expect(token.startsWith("expense-dev-mysql.abc.eu-west-1.rds.amazonaws.com:3306/?")).toBe(true);
    const params = new URLSearchParams(token.split("/?")[1]);
    expect(params.get("Action")).toBe("connect");
    expect(params.get("DBUser")).toBe("expense_app");
    expect(params.get("X-Amz-Expires")).toBe("900");
    expect(params.get("X-Amz-Credential")).toMatch(
      /^AKIDEXAMPLE\/\d{8}\/eu-west-1\/rds-db\/aws4_request$/,
    );
    expect(params.get("X-Amz-Signature")).toBe(expectedSignature(token, "rds-db", "eu-west-1"));
  });
});

describe("tokenProvider", () => {
  it("re-signs after refreshAfterMs, shares one signing between callers, and re-signs when invalidated", async () => {
    let clock = 0;
    let signed = 0;
    const provider = tokenProvider(async () => `token-${++signed}`, {
      validityMs: 900_000,
      refreshAfterMs: 600_000,
      now: () => clock,
    });
    const [a, b] = await Promise.all([provider.get(), provider.get()]);
    expect([a, b, signed]).toEqual(["token-1", "token-1", 1]);
    clock = 599_999;
    expect(await provider.get()).toBe("token-1");
    clock = 600_000;
    expect(await provider.get()).toBe("token-2");
    provider.invalidate();
    expect(await provider.get()).toBe("token-3");
    expect(provider.kind).toBe("iam");
  });

  it("refuses a refresh period that is not shorter than the validity", () => {
    expect(() => tokenProvider(async () => "", { validityMs: 10, refreshAfterMs: 10 })).toThrow(
      /refreshAfterMs \(10\) must be between 0 and validityMs \(10\)/,
    );
  });
});
