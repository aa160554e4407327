/**
 * The fast path's access line is the line pino writes for the same fields, byte for byte (once
 * the millisecond timestamp is set aside), and follows the logger's level.
 */
import { describe, expect, it } from "vitest";
import { captureLogger } from "../../test/harness/fixtures.js";
import { createLogger } from "../logger.js";
import { accessLineWriter } from "./access-line.js";
import { accessLogger } from "./observe.js";

const TIMESTAMP = /"timestamp":"[^"]+"/;

describe("accessLineWriter", () => {
  it("writes pino's line for the same request, field for field and byte for byte", () => {
    const capture = captureLogger();
    const write = accessLineWriter(capture.logger, "GET", "/transaction");
    const cases = [
      ["3f1c2a9e-55b1-4c1e-9d7a-0c4b2e6f8a10", "/transaction", 200, "hit", 0.0012345],
      ["client.id:1/2+3=@_-", "/transaction/", 200, "miss", 0.25],
      ["x", "/transaction", 503, "none", 1],
    ] as const;
    for (const [requestId, path, status, cache, seconds] of cases) {
      write(requestId, path, status, cache, seconds);
      accessLogger(capture.logger).info(
        {
          requestId,
          method: "GET",
          route: "/transaction",
          path,
          status,
          cache,
          durationMs: Math.round(seconds * 1e6) / 1e3,
        },
        "request",
      );
    }
    const lines = capture.raw().split("\n").filter(Boolean);
    expect(lines).toHaveLength(cases.length * 2);
    for (let i = 0; i < lines.length; i += 2) {
      expect(lines[i]).toMatch(TIMESTAMP);
      expect(lines[i]!.replace(TIMESTAMP, "")).toBe(lines[i + 1]!.replace(TIMESTAMP, ""));
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "info",
      requestId: cases[0][0],
      cache: "hit",
      durationMs: 1.235,
      message: "request",
    });
  });

  it("writes nothing when the logger's level is above info", () => {
    const chunks: string[] = [];
    const logger = createLogger({
      level: "warn",
      destination: { write: (chunk: string) => void chunks.push(chunk) },
    });
    accessLineWriter(logger, "GET", "/transaction")("id", "/transaction", 200, "hit", 0.001);
    expect(chunks).toEqual([]);
  });
});
