import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const scripts = Object.keys(
  (
    JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts,
);

describe("README commands", () => {
  // Every `npm run <name>` the README tells a reader to type must exist, or the quick start breaks.
  const named = [...new Set([...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]))];

  it("names the two quick-start commands", () => {
    expect(named).toEqual(expect.arrayContaining(["synth", "test:all"]));
  });

  it.each(named)("npm run %s exists in package.json", (name) => {
    expect(scripts).toContain(name);
  });
});
