#!/usr/bin/env bash
# Tests of the haicang command line: every command's success and failure
# paths, the CSV importers with their per-row report, verify on a tampered
# database. tests/cli/run.sh path/to/haicang; ends with "N passed, N failed".
set -uo pipefail
BIN=$(readlink -f "${1:?usage: run.sh path/to/haicang}")
HERE=$(cd "$(dirname "$0")" && pwd)
export HAICANG_DATA=$HERE/../../data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB="sqlite:$TMP/cli.db"
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -f "$TMP/out" ] && sed 's/^/    /' "$TMP/out" | head -20; }
# expect NAME EXIT_CODE GREP_PATTERN -- command...
expect() {
    local name=$1 want=$2 pattern=$3
    shift 4
    "$@" >"$TMP/out" 2>&1
    local rc=$?
    if [ "$rc" != "$want" ] && ! { [ "$want" = nz ] && [ "$rc" != 0 ]; }; then
        bad "$name (exit $rc, wanted $want)"
    elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$TMP/out"; then
        bad "$name (no /$pattern/ in output)"
    else
        ok "$name"
    fi
}

expect "help lists the commands" 0 "haicang import skus" -- "$BIN" --help
expect "unknown command" nz "unknown command" -- "$BIN" frobnicate
expect "bad db URL" nz "sqlite: or mysql://" -- "$BIN" migrate --db postgres://x
expect "migrate" 0 "schema version" -- "$BIN" migrate --db "$DB"
expect "key needs a role" nz "--role must be" -- "$BIN" key create --db "$DB"
expect "seller key needs --seller" nz "needs --seller" -- "$BIN" key create --db "$DB" --role seller
expect "unknown option" nz "unknown option --colour" -- "$BIN" key create --db "$DB" --colour red
# one option parser (src/cli/opts.c) for every command: unknown options named, short ones too,
# flags take no value, values may follow "=", "--" ends the options
expect "unknown option of load-plan named" 2 "unknown option --colour" -- "$BIN" load-plan --colour x
expect "unknown short option named" nz "unknown option -x" -- "$BIN" migrate --db "$DB" -x
expect "a flag takes no value" 2 "--check takes no value" -- "$BIN" load-plan --check=yes a.json
expect "an option needs its value" nz "--db needs a value" -- "$BIN" verify --db
expect "--name=value" 0 "schema version" -- "$BIN" migrate --db="$DB"
expect "-- ends the options" nz "unexpected argument --db" -- "$BIN" migrate -- --db "$DB"
"$BIN" key create --db "$DB" --role admin >"$TMP/out" 2>&1
key=$(tail -1 "$TMP/out")
if [[ "$key" =~ ^hck_[0-9a-f]{12}_[0-9a-f]{64}$ ]] && ! grep -q "${key#hck_*_}" "$TMP/cli.db"; then
    ok "key printed last, only its hash stored"
else
    bad "key printed last, only its hash stored"
fi

expect "key create --name" 0 'named "desk-1"' -- "$BIN" key create --db "$DB" --name desk-1 --role operator --warehouse DE1
nkey=$(tail -1 "$TMP/out")
expect "key name taken" nz "--name: a key named desk-1 exists" -- "$BIN" key create --db "$DB" --name desk-1 --role admin
expect "key list shows names" 0 "desk-1 +operator +DE1 .*active" -- "$BIN" key list --db "$DB"
if ! grep -q "${nkey#hck_*_}" "$TMP/out"; then ok "key list shows no secret"; else bad "key list shows no secret"; fi
expect "key revoke by name" 0 'revoked key [0-9a-f]{12} named "desk-1"' -- "$BIN" key revoke --db "$DB" desk-1
expect "key list shows it revoked" 0 "desk-1 .*revoked 20" -- "$BIN" key list --db "$DB"
expect "key revoke unknown" nz "no API key nope" -- "$BIN" key revoke --db "$DB" nope
expect "key without a verb" nz "usage: haicang key create" -- "$BIN" key --db "$DB"

sqlite3 "$TMP/cli.db" "INSERT INTO sellers (code, name, country, created_at) VALUES ('S1', 'Seller', 'CN', 0);
INSERT INTO warehouses (code, name, country, address, timezone, lat_e6, lon_e6, aisle_pitch_mm, bay_pitch_mm, depot_aisle, created_at)
 VALUES ('DE1', 'W', 'DE', '{}', 'Europe/Berlin', 51000000, 9000000, 3000, 1000, 1, 0);"
cat >"$TMP/skus.csv" <<'CSV'
seller,sku,name,name_zh,hs_code,declared_value,currency,origin_country,length_mm,width_mm,height_mm,weight_g,barcode,brand
S1,A-1,"Lamp, desk",台灯,9405219000,12.50,USD,CN,300,200,100,800,,
S1,A-2,Cable,,8544422900,1.5,USD,CN,100,50,20,40,,
S1,A-3,Bad HS,,94052190,1.00,USD,CN,100,50,20,40,,
S1,A-4,Bad money,,9405219000,1.005,USD,CN,100,50,20,40,,
S9,A-5,No seller,,9405219000,1.00,USD,CN,100,50,20,40,,
S1,A-6,"Quoted ""name""",,9405219000,2.00,EUR,CN,100,50,20,40,,
CSV
expect "import skus reports bad rows" nz "imported 3 SKUs from .*3 rows failed" -- "$BIN" import skus "$TMP/skus.csv" --db "$DB"
grep -q "row 4: hs_code: must be exactly 10 digits" "$TMP/out" && ok "row report names the hs_code" || bad "row report names the hs_code"
grep -q "row 5: declared_value" "$TMP/out" && ok "row report names the amount" || bad "row report names the amount"
grep -q "row 6: seller: no seller S9" "$TMP/out" && ok "row report names the seller" || bad "row report names the seller"
[ "$(sqlite3 "$TMP/cli.db" "SELECT name FROM skus WHERE sku = 'A-6'")" = 'Quoted "name"' ] \
    && ok "quoted CSV fields" || bad "quoted CSV fields"
[ "$(sqlite3 "$TMP/cli.db" "SELECT name FROM skus WHERE sku = 'A-1'")" = 'Lamp, desk' ] \
    && ok "comma inside quotes" || bad "comma inside quotes"
expect "import skus again: duplicates reported" nz "row 2: sku: SKU A-1 of S1 exists already" -- "$BIN" import skus "$TMP/skus.csv" --db "$DB"
printf 'seller,sku\nS1,X\n' >"$TMP/short.csv"
expect "missing columns named" nz "lacks the column name" -- "$BIN" import skus "$TMP/short.csv" --db "$DB"
expect "missing file" nz "cannot read" -- "$BIN" import skus "$TMP/nope.csv" --db "$DB"

# stock for orders: receive 10 A-1 through the ledger's own path (an inbound via the API is
# covered by the API suite; here the journal is written by a received inbound)
cat >"$TMP/orders.csv" <<'CSV'
seller,channel,channel_order_id,ship_name,ship_country,ship_postcode,ship_city,ship_line1,sku,qty,unit_price,currency
S1,shop,1001,Anna,DE,10115,Berlin,Str 1,A-1,1,19.99,EUR
S1,shop,1001,Anna,DE,10115,Berlin,Str 1,A-2,2,3.50,EUR
S1,shop,1002,Ben,XX,1,Nowhere,Road 2,A-1,1,19.99,EUR
S1,shop,1003,Cem,FR,75001,Paris,Rue 3,A-9,1,5.00,EUR
S1,shop,1004,Dan,FR,75001,Paris,Rue 4,A-2,0,5.00,EUR
CSV
expect "import orders reports bad rows" nz "imported 1 orders.*3 rows failed" -- "$BIN" import orders "$TMP/orders.csv" --db "$DB"
grep -q "row 4: ship_to.country" "$TMP/out" && ok "order row report names the country" || bad "order row report names the country"
grep -q "row 5: lines\[0\].sku: unknown SKU A-9" "$TMP/out" && ok "order row report names the SKU" || bad "order row report names the SKU"
[ "$(sqlite3 "$TMP/cli.db" "SELECT COUNT(*) FROM order_lines WHERE order_id = (SELECT id FROM orders WHERE channel_order_id = '1001')")" = 2 ] \
    && ok "rows of one order become one order" || bad "rows of one order become one order"
[ "$(sqlite3 "$TMP/cli.db" "SELECT status FROM orders WHERE channel_order_id = '1001'")" = backordered ] \
    && ok "an order without stock is backordered" || bad "an order without stock is backordered"

# a large file shows a progress line
{
    echo "seller,sku,name,name_zh,hs_code,declared_value,currency,origin_country,length_mm,width_mm,height_mm,weight_g,barcode,brand"
    for i in $(seq 1 30000); do echo "S1,BULK-$i,Bulk item $i,,9405219000,1.00,USD,CN,100,50,20,40,,"; done
} >"$TMP/big.csv"
expect "large import shows progress" 0 "importing: 30000 rows, 100% of the file" -- "$BIN" import skus "$TMP/big.csv" --db "$DB"

expect "verify a clean database" 0 "0 differences" -- "$BIN" verify --db "$DB"
sqlite3 "$TMP/cli.db" "INSERT INTO journal (seller, id, at, kind, sku, qty, from_place, to_place, ref, actor) VALUES ('S1', 1, 0, 'move', 'A-1', 5, 'origin', 'wh/DE1/A-01-1', 'x', 'x')"
expect "verify finds a journal entry without its balance" nz "DIFF balance S1 A-1 wh/DE1/A-01-1" -- "$BIN" verify --db "$DB"

sqlite3 "$TMP/cli.db" "INSERT INTO place_load (place, volume_mm3, weight_g) VALUES ('wh/DE1/Z-09-9', 5, 5)"
expect "verify finds a bin load that no stock explains" nz "DIFF place_load wh/DE1/Z-09-9" -- "$BIN" verify --db "$DB"

# ---- money and FX (issue 10): top-ups, balances, postings, rates, verify of the money journal
MDB="sqlite:$TMP/money.db"
expect "money: migrate" 0 "schema version" -- "$BIN" migrate --db "$MDB"
sqlite3 "$TMP/money.db" "INSERT INTO sellers (code, name, country, created_at) VALUES ('M1', 'Money Seller', 'CN', 0)"
expect "money topup" 0 "^booked 250.00 EUR for M1 as mny_[0-9]+" -- "$BIN" money topup M1 250.00 EUR --reference BANK-1 --db "$MDB"
expect "money topup: negative amount named" 1 "amount" -- "$BIN" money topup M1 -5.00 EUR --reference BANK-2 --db "$MDB"
expect "money topup: unknown seller" 1 "no seller NOPE" -- "$BIN" money topup NOPE 5.00 EUR --reference BANK-3 --db "$MDB"
expect "money topup: too many decimals" 1 "amount" -- "$BIN" money topup M1 5.001 EUR --reference BANK-4 --db "$MDB"
expect "money topup: reference required" 1 "usage" -- "$BIN" money topup M1 5.00 EUR --db "$MDB"
expect "money topup: idempotency key books once" 0 "^booked 1.00 EUR" -- "$BIN" money topup M1 1.00 EUR --reference BANK-5 --idempotency-key k1 --db "$MDB"
expect "money topup: the same key again" 0 "^already booked: 1.00 EUR" -- "$BIN" money topup M1 1.00 EUR --reference BANK-5 --idempotency-key k1 --db "$MDB"
expect "money balance" 0 "seller/M1/wallet +credit +251.00 EUR" -- "$BIN" money balance --seller M1 --db "$MDB"
expect "money postings" 0 "seller/M1/receipts +debit +250.00 EUR  topup BANK-1" -- "$BIN" money postings --seller M1 --db "$MDB"
printf 'base,quote,day,rate,source\nEUR,CNY,2026-11-02,7.8125,test\nEUR,USD,2026-11-02,1.08\n' >"$TMP/rates.csv"
expect "fx import" 0 "imported 2 rates" -- "$BIN" fx import "$TMP/rates.csv" --source "cli test" --db "$MDB"
[ "$(sqlite3 "$TMP/money.db" "SELECT source FROM fx_rates WHERE quote = 'USD'")" = "cli test" ] \
    && ok "fx import: --source for rows without one" || bad "fx import: --source for rows without one"
