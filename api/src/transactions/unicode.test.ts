/**
 * Bodies that are not valid Unicode are refused with 400 and nothing is written: invalid UTF-8
 * bytes (JSON or form) and lone UTF-16 surrogates written as JSON escapes. The original (and the
 * first rewrite) stored U+FFFD or "?" in their place.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import {
  createTestDatabase,
  createTestRuntime,
  listen,
  testConfig,
  type Listening,
  type TestDatabase,
} from "../../test/harness/fixtures.js";
import type { Runtime } from "../runtime.js";

let db: TestDatabase;
let rt: Runtime;
let server: Listening;

beforeAll(async () => {
  db = await createTestDatabase(inject("testDatabaseUrl"));
  rt = await createTestRuntime(testConfig(db.config, inject("testRedisUrl")));
  server = await listen(rt.app);
});

afterAll(async () => {
  await server?.close();
  await rt?.close();
  await db?.drop();
});

beforeEach(async () => {
  await rt.app.request("/transaction", { method: "DELETE" });
});

const rowCount = async (): Promise<number> =>
  (await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM transactions"))[0]!.n;

/** POSTs raw bytes over real HTTP, as a client with a broken encoder would. */
const postBytes = async (bytes: Uint8Array, type = "application/json") => {
  const res = await fetch(`${server.url}/transaction`, {
    method: "POST",
    headers: { "Content-Type": type },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Buffer.concat(
    parts.map((part) => (typeof part === "string" ? Buffer.from(part) : Buffer.from(part))),
  );

describe("invalid Unicode in request bodies", () => {
  it("refuses the issue's JSON body with bytes C3 28 FF and writes nothing", async () => {
    const res = await postBytes(bytes('{"amount":"1","desc":"bad', [0xc3, 0x28, 0xff], 'utf8"}'));
    expect(res).toEqual({
      status: 400,
      body: { message: "request body is not valid UTF-8", error: { code: "invalid_body" } },
    });
    expect(await rowCount()).toBe(0);
  });

  it.each([
    ["a truncated 3-byte sequence", [0xe2, 0x82]],
    ["an overlong encoding of '/'", [0xc0, 0xaf]],
    ["an encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80]],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
  ])("refuses %s", async (_name, bad) => {
    const res = await postBytes(bytes('{"amount":"1","desc":"', bad, '"}'));
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_body" });
    expect(await rowCount()).toBe(0);
  });

  it("refuses a form body whose percent-escapes are not UTF-8", async () => {
    const res = await postBytes(
      Buffer.from("amount=1&desc=bad%C3%28%FFutf8"),
      "application/x-www-form-urlencoded",
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_body" });
    expect(await rowCount()).toBe(0);
  });

  it.each([
    ["a lone high surrogate", '{"amount":"1","desc":"x\\ud800y"}'],
    ["a lone low surrogate", '{"amount":"1","desc":"\\udc00"}'],
    ["a reversed pair", '{"amount":"1","desc":"\\udc00\\ud800"}'],
  ])("refuses %s in desc as invalid_field desc", async (_name, text) => {
    const res = await postBytes(Buffer.from(text));
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "invalid_field", field: "desc" });
    expect(res.body.message).toMatch(/^desc /);
    expect(await rowCount()).toBe(0);
  });

  it("names the field that holds the lone surrogate", async () => {
    // A form cannot carry a surrogate (%ED%A0%80 is not UTF-8, refused above); JSON escapes can.
    const res = await postBytes(Buffer.from('{"amount":"1\\ud800"}'));
    expect(res.body.error).toEqual({ code: "invalid_field", field: "amount" });
    expect(await rowCount()).toBe(0);
  });

  it("still accepts valid multi-byte text: escaped pairs, raw emoji, form escapes", async () => {
    expect((await postBytes(Buffer.from('{"amount":"1","desc":"\\ud83d\\ude00 ok"}'))).status).toBe(
      200,
    );
    expect((await postBytes(Buffer.from('{"amount":"2","desc":"café 😀"}'))).status).toBe(200);
    expect(
      (
        await postBytes(
          Buffer.from("amount=3&desc=caf%C3%A9+%F0%9F%98%80"),
          "application/x-www-form-urlencoded",
        )
      ).status,
    ).toBe(200);
    const rows = await db.query<{ description: string }>(
      "SELECT description FROM transactions ORDER BY id",
    );
    expect(rows.map((row) => row.description)).toEqual(["😀 ok", "café 😀", "café 😀"]);
  });
});
