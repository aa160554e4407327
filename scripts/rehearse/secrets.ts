/**
 * Secret scan of a Terraform state (JSON as `terraform show -json` prints it): attributes whose
 * name says they hold a secret and whose value is non-empty. Reported, not failed, until the issue
 * that removes the secrets from state lands (see the summary).
 */

/** Attribute names that hold secret values when set. */
export const SECRET_ATTRIBUTE =
  /(^|_)(password|passwd|auth_token|secret_string|secret_binary|private_key|secret_access_key|random_password|token)$/;

/** A non-empty secret-looking attribute: the resource address and the attribute path. */
export interface SecretFinding {
  readonly address: string;
  readonly path: string;
}

interface StateModule {
  readonly resources?: readonly { address: string; values?: unknown }[];
  readonly child_modules?: readonly StateModule[];
}

/** The parts of a JSON state the scan reads. */
export interface StateJson {
  readonly values?: { readonly root_module?: StateModule };
  readonly root_module?: StateModule;
}

function scanValue(address: string, value: unknown, path: string): SecretFinding[] {
  if (Array.isArray(value))
    return value.flatMap((item, i) => scanValue(address, item, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const here = path ? `${path}.${key}` : key;
    // Strings only: flags such as manage_master_user_password = true hold no secret.
    if (SECRET_ATTRIBUTE.test(key) && typeof item === "string" && item !== "")
      return [{ address, path: here }];
    return scanValue(address, item, here);
  });
}

/** Every resource (and data source) of a state module tree, depth first. */
export function stateResources(state: StateJson): { address: string; values?: unknown }[] {
  const walk = (m: StateModule | undefined): { address: string; values?: unknown }[] =>
    m ? [...(m.resources ?? []), ...(m.child_modules ?? []).flatMap(walk)] : [];
  return walk(state.values?.root_module ?? state.root_module);
}

/** Findings over every resource and data source of the state; values are never returned. */
export function scanState(state: StateJson): SecretFinding[] {
  return stateResources(state).flatMap((r) => scanValue(r.address, r.values, ""));
}
