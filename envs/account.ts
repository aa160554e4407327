import { accountSchema, parseConfig } from "./schema.ts";

/**
 * The handful of values a new AWS account needs. Change these (and nothing else) to deploy into
 * your own account: the state bucket name must be globally unique, the region is where everything
 * runs, the e-mail receives budget alerts and the repository is the only one whose GitHub Actions
 * may assume the CI roles. After the first bootstrap apply, copy its `state_kms_key_arn` output
 * into `state.kmsKeyArn` so the environments' state is written with the state KMS key.
 */
export const account = parseConfig(
  accountSchema,
  {
    project: "expense",
    costCenter: "expense-tracking",
    region: "eu-west-1",
    accountId: "",
    state: {
      bucket: "expense-terraform-state-example",
      lockTable: "expense-terraform-locks",
      kmsKeyArn: "",
      noncurrentVersionDays: 90,
    },
    githubRepository: "example-org/expense-platform",
    alertEmails: ["platform-alerts@example.com"],
  },
  "envs/account",
);
