import { addonRoles } from "./addon-roles/index.ts";
import { alerts } from "./alerts/index.ts";
import { appIdentity } from "./app-identity/index.ts";
import { bastion } from "./bastion/index.ts";
import { budgets } from "./budgets/index.ts";
import { certificate } from "./certificate/index.ts";
import { ciRunner } from "./ci-runner/index.ts";
import { eks } from "./eks/index.ts";
import { elasticache } from "./elasticache/index.ts";
import { logging } from "./logging/index.ts";
import { network } from "./network/index.ts";
import { openSearch } from "./opensearch/index.ts";
import { rds } from "./rds/index.ts";
import { securityGroups } from "./security-groups/index.ts";

/** Every module, each synthesized as its own stack and rendered under terraform/modules/. */
export const MODULES = [
  network,
  securityGroups,
  eks,
  rds,
  elasticache,
  bastion,
  logging,
  addonRoles,
  appIdentity,
  budgets,
  alerts,
  certificate,
  openSearch,
  ciRunner,
] as const;
