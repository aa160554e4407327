import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { EncryptionKey, type AwsContext } from "../kit/kms.ts";

/** Props of the API image repository. */
export interface ImageRepositoryProps {
  readonly context: AwsContext;
  readonly project: string;
  /** @default 30 */
  readonly keepTaggedImages?: number;
  /** @default 7 */
  readonly untaggedExpiryDays?: number;
}

/**
 * The ECR repository of the API image, shared by all environments (an image is promoted by tag,
 * never rebuilt): immutable tags, scan on push, KMS encryption and a lifecycle policy that bounds
 * storage.
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
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.arn }],
      tags: { Name: `${props.project}/expense-api` },
    });
    new EcrLifecyclePolicy(this, "lifecycle", {
      repository: this.repository.name,
      policy: Fn.jsonencode({
        rules: [
          {
            rulePriority: 1,
            description: "Expire untagged images (failed or superseded pushes)",
            selection: {
              tagStatus: "untagged",
              countType: "sinceImagePushed",
              countUnit: "days",
              countNumber: props.untaggedExpiryDays ?? 7,
            },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: "Keep the most recent tagged images",
            selection: {
              tagStatus: "any",
              countType: "imageCountMoreThan",
              countNumber: props.keepTaggedImages ?? 30,
            },
            action: { type: "expire" },
          },
        ],
      }),
    });
  }
}