printf 'EUR,CNY,2026-11-03,7.8\nEUR,CNY,2026-11-04,-7.8\n' >"$TMP/rates-bad.csv"
expect "fx import: bad row named, nothing imported" 1 "line 2: rate.*nothing imported" -- "$BIN" fx import "$TMP/rates-bad.csv" --source t --db "$MDB"
[ "$(sqlite3 "$TMP/money.db" "SELECT COUNT(*) FROM fx_rates")" = 2 ] \
    && ok "fx import: all or nothing" || bad "fx import: all or nothing"
# ---- advertising cap (haicang adcap): spend import all or nothing, categories, the report
printf 'channel,month,amount,currency,fx_day,reference\namazon,2024-03,1000.00,CNY\ntiktok,2025-05,100.00,EUR,2026-11-02,TT-1\n' >"$TMP/ads.csv"
expect "adcap spend import" 0 "^imported 2 spend rows for M1" -- "$BIN" adcap spend import "$TMP/ads.csv" --seller M1 --db "$MDB"
expect "adcap spend list: EUR at the day's rate" 0 "2025-05 tiktok +100.00 EUR  CNY 781.25  rate 7.8125 of 2026-11-02  ref TT-1" -- "$BIN" adcap spend list --seller M1 --db "$MDB"
printf 'amazon,2024-04,5.00,CNY\nmyspace,2024-04,5.00,CNY\n' >"$TMP/ads-bad.csv"
expect "adcap spend import: unknown channel named" 1 "line 2: channel" -- "$BIN" adcap spend import "$TMP/ads-bad.csv" --seller M1 --db "$MDB"
printf 'amazon,2024-04,-5.00,CNY\n' >"$TMP/ads-neg.csv"
expect "adcap spend import: negative spend named" 1 "line 1: amount" -- "$BIN" adcap spend import "$TMP/ads-neg.csv" --seller M1 --db "$MDB"
printf 'amazon,2024-4,5.00,CNY\n' >"$TMP/ads-month.csv"
expect "adcap spend import: month not YYYY-MM named" 1 "line 1: month" -- "$BIN" adcap spend import "$TMP/ads-month.csv" --seller M1 --db "$MDB"
[ "$(sqlite3 "$TMP/money.db" "SELECT COUNT(*) FROM ad_spend")" = 2 ] \
    && ok "adcap spend import: all or nothing" || bad "adcap spend import: all or nothing"
expect "adcap category set" 0 "M1: cosmetics \(30.00 %\) from 2025" -- "$BIN" adcap category set --seller M1 --category cosmetics --from-year 2025 --db "$MDB"
expect "adcap category: rate above 100 % refused" 1 "--rate" -- "$BIN" adcap category set --seller M1 --category general --from-year 2025 --rate 101 --db "$MDB"
expect "adcap category: unknown category named" 1 "category" -- "$BIN" adcap category set --seller M1 --category beer --from-year 2025 --db "$MDB"
expect "adcap category list" 0 "from 2025  cosmetics +30.00 %" -- "$BIN" adcap category list --seller M1 --db "$MDB"
expect "adcap report carries forward" 0 "^2025 cosmetics +30.00 +0 +0.00 +781.25 +1000.00 +0.00 +0.00 +1781.25" -- "$BIN" adcap report --seller M1 --year 2025 --db "$MDB"
expect "adcap report: unknown seller" 1 "no seller NOPE" -- "$BIN" adcap report --seller NOPE --year 2025 --db "$MDB"
expect "adcap report: a year to come refused" 1 "year" -- "$BIN" adcap report --seller M1 --year 9999 --db "$MDB"
# ---- export VAT refund (haicang refund): profile, rates and invoices all or nothing, a 9810
# item (written directly: customs released it on 2026-01-10, CEB792 numbered it) filed,
# granted, reconciled, reported
expect "refund report: no profile named" 1 "profile" -- "$BIN" refund report --seller M1 --db "$MDB"
expect "refund profile: VAT above 13 % refused" 1 "--vat" -- "$BIN" refund profile set --seller M1 --company manufacturer --vat 14 --db "$MDB"
expect "refund profile: unknown company type named" 1 "company_type" -- "$BIN" refund profile set --seller M1 --company shop --vat 13 --db "$MDB"
expect "refund profile set" 0 "^M1: manufacturer, VAT 13 %" -- "$BIN" refund profile set --seller M1 --company manufacturer --vat 13 --db "$MDB"
printf 'hs_code,effective_from,rate\n8518,2020-01-01,13\n8518,2021-01-01,13.5\n' >"$TMP/rr-bad.csv"
expect "refund rates import: rate above 13 % named" 1 "line 3: rate" -- "$BIN" refund rates import "$TMP/rr-bad.csv" --seller M1 --db "$MDB"
[ "$(sqlite3 "$TMP/money.db" "SELECT COUNT(*) FROM refund_rates")" = 0 ] \
    && ok "refund rates import: all or nothing" || bad "refund rates import: all or nothing"
printf 'hs_code,effective_from,rate,source\n8518,2020-01-01,13,STA\n' >"$TMP/rr.csv"
expect "refund rates import" 0 "^imported 1 rates for M1" -- "$BIN" refund rates import "$TMP/rr.csv" --seller M1 --db "$MDB"
printf 'entry_id,entry_gnum,sku,amount\n,,EAR-1,-1.00\n' >"$TMP/ri-bad.csv"
expect "refund invoices import: negative amount named" 1 "line 2: amount" -- "$BIN" refund invoices import "$TMP/ri-bad.csv" --seller M1 --db "$MDB"
expect "refund items: none exported" 0 "no 9810 items exported" -- "$BIN" refund items --seller M1 --db "$MDB"
sqlite3 "$TMP/money.db" "INSERT INTO customs_lists (seller, id, trade_mode, ref_kind, ref, warehouse, cop_no, invt_guid, order_no, logistics_no, state, inspection, customs_code, port_code, traf_mode, country, currency, ebc_code, owner_code, total_price, gross_weight, net_weight, released_at, created_at, updated_at) VALUES ('M1', 'cil_1', '9810', 'inbound', 'in_1', 'US-LAX', 'cil_1', 'g', 'o', 'l', 800, '', '2992', '2992', '2', '502', 'CNY', 'e', 'o', '100', '1', '1', 1768017600000, 0, 0); INSERT INTO customs_list_items (seller, list_id, gnum, sku, item_name, gname, gcode, qty, unit, qty1, unit1, price, total_price, currency, country, entry_id, entry_gnum) VALUES ('M1', 'cil_1', 1, 'EAR-1', 'e', 'e', '8518300000', 10, '011', '1', '011', '10', '100', 'CNY', '502', '299220261000000009', 1)"
expect "refund items: basis and refund" 0 "299220261000000009/1 EAR-1 +US-LAX exported 2026-01-10 qty 10 sold 0  basis 100.00 refund 13.00" -- "$BIN" refund items --seller M1 --date 2026-01-31 --db "$MDB"
expect "refund file: a day to come refused" 1 "filed_on" -- "$BIN" refund file --seller M1 --date 2099-01-01 --db "$MDB"
expect "refund file" 0 "unsold +HWC-YT +10  basis +100.00  refund +13.00" -- "$BIN" refund file --seller M1 --date 2026-02-01 --db "$MDB"
expect "refund file: nothing left" 1 "items: no item is ready" -- "$BIN" refund file --seller M1 --date 2026-02-01 --db "$MDB"
FID=$(sqlite3 "$TMP/money.db" "SELECT id FROM refund_filings WHERE seller = 'M1'")
expect "refund grant" 0 "granted 2026-02-10" -- "$BIN" refund grant "$FID" --seller M1 --date 2026-02-10 --db "$MDB"
expect "refund reconcile: before the first month" 1 "period" -- "$BIN" refund reconcile --seller M1 --period 2026-02 --date 2026-02-20 --db "$MDB"
expect "refund reconcile" 0 "sold 0 of 10  pending" -- "$BIN" refund reconcile --seller M1 --period 2026-03 --date 2026-03-05 --db "$MDB"
expect "refund report" 0 "until 2027-04-30" -- "$BIN" refund report --seller M1 --date 2026-03-05 --db "$MDB"
expect "refund report: the next month not yet reconciled" 0 "reconcile: 1 pre-refund lines, next month 2026-04" -- "$BIN" refund report --seller M1 --date 2026-03-05 --db "$MDB"
expect "refund: usage" 2 "usage: haicang refund" -- "$BIN" refund report
expect "verify the money journal" 0 "2 money entries .4 postings.*: 0 differences" -- "$BIN" verify --db "$MDB"
sqlite3 "$TMP/money.db" "UPDATE money_balances SET balance = balance - 100 WHERE account = 'seller/M1/wallet'"
expect "verify finds a tampered money balance" nz "DIFF money balance seller/M1/wallet EUR" -- "$BIN" verify --db "$MDB"

# ---- netting settlement (issue 10 part 7): external fees, the statement, its signature
SDB="sqlite:$TMP/settle.db"
BJ=$(TZ=Asia/Shanghai date +%F)
BJ1=$(TZ=Asia/Shanghai date -d tomorrow +%F)
expect "settlement: migrate" 0 "schema version" -- "$BIN" migrate --db "$SDB"
sqlite3 "$TMP/settle.db" "INSERT INTO sellers (code, name, country, created_at) VALUES ('N1', 'Net Seller', 'CN', 0);
INSERT INTO orders (seller, id, channel, channel_order_id, status, warehouse, ship_to, ship_country, created_at, updated_at)
 VALUES ('N1', 'ord_n1', 'shop', 'C-1', 'shipped', 'DE-DUI', '{}', 'DE', 0, 0);
INSERT INTO order_lines (seller, order_id, line_no, sku, qty, price_minor, currency, allocated)
 VALUES ('N1', 'ord_n1', 0, 'X', 2, 1000, 'EUR', 0);
INSERT INTO order_history (seller, order_id, id, status, at) VALUES ('N1', 'ord_n1', 1, 'shipped', $(date +%s)000)"
printf 'order,type,amount,currency,date,reference\nord_n1,last_mile,3.10,EUR,%s,DHL-1\n,advertising,1.00,EUR,%s,"ADS, Nov"\n' "$BJ" "$BJ" >"$TMP/fees.csv"
printf 'ord_n1,last_mile,3.105,EUR,%s,DHL-2\n' "$BJ" >"$TMP/badfees.csv"
expect "settlement fees import" 0 "^2 external fees recorded for N1" -- "$BIN" settlement fees import "$TMP/fees.csv" --seller N1 --db "$SDB"
expect "settlement fees import: the same fees again" 1 "fees\[0\].reference" -- "$BIN" settlement fees import "$TMP/fees.csv" --seller N1 --db "$SDB"
expect "settlement fees import: a bad amount named" 1 "line 1: amount" -- "$BIN" settlement fees import "$TMP/badfees.csv" --seller N1 --db "$SDB"
expect "settlement show: totals (20.00 - 3.10 - 1.00)" 0 "^EUR,1,20.00,0.00,0.00,0.00,3.10,0.00,0.00,1.00,4.10,15.90,16.90" -- "$BIN" settlement show --seller N1 --from "$BJ" --to "$BJ" --db "$SDB"
expect "settlement show: a period ending tomorrow" 1 "to: .*future" -- "$BIN" settlement show --seller N1 --from "$BJ" --to "$BJ1" --db "$SDB"
expect "settlement show: unknown seller" 1 "no seller NOPE" -- "$BIN" settlement show --seller NOPE --from "$BJ" --to "$BJ" --db "$SDB"
HAICANG_SETTLEMENT_KEY= HAICANG_SETTLEMENT_CERT= HAICANG_CUSTOMS_KEY= HAICANG_CUSTOMS_CERT= \
    expect "settlement signed: no key configured" 1 "HAICANG_SETTLEMENT_KEY" -- "$BIN" settlement show --seller N1 --from "$BJ" --to "$BJ" --format signed --db "$SDB"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/sk.pem" 2>/dev/null
