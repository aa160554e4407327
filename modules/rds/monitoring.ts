import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import type { AwsContext } from "../../kit/kms.ts";

/** Props of the enhanced monitoring role. */
export interface MonitoringRoleProps {
  readonly context: AwsContext;
  readonly name: string;
}

/**
 * The role RDS enhanced monitoring assumes to publish OS metrics to CloudWatch Logs (RDSOSMetrics),
 * with the AWS managed policy made for it; only RDS monitoring of this account can assume it.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html
 */
export class MonitoringRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: MonitoringRoleProps) {
    super(scope, id);
    const { context } = props;
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] }],
          // Confused-deputy guard: only RDS acting for this account may use the role.
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] },
          ],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: `${props.name}-rds-monitoring`,
      description: "Lets RDS enhanced monitoring publish OS metrics to CloudWatch Logs",
      assumeRolePolicy: trust.json,
      tags: { Name: `${props.name}-rds-monitoring` },
    });
    new IamRolePolicyAttachment(this, "policy", {
      role: this.role.name,
      policyArn: `arn:${context.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
  }
}
