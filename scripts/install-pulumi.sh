#!/usr/bin/env bash
# Installs the Pulumi CLI and its Node.js language host into ~/.pulumi/bin by building them from
# the Go modules that the Go module proxy serves. Machines that cannot reach Pulumi's download
# site can still run the real engine this way; machines that already have Pulumi skip all of it.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.248.0}"   # matches the @pulumi/pulumi SDK pinned in package.json
# The Node.js language host left the sdk/v3 module for a module of its own (which not every module proxy
# serves) after sdk v3.68.0; v3.68.0 is the newest release that builds it from sdk/v3. It only
# launches `node @pulumi/pulumi/cmd/run`, so the program still runs on the pinned Node SDK.
LANGHOST_SDK_VERSION="${LANGHOST_SDK_VERSION:-3.68.0}"
# The YAML language host lives in a module of its own (github.com/pulumi/pulumi-yaml).
YAML_LANGHOST_VERSION="${YAML_LANGHOST_VERSION:-1.25.0}"
# The Python language host left sdk/v3 after v3.68.0 for a module the proxy does not serve; its
# `pulumi-language-python-exec` script (which runs the program) comes from the CLI's own sdk version.
PYTHON_LANGHOST_SDK_VERSION="${PYTHON_LANGHOST_SDK_VERSION:-3.68.0}"
# The Go language host's own module is not served by the proxy either; sdk/v3 v3.52.0 is the last release that
# holds it (v3.68.0 no longer does). It still runs Go programs with the pinned CLI.
GO_LANGHOST_SDK_VERSION="${GO_LANGHOST_SDK_VERSION:-3.52.0}"
BIN_DIR="${PULUMI_HOME:-$HOME/.pulumi}/bin"

log() { printf '[install-pulumi] %s\n' "$*"; }
die() { printf '[install-pulumi] ERROR: %s\n' "$*" >&2; exit 1; }

version_ok() {
  # true when "$1" is a 3.x version >= PULUMI_VERSION
  local have="$1"
  [[ "$have" =~ ^v?3\.([0-9]+)\.([0-9]+) ]] || return 1
  local minor="${BASH_REMATCH[1]}" patch="${BASH_REMATCH[2]}"
  local want_minor want_patch
  IFS=. read -r _ want_minor want_patch <<<"$PULUMI_VERSION"
  (( minor > want_minor || (minor == want_minor && patch >= want_patch) ))
}

have_cli() {
  local candidate
  for candidate in "$(command -v pulumi 2>/dev/null || true)" "$BIN_DIR/pulumi"; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    local dir; dir="$(dirname "$candidate")"
    [[ -x "$dir/pulumi-language-nodejs" ]] || command -v pulumi-language-nodejs >/dev/null 2>&1 || continue
    local v; v="$("$candidate" version 2>/dev/null || true)"
    if version_ok "$v"; then
      log "pulumi $v already installed at $candidate; nothing to do"
      return 0
    fi
  done
  return 1
}

write_dynamic_provider_launcher() {
  # The engine looks for the "pulumi-nodejs" resource plugin that dynamic resources use; this
  # launcher runs the dynamic-provider host of the @pulumi/pulumi that the program itself installed.
  cat >"$BIN_DIR/pulumi-resource-pulumi-nodejs" <<'SH'
#!/bin/sh
exec node "$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")" "$@"
SH
  chmod +x "$BIN_DIR/pulumi-resource-pulumi-nodejs"
}

# Builds one main package from a throwaway module that requires it: `go install pkg@version` refuses
# modules whose go.mod has replace directives, and Pulumi's do.
#   build_binary <dir> <output> <main package> <version stamp> <go.mod requires and replaces> [version variable]
build_binary() {
  local dir="$work/$1" output="$2" package="$3" stamp="$4" requirements="$5"
  local variable="${6:-github.com/pulumi/pulumi/sdk/v3/go/common/version.Version}"
  mkdir -p "$dir"
  printf 'module local/%s\n\ngo 1.25\n\n%s\n' "$1" "$requirements" >"$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$package" >"$dir/tools.go"
  (cd "$dir" && go mod tidy >/dev/null 2>&1 || go mod tidy)
  (cd "$dir" && go build -trimpath -ldflags "-s -w -X $variable=$stamp" -o "$BIN_DIR/$output" "$package")
}