openssl req -new -x509 -key "$TMP/sk.pem" -subj /CN=cli-test -days 2 -out "$TMP/sc.pem" 2>/dev/null
HAICANG_SETTLEMENT_KEY="$TMP/sk.pem" HAICANG_SETTLEMENT_CERT="$TMP/sc.pem" \
    expect "settlement signed (RSA)" 0 "" -- "$BIN" settlement show --seller N1 --from "$BJ" --to "$BJ" --format signed --out "$TMP/signed.json" --db "$SDB"
expect "settlement verify" 0 "signature OK \(rsa-sha256\): settlement of N1" -- "$BIN" settlement verify "$TMP/signed.json"
python3 - "$TMP" <<'PY'
import base64, json, sys
d = sys.argv[1]
e = json.load(open(d + "/signed.json"))
open(d + "/doc.bin", "wb").write(e["document"].encode())
open(d + "/sig.bin", "wb").write(base64.b64decode(e["signature"]["value"]))
e["document"] = e["document"].replace('"15.90"', '"15.91"')
json.dump(e, open(d + "/tampered.json", "w"))
PY
openssl x509 -in "$TMP/sc.pem" -pubkey -noout >"$TMP/spub.pem"
expect "settlement signature checks with openssl" 0 "Verified OK" -- openssl dgst -sha256 -verify "$TMP/spub.pem" -signature "$TMP/sig.bin" "$TMP/doc.bin"
expect "settlement verify: a changed amount" 1 "does not verify" -- "$BIN" settlement verify "$TMP/tampered.json"
# the customs signer's SM2 key when no settlement key is set: SM3 with the default id
openssl genpkey -algorithm SM2 -out "$TMP/sm2k.pem" 2>/dev/null
openssl req -new -x509 -key "$TMP/sm2k.pem" -sm3 -subj /CN=cli-sm2 -days 2 -out "$TMP/sm2c.pem" 2>/dev/null
HAICANG_SETTLEMENT_KEY= HAICANG_SETTLEMENT_CERT= HAICANG_CUSTOMS_KEY="$TMP/sm2k.pem" HAICANG_CUSTOMS_CERT="$TMP/sm2c.pem" \
    expect "settlement signed with the customs signer (SM2)" 0 "" -- "$BIN" settlement show --seller N1 --from "$BJ" --to "$BJ" --format signed --out "$TMP/sm2.json" --db "$SDB"
expect "settlement verify (SM2)" 0 "signature OK \(sm2-sm3\)" -- "$BIN" settlement verify "$TMP/sm2.json"
python3 -c 'import base64, json, sys; e = json.load(open(sys.argv[1])); open(sys.argv[2], "wb").write(e["document"].encode()); open(sys.argv[3], "wb").write(base64.b64decode(e["signature"]["value"]))' "$TMP/sm2.json" "$TMP/sm2doc.bin" "$TMP/sm2sig.bin"
openssl x509 -in "$TMP/sm2c.pem" -pubkey -noout >"$TMP/sm2pub.pem"
expect "SM2 settlement signature checks with openssl" 0 "Verified OK" -- openssl dgst -sm3 -verify "$TMP/sm2pub.pem" -sigopt distid:1234567812345678 -signature "$TMP/sm2sig.bin" "$TMP/sm2doc.bin"
# ---- seller identity (issue 13): numbers checked by their rules, versions kept, as-of reads
IDB="sqlite:$TMP/identity.db"
expect "identity: migrate" 0 "schema version" -- "$BIN" migrate --db "$IDB"
sqlite3 "$TMP/identity.db" "INSERT INTO sellers (code, name, country, created_at) VALUES ('I1', 'Identity Seller', 'CN', 0)"
expect "identity check: a valid USCC (GB 32100-2015 example)" 0 "valid" -- "$BIN" seller identity check uscc 91350100M000100Y43
expect "identity check: a wrong check character" 1 "wrong check character" -- "$BIN" seller identity check uscc 91350100M000100Y44
expect "identity check: DE VAT check digits" 1 "check digits" -- "$BIN" seller identity check vat DE136695978
expect "identity check: UK VAT" 0 "valid" -- "$BIN" seller identity check uk-vat GB980780684
expect "identity check: unknown rule" 1 "no rule iban" -- "$BIN" seller identity check iban DE1
expect "identity show: none yet" 1 "no identity recorded" -- "$BIN" seller identity show I1 --db "$IDB"
expect "identity set: uscc required" 1 "uscc: is required .nothing recorded" -- "$BIN" seller identity set I1 --db "$IDB" --legal-name-zh 深圳一号 --legal-name-en "One Ltd" --address "1 Road"
expect "identity set: first version" 0 "^recorded version 1 of I1" -- "$BIN" seller identity set I1 --db "$IDB" --legal-name-zh 深圳一号 --legal-name-en "One Ltd" --address "1 Road" --uscc 91350100M000100Y43
expect "identity set: bad VAT named, nothing recorded" 1 "markets.DE.vat: .*nothing recorded" -- "$BIN" seller identity set I1 --db "$IDB" --market DE --vat DE136695978
expect "identity set: numbers need --market" 1 "--market CC" -- "$BIN" seller identity set I1 --db "$IDB" --vat DE136695976
expect "identity set: a market added" 0 "^recorded version 2 of I1" -- "$BIN" seller identity set I1 --db "$IDB" --market DE --vat DE136695976 --ioss IM2760000001 --actor alice
expect "identity set: the same again" 0 "^unchanged: version 2" -- "$BIN" seller identity set I1 --db "$IDB" --market DE --vat DE136695976
expect "identity show: numbers with their check" 0 "markets.DE.vat +DE136695976 +valid" -- "$BIN" seller identity show I1 --db "$IDB"
expect "identity history: newest first, who" 0 "^2  .*alice" -- "$BIN" seller identity history I1 --db "$IDB"
[ "$(sqlite3 "$TMP/identity.db" "SELECT COUNT(*) FROM seller_identities WHERE seller = 'I1'")" = 2 ] \
    && ok "identity: two version rows, none overwritten" || bad "identity: two version rows, none overwritten"
v1_at=$(sqlite3 "$TMP/identity.db" "SELECT recorded_at FROM seller_identities WHERE version = 1")
v1_iso=$(date -u -d "@$((v1_at / 1000))" +%Y-%m-%dT%H:%M:%S).$(printf %03d $((v1_at % 1000)))Z
expect "identity show --at: the version valid then" 0 "version 1 " -- "$BIN" seller identity show I1 --db "$IDB" --at "$v1_iso"
expect "identity show --at before any version" 1 "no identity recorded at 2001" -- "$BIN" seller identity show I1 --db "$IDB" --at 2001-01-01
expect "identity show --at: a bad time" 1 "--at" -- "$BIN" seller identity show I1 --db "$IDB" --at yesterday
expect "identity set: unknown seller" 1 "no seller NOPE" -- "$BIN" seller identity set NOPE --db "$IDB" --uscc 91350100M000100Y43

# ---- compliance (haicang compliance): the rule table imported all or nothing, the gate's check
CDB="sqlite:$TMP/compliance.db"
expect "compliance: migrate" 0 "schema version" -- "$BIN" migrate --db "$CDB"
sqlite3 "$TMP/compliance.db" "INSERT INTO sellers (code, name, country, created_at) VALUES ('C1', 'Compliance Seller', 'CN', 0);
INSERT INTO skus (seller, sku, name, hs_code, value_minor, currency, origin, l, w, h, weight_g, created_at)
 VALUES ('C1', 'AK-0001', 'Power bank', '8507600090', 1000, 'EUR', 'CN', 100, 60, 20, 200, 0);"
expect "compliance rules import: the shipped starting set" 0 "^imported 37 rules" -- "$BIN" compliance rules import "$HAICANG_DATA/compliance/rules.csv" --db "$CDB"
expect "compliance rules list: sources named" 0 "de-lucid +DE \* +epr.packaging .*VerpackG" -- "$BIN" compliance rules list --market DE --db "$CDB"
expect "compliance rules list: in force on a day" 0 "^no rules" -- "$BIN" compliance rules list --market DE --on 2010-01-01 --db "$CDB"
printf 'id,market,category,requirement,condition,effective_from,effective_to,status,source,note\nx1,DE,toys,mark.ce,,2020-01-01,,confirmed,t,\nx2,DE,toys,vibes,,2020-01-01,,confirmed,t,\n' >"$TMP/rules-bad.csv"
expect "compliance rules import: bad row named" 1 "rows\[1\].requirement: line 3" -- "$BIN" compliance rules import "$TMP/rules-bad.csv" --db "$CDB"
[ "$(sqlite3 "$TMP/compliance.db" "SELECT COUNT(*) FROM compliance_rules")" = 37 ] \
    && ok "compliance rules import: all or nothing" || bad "compliance rules import: all or nothing"
expect "compliance check: missing items named" 0 "missing +skus\[AK-0001\].eu.gpsr_operator" -- "$BIN" compliance check --seller C1 --market DE AK-0001 --db "$CDB"
expect "compliance check: the verdict" 0 "^HOLD: [0-9]+ missing" -- "$BIN" compliance check --seller C1 --market DE AK-0001 --db "$CDB"
expect "compliance check: unknown SKU named" 1 "lines\[0\].sku" -- "$BIN" compliance check --seller C1 --market DE NOPE --db "$CDB"
expect "compliance matrix: a light per market" 0 "^AK-0001 +red" -- "$BIN" compliance matrix --seller C1 --markets DE,US --db "$CDB"
expect "compliance matrix: bad market named" 1 "markets" -- "$BIN" compliance matrix --seller C1 --markets DE,XX --db "$CDB"
expect "compliance holds: none yet" 0 "nothing held" -- "$BIN" compliance holds --db "$CDB"
expect "compliance recheck" 0 "^released 0" -- "$BIN" compliance recheck --seller C1 --db "$CDB"
# held transfer orders (src/transfer records them): listed by kind, every page of 1000
sqlite3 "$TMP/compliance.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1001)
 INSERT INTO compliance_holds (seller, kind, ref, market, missing, held_at, released_at, warehouse)
 SELECT 'C1', 'transfer', printf('trf_%04d', i), 'DE', 'skus[AK-0001].eu.gpsr_operator', i, 0, 'DE-DUI' FROM n;"
[ "$("$BIN" compliance holds --db "$CDB" | grep -c '^transfer  *trf_[0-9]* *C1 *DE since')" = 1001 ] \
    && ok "compliance holds: transfers, every page" || bad "compliance holds: transfers, every page"
expect "compliance holds: missing items" 0 "missing skus\[AK-0001\].eu.gpsr_operator" -- "$BIN" compliance holds --seller C1 --db "$CDB"
expect "compliance recheck: transfers are their owner's" 0 "^released 0" -- "$BIN" compliance recheck --seller C1 --db "$CDB"
expect "compliance: usage" 2 "usage: haicang compliance" -- "$BIN" compliance check --db "$CDB"

