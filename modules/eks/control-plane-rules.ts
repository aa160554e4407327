import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";

/**
 * Ports the control plane opens on the nodes (pods and kubelet), each with why. The webhook ports
 * are the container ports of the platform's add-ons (envs/platform), read from each pinned
 * chart's defaults on 2026-11-28: aws-load-balancer-controller v3.5.0 `webhookBindPort` default
 * 9443; metrics-server chart 3.13.1 `containerPort: 10250` (older charts used 4443);
 * kube-prometheus-stack 88.5.3 `prometheusOperator.tls.internalPort: 10250`. The API server calls
 * webhooks and aggregated APIs on the pod IP and container port, not on the Service port.
 */
export const CONTROL_PLANE_TO_NODE_PORTS = [
  {
    port: 443,
    id: "https",
    description: "Control plane to pods serving webhooks or aggregated APIs on 443",
  },
  {
    port: 10250,
    id: "kubelet",
    description:
      "Control plane to the kubelet (logs, exec, port-forward) and to the metrics-server and prometheus-operator webhooks",
  },
  {
    port: 9443,
    id: "alb-controller-webhook",
    description: "Control plane to the AWS Load Balancer Controller's admission webhooks",
  },
] as const;

/** Props of the control plane <-> node rules. */
export interface ControlPlaneRulesProps {
  /** The security group EKS creates for the cluster (its control-plane network interfaces). */
  readonly clusterSecurityGroupId: string;
  /** The nodes' own security group (the only group on the nodes). */
  readonly nodeSecurityGroupId: string;
}

/**
 * The control plane <-> node traffic, as separate rule resources on both groups. The nodes carry
 * only their own security group (the launch template names it, and EKS then does not add the
 * cluster security group, whose allow-all egress and allow-all-from-itself ingress would void the
 * nodes' narrow rules), so what they need from and to the control plane is opened here: the API
 * server on 443 from the nodes, and the kubelet and the add-ons' webhook ports from the control
 * plane. The cluster group keeps EKS's default rules; the egress ones here say what it needs
 * should that default be removed.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
 */
export class ControlPlaneRules extends Construct {
  /** Every rule: the node groups depend on them (a node that cannot reach the API never joins). */
  readonly rules: (VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule)[] = [];

  constructor(scope: Construct, id: string, props: ControlPlaneRulesProps) {
    super(scope, id);
    const { clusterSecurityGroupId: cluster, nodeSecurityGroupId: nodes } = props;
    const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });

    const api = "Nodes and pods to the Kubernetes API server";
    this.rules.push(
      new VpcSecurityGroupEgressRule(this, "node-egress-api", {
        securityGroupId: nodes,
        referencedSecurityGroupId: cluster,
        description: api,
        ...tcp(443),
        tags: { Name: "node-egress-api" },
      }),
      new VpcSecurityGroupIngressRule(this, "cluster-ingress-api", {
        securityGroupId: cluster,
        referencedSecurityGroupId: nodes,
        description: api,
        ...tcp(443),
        tags: { Name: "cluster-ingress-api" },
      }),
    );

    for (const { port, id: name, description } of CONTROL_PLANE_TO_NODE_PORTS) {
      this.rules.push(
        new VpcSecurityGroupIngressRule(this, `node-ingress-${name}`, {
          securityGroupId: nodes,
          referencedSecurityGroupId: cluster,
          description,
          ...tcp(port),
          tags: { Name: `node-ingress-${name}` },
        }),
        new VpcSecurityGroupEgressRule(this, `cluster-egress-${name}`, {
          securityGroupId: cluster,
          referencedSecurityGroupId: nodes,
          description,
          ...tcp(port),
          tags: { Name: `cluster-egress-${name}` },
        }),
      );
    }
  }
}
