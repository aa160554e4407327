import { describe, expect, it } from "vitest";
import { formatHcl } from "./format.ts";

describe("formatHcl", () => {
  it("indents by bracket nesting and aligns = across consecutive one-line attributes", () => {
    const input = [
      'resource "aws_vpc" "vpc" {',
      'cidr_block = "${var.cidr}"',
      "enable_dns_support = true",
      "tags = {",
      'Name = "x"',
      "}",
      "}",
    ].join("\n");
    expect(formatHcl(input)).toBe(
      [
        'resource "aws_vpc" "vpc" {',
        "  cidr_block         = var.cidr",
        "  enable_dns_support = true",
        "  tags = {",
        '    Name = "x"',
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("unwraps only strings that are exactly one interpolation", () => {
    const out = formatHcl(
      ['a = "${var.x}"', 'b = "${var.x}-suffix"', 'c = "${a}${b}"', 'd = "plain"'].join("\n"),
    );
    expect(out).toContain("a = var.x\n");
    expect(out).toContain('b = "${var.x}-suffix"');
    expect(out).toContain('c = "${a}${b}"');
    expect(out).toContain('d = "plain"');
  });

  it("keeps quotes and braces nested inside interpolations intact", () => {
    const out = formatHcl('condition = "${can(regex("^[a-z]{2}$", var.region))}"');
    expect(out).toBe('condition = can(regex("^[a-z]{2}$", var.region))\n');
  });

  it("does not count brackets inside strings towards indentation", () => {
    const out = formatHcl(["x = {", 'k = "a { b [ c"', "}", "y = 1"].join("\n"));
    expect(out).toBe(["x = {", '  k = "a { b [ c"', "}", "y = 1", ""].join("\n"));
  });

  it("indents one level for a line that opens several brackets, as terraform fmt does", () => {
    const out = formatHcl(["v = jsonencode({", "a = [", "1,", "]", "})"].join("\n"));
    expect(out).toBe(["v = jsonencode({", "  a = [", "    1,", "  ]", "})", ""].join("\n"));
  });

  it("breaks alignment runs at multi-line values and blank lines", () => {
    const out = formatHcl(["a = 1", "longer_name = {", "}", "bb = 2", "", "cccc = 3"].join("\n"));
    expect(out).toBe(["a = 1", "longer_name = {", "}", "bb = 2", "", "cccc = 3", ""].join("\n"));
  });

  it("drops blank lines after an opening and before a closing bracket and collapses runs", () => {
    const out = formatHcl(["terraform {", "", "a = 1", "", "", "b = 2", "", "}"].join("\n"));
    expect(out).toBe(["terraform {", "  a = 1", "", "  b = 2", "}", ""].join("\n"));
  });

  it("treats == and => as operators, not assignments", () => {
    const out = formatHcl(["cond = var.a == 1", "m = { for k, v in var.x : k => v }"].join("\n"));
    expect(out).toBe(["cond = var.a == 1", "m    = { for k, v in var.x : k => v }", ""].join("\n"));
  });
});

describe("formatHcl inline objects", () => {
  it("pads braces of one-line objects but leaves interpolations and empty objects alone", () => {
    const out = formatHcl('p = jsonencode({"a" = {"b" = 1}, "c" = "${var.x}-{y}", "d" = {}})');
    expect(out).toBe('p = jsonencode({ "a" = { "b" = 1 }, "c" = "${var.x}-{y}", "d" = {} })\n');
  });
});
