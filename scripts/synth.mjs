/**
 * `npm run synth` launcher: runs scripts/synth.ts from a bundle cached in node_modules/.cache/synth/.
 * Why: start-up was the largest part of synth. Loading ~150 TypeScript files through the tsx loader
 * took longer than building and rendering all stacks, and even precompiled, importing cdktf and ~80
 * provider modules one by one through Node's ES module loader (which reads and lexes every CommonJS
 * file to find its exports) took about a second. esbuild bundles the sources *and* their packages
 * into one CommonJS file (whitespace-minified: less to parse) in about a second, once; the bundle is
 * reused until one of its input files changes (sizes and modification times are kept beside it).
 * The synthesized output is byte-for-byte the same as running the sources.
 * Plain JavaScript so that it starts without any loader.
 * For stack traces into the sources: `NODE_OPTIONS=--enable-source-maps npm run synth`.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";

const root = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
// One cache per checkout: a scratch copy that links this node_modules must not reuse its bundle.
const checkout = createHash("sha256").update(root).digest("hex").slice(0, 12);
const cacheDir = join(root, "node_modules", ".cache", "synth", checkout);
const bundle = join(cacheDir, "synth.cjs");
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
    format: "cjs",
    target: "node20",
    // Whitespace and syntax only: identifiers keep their names, as errors print them.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "linked",
    metafile: true,
    logLevel: "silent",
  });
  // A warning here (e.g. `import.meta` in a bundled source, empty in CommonJS) would be a silently
  // different program: refuse it rather than run it.
  if (result.warnings.length > 0) {
    const { formatMessages } = await import("esbuild");
    const text = await formatMessages(result.warnings, { kind: "warning" });
    throw new Error(`synth bundle: esbuild warned, refusing to run it:\n${text.join("\n")}`);
  }
  writeFileSync(stampFile, JSON.stringify(fingerprint(Object.keys(result.metafile.inputs))));
}

mkdirSync(cacheDir, { recursive: true });
if (!upToDate()) await build();
createRequire(import.meta.url)(bundle);
