import { DataAwsCodestarconnectionsConnection } from "@cdktf/provider-aws/lib/data-aws-codestarconnections-connection";
import { Fn, TerraformOutput } from "cdktf";
import { Stack } from "../kit/stack.ts";
import type { Construct } from "constructs";
import { configureAwsRoot } from "../kit/root-stack.ts";
import {
  boolVar,
  common,
  declareVariables,
  numberVar,
  stringListVar,
  type InputSpec,
} from "../kit/variables.ts";
import { PATTERNS } from "../kit/patterns.ts";
import { network } from "../modules/network/index.ts";
import { networkInputs } from "../modules/network/inputs.ts";
import { securityGroups } from "../modules/security-groups/index.ts";
import { addonRoles } from "../modules/addon-roles/index.ts";
import { alerts } from "../modules/alerts/index.ts";
import { appIdentity } from "../modules/app-identity/index.ts";
import { bastion } from "../modules/bastion/index.ts";
import { bastionInputs } from "../modules/bastion/inputs.ts";
import { budgets } from "../modules/budgets/index.ts";
import { certificate } from "../modules/certificate/index.ts";
import { ciRunner } from "../modules/ci-runner/index.ts";
import { eks } from "../modules/eks/index.ts";
import { elasticache } from "../modules/elasticache/index.ts";
import { logging } from "../modules/logging/index.ts";
import { openSearch } from "../modules/opensearch/index.ts";
import { rds } from "../modules/rds/index.ts";
import { AwsContext } from "../kit/kms.ts";
import type { EnvironmentConfig } from "./schema.ts";
import { configureStateBackend } from "./state-backend.ts";

/** Name of an environment's permissions boundary policy, which the bootstrap creates. */
export function permissionsBoundaryName(project: string, environment: string): string {
  return `${project}-${environment}-permissions-boundary`;
}

/** Kubernetes namespace of the API; its logs, deploy rights and network policy are scoped to it. */
export const APP_NAMESPACE = "expense";

/** Kubernetes group of the CI deploy role; the platform stack binds it to the chart's monitoring objects. */
export const DEPLOYER_GROUP = "expense-deployers";

/**
 * Kubernetes group of the CI platform-plan role; the platform stack binds it to read-only RBAC
 * over exactly what the platform root manages (envs/platform/plan-reader-rbac.ts).
 */
export const PLATFORM_READER_GROUP = "expense-platform-readers";

/** Name of the account's CodeConnections GitHub connection (created by the bootstrap). */
export const githubConnectionName = (project: string): string => `${project}-github`;

/** The tunables of an environment: top-level variables whose defaults come from `envs/<env>.ts`. */
export interface EnvironmentTunables {
  environment: "dev" | "staging" | "production";
  region: string;
  vpcCidr: string;
  azCount: number;
  natGateways: "single" | "per_az";
  logRetentionDays: number;
  bastionEnabled: boolean;
  bastionInstanceType: string;
  bastionSshCidrs: string[];
  nodeInstanceTypes: string[];
  minNodes: number;
  maxNodes: number;
  desiredNodes: number;
  onDemandBaseNodes: number;
  spotPercentage: number;
  rdsInstanceClass: string;
  redisNodeType: string;
  monthlyBudgetUsd: number;
}

