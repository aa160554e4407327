import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { awsNameExists, corpus, envNames, project } from "./doc-names.ts";
import { mermaidBlocks, parseMermaid } from "./mermaid.ts";

/** Every Markdown file whose diagrams GitHub renders for readers of the repository's docs. */
const DOCS = [
  "README.md",
  ...readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const blocks = DOCS.flatMap((file) =>
  mermaidBlocks(readFileSync(file, "utf8")).map((block) => ({ file, ...block })),
);

describe("Mermaid diagrams in README.md and docs/*.md", () => {
  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))(
    "%s parses with mermaid's grammar",
    async (_, block) => {
      await expect(parseMermaid(block.text)).resolves.toMatch(/^(flowchart-v2|sequence)$/);
    },
  );

  it("has the architecture, deployment sequence and generated module diagrams", async () => {
    const types = async (file: string) =>
      Promise.all(blocks.filter((b) => b.file === file).map((b) => parseMermaid(b.text)));
    expect(await types("docs/architecture.md")).toContain("flowchart-v2");
    expect(await types("docs/deployment.md")).toContain("sequence");
    expect(await types("docs/module-dependencies.md")).toEqual(["flowchart-v2"]);
  });

  it("rejects broken diagrams (the parser really checks)", async () => {
    // An edge without a target, an unclosed node shape, a message without its text separator,
    // an unknown diagram type.
    await expect(parseMermaid("flowchart LR\n  a --> ")).rejects.toThrow(/Parse error/);
    await expect(parseMermaid('flowchart LR\n  a["unclosed --> b')).rejects.toThrow(
      /Parse error|Lexical error/,
    );
    await expect(parseMermaid("sequenceDiagram\n  A->>B hello")).rejects.toThrow(/Parse error/);
    await expect(parseMermaid("flowchat LR\n  a --> b")).rejects.toThrow(
      /No diagram type detected/,
    );
  });

  it("finds every fenced mermaid block, and fails on an unterminated one", () => {
    const md =
      "text\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n";
    expect(mermaidBlocks(md)).toEqual([
      { line: 2, text: "flowchart LR\n  a --> b" },
      { line: 7, text: "sequenceDiagram\n  A->>B: hi" },
    ]);
    expect(() => mermaidBlocks("```mermaid\nflowchart LR\n")).toThrow(/unterminated/);
  });

  it("names in the hand-written diagrams exist in the generated code and workflows", () => {
    const text = blocks
      .filter((b) => b.file !== "docs/module-dependencies.md")
      .map((b) => b.text.replace(/&lt;/g, "<").replace(/&gt;/g, ">"))
      .join("\n");
    // <name>-x / {project}-{env}-x: AWS names of one environment; checked for the first env.
    const names = [
      ...text.matchAll(/(?:<name>|\{project\}-\{env\}|<project>-<env>)-([a-z0-9-]*[a-z0-9])/g),
    ].map((m) => `${project}-${envNames[0]}-${m[1]}`);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !awsNameExists(n))).toEqual([]);
    for (const [, suffix] of text.matchAll(/(?:<project>|\{project\})-(github-plan)/g))
      expect(corpus).toContain(`\${var.project}-${suffix}"`);
    for (const [, file] of text.matchAll(/\b([a-z]+\.yml)\b/g))
      expect(existsSync(`.github/workflows/${file}`), file).toBe(true);
    // namespace/service-account pairs the diagram quotes.
    for (const [, ns, sa] of text.matchAll(
      /\b(expense|monitoring|amazon-cloudwatch|kube-system)\/([a-z0-9-]+)/g,
    ))
      expect(corpus.includes(`"${sa}"`) && corpus.includes(`"${ns}"`), `${ns}/${sa}`).toBe(true);
  });
});
