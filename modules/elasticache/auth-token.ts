import { DataAwsSecretsmanagerRandomPassword } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-random-password";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Fn, Op, Token } from "cdktf";
import { Construct } from "constructs";
import { splat } from "../../kit/expressions.ts";

/** Props of the Redis AUTH token. */
export interface AuthTokenProps {
  readonly name: string;
  /** KMS key that encrypts a module-created secret. */
  readonly kmsKeyArn: string;
  /** Existing secret to use instead of creating one; empty to create. */
  readonly existingSecretArn: string;
}

/**
 * The Redis AUTH token, kept in Secrets Manager: either a secret the caller passes in, or one the
 * module creates from a Secrets Manager random password (64 letters and digits; AUTH allows only
 * a few punctuation characters, so none are used). The replication group reads the secret's
 * current value, so rotating is: put a new value into the secret (`aws secretsmanager
 * put-secret-value`), apply (with ROTATE both tokens are accepted), then move the clients over.
 *
 * State: `aws_elasticache_replication_group.auth_token` has no write-only form in AWS provider
 * 5.100, so the token is in state no matter how it is produced (the state bucket is KMS-encrypted,
 * versioned and TLS-only): in the replication group, in the data source that reads the secret
 * and, until the next run, in the random password data source. The secret version is written
 * with the write-only `secret_string_wo`, so it adds no copy of its own. An ephemeral
 * `aws_secretsmanager_random_password` would drop one copy, but CDKTF 0.21 has no construct for
 * ephemeral blocks, and the token would still be in state through `auth_token`.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html
 */
export class AuthToken extends Construct {
  /** ARN of the secret in use. */
  readonly secretArn: string;
  /** The token (sensitive; read from the secret's current version). */
  readonly value: string;

  constructor(scope: Construct, id: string, props: AuthTokenProps) {
    super(scope, id);
    // `length(...) < 1`, not `== ""` or `== 0`: cdktf's operators render a falsy literal operand
    // as `undefined`.
    const create = Op.lt(Fn.lengthOf(props.existingSecretArn), 1);
    const ifCreating = () => Token.asNumber(Fn.conditional(create, 1, 0));

    // A fresh value on every plan (data sources are re-read), but it is written only once:
    // write-only arguments are never compared with the remote value, and their version stays 1,
    // so no `ignore_changes` is needed. SECRET IN STATE: like any data source's result, the value
    // is saved in state (the provider does not mark it sensitive); from the next run on, that
    // saved value is a fresh one that was never used.
    const random = new DataAwsSecretsmanagerRandomPassword(this, "random", {
      count: ifCreating(),
      passwordLength: 64,
      excludePunctuation: true,
      includeSpace: false,
      requireEachIncludedType: true,
    });
    const secret = new SecretsmanagerSecret(this, "secret", {
      count: ifCreating(),
      // A prefix: a deleted secret keeps its name for the recovery window, which would block a
      // re-created environment from reusing a fixed one.
      namePrefix: `${props.name}/redis/auth-token-`,
      description: `AUTH token of the ${props.name}-redis replication group (plain string)`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 7,
      tags: { Name: `${props.name}-redis-auth-token` },
    });
    const initial = new SecretsmanagerSecretVersion(this, "initial-version", {
      count: ifCreating(),
      secretId: Fn.one(splat(secret, "id")),
      // Write-only: sent to AWS when the version number changes, never stored in state. Raising
      // it here would push a fresh random value; putting a value into the secret works too.
      secretStringWo: Fn.one(splat(random, "random_password")),
      secretStringWoVersion: 1,
    });

    this.secretArn = Token.asString(
      Fn.conditional(create, Fn.one(splat(secret, "arn")), props.existingSecretArn),
    );
    const current = new DataAwsSecretsmanagerSecretVersion(this, "current", {
      secretId: this.secretArn,
      versionStage: "AWSCURRENT",
      // Read after the module's first version exists; afterwards that version never changes,
      // so the read happens at plan time and picks up a rotated value.
      dependsOn: [initial],
    });
    // SECRET IN STATE: the current token, as this data source's (sensitive) result.
    this.value = current.secretString;
  }
}
