/**
 * Test support: a small fake of the OpenSearch domain's REST API on 127.0.0.1 that checks
 * signatures and body shapes and records every request.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { z } from "zod";
import { IsmAttachRequest, IsmPolicyRequest, RoleMappingRequest, RoleRequest } from "./shapes.ts";
import { sigV4Problems, type Credentials } from "./sigv4.ts";

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
