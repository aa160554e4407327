/**
 * `npm run synth` and the cdktf.json app: synthesizes every stack to cdktf.out/ (JSON, what
 * cdktf and terraform apply) and refreshes the committed terraform/ tree (HCL, what reviewers
 * read). A bad config value ends the run with one line naming the field and the value.
 */
import { writeFileSync, readFileSync } from "node:fs";
import { writeTree } from "../kit/hcl/tree.ts";

try {
  const { buildApp } = await import("../main.ts");
  const { renderTree } = await import("./render-tree.ts");
  const assembly = buildApp();
  assembly.app.synth();
  const tree = renderTree(assembly);
  writeTree("terraform", tree.terraform);
  for (const [path, content] of tree.others) {
    let current: string | undefined;
    try {
      current = readFileSync(path, "utf8");
    } catch {
      current = undefined;
    }
    if (current !== content) writeFileSync(path, content);
  }
} catch (error) {
  if (error instanceof Error && (error.name === "ConfigError" || error.name === "VariableError")) {
    console.error(`synth failed: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
