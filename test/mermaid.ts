/**
 * Mermaid's own parser (the grammar GitHub renders with), run in Node. `mermaid.parse` sanitizes
 * labels with DOMPurify, which needs a DOM when mermaid is imported: a happy-dom window provides it.
 * Pins: mermaid 11.14.0 (tag mermaid@11.14.0, mermaid-js/mermaid, 2026-04-01) and happy-dom 20.11.1
 * (tag v20.11.1, capricorn86/happy-dom, 2026-07-22); both read with the fetch tool and `npm view` on
 * 2026-11-28. mermaid 12 needs Node >= 22.12, this repository runs on Node 20.
 */
import { Window } from "happy-dom";

type Mermaid = typeof import("mermaid").default;
let loaded: Promise<Mermaid> | undefined;

function load(): Promise<Mermaid> {
  loaded ??= (async () => {
    const window = new Window();
    Object.assign(globalThis, { window, document: window.document });
    return (await import("mermaid")).default;
  })();
  return loaded;
}

/** Parses one diagram; resolves to its diagram type, rejects with mermaid's parse error. */
export async function parseMermaid(text: string): Promise<string> {
  const mermaid = await load();
  const result = await mermaid.parse(text);
  if (!result) throw new Error("mermaid.parse returned nothing");
  return result.diagramType;
}

/** The body of every ```mermaid fenced block of a Markdown text, with its line number. */
export function mermaidBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "```mermaid") continue;
    const end = lines.findIndex((l, j) => j > i && l.trim() === "```");
    if (end < 0) throw new Error(`unterminated mermaid block at line ${i + 1}`);
    blocks.push({ line: i + 1, text: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return blocks;
}
