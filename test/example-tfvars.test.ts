import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** `variable` blocks of a committed variables.tf: name, description, validation messages. */
function variablesOf(hcl: string) {
  return [...hcl.matchAll(/^variable "([a-z0-9_]+)" \{\n([\s\S]*?)^\}/gm)].map(
    ([, name, body]) => ({
      name: name!,
      description: JSON.parse(/^ {2}description *= (".*")$/m.exec(body!)![1]!) as string,
      messages: [...body!.matchAll(/^ {4}error_message = (".*")$/gm)].map(
        (m) => JSON.parse(m[1]!) as string,
      ),
    }),
  );
}

/** The `# ...` comment lines right above `name = ...` in a tfvars file, joined into one text. */
function commentAbove(tfvars: string, name: string): string | undefined {
  const lines = tfvars.split("\n");
  const at = lines.findIndex((l) => l.startsWith(`${name} = `));
  if (at < 0) return undefined;
  let start = at;
  while (start > 0 && lines[start - 1]!.startsWith("# ")) start--;
  return lines
    .slice(start, at)
    .map((l) => l.slice(2))
    .join(" ");
}

const squash = (text: string) => text.replace(/\s+/g, " ").trim();

describe.each(["dev", "staging", "production"])("terraform/envs/%s/example.tfvars", (env) => {
  const variables = variablesOf(readFileSync(`terraform/envs/${env}/variables.tf`, "utf8"));
  const tfvars = readFileSync(`terraform/envs/${env}/example.tfvars`, "utf8");

  it("reads the root's variables", () => {
    expect(variables.map((v) => v.name)).toContain("vpc_cidr");
    expect(variables.length).toBeGreaterThan(10);
  });

  it("sets every variable of the root, with its description and validation rules above it", () => {
    for (const { name, description, messages } of variables) {
      const comment = commentAbove(tfvars, name);
      expect(comment, `${name} is missing`).toBeDefined();
      expect(squash(comment!), name).toContain(squash(description));
      for (const message of messages)
        expect(squash(comment!), `${name}: ${message}`).toContain(
          squash(message.replace(/\.$/, "")),
        );
    }
  });

  it("sets nothing the root does not declare", () => {
    const names = new Set(variables.map((v) => v.name));
    const set = [...tfvars.matchAll(/^([a-z0-9_]+) = /gm)].map((m) => m[1]!);
    expect(set.filter((n) => !names.has(n))).toEqual([]);
  });

  it("lists the synth-time settings, with the values the root's module calls hold", () => {
    const main = readFileSync(`terraform/envs/${env}/main.tf`, "utf8");
    const fixed = [...tfvars.matchAll(/^# {3}([a-z_]+)\.([a-z_]+) += (.*)$/gm)];
    expect(fixed.map((m) => `${m[1]}.${m[2]}`)).toEqual(
      expect.arrayContaining([
        "rds.multi_az",
        "rds.backup_retention_days",
        "elasticache.num_cache_clusters",
      ]),
    );
    for (const [, module, argument, value] of fixed) {
      const block = new RegExp(`^module "${module}" \\{\\n([\\s\\S]*?)^\\}`, "m").exec(main)![1]!;
      // Scalars appear verbatim in the module block; lists are rendered one item per line there.
      const parsed = JSON.parse(value!) as unknown;
      const items = Array.isArray(parsed) ? parsed : [parsed];
      expect(block, `${module}.${argument}`).toMatch(new RegExp(`^ {2}${argument} +=`, "m"));
      for (const item of items)
        expect(block, `${module}.${argument}`).toContain(JSON.stringify(item));
    }
  });
});
