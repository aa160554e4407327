import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Fn, TerraformCount } from "cdktf";
import { splat } from "../../kit/expressions.ts";
import { AwsContext, cloudWatchLogsKeyStatement, EncryptionKey } from "../../kit/kms.ts";
import { defineModule } from "../../kit/module.ts";
import { loggingInputs, type LoggingInputs } from "./inputs.ts";
import { loggingOutputs } from "./outputs.ts";

/**
 * Application logs: a KMS-encrypted log group with retention per namespace, named
 * `/aws/eks/<cluster>/<namespace>` (created here, so retention and encryption are never left to
 * an agent's auto-creation), and the IRSA role Fluent Bit uses to write only to them.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
export const logging = defineModule({
  name: "logging",
  description:
    "CloudWatch log groups for the application namespaces (retention and KMS) and the IRSA role Fluent Bit writes them with.",
  inputs: loggingInputs,
  outputs: loggingOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const key = new EncryptionKey(scope, "key", {
      context,
      alias: `${vars.name}-app-logs`,
      description: `Encrypts the application log groups of ${vars.name}`,
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });
    const perNamespace = TerraformCount.of(Fn.lengthOf(vars.namespaces));
    const groups = new CloudwatchLogGroup(scope, "log-groups", {
      count: perNamespace,
      name: `/aws/eks/${vars.clusterName}/${Fn.element(vars.namespaces, perNamespace.index)}`,
      retentionInDays: vars.retentionDays,
      kmsKeyId: key.arn,
      tags: {
        Name: `/aws/eks/${vars.clusterName}/${Fn.element(vars.namespaces, perNamespace.index)}`,
      },
    });

    const subject = `system:serviceaccount:${vars.fluentBitNamespace}:${vars.fluentBitServiceAccount}`;
    const trust = new DataAwsIamPolicyDocument(scope, "fluent-bit-trust", {
      statement: [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [vars.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${vars.oidcIssuerHost}:sub`, values: [subject] },
            {
              test: "StringEquals",
              variable: `${vars.oidcIssuerHost}:aud`,
              values: ["sts.amazonaws.com"],
            },
          ],
        },
      ],
    });
    const role = new IamRole(scope, "fluent-bit-role", {
      name: `${vars.name}-fluent-bit`,
      description: "Fluent Bit (IRSA): writes container logs to the application log groups",
      assumeRolePolicy: trust.json,
      tags: { Name: `${vars.name}-fluent-bit` },
    });
    const write = new DataAwsIamPolicyDocument(scope, "fluent-bit-write", {
      statement: [
        {
          sid: "WriteApplicationLogs",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: Fn.formatlist("%s:*", [splat(groups, "arn")]),
        },
      ],
    });
    new IamRolePolicy(scope, "fluent-bit-policy", {
      name: "write-application-logs",
      role: role.id,
      policy: write.json,
    });

    return {
      logGroupNames: splat(groups, "name"),
      fluentBitRoleArn: role.arn,
      kmsKeyArn: key.arn,
    };
  },
});

export type { LoggingInputs };
