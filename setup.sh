#!/usr/bin/env bash
# Set up sheetbook on a fresh Debian/Ubuntu machine: Python package with its test extra, and
# LibreOffice headless + a CJK font (the real spreadsheet engine the tests check our files with).
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if ! command -v soffice >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "Installing LibreOffice headless and a CJK font (about a minute)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-calc-nogui fonts-noto-cjk >/dev/null
  else
    echo "LibreOffice not found and cannot install it here: tests that need it will be skipped." >&2
  fi
fi
"$PY" -m pip install -q --disable-pip-version-check -e '.[test]'
