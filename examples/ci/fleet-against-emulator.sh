#!/usr/bin/env bash
# The steps of github-actions.yml, kept here so that the workflow and `make e2e` run the same
# commands: the fleet example (examples/fleet) against the CAMS emulator, on a local backend.
#
# Run from the repository root with pulumi-cams installed (for `pulumi-cams` and the emulator) and
# `pulumi` on PATH; the program runs on the venv/ that `pulumi install` makes in examples/fleet. Reads
# PULUMI_BACKEND_URL (file://<dir>; the directory is created), PULUMI_CONFIG_PASSPHRASE and the
# emulator's demo access key from the environment, as the workflow sets them.
set -euo pipefail

: "${PULUMI_BACKEND_URL:?set PULUMI_BACKEND_URL to file://<directory>}"
: "${PULUMI_CONFIG_PASSPHRASE:?set PULUMI_CONFIG_PASSPHRASE}"
tmp="${RUNNER_TEMP:-$(mktemp -d)}"
stack="${STACK:-ci}"

# The local backend refuses a directory that does not exist.
case "$PULUMI_BACKEND_URL" in
  file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;;
esac

echo "::group::Start the CAMS emulator in the background"
seed="$(python -c 'import cams_emulator; print(cams_emulator.DEMO_SEED_PATH)')"
pulumi-cams emulator --port 0 --seed "$seed" >"$tmp/emulator.out" 2>"$tmp/emulator.log" &
emulator=$!
# Stop the emulator and wait for it: a job step leaves nothing running.
trap 'kill "$emulator" 2>/dev/null && wait "$emulator" 2>/dev/null; true' EXIT
# The first stdout line is the URL, printed once the emulator accepts requests.
for _ in $(seq 100); do
  [ "$(wc -l <"$tmp/emulator.out")" -ge 1 ] && break
  sleep 0.1
done
url="$(head -n 1 "$tmp/emulator.out")"
case "$url" in http://*) ;; *) cat "$tmp/emulator.log"; exit 1 ;; esac
export CAMS_ENDPOINT="$url"
echo "::endgroup::"

echo "::group::The numbers before pulumi up"
pulumi-cams status --space cams-second-space --phone "+86 138-0000-1234"
pulumi-cams status --space cams-demo-space --phone "+86 138-0000-5678" --json
echo "::endgroup::"

cd examples/fleet
echo "::group::pulumi install"
# The project's venv/ with its requirements.txt: pulumi-cams from this checkout, and PyYAML.
pulumi install
echo "::endgroup::"

echo "::group::pulumi up"
pulumi stack init "$stack"
# In a real repository the codes are committed encrypted in Pulumi.<stack>.yaml by
# `pulumi config set --secret`; here it is the emulator seed's code.
pulumi config set --secret --path 'verifyCodes["8613800001234"]' 135791
# up.sh: exit 10 (numbers waiting for a code, native route) is listed and not a failure.
../ci/up.sh --yes
pulumi stack output --json
echo "::endgroup::"

echo "::group::The numbers after pulumi up"
pulumi-cams status --space cams-second-space --phone "+86 138-0000-1234"
echo "::endgroup::"

echo "::group::pulumi destroy"
pulumi destroy --yes
pulumi stack rm --yes "$stack"
echo "::endgroup::"
