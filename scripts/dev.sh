#!/usr/bin/env bash
# Set up what the project needs (a .venv with the pinned requirements; Debian's chromium for the
# browser tests) and then run the app or the tests. Used by `make run`, `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin() {
  for p in python3.11 python3; do
    if command -v "$p" >/dev/null 2>&1; then echo "$p"; return; fi
  done
  echo "error: Python 3.11 is needed (python3.11 or python3 on PATH)" >&2
  exit 1
}

ensure_venv() {
  if [ ! -x .venv/bin/python ]; then
    "$(python_bin)" -m venv .venv
  fi
  local want have
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  have=$(cat .venv/.requirements.sha256 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" > .venv/.requirements.sha256
  fi
}

ensure_system_packages() {
  # The browser test drives Debian's chromium (never a downloaded browser); the scale-out
  # test puts nginx in front of the app.
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "note: ${missing[*]} not installed (sudo apt-get install ${missing[*]}); the tests that need them will skip" >&2
  fi
}

case "${1:-}" in
  run)
    shift
    ensure_venv
    exec .venv/bin/python -m streamlit run app.py "$@"
    ;;
  test)
    shift
    ensure_venv
    ensure_system_packages
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh run|test [args...]" >&2
    exit 2
    ;;
esac