/** Variable spec of the environment tunables (defaults are supplied per environment). */
export const environmentTunables: InputSpec<EnvironmentTunables> = {
  environment: common.environment(),
  region: common.region(),
  vpcCidr: networkInputs.vpcCidr,
  azCount: networkInputs.azCount,
  natGateways: networkInputs.natGateways,
  logRetentionDays: common.logRetentionDays(
    "Retention in days of every CloudWatch log group of the environment (flow logs, EKS control plane, application logs).",
  ),
  bastionEnabled: boolVar({
    description: "Whether the environment has a bastion host (Session Manager).",
  }),
  // The module's own spec: x86_64 only, so a Graviton type fails here (zod before synth, the
  // root's validation block at plan time) instead of only inside the module.
  bastionInstanceType: bastionInputs.instanceType,
  bastionSshCidrs: common.cidrList(
    "IPv4 CIDRs allowed to SSH to the bastion; empty means Session Manager only.",
  ),
  nodeInstanceTypes: stringListVar({
    description:
      "EC2 instance types of the EKS nodes, all of one size; the first is used on demand, all of them for spot capacity.",
    minItems: 1,
    maxItems: 10,
    item: { regex: PATTERNS.ec2InstanceType, what: "EC2 instance types such as t3.medium" },
  }),
  minNodes: numberVar({
    description: "Minimum number of EKS worker nodes across all node groups.",
    min: 1,
    max: 100,
  }),
  maxNodes: numberVar({
    description: "Maximum number of EKS worker nodes across all node groups.",
    min: 1,
    max: 100,
  }),
  desiredNodes: numberVar({
    description:
      "Initial number of EKS worker nodes; the cluster autoscaler owns it after creation.",
    min: 1,
    max: 100,
  }),
  onDemandBaseNodes: numberVar({
    description: "EKS nodes that always run on demand, before the spot share applies.",
    min: 0,
    max: 100,
  }),
  spotPercentage: numberVar({
    description: "Percentage (0-100) of the EKS nodes above the on-demand base that run on spot.",
    min: 0,
    max: 100,
  }),
  rdsInstanceClass: common.rdsInstanceClass(
    "RDS instance class of the MySQL database, e.g. db.t3.micro.",
  ),
  redisNodeType: common.cacheNodeType(
    "ElastiCache node type of the Redis replication group, e.g. cache.t4g.small.",
  ),
  monthlyBudgetUsd: numberVar({
    description: "Monthly AWS cost budget of the environment in US dollars.",
    min: 1,
    max: 1_000_000,
  }),
};

/** The tunables' defaults for one environment, straight from its config. */
export function tunableDefaults(config: EnvironmentConfig): EnvironmentTunables {
  return {
    environment: config.environment,
    region: config.region,
    vpcCidr: config.network.vpcCidr,
    azCount: config.network.azCount,
    natGateways: config.network.natGateways,
    logRetentionDays: config.logRetentionDays,
    bastionEnabled: config.bastion.enabled,
    bastionInstanceType: config.bastion.instanceType,
    bastionSshCidrs: config.bastion.sshAllowedCidrs,
    nodeInstanceTypes: config.eks.nodeInstanceTypes,
    minNodes: config.eks.minNodes,
    maxNodes: config.eks.maxNodes,
    desiredNodes: config.eks.desiredNodes,
    onDemandBaseNodes: config.eks.onDemandBaseNodes,
    spotPercentage: config.eks.spotPercentage,
    rdsInstanceClass: config.rds.instanceClass,
    redisNodeType: config.redis.nodeType,
    monthlyBudgetUsd: config.budget.monthlyLimitUsd,
  };
}

/**
 * The `<env>` root configuration: S3 backend, AWS provider with default tags, the tunables as
 * top-level variables, and the module calls wired output to input.
 */
