import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Construct } from "constructs";
import { EncryptionKey, type AwsContext } from "../kit/kms.ts";

/**
 * Prefix of the immutable tag the image job gives every build: `sha-<commit>`. The deploy job
 * adds `<environment>-<commit>` (a promotion tag) to the same manifest when it deploys it there.
 */
export const COMMIT_TAG_PREFIX = "sha-";

/** The promotion tag prefix of an environment, `<environment>-`. */
export const promotionTagPrefix = (environment: string): string => `${environment}-`;

/** One rule of an ECR lifecycle policy (the JSON the service reads). */
export interface LifecycleRule {
  rulePriority: number;
  description: string;
  selection: {
    tagStatus: "tagged" | "untagged" | "any";
    tagPrefixList?: string[];
    countType: "imageCountMoreThan" | "sinceImagePushed";
    countUnit?: "days";
    countNumber: number;
  };
  action: { type: "expire" };
}

/** What the lifecycle policy keeps. */
export interface LifecycleOptions {
  /** Environments that promote images by tag (`<env>-<commit>`), most protected first. */
  readonly environments: readonly string[];
  /**
   * Promoted images kept per environment: what it runs plus what it may roll back to.
   * @default 100
   */
  readonly keepPromotedImages?: number;
  /**
   * Commit-tagged images kept that no environment was promoted to (built, never deployed).
   * @default 30
   */
  readonly keepCommitImages?: number;
  /**
   * Days before an untagged image (an interrupted push) expires.
   * @default 14
   */
  readonly untaggedExpiryDays?: number;
}

/**
 * The lifecycle rules, in priority order. ECR lets no lower-priority rule expire an image that a
 * higher-priority rule's tag selection matched, so the per-environment promotion rules first make
 * every image an environment ran (up to `keepPromotedImages` per environment) untouchable for the
 * later rules, even though it also carries a `sha-` tag. Only then are untagged images and
 * never-promoted commit images expired. No rule selects `any`: nothing else is ever expired.
 * The per-platform manifests of a multi-arch image are untagged, but ECR evaluates them with their
 * image index (their parent), not on their own.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
 */
export function lifecycleRules(options: LifecycleOptions): LifecycleRule[] {
  const keepPromoted = options.keepPromotedImages ?? 100;
  const promoted = options.environments.map((environment, index): LifecycleRule => ({
    rulePriority: index + 1,
    description: `Keep the last ${keepPromoted} images deployed to ${environment} (running or a rollback target)`,
    selection: {
      tagStatus: "tagged",
      tagPrefixList: [promotionTagPrefix(environment)],
      countType: "imageCountMoreThan",
      countNumber: keepPromoted,
    },
    action: { type: "expire" },
  }));
  const next = promoted.length + 1;
  return [
    ...promoted,
    {
      rulePriority: next,
      description: "Expire untagged images (interrupted pushes)",
      selection: {
        tagStatus: "untagged",
        countType: "sinceImagePushed",
        countUnit: "days",
        countNumber: options.untaggedExpiryDays ?? 14,
      },
      action: { type: "expire" },
    },
    {
      rulePriority: next + 1,
      description: "Expire old commit images that no environment was promoted to",
      selection: {
        tagStatus: "tagged",
        tagPrefixList: [COMMIT_TAG_PREFIX],
        countType: "imageCountMoreThan",
        countNumber: options.keepCommitImages ?? 30,
      },
      action: { type: "expire" },
    },
  ];
}

/** Props of the API image repository. */
export interface ImageRepositoryProps extends LifecycleOptions {
  readonly context: AwsContext;
  readonly project: string;
}

/**
 * The ECR repository of the API image, shared by all environments (an image is built once and
 * promoted by tag, never rebuilt): immutable tags, scan on push, KMS encryption and a lifecycle
 * policy that never expires an image an environment runs or may roll back to.
 */
export class ImageRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    const key = new EncryptionKey(this, "key", {
      context: props.context,
      alias: `${props.project}-ecr`,
      description: "Encrypts the API images in ECR",
    });
    this.repository = new EcrRepository(this, "repository", {
      name: `${props.project}/expense-api`,
      // Immutable: a tag, once pushed, always names the same image; promotion adds new tags.
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.arn }],
      tags: { Name: `${props.project}/expense-api` },
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      // Plain JSON: the rules hold no Terraform references.
      policy: JSON.stringify({ rules: lifecycleRules(props) }),
    });
  }
}
