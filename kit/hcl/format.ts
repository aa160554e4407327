/**
 * Formats the HCL that CDKTF renders into what `terraform fmt` would write: two-space indentation
 * by bracket nesting, `=` aligned across consecutive one-line attributes, and interpolation-only
 * strings (`"${var.x}"`) unwrapped to bare expressions, which HCL evaluates identically. Written
 * here rather than shelling out to terraform so that synth needs no binary and stays
 * deterministic; a test runs `terraform fmt -check` on the result where terraform exists.
 * @see https://github.com/hashicorp/hcl/blob/main/hclwrite/format.go
 */
export function formatHcl(source: string): string {
  const lines = source
    .split("\n")
    .map((line) => spaceInlineBraces(unwrapInterpolations(line.trim())));
  const out: string[] = [];
  const indents: number[] = [];
  let heredocEnd: string | undefined;

  for (const line of lines) {
    if (heredocEnd !== undefined) {
      out.push(line);
      if (line === heredocEnd) heredocEnd = undefined;
      continue;
    }
    if (line === "") {
      out.push("");
      continue;
    }
    const heredoc = /<<-?([A-Z_]+)$/.exec(line);
    const net = bracketBalance(line);
    if (net < 0) {
      let closed = -net;
      while (closed > 0 && indents.length > 0) {
        const top = indents[indents.length - 1]!;
        if (closed >= top) {
          closed -= top;
          indents.pop();
        } else {
          indents[indents.length - 1] = top - closed;
          closed = 0;
        }
      }
    }
    out.push("  ".repeat(indents.length) + line);
    if (net > 0) indents.push(net);
    if (heredoc) heredocEnd = heredoc[1];
  }
  return alignEquals(tidyBlankLines(out)).join("\n") + "\n";
}

/** `{"a" = 1}` on one line becomes `{ "a" = 1 }`, as terraform fmt writes inline objects. */
function spaceInlineBraces(line: string): string {
  const inserts: number[] = [];
  scan(line, (ch, index) => {
    const next = line[index + 1];
    const previous = line[index - 1];
    if (ch === "{" && next !== undefined && next !== " " && next !== "}") inserts.push(index + 1);
    if (ch === "}" && index > 0 && previous !== " " && previous !== "{") inserts.push(index);
  });
  let out = line;
  for (const at of inserts.reverse()) out = `${out.slice(0, at)} ${out.slice(at)}`;
  return out;
}

/** Net count of opening minus closing brackets outside string literals. */
function bracketBalance(line: string): number {
  let net = 0;
  scan(line, (ch) => {
    if (ch === "{" || ch === "[" || ch === "(") net++;
    else if (ch === "}" || ch === "]" || ch === ")") net--;
  });
  return net;
}

/**
 * Calls `onCode` for every character of expression code at the line's own level: string literals
 * (and the `${...}` inside them, which cannot change the line's nesting) and comments are skipped.
 */
function scan(line: string, onCode: (ch: string, index: number) => void): void {
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') i = skipString(line, i + 1) - 1;
    else if (ch === "#" || (ch === "/" && line[i + 1] === "/")) return;
    else onCode(ch, i);
  }
}

/** Returns the index just past the `}` that closes an interpolation whose body starts at `start`. */
function skipInterpolation(line: string, start: number): number {
  let depth = 1;
  for (let i = start; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') i = skipString(line, i + 1) - 1;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i + 1;
  }
  return line.length;
}

/** Returns the index just past the closing quote of a string whose body starts at `start`. */
function skipString(line: string, start: number): number {
  for (let i = start; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "\\") i++;
    else if (ch === '"') return i + 1;
    else if (ch === "$" && line[i + 1] === "{") i = skipInterpolation(line, i + 2) - 1;
  }
  return line.length;
}

/** Replaces every string literal that is exactly one interpolation by the expression inside it. */
function unwrapInterpolations(line: string): string {
  let result = "";
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === "#" || (ch === "/" && line[i + 1] === "/")) return result + line.slice(i);
    if (ch !== '"') {
      result += ch;
      i++;
      continue;
    }
    const end = skipString(line, i + 1);
    const literal = line.slice(i, end);
    if (literal.startsWith('"${') && skipInterpolation(literal, 3) === literal.length - 1) {
      result += unwrapInterpolations(literal.slice(3, -2));
    } else {
      result += literal;
    }
    i = end;
  }
  return result;
}

/** One blank line at most, none right after an opening or before a closing bracket. */
function tidyBlankLines(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const previous = out[out.length - 1];
    if (line === "" && (previous === undefined || previous === "" || /[{[(]$/.test(previous)))
      continue;
    if (/^\s*[}\])]/.test(line) && previous === "") out.pop();
    out.push(line);
  }
  while (out[out.length - 1] === "") out.pop();
  return out;
}

/** Aligns `=` across runs of consecutive lines that each hold a complete `key = value`. */
function alignEquals(lines: string[]): string[] {
  const out = [...lines];
  let run: { index: number; keyEnd: number }[] = [];
  const flush = () => {
    const width = Math.max(...run.map((r) => r.keyEnd));
    for (const { index, keyEnd } of run) {
      const line = out[index]!;
      const key = line.slice(0, keyEnd);
      const value = line.slice(line.indexOf("=", keyEnd));
      out[index] = key + " ".repeat(width - keyEnd + 1) + value;
    }
    run = [];
  };
  lines.forEach((line, index) => {
    const keyEnd = assignmentKeyEnd(line);
    if (keyEnd === undefined) {
      if (run.length) flush();
    } else {
      run.push({ index, keyEnd });
    }
  });
  if (run.length) flush();
  return out;
}

/** End of the key of a one-line attribute (`key = value` with balanced brackets), else undefined. */
function assignmentKeyEnd(line: string): number | undefined {
  let equals: number | undefined;
  scan(line, (ch, index) => {
    if (
      equals === undefined &&
      ch === "=" &&
      !"=>".includes(line[index + 1] ?? "") &&
      !"=!<>".includes(line[index - 1] ?? "")
    ) {
      equals = index;
    }
  });
  if (equals === undefined || bracketBalance(line.slice(equals)) !== 0) return undefined;
  return line.slice(0, equals).trimEnd().length;
}
