/**
 * `npm run synth` launcher: runs scripts/synth.ts from a bundle cached in node_modules/.cache/synth/.
 * Why: loading ~150 TypeScript files through the tsx loader cost more than building and rendering
 * all stacks; esbuild bundles the project's own sources (not node_modules) into one ES module in a
 * fraction of a second, and the bundle is reused until one of its input files changes (their sizes
 * and modification times are kept in the metafile beside it).
 * Plain JavaScript so that it starts without any loader.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
// One cache per checkout: a scratch copy that links this node_modules must not reuse its bundle.
const checkout = createHash("sha256").update(root).digest("hex").slice(0, 12);
const cacheDir = join(root, "node_modules", ".cache", "synth", checkout);
const bundle = join(cacheDir, "synth.mjs");
const stampFile = join(cacheDir, "inputs.json");

/** Size and modification time of each input, as recorded after the last build. */
function fingerprint(paths) {
  return Object.fromEntries(
    paths.map((path) => {
      const full = join(root, path);
      if (!existsSync(full)) return [path, null];
      const { size, mtimeMs } = statSync(full);
      return [path, `${size}:${mtimeMs}`];
    }),
  );
}

/** True when the cached bundle exists and none of its inputs changed since it was built. */
function upToDate() {
  if (!existsSync(bundle) || !existsSync(stampFile)) return false;
  const recorded = JSON.parse(readFileSync(stampFile, "utf8"));
  const current = fingerprint(Object.keys(recorded));
  return Object.entries(recorded).every(([path, stamp]) => current[path] === stamp);
}

async function build() {
  const { build: esbuild } = await import("esbuild");
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: ["scripts/synth.ts"],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    metafile: true,
    logLevel: "warning",
    plugins: [
      {
        // jsii provider packages are CommonJS folders without an "exports" map: Node's ES module
        // resolver refuses directory imports, so name their index file.
        name: "provider-directory-imports",
        setup(b) {
          b.onResolve({ filter: /^@cdktf\/provider-[a-z]+\/lib\/[^/]+$/ }, (args) => ({
            path: `${args.path}/index.js`,
            external: true,
          }));
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("node_modules/"));
  writeFileSync(stampFile, JSON.stringify(fingerprint(inputs)));
}

mkdirSync(cacheDir, { recursive: true });
if (!upToDate()) await build();
await import(pathToFileURL(bundle).href);
