// Runs drizzle-kit (e.g. `npm run db:generate --workspace api`) so that it can import drizzle-orm.
// npm installs drizzle-kit hoisted at the repository root but drizzle-orm nested in
// api/node_modules, and drizzle-kit's `import("drizzle-orm/version")` resolves from its own folder,
// so a plain `npx drizzle-kit generate` answers "Please install latest version of drizzle-orm".
// Linking both into one temporary node_modules and keeping the link paths fixes the resolution.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const apiDir = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(join(apiDir, "package.json"));
// Not require.resolve(`${name}/package.json`): drizzle-kit's "exports" hide its package.json.
const packageDir = (name) => {
  const found = require.resolve
    .paths(name)
    .map((dir) => join(dir, name))
    .find((dir) => existsSync(join(dir, "package.json")));
  if (!found) throw new Error(`${name} is not installed; run npm install at the repository root`);
  return found;
};
const kitDir = packageDir("drizzle-kit");

const scratch = mkdtempSync(join(tmpdir(), "drizzle-kit-"));
try {
  mkdirSync(join(scratch, "node_modules"));
  symlinkSync(kitDir, join(scratch, "node_modules", "drizzle-kit"));
  symlinkSync(packageDir("drizzle-orm"), join(scratch, "node_modules", "drizzle-orm"));
  const result = spawnSync(
    process.execPath,
    [
      "--preserve-symlinks",
      "--preserve-symlinks-main",
      join(scratch, "node_modules", "drizzle-kit", "bin.cjs"),
      ...process.argv.slice(2),
    ],
    {
      cwd: apiDir,
      stdio: "inherit",
      // drizzle-kit's own CommonJS dependencies are hoisted beside it.
      env: { ...process.env, NODE_PATH: dirname(kitDir) },
    },
  );
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
