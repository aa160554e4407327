/**
 * The original Express app tier (aws-samples/aws-three-tier-web-architecture-workshop,
 * application-code/app-tier) run unchanged against a throwaway database, for side-by-side
 * figures. Its code is never committed here: it is taken at run time from ORIGINAL_APP_DIR (a
 * checkout of application-code/app-tier) or from a git mirror of the workshop repository
 * (ORIGINAL_REPO_GIT_DIR), copied to a temporary folder, given its dependencies with
 * `npm install` (its own package-lock, from the registry) and started with `node index.js`.
 * Only two things differ from the published code, both in the temporary copy: DbConfig.js gets
 * the throwaway database's settings (the file ships empty), and the hard-coded port 4000 comes
 * from PORT so it cannot collide with anything else on the machine.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../test/harness/fixtures.js";
import { freePort } from "../test/harness/servers.js";
import type { DatabaseConfig } from "../src/config.js";

/** Where `fetch github:aws-samples/aws-three-tier-web-architecture-workshop` puts its mirror. */
const DEFAULT_GIT_DIR = "/work/.mirror/aws-samples+aws-three-tier-web-architecture-workshop/repo";

/** A running original app. */
export interface OriginalApp {
  url: string;
  /** Where its code came from (directory or mirror and commit), for the report. */
  source: string;
  stop(): Promise<void>;
}

/** Copies the app tier into `dir`; returns a description of the source, or undefined if none. */
function checkout(dir: string): string | undefined {
  const fromDir = process.env.ORIGINAL_APP_DIR;
  if (fromDir && existsSync(join(fromDir, "index.js"))) {
    cpSync(fromDir, dir, { recursive: true, filter: (path) => !path.includes("node_modules") });
    return fromDir;
  }
  const gitDir = process.env.ORIGINAL_REPO_GIT_DIR ?? DEFAULT_GIT_DIR;
  if (!existsSync(gitDir)) return undefined;
  const commit = spawnSync("git", ["--git-dir", gitDir, "rev-parse", "HEAD"], { encoding: "utf8" });
  const archive = spawnSync(
    "sh",
    [
      "-c",
      `git --git-dir "$0" archive HEAD application-code/app-tier | tar -x -C "$1" --strip-components=2`,
      gitDir,
      dir,
    ],
    { encoding: "utf8" },
  );
  if (archive.status !== 0 || !existsSync(join(dir, "index.js"))) return undefined;
  return `${gitDir} at ${commit.stdout.trim()}`;
}

/**
 * Starts the original against `db`, or returns undefined (with the reason printed) when its code
 * or its dependencies cannot be had.
 */
export async function startOriginal(db: DatabaseConfig): Promise<OriginalApp | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "expense-original-"));
  const source = checkout(dir);
  if (!source) {
    console.log("original app: no source (set ORIGINAL_APP_DIR or ORIGINAL_REPO_GIT_DIR); skipped");
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--omit=dev"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 300_000,
  });
  if (install.status !== 0) {
    console.log(`original app: npm install failed; skipped\n${install.stderr.slice(-2000)}`);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  writeFileSync(
    join(dir, "DbConfig.js"),
    `module.exports = Object.freeze(${JSON.stringify({
      DB_HOST: db.host,
      DB_USER: db.user,
      DB_PWD: db.password,
      DB_DATABASE: db.database,
    })});\n`,
  );
  // mysqljs connects to port 3306 unless told otherwise; the throwaway server has its own port.
  const service = readFileSync(join(dir, "TransactionService.js"), "utf8");
  writeFileSync(
    join(dir, "TransactionService.js"),
    service.replace("host: dbcreds.DB_HOST,", `host: dbcreds.DB_HOST, port: ${db.port},`),
  );
  const index = readFileSync(join(dir, "index.js"), "utf8");
  writeFileSync(
    join(dir, "index.js"),
    index.replace("const port = 4000;", "const port = Number(process.env.PORT);"),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["index.js"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", PORT: String(port) },
    // It logs every body and every list to stdout; a collector would read it, /dev/null does here.
    stdio: ["ignore", "ignore", "inherit"],
  });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () =>
      child.exitCode !== null ||
      (await fetch(`${url}/health`).then(
        (res) => res.ok,
        () => false,
      )),
    20_000,
    "original app listening",
  );
  if (child.exitCode !== null) throw new Error(`original app exited with ${child.exitCode}`);
  return {
    url,
    source,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      process.off("exit", kill);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
