/**
 * Alertmanager's routing: by severity to the environment's alert topic (modules/alerts: SNS,
 * e-mails subscribed), published with SigV4 under Alertmanager's IRSA role. Part of the
 * kube-prometheus-stack values (`alertmanager.config`); the chart's defaults for what is not set
 * here (global.resolve_timeout, inhibit_rules, templates) stay, as Helm merges maps.
 * Matcher values are unquoted (valid for label-name-like values): a double quote inside the
 * values would break the committed HCL, whose writer does not escape quotes in expressions.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#sns_config
 */

/** Where the alerts go. */
export interface AlertRouting {
  /** ARN of the SNS topic (a Terraform expression in the stack, a literal ARN in tests). */
  readonly topicArn: string;
  /** Region of the topic, for SigV4. */
  readonly region: string;
  /** Environment name, in every subject. */
  readonly environment: string;
}

/** How often an unresolved alert is sent again, by severity. */
export const REPEAT_INTERVAL = { critical: "1h", warning: "4h" } as const;

/** A receiver publishing to the topic, the severity in the subject and a message attribute. */
function snsReceiver(routing: AlertRouting, severity: keyof typeof REPEAT_INTERVAL) {
  return {
    name: `sns-${severity}`,
    sns_configs: [
      {
        topic_arn: routing.topicArn,
        sigv4: { region: routing.region },
        send_resolved: true,
        subject: `[${routing.environment}] [${severity.toUpperCase()}] {{ .Status | toUpper }} {{ .CommonLabels.alertname }}`,
        attributes: { severity, environment: routing.environment },
      },
    ],
  };
}

/**
 * The Alertmanager configuration: critical and warning alerts to the topic (critical repeated
 * hourly), `info`, the always-firing Watchdog and the InfoInhibitor helper to `null`.
 */
export function alertmanagerConfig(routing: AlertRouting): Record<string, unknown> {
  const severityRoute = (severity: keyof typeof REPEAT_INTERVAL) => ({
    matchers: [`severity = ${severity}`],
    receiver: `sns-${severity}`,
    repeat_interval: REPEAT_INTERVAL[severity],
  });
  return {
    route: {
      // Anything without a known severity is treated as a warning rather than dropped.
      receiver: "sns-warning",
      group_by: ["namespace", "alertname"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: REPEAT_INTERVAL.warning,
      routes: [
        { matchers: ["alertname = Watchdog"], receiver: "null" },
        { matchers: ["alertname = InfoInhibitor"], receiver: "null" },
        { ...severityRoute("critical"), group_wait: "10s" },
        severityRoute("warning"),
        { matchers: ["severity = info"], receiver: "null" },
      ],
    },
    receivers: [
      { name: "null" },
      snsReceiver(routing, "critical"),
      snsReceiver(routing, "warning"),
    ],
  };
}
