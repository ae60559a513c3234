#!/usr/bin/env bash
# Provides a Pulumi CLI for `make e2e` and `make demo`, offline.
#
# Prints, as its last line on stdout, the directory that holds `pulumi` and the plugins the
# CLI runs beside it (see "Where the CLI looks for plugins" in CONTRIBUTING.md):
#   - a `pulumi` already on PATH at a compatible version is used as it is, and nothing is built;
#   - otherwise the CLI is built from the Go module proxy at the pinned version below, with the
#     version stamped in (the Automation API refuses a CLI whose `pulumi version` is empty), into
#     a cache outside the work tree; a second run finds it there and builds nothing.
# Beside the CLI it puts the language hosts an installed Pulumi CLI ships with:
#   - the YAML host (pulumi-yaml), built from the Go module proxy;
#   - Pulumi's own Python, Node.js and Go hosts, which are nested Go modules the proxy does not
#     serve: copied from $PULUMI_LANGUAGE_HOSTS, by default the `bin/` of the
#     `pulumi-language-hosts` folder in the `shared/` directory beside this checkout, and
#     refused unless each matches the sha256 pinned below (the digests that folder's README
#     publishes). Without them the script fails in one line; it never substitutes a host;
#   - `pulumi-resource-pulumi-python` (starts dynamic providers) and
#     `pulumi-language-python-exec` (the Python host's program runner), from the SDK module.
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
hosts=${PULUMI_LANGUAGE_HOSTS:-$here/../../shared/pulumi-language-hosts/bin}
host_digests="8da421be795660086695e548ea0724b5220310015853be4bf430b8ee55747582  pulumi-language-python
9fe40971aa644b6fd260202a2981c7d494a305755d4b3cef16495bce11c621b9  pulumi-language-nodejs
22557be0b170a4a2d596ed1aaa9c352321b34529baf83dd26e5462d1eb9ebbbc  pulumi-language-go"

install_language_hosts() { # checked on every run: a cached copy is checked like a new one
  local name
  for name in pulumi-language-python pulumi-language-nodejs pulumi-language-go; do
    if ! cmp -s "$hosts/$name" "$bin/$name" 2>/dev/null; then
      if [ ! -f "$hosts/$name" ]; then
        say "error: Pulumi's $name is not in $hosts: set PULUMI_LANGUAGE_HOSTS to the directory that holds Pulumi's language hosts (pulumi-language-python, -nodejs, -go)."
        exit 1
      fi
      install -m 0755 "$hosts/$name" "$bin/$name"
    fi
  done
  if ! (cd "$bin" && sha256sum --quiet --check --strict <<<"$host_digests" >/dev/null 2>&1); then
    rm -f "$bin"/pulumi-language-{python,nodejs,go}
    say "error: the language hosts in $hosts do not match the sha256 pinned in scripts/pulumi-cli.sh: use Pulumi's own hosts (v3.276.0 builds), never a substitute."
    exit 1
  fi
}

if [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-yaml" ] && [ -x "$bin/pulumi-resource-pulumi-python" ] \
   && [ -f "$bin/pulumi-language-python-exec" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  install_language_hosts
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
# Go's progress ("go: downloading ..." for every module) goes to a log, shown when a step fails.
log="$cache/pulumi-v$PULUMI_VERSION/build.log"
mkdir -p "$(dirname "$log")"
: >"$log"
quiet() { "$@" 2>>"$log" || { tail -n 40 "$log" >&2; exit 1; }; }

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
  quiet go mod download github.com/pulumi/pulumi/pkg/v3@v"$PULUMI_VERSION"
  pkgmod=$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/pkg/v3 2>/dev/null \
    || echo "$(go env GOMODCACHE)/github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION")
  # Carry over the non-local replace lines of pkg/go.mod (a clipboard fork, at this version).
  grep -E '^replace .* => [^.]' "$pkgmod/go.mod" >>go.mod || true
  go mod tidy >/dev/null 2>&1 || quiet go mod tidy
  say "building pulumi v$PULUMI_VERSION (cold: about 5 minutes on 2 cores) ..."
  quiet go build "${flags[@]}" -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
)

say "building pulumi-language-yaml v$PULUMI_YAML_VERSION ..."
GOBIN="$bin" quiet go install "${flags[@]}" \
  -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION" \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v"$PULUMI_YAML_VERSION"

# The dynamic-provider launcher ships in the SDK module; the module cache drops exec bits.
sdkmod=$(cd "$wrapper" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
install -m 0755 "$sdkmod/python/dist/pulumi-resource-pulumi-python" "$bin/"
install -m 0755 "$sdkmod/python/cmd/pulumi-language-python-exec" "$bin/"
install_language_hosts

say "pulumi v$PULUMI_VERSION ready in $bin ($(( $(date +%s) - start )) s; Go's log: $log)"
echo "$bin"
