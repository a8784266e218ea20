#!/usr/bin/env bash
# Shared setup: a virtual environment in .venv with the given requirements file installed.
# Usage: scripts/setup.sh requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=${1:-requirements.txt}
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    echo "Installing python3-venv from Debian …" >&2
    apt_get() { if [ "$(id -u)" -eq 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
    apt_get update -qq && apt_get install -y -qq python3-venv
    rm -rf .venv && python3 -m venv .venv
  fi
fi
# The PDF handbooks need Pango (WeasyPrint) and the DejaVu fonts from Debian.
apt_get() { if [ "$(id -u)" -eq 0 ]; then apt-get "$@"; else sudo apt-get "$@"; fi; }
missing=()
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian …" >&2
  apt_get update -qq && DEBIAN_FRONTEND=noninteractive apt_get install -y -qq "${missing[@]}" >/dev/null
fi
quiet=$([ -n "${CI:-}" ] && echo "-q" || echo "")
.venv/bin/python -m pip install $quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" ".venv/.installed-$(basename "$requirements")"  # what scripts/serve.sh compares to skip this step
