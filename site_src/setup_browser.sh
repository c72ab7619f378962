#!/usr/bin/env bash
# Installs what the browser tests need from Debian's packages: Chromium and CJK
# fonts (for readable screenshots). Idempotent: installs only what is missing.
# Never downloads a browser build of its own (no `playwright install`).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -qi 'noto'; }; then
  missing+=(fonts-noto-cjk fontconfig)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup_browser: chromium and CJK fonts already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup_browser: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "setup_browser: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
[ -x /usr/bin/chromium ] || { echo "setup_browser: /usr/bin/chromium still missing" >&2; exit 1; }
/usr/bin/chromium --version || true
