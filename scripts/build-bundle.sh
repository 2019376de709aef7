#!/usr/bin/env bash
# Build the console bundle from frontend-config/ into charts/frontend/files/index.js (committed:
# the published tree must install with no build step; commit the result of a rebuild).
#   scripts/build-bundle.sh              install the pinned npm packages when needed, then build
#   scripts/build-bundle.sh --deps-only  only install the npm packages (the browser tests use them)
#   BUNDLE_OUT=/tmp/x.js scripts/...     build somewhere else (tests)
# `npm ci` runs only when node_modules is missing or older than package-lock.json, so a second
# run costs only the rollup build (about a second).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/frontend-config"
command -v npm >/dev/null || { echo "build-bundle: npm (Node.js >= 18) is required to build the console bundle" >&2; exit 1; }
stamp="$SRC/node_modules/.deepseek-ci-stamp"
if [ ! -f "$stamp" ] || [ "$SRC/package-lock.json" -nt "$stamp" ] || [ "$SRC/package.json" -nt "$stamp" ]; then
  (cd "$SRC" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
# @kubed/components has no browser build on npm: build one for the console stand-in of the
# browser tests (frontend-config/vendor.config.mjs; ten seconds or so, so only when the installed
# packages or that config changed). The extension bundle keeps it external, as the console shares it.
vendor="$SRC/node_modules/.deepseek-vendor/kubed-components.js"
if [ ! -f "$vendor" ] || [ "$stamp" -nt "$vendor" ] || [ "$SRC/vendor.config.mjs" -nt "$vendor" ]; then
  (cd "$SRC" && node node_modules/rollup/dist/bin/rollup --config vendor.config.mjs --silent)
fi
[ "${1:-}" = "--deps-only" ] && exit 0
mkdir -p "$ROOT/charts/frontend/files"
(cd "$SRC" && node node_modules/rollup/dist/bin/rollup --config rollup.config.mjs --silent)
out="${BUNDLE_OUT:-$ROOT/charts/frontend/files/index.js}"
echo "build-bundle: wrote $out ($(wc -c <"$out") bytes)"
