import { describe, expect, it } from "vitest";
import { captureLogger } from "../test/harness/fixtures.js";
import { describeError, RateLimitedLog } from "./logger.js";

describe("RateLimitedLog", () => {
  it("logs a key once per interval and reports how many lines it held back", async () => {
    const log = captureLogger();
    const limited = new RateLimitedLog(log.logger, 50);
    for (let i = 0; i < 100; i += 1) limited.warn("redis", { attempt: i }, "redis unavailable");
    limited.warn("other", {}, "another kind");
    await new Promise((resolve) => setTimeout(resolve, 60));
    limited.warn("redis", { attempt: 100 }, "redis unavailable");
    const lines = log.lines();
    expect(lines.map((line) => [line.message, line.attempt, line.suppressed])).toEqual([
      ["redis unavailable", 0, undefined],
      ["another kind", undefined, undefined],
      ["redis unavailable", 100, 99],
    ]);
  });
});

describe("describeError", () => {
  it("keeps the driver's code and message, not the wrapper's text with bound values", () => {
    const driver = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:3306"), {
      code: "ECONNREFUSED",
    });
    const wrapped = new Error("Failed query: insert ... params: 12.5,secret description", {
      cause: driver,
    });
    expect(describeError(wrapped)).toEqual({
      name: "Error",
      code: "ECONNREFUSED",
      message: "connect ECONNREFUSED 10.0.0.5:3306",
    });
    expect(describeError("plain")).toEqual({ name: "unknown", message: "plain" });
  });
});
