/**
 * Vitest global setup for the API project: one MariaDB and one Redis for the whole run, either the
 * servers named by TEST_DATABASE_URL / TEST_REDIS_URL or throwaway ones started here and removed
 * at the end. Test files reach them through `inject("testDatabaseUrl")` / `inject("testRedisUrl")`.
 */
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { startMariaDb, startRedis, type ThrowawayServer } from "./harness/servers.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Server-level MySQL URL (no database); each test file creates its own database on it. */
    testDatabaseUrl: string;
    /** Redis URL; each test file uses its own key prefix on it. */
    testRedisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: ThrowawayServer[] = [];
  const [databaseUrl, redisUrl] = await Promise.all([
    process.env.TEST_DATABASE_URL ??
      startMariaDb().then((server) => (started.push(server), server.url)),
    process.env.TEST_REDIS_URL ?? startRedis().then((server) => (started.push(server), server.url)),
  ]);
  project.provide("testDatabaseUrl", databaseUrl);
  project.provide("testRedisUrl", redisUrl);
  return async () => {
    await Promise.all(started.map((server) => server.stop()));
  };
}
