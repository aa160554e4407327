import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { cloudWatchLogsKeyStatement, EncryptionKey, type AwsContext } from "../../kit/kms.ts";

/** Props of the VPC flow logs. */
export interface FlowLogsProps {
  readonly context: AwsContext;
  readonly name: string;
  readonly vpcId: string;
  readonly retentionDays: number;
}

/**
 * Every accepted and rejected flow of the VPC, to a KMS-encrypted CloudWatch log group with a
 * retention period, written through a role only the VPC Flow Logs service of this account can assume.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 */
export class FlowLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const { context, name } = props;
    const key = new EncryptionKey(this, "key", {
      context,
      alias: `${name}-flow-logs`,
      description: `Encrypts the VPC flow logs of ${name}`,
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/vpc/${name}/flow-logs`,
      retentionInDays: props.retentionDays,
      kmsKeyId: key.arn,
    });
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          // Confused-deputy guard: only flow logs of this account may use the role.
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] },
          ],
        },
      ],
    });
    const role = new IamRole(this, "role", {
      name: `${name}-flow-logs`,
      description: "Lets VPC Flow Logs write to the flow log group",
      assumeRolePolicy: trust.json,
    });
    const write = new DataAwsIamPolicyDocument(this, "write", {
      statement: [
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [`${this.logGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, "write-policy", {
      name: "write-flow-logs",
      role: role.id,
      policy: write.json,
    });
    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${name}-flow-logs` },
    });
  }
}
