import { spawnSync } from "node:child_process";
import { startMariaDb, startRedis } from "../test/harness/servers.js";
import { hostPort } from "../test/harness/fixtures.js";
import { runWriteSection } from "../bench/write-section.js";
const b = spawnSync("npm", ["run", "build"], { cwd: "/work/wt/api/api", stdio: "inherit" });
if (b.status !== 0) throw new Error("build");
const maria = await startMariaDb({ fastCommits: false });
const redis = await startRedis();
const r = hostPort(redis.url, 6379);
try {
  const variants = JSON.parse(
    process.env.VARIANTS ?? '[{"name":"api","env":{},"logLevel":"info"}]',
  );
  await runWriteSection(
    maria.url,
    (db, name) => ({
      DB_HOST: db.host,
      DB_PORT: String(db.port),
      DB_USER: db.user,
      DB_PASSWORD: db.password,
      DB_NAME: name,
      REDIS_HOST: r.host,
      REDIS_PORT: String(r.port),
    }),
    variants,
  );
} finally {
  await maria.stop();
  await redis.stop();
}
