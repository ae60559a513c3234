#!/usr/bin/env bash
# The package and a meaningful part of its tests on every supported Python this machine has
# besides the one `make test` runs: 3.10, 3.12 and 3.13 (pyenv builds, or pythonX.Y on PATH).
# Each gets a virtualenv of its own (.venv-X.Y) with the project and its dev tools, then the
# model, error, client, controller and both provider routes' tests (no real CLI). Says in one
# line which versions it ran and which it did not find; fails if one that ran failed.
set -uo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local version="$1" root
  if command -v pyenv >/dev/null 2>&1; then
    root="$(pyenv root)"
    for dir in "$root"/versions/"$version".*; do
      [ -x "$dir/bin/python$version" ] && { echo "$dir/bin/python$version"; return; }
    done
  fi
  command -v "python$version" 2>/dev/null || true
}

ran=() missing=() failed=()
for version in ${PYTHONS:-3.10 3.12 3.13}; do
  python="$(find_python "$version")"
  if [ -z "$python" ]; then missing+=("$version"); continue; fi
  venv=".venv-$version"
  if [ ! -f "$venv/.installed" ] || [ pyproject.toml -nt "$venv/.installed" ]; then
    "$python" -m venv "$venv" \
      && "$venv/bin/python" -m pip install --quiet --upgrade pip \
      && "$venv/bin/python" -m pip install --quiet -e '.[dev]' \
      && touch "$venv/.installed" \
      || { failed+=("$version (install)"); continue; }
  fi
  if env -u HTTP_PROXY -u http_proxy -u HTTPS_PROXY -u https_proxy "$venv/bin/python" -m pytest -q \
      -p no:cacheprovider tests/test_layout.py tests/test_models.py tests/test_errors.py \
      tests/test_settings.py tests/test_client.py tests/test_registration.py \
      tests/test_both_routes.py tests/test_sdk.py tests/test_cli.py; then
    ran+=("$version")
  else
    failed+=("$version")
  fi
done
echo "other Pythons: ran ${ran[*]:-none}; not on this machine: ${missing[*]:-none}; failed: ${failed[*]:-none}"
[ "${#failed[@]}" -eq 0 ]
