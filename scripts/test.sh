#!/usr/bin/env bash
# Install the test needs (Python packages and Debian's Chromium) and run the whole test suite:
# lint, types, unit, golden, end-to-end and real-browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Chromium from Debian …" >&2
  apt_get() { if [ "$(id -u)" -eq 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
  apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq chromium >/dev/null
fi
scripts/setup.sh requirements-dev.txt
export NO_MKDOCS_2_WARNING=1 PATH="$PWD/.venv/bin:$PATH"
echo "== ruff" && ruff check scripts tests
echo "== mypy" && mypy
echo "== handbook check" && handbook check
echo "== pytest" && python -m pytest "$@"
