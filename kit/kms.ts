import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { first } from "./expressions.ts";

/** The account, region and partition a module runs in, read once per module. */
export class AwsContext extends Construct {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;

  constructor(scope: Construct, id = "context") {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, "caller").accountId;
    this.region = new DataAwsRegion(this, "region").name;
    this.partition = new DataAwsPartition(this, "partition").partition;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>` for this account and region. */
  arn(service: string, resource: string, options: { region?: boolean } = {}): string {
    const region = options.region === false ? "" : this.region;
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}

/** Props of a customer-managed KMS key. */
export interface EncryptionKeyProps {
  readonly context: AwsContext;
  /** Alias without the `alias/` prefix, e.g. `expense-dev-flow-logs`. */
  readonly alias: string;
  readonly description: string;
  /**
   * Extra key-policy statements granting AWS services use of the key (the account root always
   * administers it, so IAM policies can grant the rest).
   */
  readonly serviceStatements?: DataAwsIamPolicyDocumentStatement[];
  /** @default 30 */
  readonly deletionWindowInDays?: number;
  /**
   * 0 or 1 (a Terraform expression, e.g. from an `enabled` input) for a key that exists only
   * with its module's feature; every part of the key is then counted, and `arn` reads instance 0
   * (use it only from resources with the same count). Omitted: one uncounted key.
   */
  readonly count?: number;
}

/**
 * A symmetric customer-managed KMS key with yearly rotation, an explicit key policy and an alias.
 * One key per purpose, so a key's grants stay narrow and its use is traceable in CloudTrail.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const { context, count } = props;
    const counted = count !== undefined;
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      count,
      statement: [
        {
          sid: "AccountAdministersKey",
          actions: ["kms:*"],
          resources: ["*"],
          principals: [
            {
              type: "AWS",
              identifiers: [`arn:${context.partition}:iam::${context.accountId}:root`],
            },
          ],
        },
        ...(props.serviceStatements ?? []),
      ],
    });
    this.key = new KmsKey(this, "key", {
      count,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: counted ? first(policy, "json") : policy.json,
      tags: { Name: props.alias },
    });
    new KmsAlias(this, "alias", {
      count,
      name: `alias/${props.alias}`,
      targetKeyId: counted ? first(this.key, "key_id") : this.key.keyId,
    });
    this.arn = counted ? first(this.key, "arn") : this.key.arn;
  }
}

/** Key-policy statement letting CloudWatch Logs use a key for log groups of this account. */
export function cloudWatchLogsKeyStatement(context: AwsContext): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "CloudWatchLogsUseKey",
    actions: [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ],
    resources: ["*"],
    principals: [{ type: "Service", identifiers: [`logs.${context.region}.amazonaws.com`] }],
    condition: [
      {
        test: "ArnLike",
        variable: "kms:EncryptionContext:aws:logs:arn",
        values: [context.arn("logs", "log-group:*")],
      },
    ],
  };
}
