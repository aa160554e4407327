import { describe, expect, it } from "vitest";
import { resourceOf, synthModule } from "../../test/synth.ts";
import { logging } from "./index.ts";
import { loggingInputs } from "./inputs.ts";

const { json } = synthModule(logging as never);

describe("logging module", () => {
  it("creates one KMS-encrypted log group with retention per namespace, under /aws/eks/<cluster>/", () => {
    expect(resourceOf(json, "aws_cloudwatch_log_group", "log_groups")).toMatchObject({
      count: "${length(var.namespaces)}",
      name: "/aws/eks/${var.cluster_name}/${element(var.namespaces, count.index)}",
      retention_in_days: "${var.retention_days}",
      kms_key_id: "${aws_kms_key.key.arn}",
    });
    expect(resourceOf(json, "aws_kms_key", "key").enable_key_rotation).toBe(true);
  });

  it("lets only Fluent Bit's service account assume the writer role, through the cluster's OIDC provider", () => {
    const trust = json.data?.aws_iam_policy_document?.fluent_bit_trust as {
      statement: Record<string, unknown>[];
    };
    expect(trust.statement[0]).toMatchObject({
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: [{ type: "Federated", identifiers: ["${var.oidc_provider_arn}"] }],
      condition: [
        {
          test: "StringEquals",
          variable: "${var.oidc_issuer_host}:sub",
          values: [
            "system:serviceaccount:${var.fluent_bit_namespace}:${var.fluent_bit_service_account}",
          ],
        },
        {
          test: "StringEquals",
          variable: "${var.oidc_issuer_host}:aud",
          values: ["sts.amazonaws.com"],
        },
      ],
    });
  });

  it("allows writing only to the module's log groups", () => {
    const write = json.data?.aws_iam_policy_document?.fluent_bit_permissions as {
      statement: { actions: string[]; resources: string }[];
    };
    expect(write.statement[0]!.actions).toEqual([
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]);
    expect(write.statement[0]!.resources).toBe(
      '${formatlist("%s:*", aws_cloudwatch_log_group.log_groups[*].arn)}',
    );
  });

  it("gives Grafana's service account a read-only role: Logs Insights on the module's log groups, CloudWatch metrics", () => {
    const trust = json.data?.aws_iam_policy_document?.grafana_trust as {
      statement: { condition: { variable: string; values: string[] }[] }[];
    };
    expect(trust.statement[0]!.condition[0]).toMatchObject({
      variable: "${var.oidc_issuer_host}:sub",
      values: ["system:serviceaccount:${var.grafana_namespace}:${var.grafana_service_account}"],
    });
    expect(loggingInputs.grafanaServiceAccount.default).toBe("kube-prometheus-stack-grafana");
    const read = json.data?.aws_iam_policy_document?.grafana_permissions as {
      statement: { sid: string; actions: string[]; resources: string | string[] }[];
    };
    const bySid = Object.fromEntries(read.statement.map((s) => [s.sid, s]));
    expect(bySid.QueryApplicationLogs!.actions).toContain("logs:StartQuery");
    expect(bySid.QueryApplicationLogs!.resources).toBe(
      '${formatlist("%s:*", aws_cloudwatch_log_group.log_groups[*].arn)}',
    );
    // Nothing that writes, deletes or reads secrets; "*" only for metric reads and query results.
    const actions = read.statement.flatMap((s) => s.actions);
    for (const action of actions)
      expect(action).toMatch(/^(logs|cloudwatch):(Get|List|Describe|Filter|Start|Stop)/);
    for (const s of read.statement.filter(
      (s) => Array.isArray(s.resources) && s.resources.includes("*"),
    ))
      for (const action of s.actions)
        expect(action).toMatch(/^cloudwatch:|^logs:(GetQueryResults|StopQuery)$/);
  });

  it("validates namespaces and retention", () => {
    expect(loggingInputs.namespaces.schema.safeParse(["expense"]).success).toBe(true);
    expect(loggingInputs.namespaces.schema.safeParse([]).success).toBe(false);
    expect(loggingInputs.namespaces.schema.safeParse(["Expense_API"]).success).toBe(false);
    expect(loggingInputs.retentionDays.schema.safeParse(30).success).toBe(true);
    expect(loggingInputs.retentionDays.schema.safeParse(31).success).toBe(false);
    for (const [name, variable] of Object.entries(json.variable ?? {}))
      expect(variable.description, name).toMatch(/\.$/);
  });
});
