#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (address, undefined) and runs each
# for a bounded time (FUZZ_SECONDS, default 20). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
SECS=${FUZZ_SECONDS:-20}
OUT=$(mktemp -d /tmp/haicang-fuzz-XXXXXX)
pass=0
fail=0
if ! command -v clang >/dev/null; then
    echo "fuzz: clang is not installed"; echo "0 passed, 1 failed"; exit 1
fi
src=(src/base/err.c src/base/arena.c src/base/text.c src/base/sys.c src/catalog/catalog.c
     src/catalog/reference.c src/store/store.c src/store/sqlite.c src/store/mysql.c src/store/db.c
     src/store/migrate.c src/ledger/ledger.c src/ledger/verify.c src/cli/csv.c)
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    if ! clang -std=gnu17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
            -fno-sanitize-recover=undefined -Isrc $(pkg-config --cflags libmariadb) \
            "$t" "${src[@]}" -o "$OUT/$name" \
            $(pkg-config --libs sqlite3 libmariadb) -lm -lpthread 2>"$OUT/$name.build.log"; then
        echo "FAIL $name (build)"; tail -5 "$OUT/$name.build.log"; fail=$((fail + 1)); continue
    fi
    mkdir -p "$OUT/$name.corpus"
    if "$OUT/$name" -max_total_time="$SECS" -max_len=4096 -timeout=10 "$OUT/$name.corpus" \
            >"$OUT/$name.log" 2>&1; then
        echo "PASS $name ($(grep -oE '#[0-9]+' "$OUT/$name.log" | tail -1 | tr -d '#') runs in ${SECS}s)"
        pass=$((pass + 1))
    else
        echo "FAIL $name"; grep -A15 "ERROR\|runtime error" "$OUT/$name.log" | head -30
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
