/**
 * The AWS API calls a CI workflow job makes, read from its steps, so the tests can check that the
 * role the job assumes allows each of them (and nothing it never uses). Every `aws <service>
 * <command>` in a `run:` script and every image push by docker/build-push-action maps to IAM
 * actions and the resource they act on; a command missing from the table is an error, so a new
 * workflow call cannot go unchecked.
 */

/** What an API call acts on: the API's ECR repository, the environment's cluster, or `*`. */
export type CallResource = "repository" | "cluster" | "*";

/** One IAM action a job needs, on what. */
export interface ApiCall {
  readonly action: string;
  readonly resource: CallResource;
  /** The step that makes the call. */
  readonly step: string;
}

/**
 * IAM actions of the AWS CLI commands the workflows run. `sts get-caller-identity` and
 * `eks get-token` (a presigned GetCallerIdentity) need no permission.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-kubeconfig.html
 */
export const CLI_ACTIONS: Readonly<Record<string, readonly [string, CallResource][]>> = {
  "sts get-caller-identity": [],
  "eks get-token": [],
  "ecr get-login-password": [["ecr:GetAuthorizationToken", "*"]],
  "ecr describe-images": [["ecr:DescribeImages", "repository"]],
  "ecr batch-get-image": [["ecr:BatchGetImage", "repository"]],
  "ecr put-image": [["ecr:PutImage", "repository"]],
  "eks update-kubeconfig": [["eks:DescribeCluster", "cluster"]],
};

/**
 * Registry calls of an image push (docker push, buildx `push: true`): layer existence checks,
 * layer uploads, the manifest put, and manifest reads.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 */
export const IMAGE_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
] as const;

/** A workflow step, as far as its calls go. */
export interface CallingStep {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}

/** The `aws <service> <command>` invocations of a shell script, in order. */
export function awsCommands(script: string): string[] {
  const joined = script.replace(/\\\n/g, " ");
  return [...joined.matchAll(/(?:^|[\s|;&($])aws\s+([a-z0-9-]+)\s+([a-z0-9-]+)/gm)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
}

/** Every AWS API call the steps make; throws for an AWS CLI command the table does not know. */
export function apiCalls(steps: readonly CallingStep[]): ApiCall[] {
  const calls: ApiCall[] = [];
  for (const s of steps) {
    const step = s.name ?? s.uses ?? s.run ?? "?";
    for (const command of awsCommands(s.run ?? "")) {
      const actions = CLI_ACTIONS[command];
      if (!actions) throw new Error(`step "${step}" runs "aws ${command}": add it to CLI_ACTIONS`);
      for (const [action, resource] of actions) calls.push({ action, resource, step });
    }
    if (s.uses?.startsWith("docker/build-push-action@") && String(s.with?.push) === "true")
      for (const action of IMAGE_PUSH_ACTIONS) calls.push({ action, resource: "repository", step });
  }
  return calls;
}
