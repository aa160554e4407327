import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import type { PlatformContext } from "./context.ts";

/**
 * The cluster's default StorageClass: encrypted gp3 through the EBS CSI driver (the `<env>` stack's
 * managed add-on), with the environment's EBS key.
 */
export const STORAGE_CLASS = "gp3";

/**
 * Creates the default gp3 StorageClass.
 *
 * Volumes are created in the zone of the pod that first uses them (WaitForFirstConsumer), so a
 * pod is never stuck with a volume in a zone it cannot schedule to. Reclaim Delete: deleting a
 * PVC is the deliberate act that discards the data; Retain would leave unowned, billed volumes
 * behind (also after `terraform destroy` of an environment, whose EBS key then goes too), and
 * the only claims today are Prometheus's, whose history is not business data. EKS 1.30+ marks
 * no class as default, so this annotation makes it the one for PVCs without a class.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
 */
export function createStorageClass(ctx: PlatformContext): StorageClassV1 {
  return new StorageClassV1(ctx.scope, "storage-class-gp3", {
    metadata: {
      name: STORAGE_CLASS,
      annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      labels: { "app.kubernetes.io/managed-by": "terraform" },
    },
    storageProvisioner: "ebs.csi.aws.com",
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    parameters: {
      type: "gp3",
      "csi.storage.k8s.io/fstype": "ext4",
      encrypted: "true",
      kmsKeyId: ctx.output("ebs_kms_key_arn"),
    },
  });
}
