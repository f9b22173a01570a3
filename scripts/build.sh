#!/usr/bin/env bash
# Builds haicang: scripts/build.sh [DIR] [meson options...]; DIR defaults to build.
# Quiet when it works; on failure prints the compiler's errors and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
log=$(mktemp /tmp/haicang-build-XXXXXX)
trap 'rm -f "$log"' EXIT
if [ ! -f "$dir/build.ninja" ]; then
    if ! meson setup "$dir" "$@" >"$log" 2>&1; then
        tail -40 "$log" >&2
        echo "build.sh: meson setup of $dir failed" >&2
        exit 1
    fi
fi
if ! ninja -C "$dir" >"$log" 2>&1; then
    grep -E "error|FAILED|undefined reference" "$log" | head -40 >&2 || tail -40 "$log" >&2
    echo "build.sh: the build in $dir failed (ninja -C $dir shows it all)" >&2
    exit 1
fi
