#!/usr/bin/env bash
# The README's two commands. Each does all the set-up on a fresh machine (Node 22, npm ci).
#   scripts/dev.sh try    run the whole job on the built-in sandbox (no Azure account)
#   scripts/dev.sh test   typecheck, lint and run the test suite
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node22.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi
case "${1:-}" in
  try) npm run build && exec node bin/aks-bootstrap.js apply --sandbox --non-interactive --yes "${@:2}" ;;
  test) exec npm test ;;
  *) echo "usage: scripts/dev.sh try|test" >&2; exit 1 ;;
esac
