import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { TerraformIterator } from "cdktf";
import { AwsContext, EncryptionKey } from "../../kit/kms.ts";
import { defineModule } from "../../kit/module.ts";
import { ServiceAccountRole } from "../../kit/service-account-role.ts";
import { alertsInputs, type AlertsInputs } from "./inputs.ts";
import { alertsOutputs } from "./outputs.ts";

/**
 * Where the cluster's alerts go: a KMS-encrypted SNS topic with the alert e-mails subscribed, and
 * an IRSA role with which Alertmanager (sns_configs, SigV4) may publish to that topic only.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#sns_config
 */
export const alerts = defineModule({
  name: "alerts",
  description:
    "KMS-encrypted SNS topic for the cluster's alerts, e-mail subscriptions, and the IRSA role Alertmanager publishes to it with.",
  inputs: alertsInputs,
  outputs: alertsOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const key = new EncryptionKey(scope, "key", {
      context,
      alias: `${vars.name}-alerts`,
      description: `Encrypts the cluster alert topic of ${vars.name}`,
    });
    const topic = new SnsTopic(scope, "topic", {
      name: `${vars.name}-alerts`,
      kmsMasterKeyId: key.arn,
      tags: { Name: `${vars.name}-alerts` },
    });
    const emails = TerraformIterator.fromList(vars.alertEmails);
    new SnsTopicSubscription(scope, "email", {
      forEach: emails,
      topicArn: topic.arn,
      protocol: "email",
      endpoint: emails.value,
    });
    // Publishing to an encrypted topic makes SNS create a data key as the publisher.
    const role = new ServiceAccountRole(scope, "alertmanager", {
      oidcProviderArn: vars.oidcProviderArn,
      oidcIssuerHost: vars.oidcIssuerHost,
      roleName: `${vars.name}-alertmanager`,
      description: "Alertmanager (IRSA): publishes the cluster's alerts to its SNS topic",
      namespace: vars.alertmanagerNamespace,
      serviceAccount: vars.alertmanagerServiceAccount,
      policyName: "publish-alerts",
      statements: [
        { sid: "PublishAlerts", actions: ["sns:Publish"], resources: [topic.arn] },
        {
          sid: "EncryptAlerts",
          actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
          resources: [key.arn],
        },
      ],
    });
    return { topicArn: topic.arn, alertmanagerRoleArn: role.arn };
  },
});

export type { AlertsInputs };
