#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (address, undefined) in build-fuzz
# (meson -Dfuzz=true: the real modules, instrumented) and runs each for a
# bounded time (FUZZ_SECONDS, default 12 per target). Ends with
# "N passed, N failed". Inputs that failed are kept in /tmp/haicang-fuzz-crashes.
#   fuzz_parsers  the parsers of user bytes (decimals, times, UTF-8, codes, CSV)
#   fuzz_http     raw HTTP connections through the real server code (src/api),
#                 seeded from tests/fuzz/http.seeds, with tests/fuzz/http.dict
#   fuzz_sheet    the XLSX sheet reader (zip and XML) and the rate-card import of
#                 its rows, seeded with two sheets, with tests/fuzz/sheet.dict
#   fuzz_pdfcheck the structural check of uploaded label PDFs, seeded with a
#                 small valid PDF
set -uo pipefail
cd "$(dirname "$0")/../.."
SECS=${FUZZ_SECONDS:-12}
BUILD=${FUZZ_BUILD:-build-fuzz}
OUT=$(mktemp -d /tmp/haicang-fuzz-XXXXXX)
[ -n "${FUZZ_KEEP:-}" ] || trap 'rm -rf "$OUT"' EXIT  # FUZZ_KEEP=1 keeps corpora and logs
pass=0
fail=0
if ! command -v clang >/dev/null; then
    echo "fuzz: clang is not installed"; echo "0 passed, 1 failed"; exit 1
fi
if [ ! -f "$BUILD/build.ninja" ] &&
        ! CC=clang meson setup "$BUILD" -Dfuzz=true -Db_sanitize=address,undefined \
            -Db_lundef=false --buildtype=debug -Doptimization=1 -Dwerror=false \
            -Dc_args=-fno-sanitize-recover=undefined >"$OUT/setup.log" 2>&1; then
    echo "FAIL fuzz (meson setup)"; tail -20 "$OUT/setup.log"; echo "0 passed, 1 failed"; exit 1
fi
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    if ! ninja -C "$BUILD" "tests/fuzz/$name" >"$OUT/$name.build.log" 2>&1; then
        echo "FAIL $name (build)"; grep -E "error|FAILED" -A3 "$OUT/$name.build.log" | head -20
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
    if [ "$name" = fuzz_sheet ]; then
        # an odd first byte: the rest is the sheet XML inside a valid .xlsx
        printf '\x01<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c t="inlineStr"><is><t>x</t></is></c></row><row><c s="1"><v>46023.5</v></c><c><v>1.1000000000000001</v></c></row></sheetData></worksheet>' >"$OUT/$name.corpus/seed-sheet"
        printf '\x01<worksheet><sheetData><row><c t="s"><v>1</v></c><c t="s"><v>1</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c s="2"><v>46023</v></c><c/><c t="s"><v>3</v></c><c><v>0</v></c><c><v>30</v></c><c><v>0.4</v></c></row></sheetData></worksheet>' >"$OUT/$name.corpus/seed-card"
        # an even first byte: the rest is a whole .xlsx (the zip layer), one written by hand
        echo '[["card","warehouse"],["a",1.5,{"date":46388}],[null,"~x",2]]' >"$OUT/sheet.json"
        if python3 tests/cli/make_xlsx.py "$OUT/seed.xlsx" "$OUT/sheet.json" 2>/dev/null; then
            { printf '\x00'; cat "$OUT/seed.xlsx"; } >"$OUT/$name.corpus/seed-zip"
        fi
        extra=(-dict=tests/fuzz/sheet.dict -max_len=8192)
    fi
    if [ "$name" = fuzz_pdfcheck ]; then
        printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R >>\nstartxref\n58\n%%%%EOF\n' >"$OUT/$name.corpus/seed-pdf"
        extra=(-max_len=2048)
    fi
    if TMPDIR="$OUT" "$BUILD/tests/fuzz/$name" -max_total_time="$SECS" -max_len=4096 -timeout=10 \
            -artifact_prefix="$OUT/" "${extra[@]}" "$OUT/$name.corpus" >"$OUT/$name.log" 2>&1; then
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
