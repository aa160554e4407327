import { network } from "./network/index.ts";
import { securityGroups } from "./security-groups/index.ts";

/** Every module, each synthesized as its own stack and rendered under terraform/modules/. */
export const MODULES = [network, securityGroups] as const;
