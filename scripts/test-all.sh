#!/usr/bin/env bash
# `npm run test:all`: everything the README's checks need on a fresh machine, then every check.
# `npm test` stays the fast path for people who already have the servers and tools.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/provision.sh
source scripts/provision.sh

if [ ! -d node_modules ] || [ "${CI:-}" = "true" ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== typecheck"
npm run typecheck

echo "== lint"
npm run lint

echo "== test"
npm test
