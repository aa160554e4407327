import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Fn, TerraformCount } from "cdktf";
import { splat } from "../../kit/expressions.ts";
import { AwsContext, cloudWatchLogsKeyStatement, EncryptionKey } from "../../kit/kms.ts";
import { defineModule } from "../../kit/module.ts";
import { ServiceAccountRole } from "../../kit/service-account-role.ts";
import { grafanaCloudWatchStatements } from "./grafana.ts";
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
    "CloudWatch log groups for the application namespaces (retention and KMS), the IRSA role Fluent Bit writes them with, and the read-only IRSA role of Grafana's CloudWatch data source.",
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

    const fluentBit = new ServiceAccountRole(scope, "fluent-bit", {
      roleName: `${vars.name}-fluent-bit`,
      description: "Fluent Bit (IRSA): writes container logs to the application log groups",
      oidcProviderArn: vars.oidcProviderArn,
      oidcIssuerHost: vars.oidcIssuerHost,
      namespace: vars.fluentBitNamespace,
      serviceAccount: vars.fluentBitServiceAccount,
      policyName: "write-application-logs",
      statements: [
        {
          sid: "WriteApplicationLogs",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: Fn.formatlist("%s:*", [splat(groups, "arn")]),
        },
      ],
    });

    const grafana = new ServiceAccountRole(scope, "grafana", {
      roleName: `${vars.name}-grafana-cloudwatch`,
      description:
        "Grafana (IRSA): reads the application logs and CloudWatch metrics, nothing else",
      oidcProviderArn: vars.oidcProviderArn,
      oidcIssuerHost: vars.oidcIssuerHost,
      namespace: vars.grafanaNamespace,
      serviceAccount: vars.grafanaServiceAccount,
      policyName: "read-logs-and-metrics",
      statements: grafanaCloudWatchStatements(
        Fn.formatlist("%s:*", [splat(groups, "arn")]),
        context.arn("logs", "log-group:*"),
      ),
    });
    return {
      logGroupNames: splat(groups, "name"),
      fluentBitRoleArn: fluentBit.arn,
      grafanaRoleArn: grafana.arn,
      kmsKeyArn: key.arn,
    };
  },
});

export type { LoggingInputs };