need_go() {
  command -v go >/dev/null 2>&1 || die "Go is not installed, so $1 cannot be built here.
Install Go (https://go.dev/dl) and run this script again, or install Pulumi the usual way
(curl -fsSL https://get.pulumi.com | sh, or brew install pulumi) and put it on PATH."
}

have_tool() {
  command -v "$1" >/dev/null 2>&1 || [[ -x "$BIN_DIR/$1" ]]
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export GOFLAGS="-mod=mod"
export CGO_ENABLED=0
started=$SECONDS

if have_cli; then
  [[ -x "$BIN_DIR/pulumi-resource-pulumi-nodejs" ]] || { mkdir -p "$BIN_DIR"; write_dynamic_provider_launcher; }
else
  need_go "the Pulumi CLI"
  mkdir -p "$BIN_DIR"
  log "building pulumi v$PULUMI_VERSION (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) into $BIN_DIR"
  # pkg/v3's own go.mod points sdk at ../sdk and swaps in a clipboard fork; only the main module's
  # replaces count, so the sdk is required at the same version and the fork replace is repeated.
  build_binary cli pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "v$PULUMI_VERSION" "require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"
  log "pulumi built in $((SECONDS - started))s"

  log "building pulumi-language-nodejs from sdk v$LANGHOST_SDK_VERSION into $BIN_DIR"
  build_binary langhost pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
    "v$LANGHOST_SDK_VERSION" "require github.com/pulumi/pulumi/sdk/v3 v$LANGHOST_SDK_VERSION"

  write_dynamic_provider_launcher
  log "installed: $("$BIN_DIR/pulumi" version) in $((SECONDS - started))s total; add $BIN_DIR to PATH"
fi

# The language host for YAML programs of the native plugin (pulumi-resource-losant); built only when missing.
if have_tool pulumi-language-yaml; then
  log "pulumi-language-yaml already installed; nothing to do"
else
  need_go "pulumi-language-yaml"
  mkdir -p "$BIN_DIR"
  step=$SECONDS
  log "building pulumi-language-yaml v$YAML_LANGHOST_VERSION (github.com/pulumi/pulumi-yaml) into $BIN_DIR"
  build_binary yaml pulumi-language-yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml "v$YAML_LANGHOST_VERSION" \
    "require github.com/pulumi/pulumi-yaml v$YAML_LANGHOST_VERSION" github.com/pulumi/pulumi-yaml/pkg/version.Version
  log "pulumi-language-yaml built in $((SECONDS - step))s"
fi

# The Python language host, for Python programs of the native plugin; built only when missing.
if have_tool pulumi-language-python; then
  log "pulumi-language-python already installed; nothing to do"
else
  need_go "pulumi-language-python"
  mkdir -p "$BIN_DIR"
  step=$SECONDS
  log "building pulumi-language-python from sdk v$PYTHON_LANGHOST_SDK_VERSION into $BIN_DIR"
  # sdk v3.68.0's go.mod pins golang.org/x/text by a replace, which only the main module's go.mod can apply.
  build_binary python pulumi-language-python github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python \
    "v$PYTHON_LANGHOST_SDK_VERSION" "require github.com/pulumi/pulumi/sdk/v3 v$PYTHON_LANGHOST_SDK_VERSION

replace golang.org/x/text => golang.org/x/text v0.3.6"
  exec_dir="$(cd "$work/python" && GOFLAGS=-mod=mod go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  install -m 0755 "$exec_dir/python/cmd/pulumi-language-python-exec" "$BIN_DIR/pulumi-language-python-exec"
  log "pulumi-language-python built in $((SECONDS - step))s"
fi

# The Go language host, for Go programs of the native plugin; built only when missing.
if have_tool pulumi-language-go; then
  log "pulumi-language-go already installed; nothing to do"
else
  need_go "pulumi-language-go"
  mkdir -p "$BIN_DIR"
  step=$SECONDS
  log "building pulumi-language-go from sdk v$GO_LANGHOST_SDK_VERSION into $BIN_DIR"
  build_binary golang pulumi-language-go github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go \
    "v$GO_LANGHOST_SDK_VERSION" "require github.com/pulumi/pulumi/sdk/v3 v$GO_LANGHOST_SDK_VERSION"
  log "pulumi-language-go built in $((SECONDS - step))s"
fi

# The Python SDK that Python programs import, in a virtualenv of its own: the v3.68.0 host ignores
# `runtime.options.virtualenv`, so programs run with this venv's bin first on PATH.
PYTHON_VENV="${PULUMI_PYTHON_VENV:-${PULUMI_HOME:-$HOME/.pulumi}/python-venv}"
# SDKs generated from a schema (tools/sdkgen) require parver and semver besides pulumi; wheel installs one offline.
if [[ -x "$PYTHON_VENV/bin/python" ]] && "$PYTHON_VENV/bin/python" -c "import pulumi, parver, semver, wheel" >/dev/null 2>&1; then
  log "Python SDK already installed in $PYTHON_VENV; nothing to do"
elif command -v python3 >/dev/null 2>&1; then
  step=$SECONDS
  log "installing the pulumi Python SDK $PULUMI_VERSION into $PYTHON_VENV"
  python3 -m venv "$PYTHON_VENV"
  "$PYTHON_VENV/bin/pip" install --quiet --disable-pip-version-check "pulumi==$PULUMI_VERSION" "parver>=0.2.1" "semver>=2.8.1" wheel
  log "Python SDK installed in $((SECONDS - step))s"
else
  log "python3 not found: Python programs cannot run here (the Python e2e test fails in CI)"
fi
