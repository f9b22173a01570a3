#!/usr/bin/env bash
# Runs every test suite of haicang on a sanitizer build (address,undefined):
#   unit (cmocka), the command line, API on SQLite, API on MariaDB (+ store,
#   ledger, order and customs unit tests there), the kill -9 crash test,
#   libFuzzer on the parsers, and the dashboard in Chromium; plus the release
#   build the main job uses.
# Installs what it needs first (Debian 12, as root). Ends with one line
# "N passed, N failed" over all suites and exits non-zero on any failure.
# SUITES="unit api" limits what runs.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SUITES=${SUITES:-unit cli api mariadb crash fuzz galera browser}
bash scripts/deps.sh test || { echo "0 passed, 1 failed"; exit 1; }
echo "== build (address,undefined sanitizers)"
if ! bash scripts/build.sh build-test -Db_sanitize=address,undefined -Db_lundef=false \
        --buildtype=debug; then
    ninja -C build-test 2>&1 | tail -30
    echo "0 passed, 1 failed"
    exit 1
fi
BIN=$ROOT/build-test/src/cli/haicang
echo "== build (release, as the main job builds it)"
if bash scripts/build.sh build --buildtype=release >"/tmp/haicang-release-build.log" 2>&1; then
    release_ok=1
else
    release_ok=0
    ninja -C build 2>&1 | grep -E "error" | head -20
fi
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
OUT=$(mktemp -d /tmp/haicang-tests-XXXXXX)
passed=0
failed=0
summary=()
if [ "$release_ok" = 1 ]; then passed=1; else failed=1; fi
summary+=("$(printf '%-22s %5d passed, %d failed' release-build "$passed" "$failed")")

# What failed in a suite's log, a few lines each, kept for the end of the run
# (CI shows only the printed output, not the logs).
failures=()
digest() {
    local name=$1 log=$2
    failures+=("-- $name ($log):")
    while IFS= read -r l; do failures+=("   ${l:0:300}"); done < <(
        grep -E -A3 '^\s*(FAIL |not ok |\[  FAILED  \]|ERROR:)|^ *[0-9]+/[0-9]+ .* FAIL ' "$log" | grep -v '^--$' | head -24)
}