# ---- webhooks (haicang webhook): subscriptions with SSRF checks, the delivery log, redelivery
WDB="sqlite:$TMP/webhooks.db"
expect "webhook: migrate" 0 "schema version" -- "$BIN" migrate --db "$WDB"
sqlite3 "$TMP/webhooks.db" "INSERT INTO sellers (code, name, country, created_at) VALUES ('H1', 'Hook Seller', 'CN', 0)"
expect "webhook add: secret shown once" 0 "^secret whsec_[0-9a-f]{64} " -- "$BIN" webhook add https://hooks.example.invalid/h --events order.created,order.shipped --seller H1 --db "$WDB"
expect "webhook add: private address named url" 1 "url: points at a private" -- "$BIN" webhook add http://10.0.0.1/ --events order.created --seller H1 --db "$WDB"
expect "webhook add: hex metadata address named url" 1 "url: points at a link-local" -- "$BIN" webhook add http://0xa9fea9fe/ --events order.created --seller H1 --db "$WDB"
expect "webhook add: loopback refused" 1 "url: points at a loopback" -- "$BIN" webhook add http://127.0.0.1:9/ --events order.created --seller H1 --db "$WDB"
expect "webhook add: loopback only with the test-only switch" 0 "^webhook whk_" -- env HAICANG_WEBHOOKS_ALLOW_LOOPBACK=test-only "$BIN" webhook add http://127.0.0.1:9/ --events order.created --seller H1 --db "$WDB"
expect "webhook add: not http(s)" 1 "url: must be an http" -- "$BIN" webhook add ftp://example.com/ --events order.created --seller H1 --db "$WDB"
expect "webhook add: unknown event named" 1 "events\[1\]: unknown event" -- "$BIN" webhook add https://example.com/ --events order.created,order.lost --seller H1 --db "$WDB"
expect "webhook add: unknown seller" 1 "no seller NOPE" -- "$BIN" webhook add https://example.com/ --events order.created --seller NOPE --db "$WDB"
expect "webhook add: usage" 1 "usage: webhook add" -- "$BIN" webhook add --db "$WDB"
[ "$(sqlite3 "$TMP/webhooks.db" "SELECT COUNT(*) FROM wh_subscriptions")" = 2 ] \
    && ok "webhook add: nothing stored when refused" || bad "webhook add: nothing stored when refused"
WID=$(sqlite3 "$TMP/webhooks.db" "SELECT id FROM wh_subscriptions WHERE url LIKE 'https:%'")
expect "webhook list" 0 "^$WID +seller H1 +https://hooks.example.invalid/h +order.created,order.shipped" -- "$BIN" webhook list --db "$WDB"
expect "webhook deliveries: none yet" 0 "^no deliveries" -- "$BIN" webhook deliveries "$WID" --db "$WDB"
sqlite3 "$TMP/webhooks.db" "INSERT INTO wh_deliveries (id, sub_id, event_id, event_type, seller, warehouse, subject, status, event_at, state, attempts, next_at, last_code, last_error, redelivery_of, created_at, done_at) VALUES (7, '$WID', 'evt_1', 'order.created', 'H1', 'DE-DUI', 'O1', 'allocated', 0, 'failed', 2, 0, 500, 'the receiver answered 500', 0, 0, 1);
INSERT INTO wh_attempts VALUES (7, 1, 0, 500, 'the receiver answered 500', 12), (7, 2, 10, 500, 'the receiver answered 500', 9)"
expect "webhook deliveries: the log with attempts" 0 "#2 .* http 500" -- "$BIN" webhook deliveries "$WID" --db "$WDB"
expect "webhook redeliver" 0 "^queued delivery [0-9]+ \(of 7\)" -- "$BIN" webhook redeliver "$WID" 7 --db "$WDB"
expect "webhook redeliver: unknown delivery" 1 "no delivery 8" -- "$BIN" webhook redeliver "$WID" 8 --db "$WDB"
expect "webhook deliveries: pending" 0 "order.created +pending" -- "$BIN" webhook deliveries "$WID" --state pending --db "$WDB"
expect "webhook rm" 0 "^deleted $WID" -- "$BIN" webhook rm "$WID" --db "$WDB"
expect "webhook rm: twice" 1 "no webhook" -- "$BIN" webhook rm "$WID" --db "$WDB"
[ "$(sqlite3 "$TMP/webhooks.db" "SELECT state FROM wh_deliveries WHERE redelivery_of = 7")" = cancelled ] \
    && ok "webhook rm: pending deliveries cancelled" || bad "webhook rm: pending deliveries cancelled"
# stock.low thresholds: the subscription's default and per-SKU ones (repeatable), as the API's fields
expect "webhook add: stock.low thresholds" 0 "^webhook whk_" -- "$BIN" webhook add https://stock.example.invalid/low --events stock.low --stock-threshold 20 --threshold MUG-01=5 --threshold=LAMP-02=0 --seller H1 --db "$WDB"
SID=$(sqlite3 "$TMP/webhooks.db" "SELECT id FROM wh_subscriptions WHERE url = 'https://stock.example.invalid/low'")
[ "$(sqlite3 "$TMP/webhooks.db" "SELECT stock_threshold FROM wh_subscriptions WHERE id = '$SID'")|$(sqlite3 "$TMP/webhooks.db" "SELECT group_concat(sku || '=' || below, ',') FROM (SELECT sku, below FROM wh_thresholds WHERE sub_id = '$SID' ORDER BY sku)")" = "20|LAMP-02=0,MUG-01=5" ] \
    && ok "webhook add: thresholds stored" || bad "webhook add: thresholds stored"
expect "webhook list: thresholds shown" 0 "^$SID .*stock.low  below 20 \(LAMP-02 0, MUG-01 5\)" -- "$BIN" webhook list --db "$WDB"
expect "webhook add: per-SKU only" 0 "^webhook whk_" -- "$BIN" webhook add https://stock.example.invalid/sku --events stock.low --threshold MUG-01=3 --seller H1 --db "$WDB"
expect "webhook add: stock.low without a threshold" 1 "stock_threshold: stock.low needs" -- "$BIN" webhook add https://stock.example.invalid/x --events stock.low --seller H1 --db "$WDB"
expect "webhook add: thresholds without stock.low" 1 "thresholds: only for a subscription to stock.low" -- "$BIN" webhook add https://stock.example.invalid/x --events order.created --threshold MUG-01=3 --seller H1 --db "$WDB"
expect "webhook add: a threshold not SKU=N" 1 "--threshold MUG-01: must be SKU=N" -- "$BIN" webhook add https://stock.example.invalid/x --events stock.low --threshold MUG-01 --seller H1 --db "$WDB"
expect "webhook add: a negative threshold" 1 "--threshold MUG-01=-1: must be SKU=N" -- "$BIN" webhook add https://stock.example.invalid/x --events stock.low --threshold MUG-01=-1 --seller H1 --db "$WDB"
expect "webhook add: --stock-threshold not a number" 1 "--stock-threshold must be a whole number" -- "$BIN" webhook add https://stock.example.invalid/x --events stock.low --stock-threshold 2.5 --seller H1 --db "$WDB"
expect "webhook add: a SKU twice named" 1 "thresholds\[1\].sku: named twice" -- "$BIN" webhook add https://stock.example.invalid/x --events stock.low --threshold A=1 --threshold A=2 --seller H1 --db "$WDB"
expect "webhook add: --threshold needs a value" 2 "--threshold needs a value" -- "$BIN" webhook add https://stock.example.invalid/x --events stock.low --seller H1 --db "$WDB" --threshold
[ "$(sqlite3 "$TMP/webhooks.db" "SELECT COUNT(*) FROM wh_subscriptions WHERE url LIKE 'https://stock.example.invalid/%'")" = 2 ] \
    && ok "webhook add: refused thresholds store nothing" || bad "webhook add: refused thresholds store nothing"
expect "webhook update: thresholds replaced" 0 "^webhook $SID  below 7 \(VASE-03 2\)" -- "$BIN" webhook update "$SID" --stock-threshold 7 --threshold VASE-03=2 --db "$WDB"
[ "$(sqlite3 "$TMP/webhooks.db" "SELECT stock_threshold FROM wh_subscriptions WHERE id = '$SID'")|$(sqlite3 "$TMP/webhooks.db" "SELECT group_concat(sku || '=' || below) FROM wh_thresholds WHERE sub_id = '$SID'")" = "7|VASE-03=2" ] \
    && ok "webhook update: stored" || bad "webhook update: stored"
sqlite3 "$TMP/webhooks.db" "INSERT INTO wh_deliveries (id, sub_id, event_id, event_type, seller, warehouse, subject, status, event_at, state, attempts, next_at, last_code, last_error, redelivery_of, created_at, done_at, available, threshold) VALUES (21, '$SID', 'evt_21', 'stock.low', 'H1', 'DE-DUI', 'VASE-03', '', 0, 'delivered', 1, 0, 200, '', 0, 0, 1, 1, 2)"
expect "webhook deliveries: a stock.low one's crossing" 0 "^21 .*stock.low +delivered +VASE-03  available 1 below 2  attempts 1" -- "$BIN" webhook deliveries "$SID" --db "$WDB"
expect "webhook update: none left for stock.low" 1 "stock_threshold: stock.low needs" -- "$BIN" webhook update "$SID" --db "$WDB"
expect "webhook update: a SKU twice named" 1 "thresholds\[1\].sku: named twice" -- "$BIN" webhook update "$SID" --threshold A=1 --threshold A=2 --db "$WDB"
expect "webhook update: unknown subscription" 1 "id: no webhook whk_0" -- "$BIN" webhook update whk_0 --stock-threshold 3 --db "$WDB"
expect "webhook update: usage" 1 "usage: webhook update ID" -- "$BIN" webhook update --db "$WDB"
[ "$(sqlite3 "$TMP/webhooks.db" "SELECT stock_threshold FROM wh_subscriptions WHERE id = '$SID'")|$(sqlite3 "$TMP/webhooks.db" "SELECT group_concat(sku || '=' || below) FROM wh_thresholds WHERE sub_id = '$SID'")" = "7|VASE-03=2" ] \
    && ok "webhook update: refused ones change nothing" || bad "webhook update: refused ones change nothing"

# ---- the product stands on its own (issue 8 §2): data/ and web/ are found from the
# binary (build tree or installed), never from the working directory or a checkout beside it.
ROOT=$(cd "$HERE/../.." && pwd)
SAMPLE=$ROOT/tests/data/customs-ceb-202205/samples/CEB701Message.xml
# run NAME DIR command...: the command in DIR with no HAICANG_* data overrides
run_in() {
    local dir=$1
    shift
    (cd "$dir" && env -u HAICANG_DATA -u HAICANG_WEB -u HAICANG_CUSTOMS_REFDATA \
        -u HAICANG_CUSTOMS_REFEXTRA -u HAICANG_CUSTOMS_XSD "$@")
}
mkdir -p "$TMP/elsewhere" "$TMP/empty"
cp "$SAMPLE" "$TMP/elsewhere/list.xml"
expect "customs validate from outside the source tree" 0 "list.xml: valid CEB701" -- \
    run_in "$TMP/elsewhere" "$BIN" customs validate list.xml
expect "customs defaults name this repository's data/" 2 "--ref-data $ROOT/data/customs-codes " -- \
    run_in / "$BIN" customs
expect "demo in an empty directory declares customs" 0 "customs: .*messages in" -- \
    run_in "$TMP/empty" "$BIN" demo --db "sqlite:$TMP/empty/demo.db" --orders 50
grep -q "customs: skipped" "$TMP/out" && bad "demo did not skip customs" || ok "demo did not skip customs"

# ---- head-haul shipments (haicang shipment), on the demo's shipments
grep -q "shipments: 5 .*customs lists released, [1-9][0-9]* tracking events" "$TMP/out" &&
    ok "demo books, releases, departs and tracks shipments" || bad "demo books, releases, departs and tracks shipments"
