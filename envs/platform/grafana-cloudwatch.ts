import { CLOUDWATCH_DATASOURCE_UID } from "../dashboards/index.ts";
import type { PlatformContext } from "./context.ts";
import { ROLE_ANNOTATION } from "./release.ts";

/**
 * Grafana's CloudWatch data source, provisioned through kube-prometheus-stack's Grafana values:
 * Grafana's service account carries the `<env>` stack's read-only role (IRSA), and the data source
 * uses the AWS SDK's default credential chain (`authType: default`), which picks up the web
 * identity token. No access keys exist anywhere.
 * @see https://grafana.com/docs/grafana/latest/datasources/aws-cloudwatch/aws-authentication/
 */
export function grafanaCloudWatchValues(ctx: PlatformContext): Record<string, unknown> {
  return {
    serviceAccount: {
      annotations: { [ROLE_ANNOTATION]: ctx.output("grafana_cloudwatch_role_arn") },
    },
    additionalDataSources: [
      {
        name: "CloudWatch",
        type: "cloudwatch",
        uid: CLOUDWATCH_DATASOURCE_UID,
        access: "proxy",
        editable: false,
        jsonData: { authType: "default", defaultRegion: ctx.region },
      },
    ],
  };
}
