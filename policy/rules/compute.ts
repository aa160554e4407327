import type { Rule } from "../types.ts";
import { block, Findings, isExpression, isFalse, isTrue, show, stringList } from "../values.ts";

/** Every control-plane log type EKS offers. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** Instances, launch templates and the EKS control plane. */
export const computeRules: Rule[] = [
  {
    id: "IMDSV2",
    title: "Instances only answer session-token (IMDSv2) metadata requests",
    types: ["aws_instance", "aws_launch_template"],
    expected: 'metadata_options { http_tokens = "required" }',
    check: (r) => {
      const tokens = block(r.body.metadata_options)?.http_tokens;
      if (tokens === "required") return [];
      return new Findings().require(
        isExpression(tokens) ? "unknown" : "fail",
        "metadata_options.http_tokens",
        tokens,
      ).problems;
    },
  },
  {
    id: "EKS-ENDPOINT",
    title: "The EKS API endpoint is private, or public only to listed CIDRs",
    types: ["aws_eks_cluster"],
    expected:
      "vpc_config.endpoint_private_access = true and (endpoint_public_access = false or public_access_cidrs without 0.0.0.0/0)",
    check: (r) => {
      const vpc = block(r.body.vpc_config) ?? {};
      const f = new Findings().require(
        isTrue(vpc.endpoint_private_access),
        "vpc_config.endpoint_private_access",
        vpc.endpoint_private_access,
      );
      // endpoint_public_access defaults to true and public_access_cidrs to ["0.0.0.0/0"].
      const publicOff = isFalse(vpc.endpoint_public_access ?? true);
      if (publicOff === "pass") return f.problems;
      const cidrs = stringList(vpc.public_access_cidrs);
      if (cidrs === "unknown")
        return f.add(`cannot prove public_access_cidrs (${show(vpc.public_access_cidrs)})`)
          .problems;
      if (cidrs.length === 0 || cidrs.includes("0.0.0.0/0"))
        f.add(
          `public endpoint (${show(vpc.endpoint_public_access)}) open to ${cidrs.length === 0 ? "0.0.0.0/0 (default)" : "0.0.0.0/0"}`,
        );
      return f.problems;
    },
  },
  {
    id: "EKS-LOGS",
    title: "EKS sends every control-plane log type to CloudWatch",
    types: ["aws_eks_cluster"],
    expected: `enabled_cluster_log_types = ${EKS_LOG_TYPES.join(", ")}`,
    check: (r) => {
      const types = stringList(r.body.enabled_cluster_log_types);
      if (types === "unknown")
        return [
          `cannot prove enabled_cluster_log_types (${show(r.body.enabled_cluster_log_types)})`,
        ];
      const missing = EKS_LOG_TYPES.filter((t) => !types.includes(t));
      return missing.length === 0 ? [] : [`missing ${missing.join(", ")}`];
    },
  },
];
