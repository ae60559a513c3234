#!/usr/bin/env bash
# Provides a Pulumi CLI for `make e2e` and `make demo`, offline.
#
# Prints, as its last line on stdout, the directory that holds `pulumi` and the plugins the
# CLI runs beside it (see "Where the CLI looks for plugins" in CONTRIBUTING.md):
#   - a `pulumi` already on PATH at a compatible version is used as it is, and nothing is built;
#   - otherwise the CLI is built from the Go module proxy at the pinned version below, with the
#     version stamped in (the Automation API refuses a CLI whose `pulumi version` is empty), into
#     a cache outside the work tree; a second run finds it there and builds nothing.
# Beside the CLI it puts the YAML language host (pulumi-yaml, the only language host the Go
# module proxy serves; the Python and Node.js hosts are nested modules it does not serve),
# `pulumi-resource-pulumi-python`, which starts dynamic providers, and the SDK's
# `pulumi-language-python-exec`, both taken from the pinned SDK module, and this repository's
# stand-in Python language host (scripts/pulumi_language_python.py says what it serves).
set -euo pipefail

PULUMI_VERSION=3.276.0        # newest v3 the module proxy serves that builds with Go 1.26
PULUMI_YAML_VERSION=1.25.0    # newest pulumi-yaml the module proxy serves
MIN_PULUMI_VERSION=3.200.0    # oldest CLI whose engine the e2e suite is known to suit

cache=${PULUMI_CAMS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cams}
bin="$cache/pulumi-v$PULUMI_VERSION/bin"

say() { printf '%s\n' "$*" >&2; }

version_ge() { # version_ge A B: A >= B
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

if [ -z "${PULUMI_CAMS_BUILD_CLI:-}" ] && command -v pulumi >/dev/null 2>&1; then
  have=$(pulumi version 2>/dev/null | sed 's/^v//')
  if [ -n "$have" ] && version_ge "$have" "$MIN_PULUMI_VERSION"; then
    dirname "$(command -v pulumi)"
    exit 0
  fi
  say "pulumi on PATH is version '${have:-unknown}', older than $MIN_PULUMI_VERSION: building v$PULUMI_VERSION instead."
fi

here=$(cd "$(dirname "$0")" && pwd)
install_standin_host() { # refreshed on every run: it is this repository's code, and cheap
  install -m 0755 "$here/pulumi_language_python.py" "$bin/pulumi-language-python"
}

if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-yaml" ] && [ -x "$bin/pulumi-resource-pulumi-python" ] \
   && [ -f "$bin/pulumi-language-python-exec" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  install_standin_host
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "error: no Pulumi CLI on PATH and no Go toolchain to build one: install Pulumi (https://www.pulumi.com/docs/install/) or Go >= 1.26."
  exit 1
fi

mkdir -p "$bin"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# The release build's flags, kept identical between runs so that Go's build cache hits.
flags=(-trimpath -tags osusergo,grpcnotrace)
start=$(date +%s)

# pkg/v3's own go.mod replaces sdk/v3 with a relative path, so `go install pkg@version` refuses
# it; a wrapper module that requires both at one version builds the same main package.
wrapper="$cache/pulumi-v$PULUMI_VERSION/module"
mkdir -p "$wrapper"
cat >"$wrapper/go.mod" <<MOD
module pulumi-cams.invalid/pulumi-cli

go 1.26

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)
MOD
printf 'package tools\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n' >"$wrapper/tools.go"
(
  cd "$wrapper"
  go mod download github.com/pulumi/pulumi/pkg/v3@v"$PULUMI_VERSION"
  pkgmod=$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/pkg/v3 2>/dev/null \
    || echo "$(go env GOMODCACHE)/github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION")
  # Carry over the non-local replace lines of pkg/go.mod (a clipboard fork, at this version).
  grep -E '^replace .* => [^.]' "$pkgmod/go.mod" >>go.mod || true
  go mod tidy >/dev/null 2>&1 || go mod tidy
  say "building pulumi v$PULUMI_VERSION (cold: about 5 minutes on 2 cores) ..."
  go build "${flags[@]}" -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
)

say "building pulumi-language-yaml v$PULUMI_YAML_VERSION ..."
GOBIN="$bin" go install "${flags[@]}" \
  -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION" \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v"$PULUMI_YAML_VERSION"

# The dynamic-provider launcher ships in the SDK module; the module cache drops exec bits.
sdkmod=$(cd "$wrapper" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
install -m 0755 "$sdkmod/python/dist/pulumi-resource-pulumi-python" "$bin/"
install -m 0755 "$sdkmod/python/cmd/pulumi-language-python-exec" "$bin/"
install_standin_host

say "pulumi v$PULUMI_VERSION ready in $bin ($(( $(date +%s) - start )) s)"
echo "$bin"