EDB="sqlite:$TMP/empty/demo.db"
expect "shipment list shows every state" 0 "received +US-LAX" -- "$BIN" shipment list --db "$EDB"
for st in booked departed arrived received; do
    grep -qE "^shp_[0-9]+ +(rail|sea) +$st " "$TMP/out" && ok "shipment list: one $st" || bad "shipment list: one $st"
done
grep -qE "CNYTN-USLAX +LATE" "$TMP/out" && ok "shipment list flags the late one" || bad "shipment list flags the late one"
expect "shipment list --status received" 0 "^1 shipments" -- "$BIN" shipment list --db "$EDB" --status received
expect "shipment list --warehouse --seller" 0 "^1 shipments" -- "$BIN" shipment list --db "$EDB" --warehouse US-LAX --seller YW-HOMA --status departed
expect "shipment list --status bad" 1 "--status must be booked" -- "$BIN" shipment list --db "$EDB" --status lost
expect "shipment list unknown option" 2 "unknown option --colour" -- "$BIN" shipment list --db "$EDB" --colour red
expect "shipment without a verb" 1 "usage: haicang shipment create" -- "$BIN" shipment
expect "shipment show unknown" 1 "id: no shipment shp_0" -- "$BIN" shipment show shp_0 --db "$EDB"
rail=$(sqlite3 "$TMP/empty/demo.db" "SELECT id FROM shipments WHERE reference = 'HH-2611-rail'")
booked=$(sqlite3 "$TMP/empty/demo.db" "SELECT id FROM shipments WHERE reference = 'HH-2611-booked'")
expect "shipment show: a shared container, both sellers" 0 "YW-HOMA +inb_" -- "$BIN" shipment show "$rail" --db "$EDB"
grep -qE "SZ-ANKO +inb_" "$TMP/out" && grep -qE "eta 20.* est 20" "$TMP/out" &&
    ok "shipment show: contents of both sellers and the estimated ETA" || bad "shipment show: contents of both sellers and the estimated ETA"
expect "shipment depart refused: containers not gated out" 1 "containers: container [A-Z]{4}[0-9]{7} is not closed" -- "$BIN" shipment depart "$booked" --db "$EDB"
expect "shipment arrive a booked one refused" 1 "only a departed shipment arrives" -- "$BIN" shipment arrive "$booked" --db "$EDB"
expect "shipment arrive" 0 "departed|arrived DEDUI at .*units at the dock" -- "$BIN" shipment arrive "$rail" --db "$EDB"
expect "shipment arrive twice refused" 1 "has arrived" -- "$BIN" shipment arrive "$rail" --db "$EDB"
expect "shipment depart --at in the future" 1 "--at is in the future" -- "$BIN" shipment depart "$booked" --at 2999-01-01T00:00:00Z --db "$EDB"
# close-container: the inspect-before-load gate names the blocking lists; released by a
# CEB604 receipt (haicang customs receipts), it gates out and the shipment departs
box=$(sqlite3 "$TMP/empty/demo.db" "SELECT number FROM shipment_containers WHERE shipment_id = '$booked' LIMIT 1")
expect "shipment close-container refused: blocking lists named" 1 "^haicang shipment: $booked: lists: inspect-before-load: container $box cannot close: cil_[0-9]+ \(inbound inb_" -- "$BIN" shipment close-container "$booked" "$box" --db "$EDB"
expect "shipment close-container: a container not on the shipment named" 1 "number: no container CSQU3054383 on shipment $booked" -- "$BIN" shipment close-container "$booked" CSQU3054383 --db "$EDB"
expect "shipment close-container without NUMBER" 1 "usage: haicang shipment close-container SHIPMENT NUMBER" -- "$BIN" shipment close-container "$booked" --db "$EDB"
mkdir -p "$TMP/rcpt"
n=0
while read -r cop cc; do
    n=$((n + 1))
    cat >"$TMP/rcpt/r$n.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<ceb:CEB604Message guid="0000009$n-6fed-4603-8c5d-49b1fa4b4b9b" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:InventoryReturn><ceb:guid>0000009$n-EDED-46B1-946C-B8022E42FC94</ceb:guid><ceb:copNo>$cop</ceb:copNo><ceb:preNo>P2026112800000009$n</ceb:preNo><ceb:invtNo>${cc}2026E00079000$n</ceb:invtNo><ceb:returnStatus>800</ceb:returnStatus><ceb:returnTime>20261128100000000</ceb:returnTime><ceb:returnInfo>放行</ceb:returnInfo></ceb:InventoryReturn></ceb:CEB604Message>
XML
done < <(sqlite3 -separator ' ' "$TMP/empty/demo.db" "SELECT cop_no, customs_code FROM customs_lists WHERE ref_kind = 'inbound' AND ref IN (SELECT id FROM inbounds WHERE shipment = '$booked')")
expect "customs receipts release the booked shipment's lists" 0 " [1-9][0-9]* applied, 0 failed" -- "$BIN" customs receipts "$TMP/rcpt" --db "$EDB"
expect "shipment close-container" 0 "^$booked: container $box closed" -- "$BIN" shipment close-container "$booked" "$box" --db "$EDB"
expect "shipment close-container twice refused" 1 "container $box is closed already" -- "$BIN" shipment close-container "$booked" "$box" --db "$EDB"
expect "shipment depart after close-container" 0 "^$booked departed CNZZU at .* in transit" -- "$BIN" shipment depart "$booked" --db "$EDB"
inb=$(sqlite3 "$TMP/empty/demo.db" "SELECT id FROM inbounds WHERE status = 'expected' AND shipment IS NULL LIMIT 1")
cat >"$TMP/ship.json" <<JSON
{"mode": "rail", "warehouse": "DE-DUI", "reference": "cli-1",
 "legs": [{"from": "CNZZU", "to": "DEDUI", "carrier": "CR Express", "etd": "2026-12-20T08:00:00Z", "eta": "2027-01-05T08:00:00Z"}],
 "containers": [{"number": "CSQU3054383", "size_type": "45G1", "seals": ["S1"], "contents": [{"inbound": "$inb", "cartons": 30}]}]}
JSON
sed 's/CSQU3054383/CSQU3054384/' "$TMP/ship.json" >"$TMP/ship-bad.json"
n0=$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM shipments")
expect "shipment create: wrong check digit named" 1 "containers\[0\]\.number: wrong check digit: CSQU305438 calls for 3" -- "$BIN" shipment create "$TMP/ship-bad.json" --db "$EDB"
[ "$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM shipments")" = "$n0" ] && ok "refused shipment stores nothing" || bad "refused shipment stores nothing"
printf '{"mode": "boat"}' >"$TMP/ship-mode.json"
expect "shipment create: bad mode named" 1 "ship-mode.json: (mode|warehouse): " -- "$BIN" shipment create "$TMP/ship-mode.json" --db "$EDB"
expect "shipment create" 0 "^booked shp_[0-9]+" -- "$BIN" shipment create "$TMP/ship.json" --db "$EDB"
grep -q "CSQU3054383 45G1 loading seals S1" "$TMP/out" && ok "shipment create shows the container" || bad "shipment create shows the container"
expect "shipment create: container in another open shipment" 1 "number" -- "$BIN" shipment create "$TMP/ship.json" --db "$EDB"
expect "verify after the CLI moved shipments" 0 " 0 differences" -- "$BIN" verify --db "$EDB"

# ---- rate cards and the storage run (haicang rate-cards, haicang finance), on the demo's data
cat >"$TMP/cards.csv" <<'CSV'
card,warehouse,seller,currency,effective_from,effective_to,item,from,to,rate
anko,DE-DUI,SZ-ANKO,EUR,2031-01-01,,storage_m3,0,30,0.40
anko,DE-DUI,SZ-ANKO,EUR,2031-01-01,,storage_m3,31,,0.55
anko,DE-DUI,SZ-ANKO,EUR,2031-01-01,,inbound_carton,12,,1.10
anko,DE-DUI,SZ-ANKO,EUR,2031-01-01,,outbound,,,2.40
anko,DE-DUI,SZ-ANKO,EUR,2031-01-01,,min_inbound,,,5.00
CSV
sed 's/31,,0.55/25,,0.55/' "$TMP/cards.csv" >"$TMP/cards-bad.csv"
n0=$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM rate_cards")
expect "rate-cards import: overlapping tiers named" 1 "card anko: storage.tiers\[1\]\.from_day" -- "$BIN" rate-cards import "$TMP/cards-bad.csv" --db "$EDB"
[ "$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM rate_cards")" = "$n0" ] && ok "refused rate cards store nothing" || bad "refused rate cards store nothing"
expect "rate-cards import" 0 "^1 rate cards imported" -- "$BIN" rate-cards import "$TMP/cards.csv" --db "$EDB"
expect "rate-cards import: overlapping effective dates named" 1 "card 1: effective_from" -- "$BIN" rate-cards import "$TMP/cards.csv" --db "$EDB"
# the same columns in an .xlsx written by hand (tests/cli/make_xlsx.py): shared and inline
# strings, numbers as Excel writes doubles (0.1 + 0.2), effective_from as a date cell (46388 is
# 2027-01-01), a gap (no cell) for the open effective_to
cat >"$TMP/cards-xlsx.json" <<'JSON'
[["card", "warehouse", "seller", "currency", "effective_from", "effective_to", "item", "from", "to", "rate"],
 ["homa", "DE-DUI", "~YW-HOMA", "EUR", {"date": 46388}, null, "storage_m3", 0, 60, 0.30000000000000004],
 ["homa", "DE-DUI", "~YW-HOMA", "EUR", {"date": 46388}, null, "storage_m3", 61, "", 0.55],
 [],
 ["homa", "DE-DUI", "~YW-HOMA", "EUR", {"date": 46388}, null, "~outbound", null, null, 2.4]]
JSON
python3 "$HERE/make_xlsx.py" "$TMP/cards.xlsx" "$TMP/cards-xlsx.json"
sed 's/0.55\]/"0,55"]/' "$TMP/cards-xlsx.json" >"$TMP/cards-xlsx-bad.json"
python3 "$HERE/make_xlsx.py" "$TMP/cards-bad.xlsx" "$TMP/cards-xlsx-bad.json"
expect "rate-cards import: a bad rate in an .xlsx named by its row" 1 "row 3: rate" -- "$BIN" rate-cards import "$TMP/cards-bad.xlsx" --db "$EDB"
expect "rate-cards import: .xlsx" 0 "^1 rate cards imported" -- "$BIN" rate-cards import "$TMP/cards.xlsx" --db "$EDB"
[ "$(sqlite3 "$TMP/empty/demo.db" "SELECT effective_from || ' ' || (SELECT GROUP_CONCAT(lo || '-' || hi || ':' || rate_e4, ' ') FROM rate_card_lines l WHERE l.card = c.id AND l.kind = 'tier') FROM rate_cards c WHERE seller = 'YW-HOMA' AND effective_from = '2027-01-01'")" = "2027-01-01 0-60:300000 61--1:550000" ] \
    && ok "rate-cards import: .xlsx read as the CSV (date cell, 0.1 + 0.2 as 0.3)" || bad "rate-cards import: .xlsx read as the CSV (date cell, 0.1 + 0.2 as 0.3)"
