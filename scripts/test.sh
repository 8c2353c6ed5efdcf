#!/usr/bin/env bash
# The one test command (`npm test`): system packages, type-check, lint, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
npx tsc -p tsconfig.json --noEmit
npx vue-tsc -p apps/web/tsconfig.json --noEmit
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check . ; exit 1; }
mkdir -p .tmp
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest-report.json "$@"
