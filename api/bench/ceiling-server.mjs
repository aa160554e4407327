// The ceiling of issue #11's cached-read comparison: a bare Hono server on the same Node and the
// same @hono/node-server, answering GET /transaction with a fixed body held in memory (no Redis,
// no metrics, no logs). Started by bench/read-sections.ts with BODY_FILE and PORT.
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const body = readFileSync(process.env.BODY_FILE, "utf8");
const app = new Hono();
app.get("/transaction", (c) => c.body(body, 200, { "Content-Type": "application/json" }));
app.get("/health/live", (c) => c.json({ status: "ok" }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" });
