/**
 * Bench section "writes": the original app and the API side by side on the same durable MariaDB
 * (innodb_flush_log_at_trx_commit=1, binary log off so sync_binlog does not apply), 50
 * connections, 2 rounds of 5 s each, committed rows/s counted in the table.
 */
import type { DatabaseConfig } from "../src/config.js";
import { createTestDatabase, type TestDatabase } from "../test/harness/fixtures.js";
import { startApi } from "./api-process.js";
import { writeRound, writeTable, type WriteRound } from "./committed-writes.js";
import { startOriginal } from "./original-app.js";

/** Settings of the write comparison (the issue's: 50 connections, 2 x 5 s). */
export const WRITE_LOAD = {
  connections: 50,
  seconds: Number(process.env.BENCH_WRITE_SECONDS ?? 5),
  rounds: 2,
};

const countRows = (db: TestDatabase) => async () =>
  (await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM transactions"))[0]!.n;

/** Environment of the API process for `db` and the Redis at host:port. */
export type ApiEnvFor = (db: DatabaseConfig, name: string) => Record<string, string>;

/** Runs the comparison; returns the rounds and the ratio of mean committed rows/s. */
export async function runWriteSection(
  serverUrl: string,
  apiEnv: ApiEnvFor,
  variants: Array<{ name: string; env: Record<string, string>; logLevel: string }>,
): Promise<{ rounds: WriteRound[]; ratios: Record<string, number>; originalSource?: string }> {
  const rounds: WriteRound[] = [];
  const mean = (target: string) => {
    const own = rounds.filter((r) => r.target === target);
    return own.reduce((sum, r) => sum + r.committedRowsPerSecond, 0) / own.length;
  };

  const originalDb = await createTestDatabase(serverUrl);
  let originalSource: string | undefined;
  try {
    const original = await startOriginal(originalDb.config);
    if (original) {
      originalSource = original.source;
      try {
        // Warm-up (JIT, connection set-up), not counted.
        await writeRound({
          target: "warm-up",
          round: 0,
          url: original.url,
          countRows: countRows(originalDb),
          seconds: 2,
          connections: WRITE_LOAD.connections,
        });
        for (let round = 1; round <= WRITE_LOAD.rounds; round += 1) {
          rounds.push(
            await writeRound({
              target: "original (Express, 1 unpooled connection)",
              round,
              url: original.url,
              countRows: countRows(originalDb),
              seconds: WRITE_LOAD.seconds,
              connections: WRITE_LOAD.connections,
            }),
          );
          console.log(JSON.stringify(rounds.at(-1)));
        }
      } finally {
        await original.stop();
      }
    }
  } finally {
    await originalDb.drop();
  }

  for (const variant of variants) {
    const db = await createTestDatabase(serverUrl);
    const api = await startApi({ ...apiEnv(db.config, db.name), ...variant.env }, variant.logLevel);
    try {
      await writeRound({
        target: "warm-up",
        round: 0,
        url: api.url,
        countRows: countRows(db),
        seconds: 2,
        connections: WRITE_LOAD.connections,
      });
      for (let round = 1; round <= WRITE_LOAD.rounds; round += 1) {
        rounds.push(
          await writeRound({
            target: variant.name,
            round,
            url: api.url,
            countRows: countRows(db),
            seconds: WRITE_LOAD.seconds,
            connections: WRITE_LOAD.connections,
          }),
        );
        console.log(JSON.stringify(rounds.at(-1)));
      }
    } finally {
      await api.stop();
      await db.drop();
    }
  }
  console.log(`\n${writeTable(rounds)}\n`);
  const ratios: Record<string, number> = {};
  const base = rounds.find((r) => r.target.startsWith("original"))?.target;
  if (base) {
    for (const variant of variants) {
      ratios[variant.name] = Math.round((mean(variant.name) / mean(base)) * 100) / 100;
      console.log(
        `${variant.name}: ${ratios[variant.name]}x the original's committed rows/s (target >= 1.5x)`,
      );
    }
  }
  return { rounds, ratios, ...(originalSource ? { originalSource } : {}) };
}
