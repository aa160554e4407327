import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accountSchema } from "../envs/schema.ts";

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

describe("README account settings", () => {
  // A new account must see every account-wide setting, and the environment settings that depend on
  // the account, or its first deploy fails on a value nobody told it to set.
  const section = readme.slice(readme.indexOf("## Deploying to your own account"));
  const accountFields = (shape: Record<string, unknown>, prefix = ""): string[] =>
    Object.entries(shape).flatMap(([key, value]) => {
      const inner = (value as { shape?: Record<string, unknown> }).shape;
      return inner ? accountFields(inner, `${prefix}${key}.`) : [`${prefix}${key}`];
    });
  const required = [
    ...accountFields(accountSchema.shape),
    "eks.publicAccessCidrs",
    "ingress.hostedZone",
    "ingress.apiHost",
    "ingress.grafanaHost",
    "certificateArn",
    "bastion.sshAllowedCidrs",
  ];

  it.each(required)("lists %s", (field) => {
    expect(section).toContain(`\`${field}\``);
  });
});
