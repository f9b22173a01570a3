#!/usr/bin/env bash
# gen.sql.sh SHIPMENTS JOURNAL: SQL (for the sqlite3 CLI, after haicang migrate) that fills a
# head-haul database in one transaction: 200 sellers x 500 SKUs, 2 warehouses, SHIPMENTS
# shipments (one leg each, a quarter in each state) and JOURNAL journal entries (site ->
# transit -> dock -> RECEIVING moves of the shipments' goods), stock rows with every bucket
# for each seller x warehouse x SKU. The journal's indexes are dropped and rebuilt after the
# inserts (sorted builds), as a bulk load would.
set -euo pipefail
S=${1:?shipments}
J=${2:?journal entries}
cat <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
BEGIN;
DROP INDEX IF EXISTS journal_ref;
DROP INDEX IF EXISTS journal_sku;
DROP INDEX IF EXISTS journal_at;
INSERT INTO sellers (code, name, country, created_at)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
  SELECT printf('S%04d', i), printf('Seller %d', i), 'CN', 0 FROM n;
INSERT INTO warehouses (code, name, country, address, timezone, lat_e6, lon_e6, aisle_pitch_mm,
                        bay_pitch_mm, depot_aisle, created_at)
  VALUES ('DE-DUI', 'Duisburg', 'DE', '{}', 'Europe/Berlin', 51390000, 6700000, 3000, 1300, 1, 0),
         ('US-LAX', 'Ontario CA', 'US', '{}', 'America/Los_Angeles', 34060000, -117600000, 3000,
          1300, 1, 0);
INSERT INTO shipments (warehouse, id, mode, status, site, reference, owner, booked_by,
                       created_at, updated_at, departed_at, arrived_at)
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $S - 1)
  SELECT CASE i % 2 WHEN 0 THEN 'DE-DUI' ELSE 'US-LAX' END, printf('shp_%012d', i),
         CASE i % 2 WHEN 0 THEN 'rail' ELSE 'sea' END,
         CASE i % 4 WHEN 0 THEN 'booked' WHEN 1 THEN 'departed' ELSE 'arrived' END,
         CASE i % 2 WHEN 0 THEN 'CNZZU' ELSE 'CNYTN' END, printf('REF-%d', i),
         printf('S%04d', i % 200 + 1), 'bench', 1780000000000 + i * 60000,
         1780000000000 + i * 60000,
         CASE WHEN i % 4 > 0 THEN 1780000000000 + i * 60000 + 86400000 END,
         CASE WHEN i % 4 > 1 THEN 1780000000000 + i * 60000 + 20 * 86400000 END FROM n;
INSERT INTO shipment_legs (warehouse, shipment_id, seq, from_loc, to_loc, mode, etd_planned,
                           eta_planned)
  SELECT warehouse, id, 0, site, CASE site WHEN 'CNZZU' THEN 'DEDUI' ELSE 'USLAX' END, mode,
         created_at + 86400000, created_at + 20 * 86400000 FROM shipments;
INSERT INTO journal (seller, id, at, kind, sku, qty, from_place, to_place, ref, actor)
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $J - 1)
  SELECT printf('S%04d', (i / 4) % 200 + 1), i + 1, 1780000000000 + i, 'move',
         printf('SKU-%04d', (i / 800) % 500 + 1), 10 + i % 7,
         CASE i % 4 WHEN 0 THEN 'origin' WHEN 1 THEN printf('site/CNZZU/shp_%012d', (i / 4) % $S)
              WHEN 2 THEN printf('transit/shp_%012d', (i / 4) % $S)
              ELSE printf('dock/DE-DUI/shp_%012d', (i / 4) % $S) END,
         CASE i % 4 WHEN 0 THEN printf('site/CNZZU/shp_%012d', (i / 4) % $S)
              WHEN 1 THEN printf('transit/shp_%012d', (i / 4) % $S)
              WHEN 2 THEN printf('dock/DE-DUI/shp_%012d', (i / 4) % $S)
              ELSE 'wh/DE-DUI/RECEIVING' END,
         printf('shp_%012d', (i / 4) % $S), 'bench' FROM n;
INSERT INTO stock (seller, warehouse, sku, on_hand, allocated, in_transit, first_in_at,
                   inbound_planned, arrived)
  WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200),
                 k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 500)
  SELECT printf('S%04d', i), w.code, printf('SKU-%04d', j), (i * j) % 300, (i + j) % 20,
         (i * 7 + j) % 400, 1780000000000, (i + 3 * j) % 250, (i * j) % 90
  FROM s, k, warehouses w;
CREATE INDEX journal_ref ON journal (ref, id);
CREATE INDEX journal_sku ON journal (seller, sku, id);
CREATE INDEX journal_at ON journal (at);
COMMIT;
ANALYZE;
SQL
