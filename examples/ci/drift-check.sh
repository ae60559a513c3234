#!/usr/bin/env bash
# The scheduled drift check of drift.yml: does every registration a stack manages still hold?
#
#   examples/ci/drift-check.sh <project dir> <stack> [<stack> ...]
#
# For each stack, nothing is written, to CAMS or to the state:
#   1. `pulumi-cams drift` reads the stack's registrations (`pulumi stack export`) and lists each
#      space once: it names each lost number with what CAMS now says of it (no longer in the
#      space, deregistered...) and the remedy for that cause, and notes a number Meta flags
#      (FLAGGED, quality RED) without failing. An error about the account (credentials,
#      endpoint, permissions) is one line for the stack.
#   2. if they all hold, `pulumi refresh --preview-only --expect-no-changes` looks for anything
#      else that changed outside Pulumi. What CAMS reports of a registered number (quality
#      rating, messaging tier, display name) is read into the outputs without counting as a
#      change, so telemetry never fails the job.
# Exits 1 after checking every stack when a registration was lost or a stack could not be read.
set -uo pipefail

project="${1:?usage: drift-check.sh <project dir> <stack> [<stack> ...]}"
shift
[ "$#" -gt 0 ] || { echo "drift-check.sh: name at least one stack" >&2; exit 2; }
cd "$project" || exit 2

drifted=()
unreadable=()
for stack in "$@"; do
  echo "::group::drift of $stack"
  # --show-secrets: the stack's own cams settings (an endpoint, a key in stack config) reach
  # `pulumi-cams drift` through the pipe, never a file or the log.
  pulumi stack export --stack "$stack" --show-secrets | pulumi-cams drift --state -
  status=("${PIPESTATUS[@]}")
  if [ "${status[0]}" -ne 0 ] || [ "${status[1]}" -eq 1 ] || [ "${status[1]}" -eq 2 ]; then
    unreadable+=("$stack")
  elif [ "${status[1]}" -eq 3 ]; then
    drifted+=("$stack")
  elif ! pulumi refresh --stack "$stack" --preview-only --expect-no-changes --non-interactive; then
    drifted+=("$stack")
  fi
  echo "::endgroup::"
done

if [ "${#drifted[@]}" -gt 0 ]; then
  echo "drift: registrations changed outside Pulumi in: ${drifted[*]} (each lost number is named above with what to do)" >&2
fi
if [ "${#unreadable[@]}" -gt 0 ]; then
  echo "drift: could not check: ${unreadable[*]} (the error above; nothing about the registrations is known)" >&2
fi
[ "${#drifted[@]}" -eq 0 ] && [ "${#unreadable[@]}" -eq 0 ] || exit 1
echo "drift: every registration holds"
