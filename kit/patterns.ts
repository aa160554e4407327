/**
 * Regular expressions shared by the zod schemas (TypeScript, before synth) and the Terraform
 * `validation` blocks (plan time). They use only the syntax common to JavaScript and RE2.
 */
export const PATTERNS = {
  /** AWS region, e.g. eu-west-1, us-gov-west-1, ap-southeast-4. */
  awsRegion: "^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$",
  /** EC2 instance type, e.g. t3.medium, m7g.2xlarge, c6in.metal-24xl. */
  ec2InstanceType:
    "^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$",
  /** RDS DB instance class, e.g. db.t3.micro, db.r7g.large. */
  rdsInstanceClass:
    "^db\\.[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(micro|small|medium|large|[0-9]*xlarge)$",
  /** ElastiCache node type, e.g. cache.t4g.small. */
  cacheNodeType:
    "^cache\\.[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(micro|small|medium|large|[0-9]*xlarge)$",
  /** Lower-case DNS-style name used as a prefix for AWS names. */
  resourceName: "^[a-z][a-z0-9-]{1,30}[a-z0-9]$",
  /** S3 bucket name (the subset without dots, which also avoids TLS wildcard issues). */
  s3BucketName: "^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$",
  /** DynamoDB table name. */
  dynamoTableName: "^[a-zA-Z0-9_.-]{3,255}$",
  /** GitHub repository `owner/name`. */
  githubRepository: "^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$",
  /** EKS Kubernetes minor version, e.g. 1.33. */
  kubernetesVersion: "^1\\.[0-9]{2}$",
  /** E-mail address (deliberately loose: AWS Budgets is the real judge). */
  email: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
  /** 12-digit AWS account id. */
  awsAccountId: "^[0-9]{12}$",
  /** ARN of an IAM role (paths allowed). */
  iamRoleArn: "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$",
  /** DNS name (lower case, at least two labels), e.g. api.dev.example.com; empty for "not set". */
  optionalDnsName: "^(([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63})?$",
  /** ARN of any AWS resource, or empty for "not set". */
  optionalArn: "^(arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{0,12}:.+)?$",
} as const;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** True when `cidr` is an IPv4 CIDR block whose address is the network address. */
export function isIpv4Cidr(cidr: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return false;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  return address % hostBits === 0;
}
