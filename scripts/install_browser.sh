#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/browser), quietly and only when missing.
# Idempotent: a second run does nothing. Run as root (CI) or with sudo on a Debian/Ubuntu machine.
# The Python side (playwright) comes from pyproject's extras; Playwright's own browser download is
# never used: the tests drive /usr/bin/chromium (or $RESLENS_CHROMIUM).
set -euo pipefail

CHROMIUM="${RESLENS_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "chromium: present at $CHROMIUM"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: missing, and no apt-get here; install Chromium and set RESLENS_CHROMIUM" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"  # never a password prompt in CI
    else
        echo "chromium: missing; run this script as root to install it" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "chromium: installing the Debian package (apt-get)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "chromium: apt-get failed" >&2
    exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
    echo "chromium: apt-get finished but /usr/bin/chromium is missing" >&2
    exit 1
fi
# the launcher may print a warning of its own first (seen: "[: …: unexpected operator")
version="$(/usr/bin/chromium --version 2>&1 | grep -m 1 '^Chromium' || true)"
case "$version" in
    Chromium*) echo "chromium: $version" ;;
    *) echo "chromium: /usr/bin/chromium does not run (a snap stub?): $version" >&2; exit 1 ;;
esac
