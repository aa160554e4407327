import { dev } from "./dev.ts";
import { production } from "./production.ts";
import { staging } from "./staging.ts";

export { account } from "./account.ts";
export type { EnvironmentConfig, AccountConfig } from "./schema.ts";

/** Every environment, in promotion order. */
export const ENVIRONMENTS = [dev, staging, production] as const;
