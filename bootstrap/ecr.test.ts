import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { account } from "../envs/account.ts";
import { resourceOf, type StackJson } from "../test/synth.ts";
import { COMMIT_TAG_PREFIX, lifecycleRules, type LifecycleRule } from "./ecr.ts";
import { BootstrapStack } from "./index.ts";

/** An image in the repository: its tags and push order (higher = newer). */
interface Image {
  tags: string[];
  pushed: number;
}

/**
 * ECR's documented evaluation of a lifecycle policy: rules in priority order; a rule's selection
 * matches by tag status and prefixes; images matched by a higher-priority rule cannot be expired
 * by a lower one; imageCountMoreThan expires the oldest beyond the count, sinceImagePushed those
 * older than the age.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 */
function expired(images: Image[], rules: LifecycleRule[], now: number): Set<Image> {
  const claimed = new Set<Image>();
  const out = new Set<Image>();
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const { selection } = rule;
    const matches = images.filter((image) => {
      if (selection.tagStatus === "untagged") return image.tags.length === 0;
      if (selection.tagStatus === "any") return true;
      return (selection.tagPrefixList ?? []).every((prefix) =>
        image.tags.some((tag) => tag.startsWith(prefix)),
      );
    });
    const candidates = matches
      .filter((image) => !claimed.has(image))
      .sort((a, b) => b.pushed - a.pushed);
    const doomed =
      selection.countType === "imageCountMoreThan"
        ? candidates.slice(selection.countNumber)
        : candidates.filter((image) => now - image.pushed > selection.countNumber);
    for (const image of doomed) out.add(image);
    for (const image of matches) claimed.add(image);
  }
  return out;
}

const environments = ["production", "staging", "dev"];
const rules = lifecycleRules({ environments });

describe("ECR lifecycle policy", () => {
  it("selects no image by `any`: only untagged and commit-only images can expire", () => {
    expect(rules.map((r) => r.selection.tagStatus)).not.toContain("any");
    expect(rules.at(-1)!.selection.tagPrefixList).toEqual([COMMIT_TAG_PREFIX]);
    expect(new Set(rules.map((r) => r.rulePriority)).size).toBe(rules.length);
  });

  it("keeps the image production runs and its rollback targets however many builds follow", () => {
    // 400 builds (one a day); every one goes to dev, every 5th to staging, every 40th to
    // production. Production's last promotion is 120 builds old: a long freeze.
    const images: Image[] = [];
    for (let i = 0; i < 400; i++) {
      const sha = i.toString(16).padStart(40, "0");
      const tags = [`sha-${sha}`, `dev-${sha}`];
      if (i % 5 === 0) tags.push(`staging-${sha}`);
      if (i % 40 === 0 && i <= 280) tags.push(`production-${sha}`);
      images.push({ tags, pushed: i });
    }
    images.push({ tags: [], pushed: 395 }, { tags: [], pushed: 100 });
    const gone = expired(images, rules, 400);
    const kept = images.filter((image) => !gone.has(image));
    const has = (prefix: string) => (image: Image) => image.tags.some((t) => t.startsWith(prefix));

    // Every production image (8 of them) survives, the running one (280) included.
    expect(images.filter(has("production-")).every((image) => kept.includes(image))).toBe(true);
    expect(kept.some((image) => image.pushed === 280 && has("production-")(image))).toBe(true);
    // Staging keeps all 80 of its images (<= 100), dev its last 100.
    expect(kept.filter(has("staging-"))).toHaveLength(80);
    expect(kept.filter(has("dev-")).length).toBeGreaterThanOrEqual(100);
    // The old untagged leftover goes, the recent one stays.
    expect(gone.has(images.find((i) => i.tags.length === 0 && i.pushed === 100)!)).toBe(true);
    expect(gone.has(images.find((i) => i.tags.length === 0 && i.pushed === 395)!)).toBe(false);
  });

  it("expires commit images no environment received beyond the newest 30", () => {
    const images: Image[] = Array.from({ length: 50 }, (_, i) => ({
      tags: [`sha-${i}`],
      pushed: i,
    }));
    images.push({ tags: ["sha-old", "production-old"], pushed: -1 });
    const gone = expired(images, rules, 50);
    expect(gone.size).toBe(20);
    expect([...gone].every((image) => image.pushed < 20)).toBe(true);
  });

  it("is what the bootstrap stack applies, production's rule first", () => {
    const stack = new BootstrapStack(
      Testing.app(),
      "bootstrap",
      account,
      ["dev", "staging", "production"].map((environment) => ({
        environment,
        region: account.region,
        resourceTypes: [],
        platformResourceTypes: [],
      })),
    );
    const json = JSON.parse(Testing.synth(stack, true)) as StackJson;
    const policy = resourceOf(json, "aws_ecr_lifecycle_policy", "images_lifecycle").policy;
    const applied = JSON.parse(String(policy)) as { rules: LifecycleRule[] };
    expect(applied.rules).toEqual(rules);
    expect(applied.rules[0]!.selection.tagPrefixList).toEqual(["production-"]);
  });
});
