import { describe, expect, it } from "vitest";
import { resourceOf, synthModule } from "../../test/synth.ts";
import { MONITORING_NAMESPACE } from "../../envs/platform/namespaces.ts";
import { alerts } from "./index.ts";
import { alertsInputs } from "./inputs.ts";

const { json } = synthModule(alerts as never);
type Statement = { sid?: string; actions: string[]; resources: string[] };
const statements = (name: string) =>
  (json.data?.aws_iam_policy_document?.[name] as { statement: Statement[] }).statement;

describe("alerts module", () => {
  it("creates a KMS-encrypted topic with one e-mail subscription per address", () => {
    expect(resourceOf(json, "aws_sns_topic", "topic")).toMatchObject({
      name: "${var.name}-alerts",
      kms_master_key_id: "${aws_kms_key.key.arn}",
    });
    expect(resourceOf(json, "aws_sns_topic_subscription", "email")).toMatchObject({
      for_each: "${toset(var.alert_emails)}",
      protocol: "email",
      topic_arn: "${aws_sns_topic.topic.arn}",
    });
  });

  it("lets only Alertmanager's service account publish, to this topic and with this key only", () => {
    const trust = statements("alertmanager_trust")[0] as unknown as {
      condition: { variable: string; values: string[] }[];
    };
    expect(trust.condition[0]!.values).toEqual([
      "system:serviceaccount:${var.alertmanager_namespace}:${var.alertmanager_service_account}",
    ]);
    expect(statements("alertmanager_permissions")).toEqual([
      expect.objectContaining({
        actions: ["sns:Publish"],
        resources: ["${aws_sns_topic.topic.arn}"],
      }),
      expect.objectContaining({
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        resources: ["${aws_kms_key.key.arn}"],
      }),
    ]);
    expect(alertsInputs.alertmanagerNamespace.default).toBe(MONITORING_NAMESPACE);
  });
});
