#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (address, undefined) in build-fuzz
# (meson -Dfuzz=true: the real modules, instrumented) and runs each for a
# bounded time (FUZZ_SECONDS, default 8 per target: six targets, the same
# ~50 s in CI as four at 12 s before). Ends with
# "N passed, N failed"; FUZZ_ONLY="fuzz_a fuzz_b" runs only those. Inputs that failed are kept in /tmp/haicang-fuzz-crashes.
#   fuzz_parsers  the parsers of user bytes (decimals, times, UTF-8, codes, CSV,
#                 identity and EPR numbers, the `orders=` list of bulk labels)
#   fuzz_http     raw HTTP connections through the real server code (src/api),
#                 seeded from tests/fuzz/http.seeds, with tests/fuzz/http.dict
#   fuzz_sheet    the XLSX sheet reader (zip and XML) and the rate-card and
#                 carrier-service imports of its rows, seeded with two sheets,
#                 with tests/fuzz/sheet.dict
#   fuzz_import   the CSV bodies of the imports (rate cards, carrier services,
#                 refund rates and invoices, FX rates, ad spend, external fees,
#                 compliance rules, tracking events, public holidays and the
#                 calendars built from them), seeded with a header and rows of
#                 each, with
#                 tests/fuzz/import.dict
#   fuzz_pdfcheck the structural check of uploaded label PDFs, seeded with a
#                 small valid PDF
#   fuzz_pdfjoin  the qpdf join of uploaded label PDFs (bulk printing), seeded
#                 with small valid PDFs (xref table, reconstructed, two parts)
set -uo pipefail
cd "$(dirname "$0")/../.."
SECS=${FUZZ_SECONDS:-8}
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
    if [ -n "${FUZZ_ONLY:-}" ] && [[ " $FUZZ_ONLY " != *" $name "* ]]; then continue; fi
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
        # a page tree: /Kids references are counted
        printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R %%c\n 3 0 R] /Count 2 >>\nendobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n125\n%%%%EOF\n' >"$OUT/$name.corpus/seed-kids"
        extra=(-max_len=2048)
    fi
    if [ "$name" = fuzz_import ]; then
        c="$OUT/$name.corpus"
        printf '\x00card,warehouse,seller,currency,effective_from,effective_to,item,from,to,rate\na,W1,,EUR,2026-01-01,,storage_m3,0,30,0.45\na,W1,,EUR,2026-01-01,,outbound,,1000,1.20\nb,W1,S1,USD,2026-02-01,2026-12-31,surcharge_pct,,,5.5\n' >"$c/seed-ratecard"
        printf '\x01service,warehouse,item,key,from,to,value\nDHL-PAKET,DE-DUI,carrier,,,,DHL\nDHL-PAKET,DE-DUI,name,,,,DHL Paket\nDHL-PAKET,DE-DUI,currency,,,,EUR\nDHL-PAKET,DE-DUI,effective_from,,,,2026-01-01\nDHL-PAKET,DE-DUI,cutoff,,,,16:00\nDHL-PAKET,DE-DUI,numbering,,,,sscc\nDHL-PAKET,DE-DUI,num_prefix,,,,4012345\nDHL-PAKET,DE-DUI,zone,DE,,,DE\nDHL-PAKET,DE-DUI,price,DE,,2000,4.49\n' >"$c/seed-service"
        printf '\x02\xef\xbb\xbfhs_code,effective_from,rate,source\n8518,2020-01-01,13,STA\n\n6109100021,2026-06-01,9.5\r\n' >"$c/seed-rates"
        printf '\x03entry_id,entry_gnum,sku,amount,invoice_no\n,,EAR-1,60.00,INV-1\n292920261000000003,2,,231.50,\n' >"$c/seed-invoices"
        printf '\x04base,quote,day,rate,source\nEUR,USD,2026-11-03,1.0812,"ECB, demo"\n' >"$c/seed-fx"
        printf '\x05channel,month,amount,currency\r\namazon,2025-01,1.50,CNY\r\n\r\n' >"$c/seed-adspend"
        printf '\x06\xef\xbb\xbforder,type,amount,currency,date,reference\r\nord_1,last_mile,4.50,EUR,2026-11-10,DHL-77\r\n,advertising,120.00,USD,2026-11-01,"Ads, November"\r\n' >"$c/seed-fees"
        printf '\x07id,market,category,requirement,condition,effective_from,effective_to,status,source,note\r\na,DE,*,epr.packaging,,2019-01-01,,confirmed,"VerpackG, section 9",\r\n\r\nb,FR,textiles,epr.uin_textiles,,2022-01-01,,uncertain,"AGEC ""UIN""",to check\n' >"$c/seed-rules"
        printf '\x08\xef\xbb\xbftracking_no,status,time,location,detail\r\nRR1,delivered,2026-11-27T10:00:00Z,"Berlin, Mitte","said ""hi"""\r\n\r\nRR2,in_transit,2026-11-27T11:00:00.250Z\n' >"$c/seed-track"
        printf '\x09country,region,date,name\nDE,,2026-12-25,"Weihnachten, 1. Tag"\nDE,BY,2026-01-06,Heilige Drei Koenige\nUS,CARRIER,2026-11-26,Thanksgiving\n' >"$c/seed-holidays"
        extra=(-dict=tests/fuzz/import.dict)
    fi
    if [ "$name" = fuzz_pdfjoin ]; then
        c="$OUT/$name.corpus"
        printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 8 >>\nstream\n0 0 m S\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n0000000202 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n258\n%%%%EOF\n' >"$c/seed-pdf"
        { cat "$c/seed-pdf"; printf '\n%%%%PART\n'; cat "$c/seed-pdf"; } >"$c/seed-two"
        printf '%%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\nxref\n0 1\ntrailer\n<< /Root 1 0 R >>\nstartxref\n168\n%%%%EOF\n' >"$c/seed-broken"
        extra=(-max_len=4096)
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
