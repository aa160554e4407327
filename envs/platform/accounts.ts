import { addonRolesInputs } from "../../modules/addon-roles/inputs.ts";
import { alertsInputs } from "../../modules/alerts/inputs.ts";
import { loggingInputs } from "../../modules/logging/inputs.ts";

/** A spec entry's default, which must exist: the platform uses the modules' service-account names. */
function defaultOf<T>(spec: { default?: T }, what: string): T {
  if (spec.default === undefined) throw new Error(`${what} has no default`);
  return spec.default;
}

/** Where each add-on runs; the service accounts are the ones the IRSA roles trust. */
export const ADDON_ACCOUNTS = {
  fluentBit: {
    namespace: defaultOf(loggingInputs.fluentBitNamespace, "logging.fluentBitNamespace"),
    serviceAccount: defaultOf(
      loggingInputs.fluentBitServiceAccount,
      "logging.fluentBitServiceAccount",
    ),
  },
  clusterAutoscaler: {
    namespace: defaultOf(
      addonRolesInputs.clusterAutoscalerNamespace,
      "addonRoles.clusterAutoscalerNamespace",
    ),
    serviceAccount: defaultOf(
      addonRolesInputs.clusterAutoscalerServiceAccount,
      "addonRoles.clusterAutoscalerServiceAccount",
    ),
  },
  loadBalancerController: {
    namespace: defaultOf(
      addonRolesInputs.loadBalancerControllerNamespace,
      "addonRoles.loadBalancerControllerNamespace",
    ),
    serviceAccount: defaultOf(
      addonRolesInputs.loadBalancerControllerServiceAccount,
      "addonRoles.loadBalancerControllerServiceAccount",
    ),
  },
  alertmanager: {
    namespace: defaultOf(alertsInputs.alertmanagerNamespace, "alerts.alertmanagerNamespace"),
    serviceAccount: defaultOf(
      alertsInputs.alertmanagerServiceAccount,
      "alerts.alertmanagerServiceAccount",
    ),
  },
} as const;
