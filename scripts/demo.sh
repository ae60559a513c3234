#!/usr/bin/env bash
# `make demo`: the README quickstart end to end against the bundled CAMS emulator, so it needs no
# Alibaba Cloud account. Starts the emulator, asks for a code, stores it as a secret in the stack
# config, runs `pulumi up`, shows the outputs and the live status, then `pulumi destroy`.
# State goes to a local backend under .pulumi-demo/, never to your Pulumi Cloud login, and the
# quickstart is copied there so the stack config never lands in examples/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
case "$VENV" in /*) ;; *) VENV="$ROOT/$VENV" ;; esac
WORK="$ROOT/.pulumi-demo"
SPACE="cams-demo-space"
PHONE="+86 138-0000-1234"

# The `pulumi` on PATH if it is recent enough, else one built once from the Go module proxy
# (scripts/pulumi-cli.sh says in one line what to install when neither is possible).
PULUMI_BIN="$("$ROOT/scripts/pulumi-cli.sh")" || exit 1
if [ ! -x "$VENV/bin/pulumi-cams" ]; then
    echo "demo: $VENV/bin/pulumi-cams is missing; run 'make install' first (or set VENV)." >&2
    exit 1
fi

step() { printf '\n==> %s\n' "$*"; }

# Only the emulator's demo credentials may reach it: unset everything the provider would prefer,
# never ask the ECS metadata service, never read the developer's Alibaba CLI profile, and keep
# loopback traffic away from proxies (the Alibaba SDK sends even 127.0.0.1 through one).
# By prefix, so that no setting the provider reads (a store, a timeout) slips through.
for variable in $(compgen -e); do
  case "$variable" in CAMS_* | ALICLOUD_* | ALIBABA_CLOUD_*) unset "$variable" ;; esac
done
unset HTTP_PROXY http_proxy HTTPS_PROXY https_proxy ALL_PROXY all_proxy
export ALIBABA_CLOUD_ECS_METADATA_DISABLED=true ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true
export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tDemoAccessKey
export ALIBABA_CLOUD_ACCESS_KEY_SECRET=demo-secret-Ahk3Lq9Zr

# A local backend and a throwaway passphrase: nothing here is a real secret.
rm -rf "$WORK"
mkdir -p "$WORK/state"
export PULUMI_BACKEND_URL="file://$WORK/state"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-demo-only-passphrase}"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# `pulumi-cams` from this checkout's virtualenv; the program and its dynamic provider run on the
# venv/ that `pulumi install` makes for the quickstart below, from this Python.
export PATH="$PULUMI_BIN:$VENV/bin:$PATH"
export PULUMI_PYTHON_CMD="$VENV/bin/python"

SEED="$(python -c 'import cams_emulator; print(cams_emulator.DEMO_SEED_PATH)')"
pulumi-cams emulator --port 0 --seed "$SEED" >"$WORK/emulator.out" 2>"$WORK/emulator.log" &
EMULATOR_PID=$!
# Stop the emulator and wait for it: the demo leaves nothing running.
trap 'kill "$EMULATOR_PID" 2>/dev/null && wait "$EMULATOR_PID" 2>/dev/null; true' EXIT
for _ in $(seq 150); do
    [ "$(wc -l <"$WORK/emulator.out")" -ge 1 ] && break
    if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
        echo "demo: the emulator exited before it was ready; see $WORK/emulator.log" >&2
        exit 1
    fi
    sleep 0.1
done
URL="$(head -n 1 "$WORK/emulator.out")"
case "$URL" in http://*) ;; *) echo "demo: the emulator did not start; see $WORK/emulator.log" >&2; exit 1 ;; esac
export CAMS_ENDPOINT="$URL"
step "CAMS emulator listening on $URL (seed: demo.json; access key LTAI5tDemoAccessKey)"

step "pulumi-cams status: the number is bound to the space but not registered yet"
pulumi-cams status --space "$SPACE" --phone "$PHONE"

step "pulumi-cams request-code: CAMS sends the one-time code by SMS"
pulumi-cams request-code --space "$SPACE" --phone "$PHONE" --method sms
# The emulator keeps the "SMS" in its inbox instead of texting a phone.
CODE="$(python - "$URL" "$SPACE" "$PHONE" <<'EOF'
import json, re, sys, urllib.request
url, space, phone = sys.argv[1], sys.argv[2], re.sub(r"\D", "", sys.argv[3])
with urllib.request.urlopen(f"{url}/_emulator/codes", timeout=10) as response:
    inbox = json.load(response)
codes = [m["code"] for m in inbox if m["custSpaceId"] == space and m["phoneNumber"] == phone]
if not codes:
    sys.exit(f"demo: no code for {phone} in the emulator's inbox")
print(codes[-1])
EOF
)"
echo "The code arrived (emulator inbox: $URL/_emulator/codes)."

step "A stack for the quickstart, on the local backend"
cp -R "$ROOT/examples/quickstart" "$WORK/quickstart"
rm -rf "$WORK/quickstart/venv" "$WORK/quickstart"/Pulumi.*.yaml
cd "$WORK/quickstart"
# As a user of `pulumi new python`: `pulumi install` makes the project's venv/ and installs its
# requirements.txt, i.e. pulumi-cams from this checkout (`../..` from .pulumi-demo/quickstart).
pulumi install >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; exit 1; }
echo "pulumi install: venv/ ready (its log: $WORK/install.log)"
pulumi stack init demo
pulumi config set cams:endpoint "$URL"
pulumi config set custSpaceId "$SPACE"
pulumi config set phoneNumber "$PHONE"
pulumi config set --secret verifyCode "$CODE"
pulumi config

step "pulumi up: ChatappVerifyAndRegister with the code"
pulumi up --yes

step "The stack's outputs"
pulumi stack output

step "pulumi-cams status: registered"
pulumi-cams status --space "$SPACE" --phone "$PHONE"

step "pulumi destroy (deregisterOnDelete is false, so the number stays registered in CAMS)"
pulumi destroy --yes
pulumi stack rm --yes demo

step "Done. The emulator stops now; .pulumi-demo/ keeps its log."
