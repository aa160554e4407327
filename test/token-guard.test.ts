import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { synthAll } from "./synth.ts";
import { describeLeaks, scanJson, scanText } from "./token-guard.ts";

/** Every file under `dir`, recursively, except terraform's own working folders. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === ".terraform") return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("token guard rules", () => {
  it("finds each kind of leak", () => {
    const rules = (text: string) => scanText("x.tf", text).map((l) => l.rule);
    expect(rules('Name = "${var.name}-nat--8.109562212591414e+298"')).toEqual(["number token"]);
    expect(rules('Name = "${TfToken[TOKEN.12]}"')).toEqual(["unresolved token"]);
    expect(rules('Name = "a-[object Object]"')).toEqual(["[object Object]"]);
    expect(rules('Name = "x-undefined"')).toEqual(["undefined"]);
    expect(rules('size = "NaN"')).toEqual(["NaN"]);
  });

  it("finds leaks in JSON keys, string values and unresolved number tokens", () => {
    const leaks = scanJson("s.json", {
      resource: { a: { tags: { Name: "x-1.8e+289" }, count: -1.8e289 }, ["TfToken[1]"]: {} },
    });
    expect(leaks.map((l) => `${l.location} ${l.rule}`)).toEqual([
      "$.resource.a.tags.Name number token",
      "$.resource.a.count number token",
      "$.resource (key) unresolved token",
    ]);
  });

  it("accepts ordinary values (CIDRs, ARNs, versions, interpolations, 1e3-free numbers)", () => {
    expect(
      scanText(
        "x.tf",
        [
          'cidr = "10.0.0.0/16"',
          'arn = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"',
          'engine_version = "8.0.40"',
          'name = "${var.name}-nat-${element(local.azs, count.index)}"',
          "retention = 365",
        ].join("\n"),
      ),
    ).toEqual([]);
    expect(scanJson("s.json", { a: [1, 2.5, 65535, "undefinedness is a word"], b: null })).toEqual(
      [],
    );
  });
});

describe("synthesized output", () => {
  const synthesized = synthAll();

  it("has no leaked tokens or junk values in any cdktf.out stack JSON", () => {
    const files = filesUnder(synthesized.outdir).filter((f) => f.endsWith(".json"));
    expect(files.some((f) => f.endsWith("cdk.tf.json"))).toBe(true);
    const leaks = files.flatMap((file) =>
      scanJson(relative(synthesized.outdir, file), JSON.parse(readFileSync(file, "utf8"))),
    );
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });

  it("has no leaked tokens or junk values in the committed terraform/ HCL", () => {
    const files = filesUnder("terraform").filter((f) => /\.(tf|tfvars)$/.test(f));
    expect(files.length).toBeGreaterThan(50);
    const leaks = files.flatMap((file) => scanText(file, readFileSync(file, "utf8")));
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });
});
