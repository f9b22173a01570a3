#!/usr/bin/env bash
# Installs what haicang needs on Debian 12, as root: `build` the build
# dependencies, `test` also what the test suites start (MariaDB, Python,
# Chromium, Node). Installs only what is missing.
set -euo pipefail
what=${1:-build}
pkgs=(meson ninja-build pkg-config gcc libc6-dev libsqlite3-dev libmariadb-dev libmicrohttpd-dev
      libjansson-dev libssl-dev libxml2-dev libcmocka-dev libzint-dev tzdata ca-certificates
      libcairo2-dev libfontconfig-dev libxlsxwriter-dev fonts-wqy-microhei libzip-dev
      libcurl4-openssl-dev libqpdf-dev) # cairo, xlsxwriter, the font: statements and invoices (src/render); libzip: reading XLSX (src/render/sheet_read.c); libcurl: the webhook sender (src/webhooks/sender.c); libqpdf: uploaded labels joined into bulk label PDFs (src/lastmile/join.c)
if [ "$what" = test ]; then
    pkgs+=(sqlite3 mariadb-server python3 openssl libxml2-utils curl procps clang
           galera-4 mariadb-backup strace zbar-tools librsvg2-bin poppler-utils libfaketime) # galera-4, mariadb-backup: the Galera suite (tests/scripts/galera.sh); strace: the install test; zbar-tools, librsvg2-bin: barcodes decoded (test_scanning.py); poppler-utils: statement PDFs read back (test_statements.py); libfaketime: a server on a past month's clock (test_statement_month.py)
fi
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "deps.sh: missing ${missing[*]}; run as root or install them" >&2
        exit 1
    fi
    echo "deps.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # wait for another apt-get or dpkg (up to 10 min) instead of failing on its lock
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    # keep a freshly installed mariadb-server from starting a system service
    if [[ " ${missing[*]} " == *" mariadb-server "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