export class EnvironmentStack extends Stack {
  constructor(scope: Construct, config: EnvironmentConfig) {
    super(scope, config.environment);
    const { account } = config;
    const vars = declareVariables(this, environmentTunables, tunableDefaults(config));
    configureAwsRoot(this, {
      region: vars.region,
      accountId: account.accountId,
      tags: {
        Project: account.project,
        Environment: vars.environment,
        ManagedBy: "terraform",
        CostCenter: account.costCenter,
      },
    });

    configureStateBackend(this, account, config.environment);

    const name = `${account.project}-${vars.environment}`;
    const context = new AwsContext(this);
    const role = (suffix: string) =>
      `arn:${context.partition}:iam::${context.accountId}:role/${name}-${suffix}`;
    // Created by the bootstrap (bootstrap/github-oidc.ts); the CI apply role may create roles
    // only with it, so every module that creates roles sets it.
    const permissionsBoundaryArn = `arn:${context.partition}:iam::${context.accountId}:policy/${permissionsBoundaryName(account.project, config.environment)}`;

    const net = network.call(this, "network", {
      permissionsBoundaryArn,
      name,
      vpcCidr: vars.vpcCidr,
      azCount: vars.azCount,
      natGateways: vars.natGateways,
      flowLogRetentionDays: vars.logRetentionDays,
    });
    const groups = securityGroups.call(this, "security_groups", {
      name,
      vpcId: net.outputs.vpcId,
      vpcCidr: net.outputs.vpcCidr,
      bastionSshCidrs: vars.bastionSshCidrs,
    });
    const cluster = eks.call(this, "eks", {
      permissionsBoundaryArn,
      name,
      clusterVersion: config.eks.version,
      privateSubnetIds: net.outputs.privateSubnetIds,
      nodeSecurityGroupId: groups.outputs.nodeSecurityGroupId,
      publicAccessCidrs: config.eks.publicAccessCidrs,
      logRetentionDays: vars.logRetentionDays,
      // The CI apply role (bootstrap) administers the cluster it creates, plus any named people.
      adminRoleArns: Fn.concat([[role("github-apply")], account.clusterAdminRoleArns]),
      // The CI deploy role (bootstrap) may only manage the application's namespace.
      deployRoleArn: role("github-deploy"),
      deployNamespaces: [APP_NAMESPACE],
      deployKubernetesGroups: [DEPLOYER_GROUP],
      // The CI platform-plan role (bootstrap) only reads, through the group's RBAC.
      platformPlanRoleArn: role("github-platform-plan"),
      platformPlanKubernetesGroups: [PLATFORM_READER_GROUP],
      nodeInstanceTypes: vars.nodeInstanceTypes,
      minNodes: vars.minNodes,
      maxNodes: vars.maxNodes,
      desiredNodes: vars.desiredNodes,
      onDemandBaseNodes: vars.onDemandBaseNodes,
      spotPercentage: vars.spotPercentage,
    });
    const addons = addonRoles.call(this, "addon_roles", {
      permissionsBoundaryArn,
      name,
      clusterName: cluster.outputs.clusterName,
      oidcProviderArn: cluster.outputs.oidcProviderArn,
      oidcIssuerHost: cluster.outputs.oidcIssuerHost,
    });
    const database = rds.call(this, "rds", {
      permissionsBoundaryArn,
      name,
      subnetIds: net.outputs.dataSubnetIds,
      securityGroupId: groups.outputs.rdsSecurityGroupId,
      instanceClass: vars.rdsInstanceClass,
      engineVersion: config.rds.engineVersion,
      engineLifecycleSupport: config.rds.engineLifecycleSupport,
      multiAz: config.rds.multiAz,
      allocatedStorageGb: config.rds.allocatedStorageGb,
      maxAllocatedStorageGb: config.rds.maxAllocatedStorageGb,
      backupRetentionDays: config.rds.backupRetentionDays,
      deletionProtection: config.rds.deletionProtection,
      // Environments that protect their database also keep a snapshot when it is deleted.
      finalSnapshot: config.rds.deletionProtection,
      logRetentionDays: vars.logRetentionDays,
    });
    const cache = elasticache.call(this, "elasticache", {
      name,
      subnetIds: net.outputs.dataSubnetIds,
      securityGroupId: groups.outputs.redisSecurityGroupId,
      nodeType: vars.redisNodeType,
      numCacheClusters: config.redis.nodeCount,
      snapshotRetentionDays: config.redis.snapshotRetentionDays,
      logRetentionDays: vars.logRetentionDays,
    });
    const identity = appIdentity.call(this, "app_identity", {
      permissionsBoundaryArn,
      name,
      oidcProviderArn: cluster.outputs.oidcProviderArn,
      oidcIssuerHost: cluster.outputs.oidcIssuerHost,
      namespace: APP_NAMESPACE,
      dbResourceId: database.outputs.instanceResourceId,
      dbMasterSecretArn: database.outputs.masterUserSecretArn,
      dbKmsKeyArn: database.outputs.kmsKeyArn,
      redisReplicationGroupArn: cache.outputs.replicationGroupArn,
      redisUserArn: cache.outputs.appUserArn,
    });
    const jumpHost = bastion.call(this, "bastion", {
      permissionsBoundaryArn,
      name,
      enabled: vars.bastionEnabled,
      subnetId: Fn.element(net.outputs.privateSubnetIds, 0),
      securityGroupId: groups.outputs.bastionSecurityGroupId,
      instanceType: vars.bastionInstanceType,
    });
    const logs = logging.call(this, "logging", {
      permissionsBoundaryArn,
      name,
      clusterName: cluster.outputs.clusterName,
      namespaces: [APP_NAMESPACE],
      retentionDays: vars.logRetentionDays,
      oidcProviderArn: cluster.outputs.oidcProviderArn,
      oidcIssuerHost: cluster.outputs.oidcIssuerHost,
    });
    // Optional EFK log store; with the switch off the module creates nothing.
    const search = openSearch.call(this, "opensearch", {
      permissionsBoundaryArn,
      name,
      enabled: config.openSearch.enabled,
      vpcId: net.outputs.vpcId,
      subnetIds: net.outputs.privateSubnetIds,
      clientSecurityGroupId: groups.outputs.nodeSecurityGroupId,
      instanceType: config.openSearch.instanceType,
      instanceCount: config.openSearch.instanceCount,
      volumeGb: config.openSearch.volumeGb,
      oidcProviderArn: cluster.outputs.oidcProviderArn,
      oidcIssuerHost: cluster.outputs.oidcIssuerHost,
      writerRoleArn: logs.outputs.fluentBitRoleArn,
    });
    const budget = budgets.call(this, "budgets", {
      name,
      monthlyLimitUsd: vars.monthlyBudgetUsd,
      alertEmails: account.alertEmails,
      environmentTag: vars.environment,
    });
    // The ALB's certificate: an existing one (certificateArn), or one requested and DNS-validated
    // in the hosted zone when host names are configured; none without a domain.
    const { ingress } = config;
    const certificateArn =
      config.certificateArn ||
      (ingress.apiHost
        ? certificate.call(this, "certificate", {
            name,
            hostedZone: ingress.hostedZone,
            domainNames: [ingress.apiHost, ingress.grafanaHost],
          }).outputs.certificateArn
        : "");
    const alerting = alerts.call(this, "alerts", {
      permissionsBoundaryArn,
      name,
      alertEmails: account.alertEmails,
      oidcProviderArn: cluster.outputs.oidcProviderArn,
      oidcIssuerHost: cluster.outputs.oidcIssuerHost,
    });

    // Cluster-facing CI jobs (the platform apply, helm deploys) run inside the VPC: the API
    // endpoint stays private. The GitHub connection is the bootstrap's, authorised once by hand.
    const github = new DataAwsCodestarconnectionsConnection(this, "github_connection", {
      name: githubConnectionName(account.project),
    });
    const runner = ciRunner.call(this, "ci_runner", {
      permissionsBoundaryArn,
      name,
      repositoryUrl: `https://github.com/${account.githubRepository}.git`,
      connectionArn: github.arn,
      vpcId: net.outputs.vpcId,
      vpcCidr: net.outputs.vpcCidr,
      privateSubnetIds: net.outputs.privateSubnetIds,
      clusterSecurityGroupId: cluster.outputs.clusterSecurityGroupId,
      logRetentionDays: vars.logRetentionDays,
    });

    const outputs: Record<string, [unknown, string]> = {
      ci_runner_project_name: [
        runner.outputs.projectName,
        "CodeBuild project of the in-VPC GitHub Actions runner (runs-on: codebuild-<name>-<run id>-<attempt>).",
      ],
      vpc_id: [net.outputs.vpcId, "ID of the VPC."],
      vpc_cidr: [net.outputs.vpcCidr, "IPv4 CIDR block of the VPC."],
      public_subnet_ids: [
        net.outputs.publicSubnetIds,
        "IDs of the public subnets (load balancers).",
      ],
      private_subnet_ids: [net.outputs.privateSubnetIds, "IDs of the private subnets (EKS nodes)."],
      data_subnet_ids: [
        net.outputs.dataSubnetIds,
        "IDs of the isolated data subnets (RDS, ElastiCache).",
      ],
      nat_public_ips: [net.outputs.natPublicIps, "Egress IPs of the VPC (NAT gateways)."],
      alb_security_group_id: [
        groups.outputs.albSecurityGroupId,
        "Security group for the application load balancer.",
      ],
      node_security_group_id: [
        groups.outputs.nodeSecurityGroupId,
        "Security group of the EKS nodes.",
      ],
      cluster_name: [cluster.outputs.clusterName, "Name of the EKS cluster."],
      cluster_endpoint: [cluster.outputs.clusterEndpoint, "HTTPS endpoint of the EKS API server."],
      cluster_certificate_authority_data: [
        cluster.outputs.clusterCertificateAuthorityData,
        "Base64 CA certificate of the EKS API server.",
      ],
      cluster_version: [cluster.outputs.clusterVersion, "Kubernetes version of the cluster."],
      oidc_provider_arn: [
        cluster.outputs.oidcProviderArn,
        "ARN of the cluster's IAM OIDC provider (IRSA).",
      ],
      oidc_issuer_url: [cluster.outputs.oidcIssuerUrl, "OIDC issuer URL of the cluster."],
      node_role_arn: [cluster.outputs.nodeRoleArn, "IAM role of the EKS nodes."],
      ebs_kms_key_arn: [
        cluster.outputs.ebsKmsKeyArn,
        "KMS key of the nodes' root volumes and of EBS CSI persistent volumes (the platform's gp3 StorageClass).",
      ],
      ebs_csi_driver_role_arn: [
        cluster.outputs.ebsCsiDriverRoleArn,
        "IAM role of the EBS CSI driver managed add-on's controller (IRSA).",
      ],
      cluster_autoscaler_role_arn: [
        addons.outputs.clusterAutoscalerRoleArn,
        "IAM role for the cluster autoscaler's service account (IRSA).",
      ],
      load_balancer_controller_role_arn: [
        addons.outputs.loadBalancerControllerRoleArn,
        "IAM role for the AWS Load Balancer Controller's service account (IRSA).",
      ],
      db_endpoint: [database.outputs.endpoint, "Host name of the MySQL database (DB_HOST)."],
      db_port: [database.outputs.port, "Port of the MySQL database (DB_PORT)."],
      db_name: [database.outputs.databaseName, "Database name (DB_NAME)."],
      db_master_secret_arn: [
        database.outputs.masterUserSecretArn,
        "Secrets Manager secret with the RDS-managed master credentials.",
      ],
      redis_primary_endpoint: [
        cache.outputs.primaryEndpointAddress,
        "Primary endpoint of the Redis replication group (REDIS_HOST).",
      ],
      redis_reader_endpoint: [
        cache.outputs.readerEndpointAddress,
        "Reader endpoint of the Redis replication group.",
      ],
      redis_port: [cache.outputs.port, "Port of Redis (REDIS_PORT)."],
      redis_tls: [cache.outputs.tlsEnabled, "Whether Redis requires TLS (REDIS_TLS)."],
      redis_replication_group_id: [
        cache.outputs.replicationGroupId,
        "Replication group ID, what the API's IAM tokens are signed for (REDIS_CACHE_NAME).",
      ],
      redis_user: [
        cache.outputs.appUserId,
        "IAM-authenticated Redis user of the API (REDIS_USER); no password exists.",
      ],
      db_user: [identity.outputs.dbAppUser, "MySQL user of the API, IAM authentication (DB_USER)."],
      db_migration_user: [
        identity.outputs.dbMigrationUser,
        "MySQL user of the migration Job, IAM authentication (DB_MIGRATION_USER).",
      ],
      api_role_arn: [identity.outputs.apiRoleArn, "IAM role of the API's service account (IRSA)."],
      api_migration_role_arn: [
        identity.outputs.migrationRoleArn,
        "IAM role of the migration Job's service account (IRSA).",
      ],
      bastion_instance_id: [
        jumpHost.outputs.instanceId,
        "Instance ID of the bastion (empty when disabled).",
      ],
      bastion_ssm_command: [
        jumpHost.outputs.ssmStartSessionCommand,
        "Command that opens a Session Manager shell on the bastion.",
      ],
      app_log_group_names: [
        logs.outputs.logGroupNames,
        "CloudWatch log groups of the application namespaces.",
      ],
      fluent_bit_role_arn: [
        logs.outputs.fluentBitRoleArn,
        "IAM role for Fluent Bit's service account (IRSA).",
      ],
      grafana_cloudwatch_role_arn: [
        logs.outputs.grafanaRoleArn,
        "Read-only IAM role of Grafana's CloudWatch data source (IRSA): application logs and CloudWatch metrics.",
      ],
      opensearch_endpoint: [
        search.outputs.domainEndpoint,
        "VPC endpoint of the OpenSearch log domain (empty unless openSearch.enabled).",
      ],
      opensearch_dashboards_url: [
        search.outputs.dashboardsUrl,
        "OpenSearch Dashboards URL inside the VPC (empty unless openSearch.enabled).",
      ],
      opensearch_admin_role_arn: [
        search.outputs.adminRoleArn,
        "IAM master role of the OpenSearch domain, for the platform's setup job (empty unless openSearch.enabled).",
      ],
      log_retention_days: [
        vars.logRetentionDays,
        "Days the application logs are kept: the log groups' retention, and the OpenSearch ISM policy's delete age.",
      ],
      budget_alerts_topic_arn: [
        budget.outputs.snsTopicArn,
        "SNS topic that receives the budget alerts.",
      ],
      ingress_certificate_arn: [
        certificateArn,
        "ACM certificate of the ALB's HTTPS listener (empty when no ingress host is configured).",
      ],
      alerts_topic_arn: [
        alerting.outputs.topicArn,
        "SNS topic Alertmanager publishes the cluster's alerts to (e-mails subscribed).",
      ],
      alertmanager_role_arn: [
        alerting.outputs.alertmanagerRoleArn,
        "IAM role for Alertmanager's service account (IRSA), may publish to the alert topic only.",
      ],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, id, { value, description });
    }
  }
}
