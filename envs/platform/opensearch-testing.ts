/**
 * Test support for the OpenSearch setup (imported by tests only): the shapes OpenSearch accepts
 * for the bodies the setup sends, a SigV4 verifier, and a small fake of the domain's REST API on
 * 127.0.0.1 that checks both and records every request.
 */
import { execFileSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

// Request bodies, after the OpenSearch API specification (opensearch-project/
// opensearch-api-specification spec/schemas/ism._common.yaml, PutPolicyRequest / AddPolicyRequest /
// ChangePolicyRequest) and the security plugin's REST API (roles, rolesmapping). Strict: OpenSearch
// rejects unknown fields with HTTP 400.
const ismTemplate = z.strictObject({
  index_patterns: z.array(z.string().min(1)).min(1),
  priority: z.number().int().min(0),
});
const ismAction = z.strictObject({
  delete: z.strictObject({}).optional(),
  rollover: z.record(z.string(), z.unknown()).optional(),
  read_only: z.strictObject({}).optional(),
});
/** PUT _plugins/_ism/policies/<id>. */
export const IsmPolicyRequest = z.strictObject({
  policy: z.strictObject({
    description: z.string(),
    default_state: z.string(),
    states: z
      .array(
        z.strictObject({
          name: z.string(),
          actions: z.array(ismAction),
          transitions: z.array(
            z.strictObject({
              state_name: z.string(),
              conditions: z
                .strictObject({
                  min_index_age: z.string().regex(/^\d+(d|h|m|s|ms)$/),
                })
                .optional(),
            }),
          ),
        }),
      )
      .min(1),
    ism_template: z.array(ismTemplate).min(1),
  }),
});
/** POST _plugins/_ism/add/<index> and _plugins/_ism/change_policy/<index>. */
export const IsmAttachRequest = z.strictObject({ policy_id: z.string().min(1) });

/** Built-in action groups of the security plugin (static_config/static_action_groups.yml). */
export const STATIC_ACTION_GROUPS = [
  "create_index",
  "write",
  "crud",
  "read",
  "index",
  "delete",
  "manage",
  "cluster_monitor",
  "cluster_composite_ops",
  "cluster_composite_ops_ro",
] as const;
const permission = z.string().regex(/^([a-z_]+|(indices|cluster):[a-z_/*[\]]+)$/);
/** PUT _plugins/_security/api/roles/<name>. */
export const RoleRequest = z.strictObject({
  description: z.string().optional(),
  cluster_permissions: z.array(permission),
  index_permissions: z.array(
    z.strictObject({
      index_patterns: z.array(z.string().min(1)).min(1),
      allowed_actions: z.array(permission).min(1),
    }),
  ),
});
/** PUT _plugins/_security/api/rolesmapping/<role>. */
export const RoleMappingRequest = z.strictObject({
  backend_roles: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/)).min(1),
});

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

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  url: string;
  body: string;
  status: number;
  signatureProblems: string[];
}

/** What the fake domain holds (what a real one would after the same calls). */
export interface FakeDomainState {
  policies: Map<string, { seqNo: number; primaryTerm: number; body: unknown }>;
  roles: Map<string, unknown>;
  mappings: Map<string, unknown>;
  /** Every index of the domain, with the policy ID that manages it (undefined: unmanaged). */
  indices: Map<string, string | undefined>;
  /** The ISM calls made, as `<add|change_policy> <index> <policy>`. */
  attached: string[];
}

/** An empty domain, or one holding `indices` (none managed). */
export const emptyDomain = (indices: string[] = []): FakeDomainState => ({
  policies: new Map(),
  roles: new Map(),
  mappings: new Map(),
  indices: new Map(indices.map((name) => [name, undefined])),
  attached: [],
});

/** Behaviour switches of the fake. */
export interface FakeOptions {
  credentials: Credentials;
  region: string;
  /** Answers to `GET /` with 503 this many times first (the domain coming up). */
  unavailableFor?: number;
  /** Answers every request whose path starts with this with HTTP 400. */
  rejectPath?: string;
}

/** A running fake domain. */
export interface FakeOpenSearch {
  url: string;
  requests: RecordedRequest[];
  state: FakeDomainState;
  close(): Promise<void>;
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

/**
 * Starts a fake OpenSearch REST API on 127.0.0.1 (a free port) that verifies each request's
 * SigV4 signature (403 when it is wrong, as the service does), validates bodies against the
 * schemas above (400), and implements the endpoints the setup calls (ISM policies, add and
 * change_policy, roles, role mappings, the index list) with OpenSearch's status codes, including
 * the seq_no/primary_term check on policy updates (409) and ISM's answer for managed indices.
 */
export async function startFakeOpenSearch(
  options: FakeOptions,
  state: FakeDomainState = emptyDomain(),
): Promise<FakeOpenSearch> {
  const requests: RecordedRequest[] = [];
  let unavailable = options.unavailableFor ?? 0;

  const route = (method: string, url: string, body: string): { status: number; body: string } => {
    const [path, query = ""] = url.split("?", 2) as [string, string?];
    const params = new URLSearchParams(query);
    const parsed = (schema: z.ZodType) => {
      const result = schema.safeParse(body ? JSON.parse(body) : undefined);
      return result.success ? undefined : json(400, { error: result.error.message });
    };
    if (options.rejectPath && path.startsWith(options.rejectPath))
      return json(400, { status: "BAD_REQUEST", message: "rejected by the test" });
    if (method === "GET" && path === "/") {
      if (unavailable-- > 0) return json(503, { message: "domain processing" });
      return json(200, { version: { distribution: "opensearch", number: "2.19.0" } });
    }
    let match = /^\/_plugins\/_ism\/policies\/([^/]+)$/.exec(path);
    if (match) {
      const id = match[1]!;
      const current = state.policies.get(id);
      if (method === "GET") {
        if (!current)
          return json(404, {
            error: { type: "status_exception", reason: "Policy not found" },
            status: 404,
          });
        return json(200, {
          _id: id,
          _version: current.seqNo + 1,
          _seq_no: current.seqNo,
          _primary_term: current.primaryTerm,
          policy: current.body,
        });
      }
      if (method === "PUT") {
        const invalid = parsed(IsmPolicyRequest);
        if (invalid) return invalid;
        const policy = (JSON.parse(body) as { policy: unknown }).policy;
        if (current) {
          if (
            params.get("if_seq_no") !== String(current.seqNo) ||
            params.get("if_primary_term") !== String(current.primaryTerm)
          )
            return json(409, { error: { type: "version_conflict_engine_exception" }, status: 409 });
          state.policies.set(id, { ...current, seqNo: current.seqNo + 1, body: policy });
          return json(200, {
            _id: id,
            _seq_no: current.seqNo + 1,
            _primary_term: current.primaryTerm,
          });
        }
        state.policies.set(id, { seqNo: 0, primaryTerm: 1, body: policy });
        return json(201, { _id: id, _seq_no: 0, _primary_term: 1 });
      }
    }
    if (method === "GET" && path === "/_cat/indices") {
      if (params.get("format") !== "json" || params.get("h") !== "index")
        return json(400, { error: "expected format=json&h=index" });
      return json(
        200,
        [...state.indices.keys()].map((index) => ({ index })),
      );
    }
    match = /^\/_plugins\/_ism\/(add|change_policy)\/([^/]+)$/.exec(path);
    if (match && method === "POST") {
      const invalid = parsed(IsmAttachRequest);
      if (invalid) return invalid;
      const { policy_id } = JSON.parse(body) as { policy_id: string };
      const index = decodeURIComponent(match[2]!);
      if (!state.policies.has(policy_id)) return json(404, { error: "policy not found" });
      if (!state.indices.has(index))
        return json(404, { error: { type: "index_not_found_exception" } });
      state.attached.push(`${match[1]} ${index} ${policy_id}`);
      const managed = state.indices.get(index) !== undefined;
      if (match[1] === "add" && managed)
        return json(200, {
          updated_indices: 0,
          failures: true,
          failed_indices: [
            {
              index_name: index,
              reason:
                "This index already has a policy, use the update policy API to update index policies",
            },
          ],
        });
      state.indices.set(index, policy_id);
      return json(200, { updated_indices: 1, failures: false, failed_indices: [] });
    }
    match = /^\/_plugins\/_security\/api\/(roles|rolesmapping)\/([^/]+)$/.exec(path);
    if (match && method === "PUT") {
      const invalid = parsed(match[1] === "roles" ? RoleRequest : RoleMappingRequest);
      if (invalid) return invalid;
      const store = match[1] === "roles" ? state.roles : state.mappings;
      const existed = store.has(match[2]!);
      store.set(match[2]!, JSON.parse(body));
      return json(existed ? 200 : 201, {
        status: existed ? "OK" : "CREATED",
        message: `'${match[2]}' ${existed ? "updated" : "created"}.`,
      });
    }
    return json(400, { error: `no such route: ${method} ${path}` });
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const method = req.method ?? "";
      const url = req.url ?? "";
      const signatureProblems = sigV4Problems(
        { method, url, headers: req.headers, body: raw },
        options.credentials,
        options.region,
        "es",
      );
      const answer = signatureProblems.length
        ? json(403, {
            message:
              "The request signature we calculated does not match the signature you provided.",
          })
        : route(method, url, raw.toString("utf8"));
      requests.push({
        method,
        url,
        body: raw.toString("utf8"),
        status: answer.status,
        signatureProblems,
      });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/**
 * Terraform expressions of the platform stack evaluated by the real terraform binary (no provider
 * needed): the `<env>` stack's remote-state outputs are replaced by `outputs`, and references to
 * the setup ConfigMap's data by `configMapData` (itself evaluated the same way).
 */
export function evaluate<T extends Record<string, unknown>>(
  values: T,
  outputs: Record<string, string | number>,
  configMapData: Record<string, string> = {},
): { [K in keyof T]: string } {
  const rewrite = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value)
        .replaceAll("data.terraform_remote_state.env.outputs.", "local.outputs.")
        .replaceAll(
          "kubernetes_config_map_v1.opensearch_setup_config.data",
          "local.config_map_data",
        ),
    );
  const dir = mkdtempSync(join(tmpdir(), "opensearch-setup-render-"));
  try {
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({
        locals: { outputs, config_map_data: rewrite(configMapData) },
        output: { values: { value: rewrite(values) } },
      }),
    );
    const run = (...args: string[]) =>
      execFileSync("terraform", args, {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, TF_IN_AUTOMATION: "1" },
      });
    run("init", "-input=false", "-no-color");
    run("apply", "-auto-approve", "-input=false", "-no-color");
    return JSON.parse(run("output", "-json", "values")) as { [K in keyof T]: string };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The setup ConfigMap's data as the Job would receive it (see `evaluate`). */
export const renderConfigMap = (
  data: Record<string, string>,
  outputs: Record<string, string | number>,
): Record<string, string> => evaluate(data, outputs);
