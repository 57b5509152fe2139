#!/usr/bin/env bash
# Install Debian's LibreOffice Writer (no GUI) for the .docx round-trip test
# (tests/test_docx_libreoffice.py), quietly and only when missing. Idempotent: a second run does
# nothing. Run as root (CI) or with sudo on a Debian/Ubuntu machine.
set -euo pipefail

SOFFICE="${RESLENS_SOFFICE:-$(command -v soffice || true)}"

if [ -n "$SOFFICE" ] && [ -x "$SOFFICE" ]; then
    echo "libreoffice: present at $SOFFICE"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "libreoffice: missing, and no apt-get here; install LibreOffice and set RESLENS_SOFFICE" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"  # never a password prompt in CI
    else
        echo "libreoffice: missing; run this script as root to install it" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "libreoffice: installing the Debian package libreoffice-writer-nogui (apt-get)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq \
        && $SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "libreoffice: apt-get failed" >&2
    exit 1
fi

if ! command -v soffice >/dev/null 2>&1; then
    echo "libreoffice: apt-get finished but soffice is missing" >&2
    exit 1
fi
echo "libreoffice: $(soffice --version 2>/dev/null | head -n 1)"
