#!/usr/bin/env bash
# Set up what the project needs and then run the app or the tests. Used by `make run`,
# `make test` and .ci/run.
#
#   scripts/dev.sh run  [streamlit flags]   # .venv with requirements.txt (the runtime), then the app
#   scripts/dev.sh test [pytest args]       # .venv with requirements-dev.txt (runtime + tests and
#                                           # benchmarks), Debian's chromium and nginx, then pytest
#   scripts/dev.sh lock                     # recompile both locks from the .in files (README, "Developing")
#
# Both lock files carry hashes, so pip installs them in --require-hashes mode: every package,
# transitive ones included, must be pinned and match a hash of PyPI's files.
set -euo pipefail
cd "$(dirname "$0")/.."

# The oldest Python the pins run on: pandas 3 and numpy 2.4 need 3.11. Keep it equal to
# requires-python in pyproject.toml (tests/test_packaging.py checks).
MIN_PYTHON=3.11
UV_VERSION=0.13.9  # the tool that compiles the locks (`lock` only)

# "3.11" -> 311, for comparing versions in the shell.
version_number() { local major=${1%%.*} minor=${1#*.}; echo $(( major * 100 + ${minor%%.*} )); }

# The version (major.minor) of a Python interpreter, or nothing if it does not run.
python_version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true; }

python_ok() {
  local v; v=$(python_version "$1")
  [ -n "$v" ] && [ "$(version_number "$v")" -ge "$(version_number "$MIN_PYTHON")" ]
}

python_bin() {
  local p seen=()
  for p in "python$MIN_PYTHON" python3.12 python3.13 python3; do
    command -v "$p" >/dev/null 2>&1 || continue
    if python_ok "$p"; then echo "$p"; return; fi
    seen+=("$p is $(python_version "$p")")
  done
  local found="no python3 on PATH"
  [ ${#seen[@]} -gt 0 ] && found=$(IFS=,; echo "${seen[*]}" | sed 's/,/, /g')
  echo "error: the pinned requirements need Python >= $MIN_PYTHON (pandas 3, numpy 2.4);" \
       "found $found. Install python$MIN_PYTHON (e.g. apt-get install python3.11 python3.11-venv)" \
       "or put it first on PATH." >&2
  exit 1
}

ensure_venv() {  # requirements file
  local req="$1"
  if [ -x .venv/bin/python ] && ! python_ok .venv/bin/python; then
    echo "error: .venv runs Python $(python_version .venv/bin/python); the pinned requirements need" \
         ">= $MIN_PYTHON. Remove it (rm -r .venv) and run this again." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    local py; py=$(python_bin)
    "$py" -m venv .venv
  fi
  # Reinstall when the lock file changed since it was last installed (one stamp per file).
  local stamp=".venv/.${req%.txt}.sha256" want have
  want=$(sha256sum "$req" | cut -d' ' -f1)
  have=$(cat "$stamp" 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
  fi
}

ensure_system_packages() {
  # The browser test drives Debian's chromium (never a downloaded browser); the scale-out
  # test puts nginx in front of the app; the class store's tests start a PostgreSQL.
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  # The class store's tests also run against a real PostgreSQL (a throwaway cluster the tests
  # start themselves: tests/pg.py).
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "note: ${missing[*]} not installed (sudo apt-get install ${missing[*]}); the tests that need them will skip" >&2
  fi
}

lock() {
  # The locks hold the hashes of PyPI's own files (Community Cloud installs from PyPI), so the
  # compile ignores any local pip or uv configuration (mirrors, find-links) on this machine.
  # uv lives in its own venv (.tools/), not in the app's.
  if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    local py; py=$(python_bin)
    "$py" -m venv .tools
    .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  fi
  local compile=(env -u UV_INDEX -u UV_EXTRA_INDEX_URL -u UV_FIND_LINKS
                 .tools/bin/uv pip compile --no-config --index-url https://pypi.org/simple
                 --python-version "$MIN_PYTHON" --universal --generate-hashes --quiet)
  "${compile[@]}" requirements.in -o requirements.txt
  "${compile[@]}" requirements-dev.in -o requirements-dev.txt
}

case "${1:-}" in
  run)
    shift
    ensure_venv requirements.txt
    exec .venv/bin/python -m streamlit run app.py "$@"
    ;;
  test)
    shift
    ensure_venv requirements-dev.txt
    ensure_system_packages
    exec .venv/bin/python -m pytest "$@"
    ;;
  lock)
    shift
    lock
    ;;
  *)
    echo "usage: scripts/dev.sh run|test|lock [args...]" >&2
    exit 2
    ;;
esac
