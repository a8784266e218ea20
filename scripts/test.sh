#!/usr/bin/env bash
# Install the test needs (Python packages; Chromium, Node and Java from Debian; the npm test tools) and run the whole test suite:
# lint, types, unit, golden, end-to-end, real-browser tests and the quality gates. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
apt_get() { if [ "$(id -u)" -eq 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
# From Debian: Chromium (browser tests, pa11y, Lighthouse), Node with npm (axe-core, vnu-jar, pa11y, Lighthouse)
# and Java (the Nu Html Checker).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian …" >&2
  apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq "${missing[@]}" >/dev/null
fi
scripts/setup.sh requirements-dev.txt
# The test tools from npm, exactly as package-lock.json pins them. No install scripts: vnu-jar's would
# download a Java runtime and puppeteer's (for pa11y) a browser; Debian's Java and Chromium are used instead.
echo "== npm ci" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
export NO_MKDOCS_2_WARNING=1 PATH="$PWD/.venv/bin:$PATH"
echo "== ruff" && ruff check scripts tests
echo "== mypy" && mypy
echo "== zizmor" && zizmor --offline .github/workflows
echo "== handbook check" && handbook check
# Three workers on two cores (pytest-xdist): the browser and server tests wait on pages and processes, and a third
# worker fills that time (2 December 2026, fresh clone: 471 s of pytest, against 485-579 s with two). The session's
# fixture sites are built once and shared, see tests/conftest.py.
# The inner loop: scripts/test.sh -m "not slow and not browser" (no builds, PDFs, servers or browsers).
echo "== pytest" && python -m pytest -n 3 --dist worksteal "$@"