# Adds the "N passed, N failed" of a suite's log, or one failure when the
# suite died without saying.
count() {
    local name=$1 log=$2 rc=$3 line p f
    line=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    if [ -z "$line" ]; then
        p=0; f=1
        echo "   $name: no result line (exit $rc); tail of $log:"; tail -15 "$log" | sed 's/^/     /'
    else
        p=$(echo "$line" | sed -E 's/^([A-Za-z]+: )?([0-9]+) passed.*/\2/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
    fi
    if [ "$f" != 0 ]; then digest "$name" "$log"; fi
    passed=$((passed + p)); failed=$((failed + f))
    summary+=("$(printf '%-22s %5d passed, %d failed' "$name" "$p" "$f")")
}

# cmocka binaries: every test case counts.
unit_counts() { # log of the runs -> "N passed, N failed"
    python3 - "$1" <<'PY'
import json, re, sys
p = f = 0
for line in open(sys.argv[1]):
    t = json.loads(line)
    out = t.get("stdout", "") + t.get("stderr", "")
    ok = sum(int(m) for m in re.findall(r"\[  PASSED  \] (\d+) test", out))
    bad = sum(int(m) for m in re.findall(r"\[  FAILED  \] (\d+) test", out))
    if t.get("result") not in ("OK", "SKIP") and bad == 0:
        bad = 1
        print("unit test died:", t.get("name"), t.get("result"))
    p += ok; f += bad
print(f"{p} passed, {f} failed")
PY
}

if [[ " $SUITES " == *" unit "* ]]; then
    echo "== unit tests"
    meson test -C build-test --suite unit --no-rebuild --print-errorlogs >"$OUT/unit.log" 2>&1
    rc=$?
    unit_counts build-test/meson-logs/testlog.json >>"$OUT/unit.log" 2>&1
    count unit "$OUT/unit.log" $rc
fi

if [[ " $SUITES " == *" cli "* ]]; then
    echo "== command line tests"
    bash tests/cli/run.sh "$BIN" >"$OUT/cli.log" 2>&1
    count cli "$OUT/cli.log" $?
fi

if [[ " $SUITES " == *" api "* ]]; then
    echo "== API tests on SQLite"
    for t in tests/api/test_*.py; do # every API suite, one per resource
        n=$(basename "$t" .py); n=${n#test_}
        python3 "$t" --bin "$BIN" --db sqlite >"$OUT/api-$n-sqlite.log" 2>&1
        count "api-$n-sqlite" "$OUT/api-$n-sqlite.log" $?
    done
fi

if [[ " $SUITES " == *" mariadb "* ]]; then
    echo "== MariaDB (started on loopback in a temp dir)"
    MDIR=$OUT/mariadb
    URL=
    for attempt in 1 2 3 4 5; do # a port below the ephemeral range; another if taken
        PORT=$((20000 + RANDOM % 9000))
        rm -rf "$MDIR"
        URL=$(bash tests/scripts/mariadb.sh start "$MDIR" "$PORT" 2>>"$OUT/mariadb-start.log" | tail -1)
        [ -n "$URL" ] && break
        bash tests/scripts/mariadb.sh stop "$MDIR" >/dev/null 2>&1
    done
    if [ -n "$URL" ]; then
        base=${URL%/*}
        for t in tests/api/test_*.py; do
            n=$(basename "$t" .py); n=${n#test_}
            python3 "$t" --bin "$BIN" --db "$URL" >"$OUT/api-$n-mariadb.log" 2>&1
            count "api-$n-mariadb" "$OUT/api-$n-mariadb.log" $?
        done
        for t in store ledger orders customs/test_customs_records charges statement adcap refund compliance_gate identity brands webhooks dispatch transfer; do
            exe=build-test/tests/unit/test_$t
            [[ "$t" == */* ]] && exe=build-test/tests/unit/$t
            t=${t##*/}
            HC_TEST_DB="$base/haicang_unit_${t}_$RANDOM" HC_DATA="$ROOT/data" \
                "$exe" \
                >"$OUT/unit-mariadb-$t.log" 2>&1
            rc=$?
            p=$(grep -oE '\[  PASSED  \] [0-9]+' "$OUT/unit-mariadb-$t.log" | grep -oE '[0-9]+$' || echo 0)
            f=$(grep -oE '\[  FAILED  \] [0-9]+' "$OUT/unit-mariadb-$t.log" | grep -oE '[0-9]+$' || echo 0)
            [ "$rc" != 0 ] && [ "${f:-0}" = 0 ] && f=1
            echo "${p:-0} passed, ${f:-0} failed" >>"$OUT/unit-mariadb-$t.log"
            count "unit-mariadb-$t" "$OUT/unit-mariadb-$t.log" $rc
        done
        bash tests/scripts/mariadb.sh stop "$MDIR" >/dev/null 2>&1
    else
        cat "$OUT/mariadb-start.log"
        echo "0 passed, 1 failed" >"$OUT/api-mariadb.log"
        count api-mariadb "$OUT/api-mariadb.log" 1
    fi
fi

if [[ " $SUITES " == *" crash "* ]]; then
    echo "== crash test (kill -9 under load)"
    python3 tests/api/crash.py --bin "$BIN" >"$OUT/crash.log" 2>&1
    count crash "$OUT/crash.log" $?
fi

if [[ " $SUITES " == *" fuzz "* ]]; then
    echo "== fuzzing the parsers (libFuzzer, ${FUZZ_SECONDS:-8} s per target)"
    bash tests/fuzz/run.sh >"$OUT/fuzz.log" 2>&1
    count fuzz "$OUT/fuzz.log" $?
fi

if [[ " $SUITES " == *" galera "* ]]; then
    echo "== Galera (three MariaDB nodes on loopback; bounded to ${GALERA_SECONDS:-300} s)"
    # on SIGTERM from timeout the suite kills its servers and nodes (kill -9; 30 s grace)
    timeout -k 30 "${GALERA_SECONDS:-300}" python3 tests/galera/run.py --bin "$BIN" \
        >"$OUT/galera.log" 2>&1
    count galera "$OUT/galera.log" $?
fi

if [[ " $SUITES " == *" browser "* ]]; then
    echo "== browser tests (Chromium)"
    bash tests/browser/run.sh "$BIN" >"$OUT/browser.log" 2>&1
    count browser "$OUT/browser.log" $?
fi

echo
if [ "${#failures[@]}" != 0 ]; then
    echo "what failed:"; printf '%s\n' "${failures[@]}"; echo
fi
printf '%s\n' "${summary[@]}"
echo "logs: $OUT"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