printf 'card,warehouse\n' >"$TMP/not.xlsx"
expect "rate-cards import: a CSV named .xlsx refused" 1 "file: not a readable XLSX sheet" -- "$BIN" rate-cards import "$TMP/not.xlsx" --db "$EDB"
expect "finance storage-run: catch-up" 0 "^storage run: [0-9]+ warehouse-days" -- "$BIN" finance storage-run --db "$EDB"
expect "finance storage-run: again books nothing" 0 "^storage run: 0 warehouse-days, 0 entries" -- "$BIN" finance storage-run --db "$EDB"
expect "finance storage-run: a day not ended refused" 1 "date: " -- "$BIN" finance storage-run --warehouse DE-DUI --date 2099-01-01 --db "$EDB"
expect "finance storage-run: unknown warehouse named" 1 "warehouse: no warehouse" -- "$BIN" finance storage-run --warehouse XX-NONE --db "$EDB"
expect "verify after the storage runs" 0 " 0 differences" -- "$BIN" verify --db "$EDB"

# ---- last mile (haicang carrier, rates, label), on the demo's services and parcels
expect "carrier list: the demo's services" 0 "DHL-PAKET +DHL" -- "$BIN" carrier list --warehouse DE-DUI --db "$EDB"
cat >"$TMP/svc.csv" <<'CSV'
service,warehouse,item,key,from,to,value
CLI-POST,DE-DUI,carrier,,,,Deutsche Post
CLI-POST,DE-DUI,name,,,,Warenpost
CLI-POST,DE-DUI,currency,,,,EUR
CLI-POST,DE-DUI,effective_from,,,,2026-01-01
CLI-POST,DE-DUI,max_weight_g,,,,1000
CLI-POST,DE-DUI,numbering,,,,s10
CLI-POST,DE-DUI,num_prefix,,,,RR
CLI-POST,DE-DUI,num_country,,,,DE
CLI-POST,DE-DUI,zone,DE,,,DE
CLI-POST,DE-DUI,price,DE,,1000,2.85
CSV
sed 's/1000,2.85/1000,2.855/' "$TMP/svc.csv" >"$TMP/svc-bad.csv"
n0=$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM lm_services")
expect "carrier import: a bad price named by its line" 1 "line 11: value" -- "$BIN" carrier import "$TMP/svc-bad.csv" --db "$EDB"
[ "$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM lm_services")" = "$n0" ] && ok "refused services store nothing" || bad "refused services store nothing"
expect "carrier import" 0 "^1 carrier services imported" -- "$BIN" carrier import "$TMP/svc.csv" --db "$EDB"
expect "carrier import: overlapping versions named" 1 "service CLI-POST: effective_from" -- "$BIN" carrier import "$TMP/svc.csv" --db "$EDB"
cat >"$TMP/svc-xlsx.json" <<'JSON'
[["service", "warehouse", "item", "key", "from", "to", "value"],
 ["CLI-X", "US-LAX", "carrier", null, null, null, "OnTrac"],
 ["CLI-X", "US-LAX", "name", null, null, null, "OnTrac Ground"],
 ["CLI-X", "US-LAX", "currency", null, null, null, "USD"],
 ["CLI-X", "US-LAX", "effective_from", null, null, null, "2026-01-01"],
 ["CLI-X", "US-LAX", "num_prefix", null, null, null, "0614141"],
 ["CLI-X", "US-LAX", "zone", "W", "90000", "96199", "US"],
 ["CLI-X", "US-LAX", "price", "W", null, 20000, 7.1]]
JSON
python3 "$HERE/make_xlsx.py" "$TMP/svc.xlsx" "$TMP/svc-xlsx.json"
expect "carrier import: .xlsx" 0 "^1 carrier services imported" -- "$BIN" carrier import "$TMP/svc.xlsx" --db "$EDB"
expect "rates: every service that takes the parcel" 0 "CLI-POST .* 2\.85 EUR" -- "$BIN" rates --warehouse DE-DUI --country DE --postcode 10115 --weight-g 800 --dims-mm 200x150x50 --db "$EDB"
grep -q "DHL-PAKET" "$TMP/out" && ok "rates: DHL Paket quoted too" || bad "rates: DHL Paket quoted too"
expect "rates: over every limit named" 1 "parcels\[0\]\.weight_g" -- "$BIN" rates --warehouse DE-DUI --country DE --postcode 10115 --weight-g 50000 --dims-mm 300x300x300 --db "$EDB"
expect "rates: a postcode no zone covers named" 1 "ship_to.postcode" -- "$BIN" rates --warehouse US-LAX --country US --postcode 00100 --weight-g 500 --dims-mm 100x100x100 --db "$EDB"
expect "rates: usage" 2 "usage: haicang rates" -- "$BIN" rates --warehouse DE-DUI --db "$EDB"
pcl=$(sqlite3 "$TMP/empty/demo.db" "SELECT id FROM lm_parcels ORDER BY id LIMIT 1")
trk=$(sqlite3 "$TMP/empty/demo.db" "SELECT tracking_no FROM lm_parcels WHERE id = '$pcl'")
[ -n "$trk" ] && ok "demo: parcels with tracking numbers" || bad "demo: parcels with tracking numbers"
expect "label: ZPL" 0 "^\^XA" -- "$BIN" label "$pcl" --format zpl --db "$EDB"
[ -n "$trk" ] && grep -q "$trk" "$TMP/out" && ok "label: ZPL holds the tracking number" || bad "label: ZPL holds the tracking number"
expect "label: PDF to a file" 0 "" -- "$BIN" label "$pcl" --out "$TMP/label.pdf" --db "$EDB"
if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
    pdftoppm -r 300 -png "$TMP/label.pdf" "$TMP/label" && zbarimg -q --raw "$TMP"/label-1.png >"$TMP/out" 2>&1
    [ -n "$trk" ] && grep -q "$trk" "$TMP/out" && ok "label: the PDF's barcode decodes to the tracking number (zbarimg)" ||
        bad "label: the PDF's barcode decodes to the tracking number (zbarimg)"
fi
expect "label: unknown parcel" 1 "no parcel" -- "$BIN" label pcl_0 --db "$EDB"
# public holidays (haicang holidays): the demo loads data/holidays; import all or nothing
expect "holidays list: the demo loaded Germany's 2026 calendar" 0 "^37 holidays" -- "$BIN" holidays list --country DE --year 2026 --db "$EDB"
grep -qE "^DE +- +2026-05-25 Mon Pfingstmontag" "$TMP/out" && ok "holidays list: Whit Monday 2026 on Monday 25 May" || bad "holidays list: Whit Monday 2026 on Monday 25 May"
expect "holidays list: nationwide only" 0 "^9 holidays" -- "$BIN" holidays list --country DE --region - --year 2027 --db "$EDB"
grep -qE "2027-03-26 Fri Karfreitag" "$TMP/out" && grep -qE "2027-03-29 Mon Ostermontag" "$TMP/out" \
    && ok "holidays list: Easter 2027 (Good Friday 26, Easter Monday 29 March)" || bad "holidays list: Easter 2027 (Good Friday 26, Easter Monday 29 March)"
n0=$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM lm_holidays")
printf 'country,region,date,name\nAT,,2026-12-08,Mariä Empfängnis\nAT,,2026-02-29,Schalttag\n' >"$TMP/hol-bad.csv"
expect "holidays import: a bad date named by its line" 1 "line 3: date" -- "$BIN" holidays import "$TMP/hol-bad.csv" --db "$EDB"
printf 'AT,,2026-12-08,x\nXX,,2026-12-09,y\n' >"$TMP/hol-bad2.csv"
expect "holidays import: a bad country named by its line" 1 "line 2: country" -- "$BIN" holidays import "$TMP/hol-bad2.csv" --db "$EDB"
[ "$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM lm_holidays")" = "$n0" ] && ok "holidays import: refused files store nothing" || bad "holidays import: refused files store nothing"
printf 'AT,,2026-12-08,Mariä Empfängnis\nAT,,2026-10-26,"Nationalfeiertag, Österreich"\n' >"$TMP/hol.csv"
expect "holidays import" 0 "^2 holidays imported \(2 added, 0 replaced\)" -- "$BIN" holidays import "$TMP/hol.csv" --db "$EDB"
expect "holidays import: again replaces" 0 "\(0 added, 2 replaced\)" -- "$BIN" holidays import "$TMP/hol.csv" --db "$EDB"
expect "holidays list: a quoted name" 0 "Nationalfeiertag, Österreich" -- "$BIN" holidays list --country AT --db "$EDB"
expect "holidays list: a bad country named" 1 "--country" -- "$BIN" holidays list --country Austria --db "$EDB"
expect "holidays list: a bad year named" 1 "--year" -- "$BIN" holidays list --year 26 --db "$EDB"
expect "holidays region" 0 "DE-DUI: holiday region BY" -- "$BIN" holidays region DE-DUI BY --db "$EDB"
expect "holidays region: bad region named" 1 "region" -- "$BIN" holidays region DE-DUI bavaria --db "$EDB"
expect "holidays region: unknown warehouse named" 1 "warehouse" -- "$BIN" holidays region XX-NONE BY --db "$EDB"
expect "holidays close" 0 "DE-DUI: closed on 2027-01-05" -- "$BIN" holidays close DE-DUI 2027-01-05 --reason "stock-take" --db "$EDB"
expect "holidays close: bad day" 1 "DAY" -- "$BIN" holidays close DE-DUI 2027-02-29 --db "$EDB"
expect "holidays open" 0 "open again on 2027-01-05" -- "$BIN" holidays open DE-DUI 2027-01-05 --db "$EDB"
expect "holidays open: not closed named" 1 "date: " -- "$BIN" holidays open DE-DUI 2027-01-05 --db "$EDB"
expect "holidays region: none" 0 "holiday region \(none\)" -- "$BIN" holidays region DE-DUI "" --db "$EDB"
expect "holidays: usage" 2 "usage: haicang holidays" -- "$BIN" holidays frob --db "$EDB"
expect "rates: the calendars used" 0 "DHL-PAKET .* DE(\+warehouse)? / DE$" -- "$BIN" rates --warehouse DE-DUI --country DE --postcode 10115 --weight-g 800 --dims-mm 200x150x50 --db "$EDB"
expect "rates: a carrier calendar in the US" 0 "UPS-GROUND .* US-CARRIER / US-CARRIER$" -- "$BIN" rates --warehouse US-LAX --country US --postcode 90045 --weight-g 800 --dims-mm 200x150x50 --db "$EDB"
# label upload|inbound|product (issue 12 part 3), on the demo's orders, inbounds and SKUs
up=$(sqlite3 "$TMP/empty/demo.db" "SELECT order_id FROM lm_label_uploads LIMIT 1")
[ -n "$up" ] && ok "demo: an order with an uploaded label" || bad "demo: an order with an uploaded label"
# label --orders: chosen orders' labels in the order given (as GET /v1/dispatch/labels.pdf?orders=)
read -r o1 o2 < <(sqlite3 "$TMP/empty/demo.db" "SELECT order_id FROM lm_parcels WHERE order_id NOT IN (SELECT order_id FROM lm_label_uploads) GROUP BY order_id ORDER BY order_id LIMIT 2" | tr '\n' ' ')
want=$( { sqlite3 "$TMP/empty/demo.db" "SELECT tracking_no FROM lm_parcels WHERE order_id = '$o2' ORDER BY seq"
          sqlite3 "$TMP/empty/demo.db" "SELECT tracking_no FROM lm_parcels WHERE order_id = '$o1' ORDER BY seq"; } | tr '\n' ' ')
expect "label --orders: PDF of two orders" 0 "" -- "$BIN" label --orders "$o2,$o1" --out "$TMP/bulk.pdf" --db "$EDB"
if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
    mkdir -p "$TMP/bulk" && pdftoppm -r 300 -png "$TMP/bulk.pdf" "$TMP/bulk/p"
    got=$(for f in "$TMP"/bulk/p-*.png; do zbarimg -q --raw "$f" | sed 's/^00//'; done | tr '\n' ' ')
    [ -n "$o2" ] && [ "$got" = "$want" ] && ok "label --orders: each page decodes to its tracking number, in the order given" ||
        { echo "got [$got] want [$want]" >"$TMP/out"; bad "label --orders: each page decodes to its tracking number, in the order given"; }
