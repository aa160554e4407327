import { describe, expect, it } from "vitest";
import { hclTemplate } from "./variables.ts";

describe("hclTemplate", () => {
  it("escapes literal text and keeps interpolations, quotes inside them included, as expressions", () => {
    const json = 'x is "${var.x}" of ${join(", ", data.a.b.names)}\n';
    expect(hclTemplate(json)).toBe('"x is \\"${var.x}\\" of ${join(", ", data.a.b.names)}\\n"');
  });

  it("keeps an escaped $${ literal and handles braces and strings inside an interpolation", () => {
    expect(hclTemplate('cost $${x} ${{ a = "}" }.a}')).toBe('"cost $${x} ${{ a = "}" }.a}"');
  });

  it("fails on an unterminated interpolation instead of writing broken HCL", () => {
    expect(() => hclTemplate("${var.x")).toThrow(/unterminated interpolation/);
  });
});
