import { JobV1 } from "@cdktf/provider-kubernetes/lib/job-v1";
import { Fn, type ITerraformDependable } from "cdktf";
import type { PlatformContext } from "./context.ts";

/** Where the setup script lives (relative to the repository root, like the dashboards). */
export const SETUP_SCRIPT_PATH = "envs/platform/opensearch-setup.sh";

/** ConfigMap key (and file name in the Job's config volume) of the setup script. */
export const SETUP_SCRIPT_KEY = "opensearch-setup.sh";

/** An image pinned to a published tag. */
export interface PinnedImage {
  readonly repository: string;
  readonly tag: string;
}

/** The setup Job's images, multi-architecture (the node groups may be Graviton). */
export const SETUP_IMAGES = {
  /** Exchanges the pod's IRSA web identity token for temporary credentials. */
  awsCli: {
    // AWS recommends its ECR Public copy over Docker Hub (rate limits).
    repository: "public.ecr.aws/aws-cli/aws-cli",
    // Verified 2026-11-28: tag 2.36.7 (73fb33b, 2026-07-23) of github.com/aws/aws-cli, the newest;
    // docker/Dockerfile there: Amazon Linux 2023, entrypoint aws; `configure export-credentials
    // --format env` in awscli/customizations/configure/exportcreds.py.
    tag: "2.36.7",
  },
  /** Signs the REST calls (curl's --aws-sigv4 needs 7.75 or later). */
  curl: {
    repository: "docker.io/curlimages/curl",
    // Verified 2026-11-28: tag 8.21.0 (a461285, 2026-06-24) of github.com/curl/curl-container, the
    // newest; its release workflow pushes docker.io/curlimages/curl:<tag> (Alpine, busybox sh, user curl_user).
    tag: "8.21.0",
  },
} as const satisfies Record<string, PinnedImage>;

const image = ({ repository, tag }: PinnedImage) => `${repository}:${tag}`;

/** What the setup Job runs against. */
export interface OpenSearchSetupJobProps {
  readonly namespace: string;
  /** The service account the domain's master role trusts (IRSA). */
  readonly serviceAccountName: string;
  /** The ConfigMap with the script and the JSON bodies (keys = file names). */
  readonly configMapName: string;
  /** The domain's endpoint (host name). */
  readonly endpoint: string;
  /** The ConfigMap's data as one Terraform string: its hash names the Job. */
  readonly configuration: string;
  /** Names the script reads from its environment: ISM policy, writer role, index pattern. */
  readonly settings: { ismPolicyId: string; writerRole: string; indexPattern: string };
  /** What must run first (the load balancer controller's pod webhooks). */
  readonly dependsOn: ITerraformDependable[];
}

/** Seconds the Job may run: the script's retries (about 8 minutes) plus image pulls. */
const DEADLINE_SECONDS = 900;

// Every container: no root, no privilege escalation, no capabilities, read-only root file system.
const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
};
const credentialsMount = "/credentials";
const configMount = "/setup";

/**
 * The Job that applies the OpenSearch objects while `terraform apply` waits for it
 * (`wait_for_completion`), so a failure fails the apply. An init container from the AWS CLI image
 * turns the pod's IRSA web identity into temporary credentials in a memory-backed emptyDir; the
 * curl container then signs each REST call with SigV4 (`opensearch-setup.sh`). The Job's name
 * carries a hash of everything it applies (bodies, script, endpoint, role ARN, images), so Terraform
 * replaces it, and it runs again, exactly when one of them changes; otherwise it stays completed.
 */
export function createOpenSearchSetupJob(
  ctx: PlatformContext,
  props: OpenSearchSetupJobProps,
): JobV1 {
  const images = Object.values(SETUP_IMAGES).map(image);
  const hash = Fn.substr(
    Fn.sha256(Fn.join(" ", [props.configuration, props.endpoint, ...images])),
    0,
    10,
  );
  const labels = {
    "app.kubernetes.io/name": "opensearch-setup",
    "app.kubernetes.io/managed-by": "terraform",
  };
  const scratch = (name: string) => ({ name, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } });
  return new JobV1(ctx.scope, "opensearch-setup-job", {
    metadata: { name: `opensearch-setup-${hash}`, namespace: props.namespace, labels },
    spec: {
      backoffLimit: 1,
      activeDeadlineSeconds: DEADLINE_SECONDS,
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: props.serviceAccountName,
          restartPolicy: "Never",
          securityContext: {
            runAsNonRoot: true,
            runAsUser: "65534",
            runAsGroup: "65534",
            // Lets the non-root containers read the projected web identity token.
            fsGroup: "65534",
            seccompProfile: { type: "RuntimeDefault" },
          },
          initContainer: [
            {
              name: "credentials",
              image: image(SETUP_IMAGES.awsCli),
              // The pod identity webhook injects AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE.
              command: [
                "/bin/sh",
                "-c",
                `aws configure export-credentials --format env > ${credentialsMount}/env`,
              ],
              env: [
                { name: "AWS_REGION", value: ctx.region },
                { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
                // The CLI caches assumed-role credentials under $HOME.
                { name: "HOME", value: "/tmp" },
              ],
              securityContext: containerSecurity,
              volumeMount: [
                { name: "credentials", mountPath: credentialsMount },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          container: [
            {
              name: "apply",
              image: image(SETUP_IMAGES.curl),
              command: ["/bin/sh", `${configMount}/${SETUP_SCRIPT_KEY}`],
              env: [
                { name: "OPENSEARCH_URL", value: `https://${props.endpoint}` },
                { name: "AWS_REGION", value: ctx.region },
                { name: "ISM_POLICY_ID", value: props.settings.ismPolicyId },
                { name: "WRITER_ROLE", value: props.settings.writerRole },
                { name: "INDEX_PATTERN", value: props.settings.indexPattern },
                { name: "CONFIG_DIR", value: configMount },
                { name: "CREDENTIALS_FILE", value: `${credentialsMount}/env` },
              ],
              securityContext: containerSecurity,
              volumeMount: [
                { name: "credentials", mountPath: credentialsMount, readOnly: true },
                { name: "config", mountPath: configMount, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volume: [
            scratch("credentials"),
            scratch("tmp"),
            { name: "config", configMap: { name: props.configMapName } },
          ],
        },
      },
    },
    waitForCompletion: true,
    timeouts: { create: `${DEADLINE_SECONDS + 60}s`, update: `${DEADLINE_SECONDS + 60}s` },
    dependsOn: props.dependsOn,
  });
}
