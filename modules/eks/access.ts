import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { Fn, TerraformCount, Token } from "cdktf";
import { Construct } from "constructs";
import { splat } from "../../kit/expressions.ts";
import type { AwsContext } from "../../kit/kms.ts";
import type { ModuleVars } from "../../kit/variables.ts";
import { varRef, type EksInputs } from "./inputs.ts";

/** Props of the cluster's access entries. */
export interface ClusterAccessProps {
  readonly context: AwsContext;
  readonly vars: ModuleVars<EksInputs>;
  /** The cluster's name as a reference, so entries wait for the cluster. */
  readonly clusterName: string;
}

/**
 * Who may use the Kubernetes API, as EKS access entries (authentication mode `API`, no aws-auth
 * ConfigMap): every admin role with AmazonEKSClusterAdminPolicy on the whole cluster, and the CI
 * deploy role, when set, with an edit (or admin) policy limited to the app's namespaces, and the CI
 * platform-plan role, when set, with Kubernetes groups only (no access policy: the platform root
 * binds its groups to read-only RBAC, so it can refresh Helm releases without any write). Entries
 * are counted over the input list, so removing a role from the middle of the list re-creates the
 * entries after it (a few seconds without access for those roles): append, or remove from the end.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
 */
export class ClusterAccess extends Construct {
  readonly adminEntries: EksAccessEntry;
  readonly deployEntry: EksAccessEntry;
  readonly deployPolicy: EksAccessPolicyAssociation;
  readonly platformPlanEntry: EksAccessEntry;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    const { context, vars, clusterName } = props;
    const policyArn = (policy: string) =>
      `arn:${context.partition}:eks::aws:cluster-access-policy/${policy}`;

    const perAdmin = TerraformCount.of(Fn.lengthOf(vars.adminRoleArns));
    this.adminEntries = new EksAccessEntry(this, "admin-entries", {
      count: perAdmin,
      clusterName,
      principalArn: Fn.element(vars.adminRoleArns, perAdmin.index),
      type: "STANDARD",
      tags: { Name: `${clusterName}-admin-${Token.asString(perAdmin.index)}` },
    });
    const perAdminPolicy = TerraformCount.of(Fn.lengthOf(vars.adminRoleArns));
    new EksAccessPolicyAssociation(this, "admin-policies", {
      count: perAdminPolicy,
      clusterName,
      // Through the entry, so the association waits for it.
      principalArn: Fn.element(splat(this.adminEntries, "principal_arn"), perAdminPolicy.index),
      policyArn: policyArn("AmazonEKSClusterAdminPolicy"),
      accessScope: { type: "cluster" },
    });

    // Written out rather than with Op: CDKTF's HCL renderer drops the literal "" operand.
    const deployCount = () =>
      TerraformCount.of(Token.asNumber(`\${${varRef("deployRoleArn")} == "" ? 0 : 1}`));
    this.deployEntry = new EksAccessEntry(this, "deploy-entry", {
      count: deployCount(),
      clusterName,
      principalArn: vars.deployRoleArn,
      type: "STANDARD",
      kubernetesGroups: vars.deployKubernetesGroups,
      tags: { Name: `${clusterName}-deploy` },
    });
    this.deployPolicy = new EksAccessPolicyAssociation(this, "deploy-policy", {
      count: deployCount(),
      clusterName,
      principalArn: Fn.join("", splat(this.deployEntry, "principal_arn")),
      policyArn: policyArn(vars.deployAccessPolicy),
      accessScope: { type: "namespace", namespaces: vars.deployNamespaces },
    });

    // Deliberately no EksAccessPolicyAssociation: AmazonEKSViewPolicy lacks Secrets (Helm
    // releases), StorageClasses and RBAC objects, and any broader policy could write.
    this.platformPlanEntry = new EksAccessEntry(this, "platform-plan-entry", {
      count: TerraformCount.of(
        Token.asNumber(`\${${varRef("platformPlanRoleArn")} == "" ? 0 : 1}`),
      ),
      clusterName,
      principalArn: vars.platformPlanRoleArn,
      type: "STANDARD",
      kubernetesGroups: vars.platformPlanKubernetesGroups,
      tags: { Name: `${clusterName}-platform-plan` },
    });
  }
}
