import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Fn, Token } from "cdktf";
import { first, orEmpty } from "../../kit/expressions.ts";
import { defineModule } from "../../kit/module.ts";
import { AwsContext, EncryptionKey } from "../../kit/kms.ts";
import { bastionInputs, type BastionInputs } from "./inputs.ts";
import { bastionOutputs } from "./outputs.ts";

/** Public SSM parameter that always names the latest Amazon Linux 2023 x86_64 AMI. */
export const AMI_PARAMETER =
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/**
 * First boot: the MySQL client operators need; the SSM agent is already part of Amazon Linux 2023.
 * No Redis client: the bastion has no route to 6379 (the Redis group admits only the EKS nodes),
 * and the cache holds nothing an operator must edit by hand; flushing it is an API concern.
 */
const USER_DATA = [
  "#!/bin/bash",
  "set -euo pipefail",
  "# mysql client (MariaDB 10.5) with TLS support.",
  "dnf install -y mariadb105",
  "",
].join("\n");

/**
 * A bastion host without SSH keys or a public IP, reached through SSM Session Manager: an
 * Amazon Linux 2023 instance in a private subnet with an instance profile that carries
 * AmazonSSMManagedInstanceCore, IMDSv2 only, a KMS-encrypted gp3 root volume, detailed
 * monitoring and EBS optimization. With `enabled = false` every resource and data source has
 * count 0 and the outputs are empty strings.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html
 */
export const bastion = defineModule({
  name: "bastion",
  description:
    "Bastion host reached through SSM Session Manager (no SSH keys, no public IP): Amazon Linux 2023 in a private subnet, IMDSv2 only, KMS-encrypted root volume, detailed monitoring; can be switched off.",
  inputs: bastionInputs,
  outputs: bastionOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const id = `${vars.name}-bastion`;
    const ifEnabled = () => Token.asNumber(Fn.conditional(vars.enabled, 1, 0));

    // Its own key with an explicit policy, like every other store in the platform, rather than
    // the account's aws/ebs key; counted with the bastion.
    const key = new EncryptionKey(scope, "key", {
      context,
      count: ifEnabled(),
      alias: id,
      description: `Encrypts the root volume of ${id}`,
    });
    // Its addresses are the ones the module's hand-written key had (aws_kms_key.key,
    // aws_kms_alias.key_alias, data.aws_iam_policy_document.key_policy): existing state stays.

    const trust = new DataAwsIamPolicyDocument(scope, "trust", {
      count: ifEnabled(),
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }],
        },
      ],
    });
    const role = new IamRole(scope, "role", {
      count: ifEnabled(),
      name: id,
      description: "Bastion host: Session Manager access, nothing else",
      assumeRolePolicy: first(trust, "json"),
      tags: { Name: id },
    });
    new IamRolePolicyAttachment(scope, "ssm-policy", {
      count: ifEnabled(),
      role: first(role, "name"),
      policyArn: `arn:${context.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    const profile = new IamInstanceProfile(scope, "instance-profile", {
      count: ifEnabled(),
      name: id,
      role: first(role, "name"),
      tags: { Name: id },
    });

    const ami = new DataAwsSsmParameter(scope, "ami", { count: ifEnabled(), name: AMI_PARAMETER });
    const instance = new Instance(scope, "bastion", {
      count: ifEnabled(),
      // `insecure_value`: an AMI id is public, and `value` would mark the whole plan sensitive.
      ami: first(ami, "insecure_value"),
      instanceType: vars.instanceType,
      subnetId: vars.subnetId,
      vpcSecurityGroupIds: [vars.securityGroupId],
      associatePublicIpAddress: false,
      iamInstanceProfile: first(profile, "name"),
      // No key pair: shells go through Session Manager, which is authorized and logged by IAM.
      monitoring: true,
      ebsOptimized: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        // Nothing on the bastion runs in a container, so the token never needs a second hop.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: vars.rootVolumeSizeGb,
        encrypted: true,
        kmsKeyId: key.arn,
        deleteOnTermination: true,
        tags: { Name: id },
      },
      userData: USER_DATA,
      tags: { Name: id },
      // The parameter moves to every new AMI release; without this each release would replace
      // the instance on the next apply. Replace deliberately: `terraform apply -replace=...`.
      lifecycle: { ignoreChanges: ["ami"] },
    });

    return {
      instanceId: orEmpty(first(instance, "id")),
      privateIp: orEmpty(first(instance, "private_ip")),
      roleName: orEmpty(first(role, "name")),
      ssmStartSessionCommand: orEmpty(
        `aws ssm start-session --target ${first(instance, "id")} --region ${context.region}`,
      ),
    };
  },
});

export type { BastionInputs };
