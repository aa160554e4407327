/** Test support: a SigV4 verifier, computing the signature the way AWS does for a non-S3 service. */
import { createHash, createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Temporary credentials as `aws configure export-credentials` exports them. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) =>
  createHmac("sha256", key).update(data).digest();
// RFC 3986 unreserved characters stay; everything else is %XX (upper case), as SigV4 requires.
const uriEncode = (text: string, keepSlash: boolean) =>
  [...Buffer.from(text, "utf8")]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");

/**
 * Checks a request's SigV4 Authorization header the way AWS computes it for a non-S3 service:
 * the path as sent URI-encoded once more, the query decoded, re-encoded and sorted, the signed
 * headers lower-cased and trimmed, the body hashed. Returns the problems found (none = valid).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export function sigV4Problems(
  request: { method: string; url: string; headers: IncomingMessage["headers"]; body: Buffer },
  credentials: Credentials,
  region: string,
  service: string,
): string[] {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(request.headers.authorization ?? ""),
    );
  if (!auth) return [`no SigV4 Authorization header: ${String(request.headers.authorization)}`];
  const [, keyId, date, scopeRegion, scopeService, signedHeaders, signature] =
    auth as unknown as string[];
  const problems: string[] = [];
  if (keyId !== credentials.accessKeyId) problems.push(`access key ${keyId}`);
  if (scopeRegion !== region) problems.push(`region ${scopeRegion}`);
  if (scopeService !== service) problems.push(`service ${scopeService}`);
  const names = signedHeaders!.split(";");
  for (const required of ["host", "x-amz-date", "x-amz-security-token"])
    if (!names.includes(required)) problems.push(`${required} not signed`);
  if (request.headers["x-amz-security-token"] !== credentials.sessionToken)
    problems.push("session token missing or different");
  const amzDate = String(request.headers["x-amz-date"] ?? "");
  if (!amzDate.startsWith(date!)) problems.push(`x-amz-date ${amzDate} outside scope ${date}`);

  const [path, query = ""] = request.url.split("?", 2) as [string, string?];
  const canonicalQuery = query
    .split("&")
    .filter(Boolean)
    .map((pair) =>
      pair.split("=", 2).map((part) => uriEncode(decodeURIComponent(part ?? ""), false)),
    )
    .sort(([a, av], [b, bv]) => (a! < b! ? -1 : a! > b! ? 1 : av! < bv! ? -1 : av! > bv! ? 1 : 0))
    .map(([k, v]) => `${k}=${v ?? ""}`)
    .join("&");
  const canonicalHeaders = names
    .map(
      (name) =>
        `${name}:${String(request.headers[name] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonicalRequest = [
    request.method,
    uriEncode(path, true),
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    sha256(request.body),
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date!);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  if (createHmac("sha256", key).update(toSign).digest("hex") !== signature)
    problems.push(`signature mismatch for canonical request:\n${canonicalRequest}`);
  return problems;
}
