/**
 * The workshop's React client (DatabaseDemo.js) and the original's contract, over real HTTP:
 * the exact requests the client makes, the legacy routes with an id in a GET body, and the
 * answers to requests too malformed to reach a route.
 */
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import {
  createTestDatabase,
  createTestRuntime,
  listen,
  testConfig,
  type Listening,
  type TestDatabase,
} from "../harness/fixtures.js";

let db: TestDatabase;
let rt: Runtime;
let http: Listening;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")));
  http = await listen(rt.app);
});

afterAll(async () => {
  await http?.close();
  await rt?.close();
  await db?.drop();
});

beforeEach(async () => {
  await fetch(`${http.url}/transaction`, { method: "DELETE" });
});

// What DatabaseDemo.js does, call for call (fetch('/api/transaction') behind nginx's /api/ strip).
const client = {
  list: () =>
    fetch(`${http.url}/transaction`).then(
      (res) => res.json() as Promise<{ result: Array<{ amount: number }> }>,
    ),
  add: (amount: string, desc: string) =>
    fetch(`${http.url}/transaction`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ amount, desc }),
    }).then((res) => res.json()),
  deleteAll: () => fetch(`${http.url}/transaction`, { method: "DELETE" }).then((res) => res.json()),
};

/** GET or DELETE with a body, which fetch refuses to send for GET. */
function rawRequest(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, http.url);
    const req = httpRequest(
      url,
      {
        method,
        headers:
          body === undefined
            ? headers
            : {
                "Content-Type": "application/json",
                ...headers,
                "Content-Length": Buffer.byteLength(body),
              },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: res.headers }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the web client's calls", () => {
  it("adds with string fields, re-reads after every write and always gets JSON", async () => {
    expect(await client.list()).toEqual({ result: [] });
    expect(await client.add("12.50", "lunch")).toMatchObject({
      message: "added transaction successfully",
    });
    expect(await client.list()).toEqual({
      result: [{ id: expect.any(Number), amount: 12.5, description: "lunch" }],
    });
    expect(await client.add("400.00", "")).toMatchObject({
      message: "added transaction successfully",
    });
    expect((await client.list()).result.map((row) => row.amount)).toEqual([12.5, 400]);
    expect(await client.deleteAll()).toEqual({ message: "delete function execution finished." });
    expect(await client.list()).toEqual({ result: [] });
  });

  it("gets a JSON error (not a crash) for the empty form the client can submit", async () => {
    const answer = await client.add("", "");
    expect(answer).toEqual({
      message: "amount is required",
      error: { code: "invalid_field", field: "amount" },
    });
    expect(await client.list()).toEqual({ result: [] });
  });

  it("sees each write at once, write after write", async () => {
    for (let i = 1; i <= 5; i += 1) {
      await client.add(`${i}.00`, `item ${i}`);
      expect((await client.list()).result).toHaveLength(i);
    }
  });
});

describe("legacy /transaction/id with the id in the body", () => {
  it("reads with a GET body and deletes with a DELETE body", async () => {
    const { id } = (await client.add("9.99", "legacy")) as { id: number };
    const got = await rawRequest("GET", "/transaction/id", JSON.stringify({ id }));
    expect(got).toMatchObject({ status: 200, body: { id, amount: 9.99, description: "legacy" } });
    const gotString = await rawRequest(
      "GET",
      "/transaction/id",
      JSON.stringify({ id: String(id) }),
    );
    expect(gotString.status).toBe(200);
    const unknown = await rawRequest(
      "GET",
      "/transaction/id",
      JSON.stringify({ id: 2_000_000_000 }),
    );
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const deleted = await rawRequest("DELETE", "/transaction/id", JSON.stringify({ id }));
    expect(deleted).toMatchObject({
      status: 200,
      body: { message: `transaction with id ${id} seemingly deleted` },
    });
    expect((await rawRequest("GET", "/transaction/id", JSON.stringify({ id }))).status).toBe(404);
  });

  it("refuses an oversize GET body and malformed JSON with JSON errors", async () => {
    const big = await rawRequest(
      "GET",
      "/transaction/id",
      JSON.stringify({ id: 1, pad: "x".repeat(20_000) }),
    );
    expect(big).toMatchObject({ status: 413, body: { error: { code: "body_too_large" } } });
    const broken = await rawRequest("GET", "/transaction/id", "{id:");
    expect(broken).toMatchObject({ status: 400, body: { error: { code: "malformed_json" } } });
  });
});

describe("requests that never reach a route", () => {
  it("answers a malformed HTTP request with JSON", async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(http.url).port), "127.0.0.1");
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
      socket.write("GARBAGE / HTTP/1.1\r\n\r\n");
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(reply).toContain("Content-Type: application/json");
    expect(JSON.parse(reply.split("\r\n\r\n")[1]!)).toEqual({
      message: "malformed HTTP request",
      error: { code: "bad_request" },
    });
  });

  it("answers a chunked oversize POST with 413 JSON", async () => {
    const res = await fetch(`${http.url}/transaction`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: new Blob([JSON.stringify({ amount: 1, desc: "y".repeat(40_000) })]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "body_too_large" } });
    expect(await client.list()).toEqual({ result: [] });
  });
});
