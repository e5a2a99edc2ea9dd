#!/usr/bin/env bash
# The quickstart demo: install and build Kusion, build the testbed (cached after the first time), start the local control
# plane in the background, and `kusion apply` examples/quickstart against it with local state.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build
bash tools/build.sh
testbed() { node node_modules/tsx/dist/cli.mjs test/testbed/cli.ts "$@"; }
testbed status demo >/dev/null 2>&1 || testbed up demo
eval "$(testbed env demo)"
export KUSION_HOME="${KUSION_DEMO_HOME:-$(dirname "$KUBECONFIG")/kusion-home}"
cd examples/quickstart/default
node ../../../packages/cli/dist/main.js apply --workspace-file ../workspace.yaml --yes
echo
"$KUSION_TESTBED_KUBECTL" get deployments,services,pods -n quickstart
echo
echo "Kusion state is in $KUSION_HOME. Try: KUSION_HOME=$KUSION_HOME KUBECONFIG=$KUBECONFIG node packages/cli/dist/main.js release list -w examples/quickstart/default --workspace workspace"
echo "Stop the local control plane with: npm run testbed -- down demo"
