#!/usr/bin/env bash
# Runs every test: installs first what a fresh machine lacks (npm packages, Debian's chromium),
# then type checks, unit + integration tests (PGlite, and PostgreSQL too when DATABASE_URL is
# set), builds the web app and runs the browser walkthrough in chromium. Lint and format come
# first: a break of the layers' boundaries fails here.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftoppm ] || [ ! -x /usr/bin/soffice ]; then
  echo "installing Debian's chromium (browser tests), poppler-utils (certificate pages to images) and LibreOffice Calc (exports opened as an office would)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi

mkdir -p test-results
echo "== lint and format (boundaries between the layers included)"
npx eslint packages apps/server/src apps/server/test apps/server/scripts apps/server/bench apps/web/src e2e --max-warnings=0
npx prettier --check . --log-level warn

echo "== type check"
npx tsc -p packages/core
npx tsc -p packages/contract
npx tsc -p apps/server
npx tsc -p apps/web
npx tsc -p e2e

echo "== unit and integration tests (${DATABASE_URL:+PostgreSQL and }PGlite)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/unit.json

echo "== web build"
npm run build -w @pingan/web

echo "== browser walkthrough (chromium)"
npx vitest run --config e2e/vitest.config.ts --reporter=default --reporter=json --outputFile.json=test-results/e2e.json

node scripts/summary.mjs test-results/unit.json test-results/e2e.json
