import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/**
 * Read-only permissions of Grafana's CloudWatch data source, as Grafana documents them, narrowed
 * to what this platform needs: Logs Insights queries on the application log groups only, and
 * CloudWatch metrics (including the account's `AWS/Billing` metrics in us-east-1). Metric reads,
 * query results and log group listing support no resource-level permissions in IAM, so those few
 * actions are on `*` (they read nothing but metric data and names).
 * @see https://grafana.com/docs/grafana/latest/datasources/aws-cloudwatch/#configure-iam-policies
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 */
export function grafanaCloudWatchStatements(
  logGroupArns: string[],
  anyLogGroupArn: string,
): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: "QueryApplicationLogs",
      actions: [
        "logs:StartQuery",
        "logs:GetLogGroupFields",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
      ],
      resources: logGroupArns,
    },
    {
      // Listing is per account and region (the data source's log group picker).
      sid: "ListLogGroups",
      actions: ["logs:DescribeLogGroups"],
      resources: [anyLogGroupArn],
    },
    {
      // Results and cancellation are addressed by query id: no resource type exists for them.
      sid: "QueryResults",
      actions: ["logs:GetQueryResults", "logs:StopQuery"],
      resources: ["*"],
    },
    {
      sid: "ReadMetrics",
      actions: [
        "cloudwatch:GetMetricData",
        "cloudwatch:ListMetrics",
        "cloudwatch:DescribeAlarmsForMetric",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:GetInsightRuleReport",
      ],
      resources: ["*"],
    },
  ];
}
