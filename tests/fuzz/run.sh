#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (address, undefined) and runs each
# for a bounded time (FUZZ_SECONDS, default 12 per target). Ends with
# "N passed, N failed".
#   fuzz_parsers  the parsers of user bytes (decimals, times, UTF-8, codes, CSV)
#   fuzz_http     raw HTTP connections through the real server code (src/api),
#                 seeded from tests/fuzz/http.seeds, with tests/fuzz/http.dict
set -uo pipefail
cd "$(dirname "$0")/../.."
SECS=${FUZZ_SECONDS:-12}
OUT=$(mktemp -d /tmp/haicang-fuzz-XXXXXX)
trap 'rm -rf "$OUT"' EXIT
pass=0
fail=0
if ! command -v clang >/dev/null; then
    echo "fuzz: clang is not installed"; echo "0 passed, 1 failed"; exit 1
fi
# every module but the command line (the parsers target adds its CSV reader)
mapfile -t src < <(ls src/*/*.c | grep -v '^src/cli/')
flags=(-std=gnu17 -D_GNU_SOURCE -DHC_INSTALL_DATADIR="\"/usr/local/share/haicang\"" -g -O1
       -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Isrc
       $(pkg-config --cflags libmariadb libxml-2.0))
libs=($(pkg-config --libs sqlite3 libmariadb libmicrohttpd jansson libcrypto libxml-2.0) -lm -lpthread)
mkdir -p "$OUT/obj"
# compile once, two at a time
if ! printf '%s\n' "${src[@]}" src/cli/csv.c | xargs -P 2 -I{} sh -c \
        'o="$1/obj/$(echo "$2" | tr / _).o"; clang "$@" -c "$2" -o "$o" 2>"$o.log" || { cat "$o.log"; exit 1; }' \
        sh "$OUT" {} "${flags[@]}" >"$OUT/build.log" 2>&1; then
    :
fi
objs=("$OUT"/obj/*.o)
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    if ! clang "${flags[@]}" -fsanitize=fuzzer "$t" "${objs[@]}" -o "$OUT/$name" "${libs[@]}" \
            >"$OUT/$name.build.log" 2>&1; then
        echo "FAIL $name (build)"; cat "$OUT/build.log" | head -20; tail -5 "$OUT/$name.build.log"
        fail=$((fail + 1)); continue
    fi
    mkdir -p "$OUT/$name.corpus"
    extra=()
    if [ "$name" = fuzz_http ]; then
        # one seed file per request in http.seeds (blocks separated by a line "%%")
        awk -v d="$OUT/$name.corpus" 'BEGIN{n=0; f=sprintf("%s/seed%03d", d, n)}
            /^%%$/ {close(f); n++; f=sprintf("%s/seed%03d", d, n); next}
            {sub(/\r?$/, "\r"); print > f}' tests/fuzz/http.seeds
        extra=(-dict=tests/fuzz/http.dict -max_len=2048)
    fi
    if "$OUT/$name" -max_total_time="$SECS" -max_len=4096 -timeout=10 -artifact_prefix="$OUT/" \
            "${extra[@]}" \
            "$OUT/$name.corpus" >"$OUT/$name.log" 2>&1; then
        echo "PASS $name ($(grep -oE '#[0-9]+' "$OUT/$name.log" | tail -1 | tr -d '#') runs in ${SECS}s)"
        pass=$((pass + 1))
    else
        echo "FAIL $name"; grep -B2 -A25 "ERROR\|runtime error\|fuzz_http:" "$OUT/$name.log" | head -50
        mkdir -p /tmp/haicang-fuzz-crashes
        cp "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* /tmp/haicang-fuzz-crashes/ 2>/dev/null &&
            echo "inputs kept in /tmp/haicang-fuzz-crashes"
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
