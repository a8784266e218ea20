#!/usr/bin/env bash
# Install the handbook's needs and serve it on http://127.0.0.1:8000/ (pass `build` to build into site/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh requirements.txt
export NO_MKDOCS_2_WARNING=1
if [ "${1:-serve}" = "build" ]; then
  exec .venv/bin/handbook build --strict  # the languages side by side; the same site as `mkdocs build --strict`
fi
exec .venv/bin/mkdocs serve "$@"
