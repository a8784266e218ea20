#!/usr/bin/env bash
# Install the handbook's needs and serve the preview on http://127.0.0.1:8000/ (pass `build` to build into site/).
# The preview rebuilds on every save, only the pages the change shows on (`--dirty`: scripts/handbook/web/dirty.py);
# stop it with Ctrl+C and start it again with the same command.
set -euo pipefail
cd "$(dirname "$0")/.."
# Install only when requirements.txt changed since scripts/setup.sh last installed it (a restart takes no pip run).
cmp -s requirements.txt .venv/.installed-requirements.txt 2>/dev/null || scripts/setup.sh requirements.txt
# Material for MkDocs prints a box about its end of life (May 2027) on every `mkdocs` start unless this is set
# (material/templates/__init__.py); a contributor cannot act on it, ARCHITECTURE.md's engine section does.
export NO_MKDOCS_2_WARNING=1
if [ "${1:-serve}" = "build" ]; then
  exec .venv/bin/handbook build --strict  # the languages side by side; the same site as `mkdocs build --strict`
fi
exec .venv/bin/mkdocs serve --dirty "$@"
