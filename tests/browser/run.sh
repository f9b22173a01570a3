#!/usr/bin/env bash
# Browser tests of the dashboard against a real haicang serve.
#   tests/browser/run.sh path/to/haicang
#   BROWSER_TESTS='money.test.mjs' tests/browser/run.sh ...   (only those files)
# Installs what it needs when missing (Debian's chromium, node and npm,
# playwright-core from npm), loads the demo data into a temporary SQLite
# database, makes an admin, an operator and a seller key, starts the server,
# runs the tests, and prints one closing line "N passed, N failed".
# Screenshots land in tests/browser/artifacts/.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 path/to/haicang" >&2
    exit 2
fi
BIN=$(readlink -f "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
WAREHOUSE=${HC_WAREHOUSE:-DE-DUI}
[ -x "$BIN" ] || { echo "run.sh: $BIN is not an executable" >&2; exit 2; }

apt_install() {
    if [ "$(id -u)" != 0 ]; then echo "run.sh: need $* (install it, or run as root)" >&2; exit 2; fi
    if [ -z "${APT_UPDATED:-}" ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then echo "run.sh: installing chromium" >&2; apt_install chromium; fi
# CJK glyphs, so that screenshots of the Chinese pages are readable
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
    apt_install fonts-noto-cjk || echo "run.sh: no CJK fonts; Chinese screenshots will show boxes" >&2
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "run.sh: installing nodejs and npm" >&2
    apt_install nodejs npm
fi
if [ ! -f "$HERE/node_modules/playwright-core/package.json" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
DB="sqlite:$TMP/db"

"$BIN" migrate --db "$DB" >"$TMP/migrate.log" 2>&1 || { cat "$TMP/migrate.log" >&2; echo "run.sh: migrate failed" >&2; exit 1; }
"$BIN" demo --db "$DB" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; echo "run.sh: demo failed" >&2; exit 1; }

key() { "$BIN" key create --db "$DB" "$@" | tail -n 1; }
ADMIN_KEY=$(key --role admin)
OPERATOR_KEY=$(key --role operator --warehouse "$WAREHOUSE")

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BASE="http://127.0.0.1:$PORT/"
# a signer for the netting settlement's signed document (settlement.test.mjs)
if openssl ecparam -name prime256v1 -genkey -noout -out "$TMP/settle-key.pem" 2>/dev/null &&
    openssl req -new -x509 -key "$TMP/settle-key.pem" -subj /CN=haicang-browser-test -days 2 \
        -out "$TMP/settle-cert.pem" 2>/dev/null; then
    export HAICANG_SETTLEMENT_KEY="$TMP/settle-key.pem" HAICANG_SETTLEMENT_CERT="$TMP/settle-cert.pem"
fi
# serve the dashboard files beside these tests (web/ of this checkout)
HAICANG_WEB=$(cd "$HERE/../../web" && pwd) "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    if node -e 'fetch(process.argv[1]+"healthz").then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$BASE"; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$TMP/serve.log" >&2; echo "run.sh: serve exited" >&2; exit 1; fi
    sleep 0.1
done

# the seller key is for the first demo seller that has stock in the warehouse
SELLER=${HC_SELLER:-$(node -e '
const [base, key, wh] = process.argv.slice(1);
const get = async (p) => (await (await fetch(base + p, { headers: { Authorization: "Bearer " + key } })).json());
(async () => {
    const inv = await get("v1/inventory?warehouse=" + wh + "&sort=-available&limit=1");
    if (inv.items && inv.items[0]) return console.log(inv.items[0].seller);
    const s = await get("v1/sellers?limit=1");
    console.log(s.items[0].code);
})().catch((e) => { console.error(e); process.exit(1); });
' "$BASE" "$ADMIN_KEY" "$WAREHOUSE")}
SELLER_KEY=$(key --role seller --seller "$SELLER")

rm -rf "$HERE/artifacts"
mkdir -p "$HERE/artifacts"
set +e
(cd "$HERE" && HC_BASE="$BASE" HC_ADMIN_KEY="$ADMIN_KEY" HC_OPERATOR_KEY="$OPERATOR_KEY" HC_SELLER_KEY="$SELLER_KEY" \
    HC_SELLER="$SELLER" HC_WAREHOUSE="$WAREHOUSE" CHROMIUM="$CHROMIUM" \
    node --test --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$TMP/tap" \
        ${BROWSER_TESTS:-*.test.mjs})  # every *.test.mjs beside this script, or those named
RC=$?
set -e
cp "$TMP/serve.log" "$HERE/artifacts/serve.log" 2>/dev/null || true

PASS=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$TMP/tap" | tail -n 1)
FAIL=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$TMP/tap" | tail -n 1)
PASS=${PASS:-0}
FAIL=${FAIL:-0}
if [ "$RC" -ne 0 ] && [ "$FAIL" -eq 0 ]; then FAIL=1; fi
echo "$PASS passed, $FAIL failed"
[ "$RC" -eq 0 ] && [ "$FAIL" -eq 0 ]
