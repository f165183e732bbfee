#!/bin/sh
# Builds the package into .usage-pkg/ (package.json + dist/) so the Usage engine tests can run while other
# helpers rebuild the shared dist/. Use: sh test/engine/usage/build-private.sh && USAGE_PACKAGE_ROOT=.usage-pkg npx jest test/engine/usage
set -e
cd "$(dirname "$0")/../../.."
rm -rf .usage-pkg && mkdir -p .usage-pkg
cp package.json .usage-pkg/
npx tsc -p tsconfig.json --outDir .usage-pkg/dist || true
find nodes credentials -name '*.svg' -o -name '*.png' | while read -r f; do mkdir -p ".usage-pkg/dist/$(dirname "$f")"; cp "$f" ".usage-pkg/dist/$f"; done
