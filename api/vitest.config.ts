import { defineProject } from "vitest/config";

// The API project: unit tests beside the code, integration tests under test/integration/. The
// global setup starts throwaway MariaDB and Redis servers (or uses TEST_DATABASE_URL /
// TEST_REDIS_URL) once for the whole run; every test file then creates its own database and key
// prefix on them, so files can run in parallel without seeing each other's rows.
export default defineProject({
  test: {
    name: "api",
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
