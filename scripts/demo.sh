#!/usr/bin/env bash
# The main job: install, build, load the demo data set into haicang.db (once)
# and serve the API and the dashboard on http://127.0.0.1:8080/ (LISTEN=... to
# change). Keys to sign in with are printed and kept in demo-keys.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
bash scripts/build.sh build --buildtype=release
DB=${DB:-sqlite:haicang.db}
LISTEN=${LISTEN:-127.0.0.1:8080}
if [ ! -f demo-keys.txt ] || [ ! -f "${DB#sqlite:}" ]; then
    rm -f "${DB#sqlite:}" "${DB#sqlite:}-wal" "${DB#sqlite:}-shm"
    ./build/src/cli/haicang demo --db "$DB"
else
    echo "demo data already in ${DB#sqlite:}; keys:"
    cat demo-keys.txt
fi
echo
echo "open http://$LISTEN/ and sign in with a key above (Ctrl-C stops the server)"
exec ./build/src/cli/haicang serve --db "$DB" --listen "$LISTEN"
