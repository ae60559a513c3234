#!/usr/bin/env bash
# The scheduled drift check of drift.yml: does every registration a stack manages still hold?
#
#   examples/ci/drift-check.sh <project dir> <stack> [<stack> ...]
#
# For each stack, `pulumi refresh --preview-only --expect-no-changes`: CAMS is read, nothing is
# written to the state. It fails (exit 1, after checking every stack) only when a registration
# was lost: deregistered outside Pulumi, or its number gone from the space; those show as
# deletions. What CAMS reports about a number that is still registered (quality rating,
# messaging tier, display name) is refreshed into the outputs without counting as a change, so
# telemetry never fails the job. Reads are retried through throttling within cams:retryTimeout;
# an error (credentials, an unreachable endpoint) fails the job as well.
set -uo pipefail

project="${1:?usage: drift-check.sh <project dir> <stack> [<stack> ...]}"
shift
[ "$#" -gt 0 ] || { echo "drift-check.sh: name at least one stack" >&2; exit 2; }
cd "$project" || exit 2

failed=()
for stack in "$@"; do
  echo "::group::drift of $stack"
  if ! pulumi refresh --stack "$stack" --preview-only --expect-no-changes --non-interactive; then
    failed+=("$stack")
  fi
  echo "::endgroup::"
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "drift: the check failed for: ${failed[*]} (a registration was lost outside Pulumi, shown above as a deletion, or CAMS could not be read); 'pulumi refresh' records a loss, then 'pulumi up' with a fresh code registers the number again" >&2
  exit 1
fi
echo "drift: every registration holds"
