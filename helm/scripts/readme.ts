/**
 * Regenerates the chart README's values table and the descriptions in values.schema.json from the
 * `## @param` comments of values.yaml.
 *
 *   npx tsx helm/scripts/readme.ts          # rewrite both files
 *   npx tsx helm/scripts/readme.ts --check  # exit 1 when either is stale (the tests check it too)
 */
import { writeFileSync } from "node:fs";
import { chartDocFiles, renderReadme, renderSchema } from "./values-doc.ts";

const check = process.argv.includes("--check");
const files = chartDocFiles();
const outputs = [
  {
    path: files.paths.readme,
    current: files.readme,
    next: renderReadme(files.readme, files.values),
  },
  {
    path: files.paths.schema,
    current: files.schema,
    next: await renderSchema(files.schema, files.values, files.paths.schema),
  },
];

let stale = 0;
for (const { path, current, next } of outputs) {
  if (current === next) continue;
  stale += 1;
  if (check) console.error(`${path} is stale: run npx tsx helm/scripts/readme.ts`);
  else writeFileSync(path, next);
}
if (check && stale > 0) process.exit(1);
if (!check)
  console.log(stale === 0 ? "README and schema already up to date" : `updated ${stale} file(s)`);
