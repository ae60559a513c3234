#!/usr/bin/env bash
# `pulumi up` for a pipeline that tells waiting from broken:
#
#   examples/ci/up.sh [pulumi up flags...]        (run in the project directory)
#
# On the native route (YAML, TypeScript, Go, ...) a number whose code has not arrived is not an
# error: its create answers with Pulumi's await result, the engine registers every other number
# and writes no state for that one, and `pulumi up` exits 10. This script then lists the numbers
# waiting for a code, with the command that asks for each, and exits 0: the pipeline is not
# red, and the next run (with the codes in the stack config) registers them. Any other non-zero
# exit is a failure and is passed on. On the Python route a missing code is an error like any
# other (Pulumi's dynamic provider host has no await result); `--continue-on-error` lets the
# other numbers go on there, and the run exits 1.
set -uo pipefail

await_exit=10   # pulumi's ExitAwaitError: awaits were the deployment's only failures
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

pulumi up "$@" 2>&1 | tee "$log"
code="${PIPESTATUS[0]}"
[ "$code" -eq "$await_exit" ] || exit "$code"

# The provider names each waiting number in one line: "Phone number <n> in space <s> awaits
# its verification code: ...".
waiting="$(sed -n 's/.*Phone number \([0-9]*\) in space \([^ ]*\) awaits its verification code.*/\2 \1/p' "$log" | sort -u)"
echo
echo "::notice::pulumi up registered everything else; $(printf '%s\n' "$waiting" | grep -c .) number(s) wait for a verification code:"
printf '%s\n' "$waiting" | while read -r space phone; do
  [ -n "$phone" ] && echo "  pulumi-cams request-code --space $space --phone $phone"
done
echo "Then store each code as a secret in the stack config and run the pipeline again."
exit 0
