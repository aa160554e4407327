import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { OpensearchDomain } from "@cdktf/provider-aws/lib/opensearch-domain";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, Token } from "cdktf";
import { first, orEmpty } from "../../kit/expressions.ts";
import { AwsContext, EncryptionKey } from "../../kit/kms.ts";
import { defineModule } from "../../kit/module.ts";
import { openSearchInputs, type OpenSearchInputs } from "./inputs.ts";
import { openSearchOutputs } from "./outputs.ts";

/** TLS policy of the domain endpoint: TLS 1.2+ with forward secrecy only. */
export const TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/**
 * The optional log store of the EFK option: an Amazon OpenSearch Service domain inside the VPC
 * (no public endpoint; HTTPS from the nodes' security group only), encrypted at rest with its own
 * KMS key and between nodes, HTTPS enforced, and fine-grained access control with an IAM master
 * user (no internal user database, so no master password exists anywhere, least of all in state).
 * The master is an IAM role only the setup job's service account may assume (IRSA); that job (run
 * by the `<env>-platform` root) maps Fluent Bit's role to a writer role and installs the ISM
 * retention policy, which are OpenSearch REST objects, not AWS resources. It has to be the master:
 * with no internal users, only the master can create the first role mapping, so any narrower
 * mapping would itself need a manual step. With `enabled = false` (the default) nothing is created.
 * Prerequisite: the account's service-linked role for OpenSearch VPC domains
 * (`aws iam create-service-linked-role --aws-service-name opensearchservice.amazonaws.com`, once).
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html
 */
export const openSearch = defineModule({
  name: "opensearch",
  description:
    "Optional Amazon OpenSearch Service domain for application logs (EFK): VPC only, KMS encryption at rest, node-to-node encryption, HTTPS enforced, fine-grained access control with an IAM master role (IRSA, no password); off by default.",
  inputs: openSearchInputs,
  outputs: openSearchOutputs,
  build: (scope, vars) => {
    const context = new AwsContext(scope);
    const id = `${vars.name}-logs`;
    const ifEnabled = () => Token.asNumber(Fn.conditional(vars.enabled, 1, 0));

    // The service uses the key through grants it creates on behalf of the caller, whose IAM
    // permissions the account root (the kit key's policy) delegates.
    const key = new EncryptionKey(scope, "key", {
      context,
      count: ifEnabled(),
      alias: id,
      description: `Encrypts the OpenSearch domain ${id} at rest`,
    });
    // Its addresses are the ones the module's hand-written key had (aws_kms_key.key,
    // aws_kms_alias.key_alias, data.aws_iam_policy_document.key_policy): existing state stays.

    const group = new SecurityGroup(scope, "security-group", {
      count: ifEnabled(),
      name: id,
      description: `OpenSearch domain ${id}: HTTPS from the EKS nodes only`,
      vpcId: vars.vpcId,
      tags: { Name: id },
    });
    new VpcSecurityGroupIngressRule(scope, "https-from-nodes", {
      count: ifEnabled(),
      securityGroupId: first(group, "id"),
      referencedSecurityGroupId: vars.clientSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      description: "HTTPS from the EKS nodes (Fluent Bit, the setup job, port-forwards)",
      tags: { Name: `${id}-https-from-nodes` },
    });

    const subject = `system:serviceaccount:${vars.setupNamespace}:${vars.setupServiceAccount}`;
    const trust = new DataAwsIamPolicyDocument(scope, "admin-trust", {
      count: ifEnabled(),
      statement: [
        {
          actions: ["sts:AssumeRoleWithWebIdentity"],
          principals: [{ type: "Federated", identifiers: [vars.oidcProviderArn] }],
          condition: [
            { test: "StringEquals", variable: `${vars.oidcIssuerHost}:sub`, values: [subject] },
            {
              test: "StringEquals",
              variable: `${vars.oidcIssuerHost}:aud`,
              values: ["sts.amazonaws.com"],
            },
          ],
        },
      ],
    });
    // Needs no IAM policy of its own: the domain's resource policy below grants it HTTP access,
    // and fine-grained access control makes it the master user inside OpenSearch.
    const admin = new IamRole(scope, "admin-role", {
      count: ifEnabled(),
      name: `${id}-admin`,
      description: `Master user of the OpenSearch domain ${id} (IRSA: the setup job only)`,
      assumeRolePolicy: first(trust, "json"),
      tags: { Name: `${id}-admin` },
    });

    // IAM lets the two roles send requests, to this domain only; fine-grained access control then
    // decides what each may do (the setup job maps the writer role to index-only permissions).
    // Neither role has an identity policy: this resource policy is their only grant anywhere.
    // No DELETE or PATCH: the setup job only reads and PUTs/POSTs objects, Fluent Bit only
    // POSTs bulk writes, and ISM deletes expired indices inside the domain.
    const access = new DataAwsIamPolicyDocument(scope, "access-policy", {
      count: ifEnabled(),
      statement: [
        {
          sid: "AdminAndLogWriter",
          actions: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"],
          principals: [{ type: "AWS", identifiers: [first(admin, "arn"), vars.writerRoleArn] }],
          resources: [context.arn("es", `domain/${id}/*`)],
        },
      ],
    });

    const domain = new OpensearchDomain(scope, "domain", {
      count: ifEnabled(),
      domainName: id,
      engineVersion: vars.engineVersion,
      clusterConfig: {
        instanceType: vars.instanceType,
        instanceCount: vars.instanceCount,
        zoneAwarenessEnabled: true,
        zoneAwarenessConfig: { availabilityZoneCount: 2 },
      },
      vpcOptions: {
        subnetIds: Fn.slice(vars.subnetIds, 0, 2),
        securityGroupIds: [first(group, "id")],
      },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: vars.volumeGb },
      encryptAtRest: { enabled: true, kmsKeyId: key.arn },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_POLICY },
      advancedSecurityOptions: {
        enabled: true,
        anonymousAuthEnabled: false,
        internalUserDatabaseEnabled: false,
        masterUserOptions: { masterUserArn: first(admin, "arn") },
      },
      accessPolicies: first(access, "json"),
      tags: { Name: id },
    });

    return {
      domainEndpoint: orEmpty(first(domain, "endpoint")),
      dashboardsUrl: orEmpty(`https://${first(domain, "endpoint")}/_dashboards`),
      domainArn: orEmpty(first(domain, "arn")),
      adminRoleArn: orEmpty(first(admin, "arn")),
    };
  },
});

export type { OpenSearchInputs };
