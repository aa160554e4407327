import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PLATFORM_CHARTS } from "./index.ts";
import { SETUP_IMAGES } from "./opensearch-setup-job.ts";

const folder = new URL("./", import.meta.url);
const sources = readdirSync(folder)
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
  .map((file) => ({ file, text: readFileSync(new URL(file, folder), "utf8") }));

/** The comment lines right above line `index`. */
function commentAbove(lines: string[], index: number): string {
  const above: string[] = [];
  for (let i = index - 1; i >= 0 && /^\s*(\/\/|\*|\/\*\*)/.test(lines[i]!); i--)
    above.unshift(lines[i]!);
  return above.join("\n");
}

describe("platform chart pins", () => {
  it("note beside every pinned version where and when it was verified", () => {
    let pins = 0;
    for (const { file, text } of sources) {
      const lines = text.split("\n");
      lines.forEach((line, index) => {
        if (!/^\s*version: "\d+\.\d+\.\d+",$/.test(line)) return;
        pins++;
        const note = commentAbove(lines, index);
        expect(note, `${file}:${index + 1}`).toMatch(/Verified \d{4}-\d{2}-\d{2}: /);
        expect(note, `${file}:${index + 1}`).toMatch(/github\.com\/[\w.-]+\/[\w.-]+/);
        expect(note, `${file}:${index + 1}`).toMatch(/\b[0-9a-f]{7,40}\b/);
      });
    }
    expect(pins).toBe(Object.keys(PLATFORM_CHARTS).length);
  });

  it("pin every chart to an exact version from an https repository", () => {
    for (const chart of Object.values(PLATFORM_CHARTS)) {
      expect(chart.version, chart.chart).toMatch(/^\d+\.\d+\.\d+$/);
      expect(chart.repository, chart.chart).toMatch(/^https:\/\//);
      const file = sources.find(({ text }) => text.includes(`version: "${chart.version}"`));
      expect(file, chart.chart).toBeDefined();
    }
  });

  it("note beside every pinned image tag where and when it was verified, and pin exact versions", () => {
    let pins = 0;
    for (const { file, text } of sources) {
      const lines = text.split("\n");
      lines.forEach((line, index) => {
        if (!/^\s*tag: "[^"]+",$/.test(line)) return;
        pins++;
        const note = commentAbove(lines, index);
        expect(note, `${file}:${index + 1}`).toMatch(/Verified \d{4}-\d{2}-\d{2}: /);
        expect(note, `${file}:${index + 1}`).toMatch(/github\.com\/[\w.-]+\/[\w.-]+/);
        expect(note, `${file}:${index + 1}`).toMatch(/\b[0-9a-f]{7,40}\b/);
      });
    }
    expect(pins).toBe(Object.keys(SETUP_IMAGES).length);
    for (const image of Object.values(SETUP_IMAGES))
      expect(image.tag, image.repository).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