fi
nwant=$(( $(echo "$want" | wc -w) + 1 ))
expect "label --orders: with an uploaded label" 0 "" -- "$BIN" label --orders "$o2,$o1,$up" --out "$TMP/bulk2.pdf" --db "$EDB"
np=$(pdfinfo "$TMP/bulk2.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "$np" = "$nwant" ] && ok "label --orders: the uploaded label is its own page" || { echo "pages $np want $nwant" >"$TMP/out"; bad "label --orders: the uploaded label is its own page"; }
expect "label --orders: ZPL" 0 "^\^XA" -- "$BIN" label --orders "$o1" --format zpl --db "$EDB"
[ "$(grep -c '^\^XZ' "$TMP/out")" = "$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM lm_parcels WHERE order_id = '$o1'")" ] && ok "label --orders: a ZPL label per parcel" || bad "label --orders: a ZPL label per parcel"
expect "label --orders: ZPL of an uploaded PDF refused" 1 "orders\[1\]: order $up" -- "$BIN" label --orders "$o1,$up" --format zpl --db "$EDB"
expect "label --orders: a repeat refused" 1 "orders: names $o1 twice" -- "$BIN" label --orders "$o1,$o2,$o1" --db "$EDB"
expect "label --orders: an empty item refused" 1 "orders: has an empty item" -- "$BIN" label --orders "$o1,,$o2" --db "$EDB"
expect "label --orders: unknown order" 1 "orders: no such order: ord_nope" -- "$BIN" label --orders "$o1,ord_nope" --db "$EDB"
bare=$(sqlite3 "$TMP/empty/demo.db" "SELECT id FROM orders WHERE id NOT IN (SELECT order_id FROM lm_label_uploads) AND id NOT IN (SELECT order_id FROM lm_parcels) ORDER BY id LIMIT 1")
expect "label --orders: an order without parcels named" 1 "orders\[0\]: order $bare has no parcels" -- "$BIN" label --orders "$bare,$o1" --db "$EDB"
expect "label --orders: not with a parcel" 2 "usage: haicang label" -- "$BIN" label "$pcl" --orders "$o1" --db "$EDB"
uord=$(sqlite3 "$TMP/empty/demo.db" "SELECT id FROM orders WHERE status = 'allocated' AND id NOT IN (SELECT order_id FROM lm_label_uploads) AND id NOT IN (SELECT order_id FROM lm_parcels) ORDER BY id LIMIT 1")
printf 'not a pdf at all, just some text here' >"$TMP/bad.pdf"
n0=$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM lm_label_uploads")
expect "label upload: not a PDF named" 1 "label: is not a PDF" -- "$BIN" label upload "$uord" "$TMP/bad.pdf" --carrier UPS --tracking 1Z12345 --db "$EDB"
[ "$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM lm_label_uploads")" = "$n0" ] && ok "label upload: a refused upload stores nothing" || bad "label upload: a refused upload stores nothing"
expect "label upload: usage" 2 "usage: haicang label upload" -- "$BIN" label upload "$uord" --db "$EDB"
if [ -f "$TMP/label.pdf" ]; then
    expect "label upload" 0 "^stored label of order $uord: DHL 1Z12345" -- "$BIN" label upload "$uord" "$TMP/label.pdf" --carrier DHL --tracking 1Z12345 --db "$EDB"
fi
inb=$(sqlite3 "$TMP/empty/demo.db" "SELECT id FROM inbounds WHERE warehouse = 'DE-DUI' ORDER BY id LIMIT 1")
expect "label inbound: ZPL with GS1-128 of the demo prefix" 0 '\^FD>;>80004012345' -- "$BIN" label inbound "$inb" --cartons 2 --format zpl --db "$EDB"
expect "label inbound: PDF" 0 "" -- "$BIN" label inbound "$inb" --cartons 2 --out "$TMP/cartons.pdf" --db "$EDB"
if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
    ss=$(sqlite3 "$TMP/empty/demo.db" "SELECT sscc FROM lm_cartons WHERE inbound = '$inb' AND carton_no = 1")
    pdftoppm -r 300 -png -f 1 -l 1 "$TMP/cartons.pdf" "$TMP/ct" && zbarimg -q --raw "$TMP"/ct-1.png >"$TMP/out" 2>&1
    [ -n "$ss" ] && grep -qx "00$ss" "$TMP/out" && ok "label inbound: carton 1 decodes to (00) + its SSCC" || bad "label inbound: carton 1 decodes to (00) + its SSCC"
fi
expect "label inbound: cartons out of range" 2 "usage: haicang label inbound" -- "$BIN" label inbound "$inb" --cartons 0 --db "$EDB"
psku=$(sqlite3 "$TMP/empty/demo.db" "SELECT seller || ' ' || sku FROM skus ORDER BY seller, sku LIMIT 1")
expect "label product: SKU as Code 128" 0 "" -- "$BIN" label product $psku --qty 2 --out "$TMP/prod.pdf" --db "$EDB"
if command -v pdftoppm >/dev/null && command -v zbarimg >/dev/null; then
    pdftoppm -r 300 -png -f 1 -l 1 "$TMP/prod.pdf" "$TMP/pr" && zbarimg -q --raw "$TMP"/pr-1.png >"$TMP/out" 2>&1
    grep -qx "${psku#* }" "$TMP/out" && ok "label product: decodes to the SKU" || bad "label product: decodes to the SKU"
fi
expect "label product: FNSKU checked" 1 "fnsku" -- "$BIN" label product $psku --code fnsku --fnsku bad --db "$EDB"

# installed: meson install into a staging dir, moved elsewhere (so neither the build tree
# nor the configured prefix can be what it finds), run from / with every file it opens
# traced: nothing under the source tree and nothing named "shared".
BUILD=$(dirname "$BIN")
while [ "$BUILD" != / ] && [ ! -d "$BUILD/meson-private" ]; do BUILD=$(dirname "$BUILD"); done
if [ "$BUILD" = / ]; then
    bad "meson install (no build directory above $BIN)"
elif ! meson install -C "$BUILD" --destdir "$TMP/stage" --no-rebuild >"$TMP/out" 2>&1; then
    bad "meson install --destdir"
else
    inst=$(find "$TMP/stage" -path '*/bin/haicang' -type f | head -1)
    prefix=$(dirname "$(dirname "$inst")")
    mv "$prefix" "$TMP/inst"
    IB=$TMP/inst/bin/haicang
    [ -f "$TMP/inst/share/haicang/data/customs-codes/unit_customs.csv" ] &&
        [ -f "$TMP/inst/share/haicang/data/customs-ceb-202205/xsd/xmldsig-core-schema.xsd" ] &&
        [ -f "$TMP/inst/share/haicang/web/index.html" ] &&
        ok "install puts data/ and web/ in share/haicang" || bad "install puts data/ and web/ in share/haicang"
    IDB="sqlite:$TMP/inst.db"
    tracer=()
    if strace -f -o /dev/null true 2>/dev/null; then
        # LeakSanitizer cannot run under ptrace: no leak check for the traced run
        tracer=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
                strace -f -qq -e trace=open,openat,stat,newfstatat,access,readlink -o "$TMP/trace")
    fi
    expect "installed demo run from / declares customs" 0 "customs: .*messages in" -- \
        run_in / env HAICANG_CUSTOMS_DIR="$TMP/inst-customs" "${tracer[@]}" "$IB" demo --db "$IDB" --orders 50
    expect "installed customs lists shows the demo's lists" 0 "^cil_[0-9]+ +9810 inbound" -- \
        run_in / env HAICANG_CUSTOMS_DIR="$TMP/inst-customs" "$IB" customs lists --db "$IDB"
    expect "installed customs validate" 0 "valid CEB701" -- run_in / "$IB" customs validate "$SAMPLE"
    if [ ${#tracer[@]} = 0 ]; then
        echo "SKIP installed binary opens nothing of the source tree (strace cannot trace here)"
    elif [ ! -s "$TMP/trace" ]; then
        bad "installed binary opens nothing of the source tree (empty trace)"
    elif grep -E "\"($ROOT|[^\"]*shared)" "$TMP/trace" | grep -v "^[0-9]* *readlink(\"/proc/self/exe\"" >"$TMP/out"; then
        bad "installed binary opens nothing of the source tree"
    else
        grep -q "$TMP/inst/share/haicang/data/customs-codes" "$TMP/trace" &&
            ok "installed binary opens nothing of the source tree" ||
            bad "installed binary opens nothing of the source tree (no share/haicang in the trace)"
    fi
fi

# ---- brands, packaging, brand and EPR reports (issue 13 §5, §6), on a database of their own
# and on the demo's journal
BDB="sqlite:$TMP/brands.db"
expect "brand: migrate" 0 "schema version" -- "$BIN" migrate --db "$BDB"
sqlite3 "$TMP/brands.db" "INSERT INTO sellers (code, name, country, created_at) VALUES ('B1', 'Brand Seller', 'CN', 0);
INSERT INTO skus (seller, sku, name, hs_code, value_minor, currency, origin, l, w, h, weight_g, brand, created_at)
 VALUES ('B1', 'K-1', 'Kettle', '8516710000', 1000, 'USD', 'CN', 100, 100, 100, 900, 'Kettlo', 0);"
expect "brand add" 0 "brand Kettlo of B1 recorded \\(owner: Kettlo GmbH\\)" -- "$BIN" brand add B1 Kettlo --owner "Kettlo GmbH" --db "$BDB"
expect "brand add: unknown seller named" 1 "seller: no seller B9" -- "$BIN" brand add B9 Kettlo --owner X --db "$BDB"
expect "flagged: the SKU of an unauthorised brand" 0 "B1 +K-1 +Kettlo +unauthorised" -- "$BIN" brand flagged --db "$BDB"
expect "trademark: bad office named" 1 "office: must be one of" -- "$BIN" brand trademark B1 Kettlo --office XPTO --number 1 --classes 11 --valid-until 2030-01-01 --db "$BDB"
expect "trademark: class 46 refused" 1 "classes" -- "$BIN" brand trademark B1 Kettlo --office DPMA --number 1 --classes 46 --valid-until 2030-01-01 --db "$BDB"
expect "trademark" 0 "trademark DPMA 302019000001 of Kettlo recorded" -- "$BIN" brand trademark B1 Kettlo --office DPMA --number 302019000001 --classes 7,11 --valid-until 2030-01-01 --db "$BDB"
expect "authorise: end before start named" 1 "valid_until: must not precede valid_from" -- "$BIN" brand authorise B1 Kettlo --document L-1 --from 2026-02-01 --until 2026-01-31 --db "$BDB"
[ "$(sqlite3 "$TMP/brands.db" "SELECT COUNT(*) FROM brand_authorisations")" = 0 ] && ok "a refused authorisation writes nothing" || bad "a refused authorisation writes nothing"
expect "authorise an ended authorisation" 0 "authorisation bau_[0-9]+ of B1 for Kettlo, 2020-01-01..2021-01-01" -- "$BIN" brand authorise B1 Kettlo --document L-0 --from 2020-01-01 --until 2021-01-01 --db "$BDB"
expect "flagged: expired" 0 "K-1 +Kettlo +expired +2021-01-01" -- "$BIN" brand flagged --seller B1 --db "$BDB"
expect "authorise" 0 "authorisation bau_" -- "$BIN" brand authorise B1 Kettlo --document L-2 --from 2020-01-01 --until 2099-12-31 --markets DE,EU --classes 11 --db "$BDB"
expect "flagged: none once authorised" 0 "no flagged SKUs" -- "$BIN" brand flagged --db "$BDB"
expect "flagged --all lists it authorised" 0 "K-1 +Kettlo +authorised +2099-12-31" -- "$BIN" brand flagged --all --db "$BDB"
expect "brand show" 0 "authorised until 2099-12-31" -- "$BIN" brand show B1 Kettlo --db "$BDB"
grep -q "trademark DPMA 302019000001 classes 7,11 valid until 2030-01-01" "$TMP/out" && ok "brand show lists the trademark" || bad "brand show lists the trademark"
expect "brand list" 0 "B1 +Kettlo +authorised" -- "$BIN" brand list --db "$BDB"
expect "packaging" 0 "packaging of B1/K-1: 120.251 g per unit" -- "$BIN" brand packaging B1 K-1 --paper 120.25 --plastic 0.001 --eee 4:850 --db "$BDB"
expect "packaging: 4 decimals refused" 1 "paper" -- "$BIN" brand packaging B1 K-1 --paper 1.0001 --db "$BDB"
expect "packaging: unknown SKU" 1 "sku: no SKU K-9" -- "$BIN" brand packaging B1 K-9 --paper 1 --db "$BDB"
expect "brand report: --brand required" 1 "usage: haicang compliance brand-report" -- "$BIN" compliance brand-report --db "$BDB"
expect "epr report: bad date" 1 "--from: a date" -- "$BIN" compliance epr-report --from 2026-02-30 --to 2026-03-01 --db "$BDB"
expect "brand report on the demo" 0 "SZ-ANKO +DE-DUI +AK-0001 " -- "$BIN" compliance brand-report --brand ANKO --db "$EDB"
expect "brand report as CSV" 0 "Seller,Seller name,USCC,Identity,Warehouse,SKU" -- "$BIN" compliance brand-report --brand ANKO --format csv --db "$EDB"
expect "brand report as XLSX" 0 "" -- "$BIN" compliance brand-report --brand ANKO --format xlsx --out "$TMP/brand.xlsx" --db "$EDB"
[ "$(head -c 2 "$TMP/brand.xlsx")" = PK ] && ok "the XLSX is a zip" || bad "the XLSX is a zip"
# the 50-order demo ships nothing yet: the report says so (the API suite checks the figures)
expect "epr report on the demo" 0 "nothing shipped to consumers in the period" -- "$BIN" compliance epr-report --from 2020-01-01 --to 2099-12-31 --db "$EDB"
expect "the demo's expired licence flags its SKU" 0 "YW-HOMA +HM-KT01 +KETTLO +expired +2025-12-31" -- "$BIN" brand flagged --db "$EDB"
[ "$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM sku_packaging")" = "$(sqlite3 "$TMP/empty/demo.db" "SELECT COUNT(*) FROM skus")" ] &&
    ok "the demo gives every SKU packaging data" || bad "the demo gives every SKU packaging data"
expect "epr report as CSV in Chinese" 0 "按国家汇总" -- "$BIN" compliance epr-report --from 2020-01-01 --to 2099-12-31 --format csv --lang zh --db "$EDB"

# ---- dispatch (issue 12, 4-5): the demo's manifests of yesterday, their documents,
# a manifest closed here, tracking events from a file (all or none) and the inbox
# (a demo of its own: with 200 orders some are packed)
mkdir -p "$TMP/dispatch"
expect "demo closes yesterday's manifests" 0 "dispatch: [1-9][0-9]* manifests closed yesterday" -- \
    run_in "$TMP/dispatch" "$BIN" demo --db "sqlite:$TMP/dispatch/demo.db" --orders 200
DDB="sqlite:$TMP/dispatch/demo.db"
expect "manifest list shows yesterday's manifests" 0 "mnf_[0-9]+ +DE-DUI .* manifest" -- "$BIN" manifest list --warehouse DE-DUI --db "$DDB"
mnf=$(sqlite3 "$TMP/dispatch/demo.db" "SELECT id FROM lm_manifests ORDER BY id LIMIT 1")
expect "manifest pdf" 0 "m.pdf: [0-9]+ bytes" -- "$BIN" manifest pdf "$mnf" --lang en --out "$TMP/m.pdf" --db "$DDB"
head -c 4 "$TMP/m.pdf" | grep -q "%PDF" && ok "manifest pdf is a PDF" || bad "manifest pdf is a PDF"
expect "manifest csv lists its parcels" 0 "m.csv" -- "$BIN" manifest pdf "$mnf" --format csv --out "$TMP/m.csv" --db "$DDB"
tn=$(sqlite3 "$TMP/dispatch/demo.db" "SELECT tracking_no FROM lm_parcels WHERE manifest = '$mnf' LIMIT 1")
grep -q "$tn" "$TMP/m.csv" && ok "manifest csv holds the tracking number" || bad "manifest csv holds the tracking number"
expect "manifest of an unknown id" 1 "no manifest" -- "$BIN" manifest pdf mnf_0 --db "$DDB"
expect "manifest close needs the service" 2 "usage: haicang manifest" -- "$BIN" manifest close --warehouse DE-DUI --db "$DDB"
expect "manifest close: nothing waits for a pickup long ago" 1 "service: no parcel" -- "$BIN" manifest close --warehouse DE-DUI --service GLS-BUSINESS --day 2026-01-05 --db "$DDB"
printf 'tracking_no,status,time,location,detail\n%s,in_transit,2026-11-27T12:00:00Z,Hub,ok\n%s,lost,2026-11-27T13:00:00Z,,\n' "$tn" "$tn" >"$TMP/trk-bad.csv"
n0=$(sqlite3 "$TMP/dispatch/demo.db" "SELECT COUNT(*) FROM lm_tracking")
expect "tracking import: a bad row named, nothing stored" 1 "events\[1\].status" -- "$BIN" tracking import "$TMP/trk-bad.csv" --db "$DDB"
[ "$(sqlite3 "$TMP/dispatch/demo.db" "SELECT COUNT(*) FROM lm_tracking")" = "$n0" ] && ok "tracking import: all or none" || bad "tracking import: all or none"
printf 'tracking_no,status,time,location,detail\n%s,in_transit,2026-11-27T12:00:00Z,Hub,"sorted, loaded"\n' "$tn" >"$TMP/trk.csv"
expect "tracking import" 0 "1 events: 1 stored, 0 duplicates" -- "$BIN" tracking import "$TMP/trk.csv" --db "$DDB"
expect "tracking import again: a duplicate" 0 "1 events: 0 stored, 1 duplicates" -- "$BIN" tracking import "$TMP/trk.csv" --db "$DDB"
mkdir -p "$TMP/inbox" && cp "$TMP/trk.csv" "$TMP/inbox/a.csv" && cp "$TMP/trk-bad.csv" "$TMP/inbox/b.csv"
expect "tracking inbox" 0 "1 applied, 1 failed" -- "$BIN" tracking inbox "$TMP/inbox" --db "$DDB"
[ -f "$TMP/inbox/processed/a.csv" ] && grep -q "events\[1\].status" "$TMP/inbox/failed/b.csv.error.txt" &&
    ok "tracking inbox: files moved, the bad one with its report" || bad "tracking inbox: files moved, the bad one with its report"
# ---- transfer orders (issue 12 part 6) on the demo database
FBA_TO='{"name":"Amazon DTM2","line1":"Kaltbandstr. 4","city":"Dortmund","postcode":"44145","country":"DE"}'
expect "transfer without FNSKU names the line" nz "lines\[0\].fnsku" -- "$BIN" transfer create --db "$EDB" --seller SZ-ANKO --warehouse DE-DUI --dest fba --shipment FBA15CLITST1 --address "$FBA_TO" AK-0001:2
expect "transfer create" 0 "SZ-ANKO DE-DUI -> fba DE open shipment FBA15CLITST1" -- "$BIN" transfer create --db "$EDB" --seller SZ-ANKO --warehouse DE-DUI --dest fba --shipment FBA15CLITST1 --address "$FBA_TO" --relabel 2 AK-0001:2:X001CLI001
TRF=$("$BIN" transfer list --db "$EDB" --seller SZ-ANKO --status open | grep FBA15CLITST1 | cut -d' ' -f1)
expect "transfer pack proposal" 0 "1 cartons, 0 pallets, 2 units" -- "$BIN" transfer pack "$TRF" --carton 600x400x400 --db "$EDB"
expect "transfer pack --record gives FBA carton ids" 0 "carton FBA15CLITST1U000001" -- "$BIN" transfer pack "$TRF" --carton 600x400x400 --record --db "$EDB"
expect "transfer ship waits for the work order" nz "work_orders: work order" -- "$BIN" transfer ship "$TRF" --freight-ref LTL-9 --db "$EDB"
WKO=$("$BIN" transfer show "$TRF" --db "$EDB" | awk '/ work /{print $2}')
expect "transfer complete charges the work order" 0 "relabel 2 done [0-9]+\.[0-9]{2} EUR" -- "$BIN" transfer complete "$TRF" "$WKO" --db "$EDB"
expect "transfer labels" 0 "1 carton and 0 pallet labels" -- "$BIN" transfer labels "$TRF" --out "$TMP/tr.pdf" --db "$EDB"
[ "$(head -c 4 "$TMP/tr.pdf")" = "%PDF" ] && ok "the labels are a PDF" || bad "the labels are a PDF"
expect "transfer ship" 0 "shipped shipment FBA15CLITST1" -- "$BIN" transfer ship "$TRF" --freight-ref LTL-9 --db "$EDB"
expect "transfer cancel after shipping refused" nz "status: a shipped transfer" -- "$BIN" transfer cancel "$TRF" --db "$EDB"
expect "transfer without a verb" 2 "usage: haicang transfer create" -- "$BIN" transfer --db "$EDB"
# the demo's transfer to US-LAX whose inbound was closed short: 3 of 8 written off
TRS=$("$BIN" transfer list --db "$EDB" --seller SZ-ANKO --status shipped | grep -m1 "haicang US-LAX" | cut -d' ' -f1)
expect "transfer show: shipped, received, lost per SKU" 0 "line AK-0003 x8 +received 5 in_transit 0 lost 3" -- "$BIN" transfer show "$TRS" --db "$EDB"
expect "transfer show: a shipment not closed keeps its units in transit" 0 "line AK-0003 x10 +received 0 in_transit 10 lost 0" -- "$BIN" transfer show "$("$BIN" transfer list --db "$EDB" --status shipped | grep "haicang US-LAX" | sed -n 2p | cut -d' ' -f1)" --db "$EDB"

# ---- the house (issue 8 §5): SQL below the API, one module for API keys, one
# option parser. Source checks, so that the split does not quietly grow back.
SRC=$ROOT/src
sql_re='\b(SELECT|INSERT INTO|DELETE FROM)\b|\bUPDATE [a-z_]+ SET\b'
if grep -nE "$sql_re" "$SRC"/api/h_catalog.c "$SRC"/api/h_stock.c "$SRC"/api/h_loading.c \
        "$SRC"/api/h_plans.c "$SRC"/api/h_keys.c >"$TMP/out" 2>&1; then
    bad "catalog lists, id prefixes, loading plans and keys keep their SQL in their modules"
else
    ok "catalog lists, id prefixes, loading plans and keys keep their SQL in their modules"
fi
grep -rlnE "api_keys|hck_" "$SRC" --include='*.c' | grep -vE "/src/auth/|/src/store/migrate\.c$" >"$TMP/out"
[ -s "$TMP/out" ] && bad "API keys are read and made in src/auth only" || ok "API keys are read and made in src/auth only"
grep -rnE 'getopt|strcmp\([a-z_]+(\[[a-z]+\])?, "--?[a-z]' "$SRC"/cli --include='*.c' |
    grep -v "/src/cli/opts\.c:" >"$TMP/out"
[ -s "$TMP/out" ] && bad "one option parser for the command line (src/cli/opts.c)" ||
    ok "one option parser for the command line (src/cli/opts.c)"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
