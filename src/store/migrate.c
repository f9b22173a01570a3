/* migrate.c: numbered schema migrations. Each step is a list of statements
 * written once in the subset both dialects accept (VARCHAR keys, BIGINT);
 * where a dialect needs its own text, the step carries a variant. The MySQL
 * dialect gets utf8mb4 binary collation on every table, so text compares
 * byte-for-byte as it does in SQLite. Every table holding tenant data has the
 * tenant (seller or warehouse) in its primary key. */
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct migration {
    int version;
    const char *const *common;
    const char *const *sqlite_only;
    const char *const *mysql_only;
};

static const char *const v1[] = {
    "CREATE TABLE sellers (code VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL,"
    " country CHAR(2) NOT NULL, uscc VARCHAR(18), customs_code VARCHAR(18),"
    " created_at BIGINT NOT NULL)",
    "CREATE TABLE warehouses (code VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL,"
    " country CHAR(2) NOT NULL, address TEXT NOT NULL, timezone VARCHAR(64) NOT NULL,"
    " lat_e6 BIGINT, lon_e6 BIGINT, aisle_pitch_mm BIGINT NOT NULL, bay_pitch_mm BIGINT NOT NULL,"
    " depot_aisle BIGINT NOT NULL, created_at BIGINT NOT NULL)",
    "CREATE TABLE locations (warehouse VARCHAR(32) NOT NULL, code VARCHAR(64) NOT NULL,"
    " zone VARCHAR(32) NOT NULL, l BIGINT NOT NULL, w BIGINT NOT NULL, h BIGINT NOT NULL,"
    " max_weight_g BIGINT NOT NULL, aisle BIGINT NOT NULL, bay BIGINT NOT NULL,"
    " lvl BIGINT NOT NULL, pickable BIGINT NOT NULL, PRIMARY KEY (warehouse, code))",
    "CREATE TABLE skus (seller VARCHAR(32) NOT NULL, sku VARCHAR(64) NOT NULL,"
    " name VARCHAR(250) NOT NULL, name_zh VARCHAR(250), hs_code CHAR(10) NOT NULL,"
    " value_minor BIGINT NOT NULL, currency CHAR(3) NOT NULL, origin CHAR(2) NOT NULL,"
    " l BIGINT NOT NULL, w BIGINT NOT NULL, h BIGINT NOT NULL, weight_g BIGINT NOT NULL,"
    " barcode VARCHAR(64), brand VARCHAR(100), created_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, sku))",
    "CREATE TABLE api_keys (id VARCHAR(32) NOT NULL PRIMARY KEY, hash CHAR(64) NOT NULL,"
    " role VARCHAR(16) NOT NULL, seller VARCHAR(32), warehouse VARCHAR(32),"
    " created_at BIGINT NOT NULL)",
    "CREATE TABLE idempotency (scope VARCHAR(32) NOT NULL, idem_key VARCHAR(255) NOT NULL,"
    " request_hash CHAR(64) NOT NULL, status BIGINT NOT NULL, body MEDIUMTEXT NOT NULL,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (scope, idem_key))",
    "CREATE TABLE journal (seller VARCHAR(32) NOT NULL, id BIGINT NOT NULL, at BIGINT NOT NULL,"
    " kind VARCHAR(8) NOT NULL, sku VARCHAR(64) NOT NULL, qty BIGINT NOT NULL,"
    " from_place VARCHAR(160) NOT NULL, to_place VARCHAR(160) NOT NULL, ref VARCHAR(64) NOT NULL,"
    " actor VARCHAR(64) NOT NULL, PRIMARY KEY (seller, id))",
    "CREATE INDEX journal_ref ON journal (ref, id)",
    "CREATE INDEX journal_sku ON journal (seller, sku, id)",
    "CREATE TABLE balances (seller VARCHAR(32) NOT NULL, sku VARCHAR(64) NOT NULL,"
    " place VARCHAR(160) NOT NULL, qty BIGINT NOT NULL, PRIMARY KEY (seller, sku, place))",
    "CREATE INDEX balances_place ON balances (place)",
    "CREATE TABLE stock (seller VARCHAR(32) NOT NULL, warehouse VARCHAR(32) NOT NULL,"
    " sku VARCHAR(64) NOT NULL, on_hand BIGINT NOT NULL, allocated BIGINT NOT NULL,"
    " in_transit BIGINT NOT NULL, first_in_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, warehouse, sku))",
    "CREATE INDEX stock_sku ON stock (seller, sku)",
    "CREATE INDEX stock_wh ON stock (warehouse, sku)",
    "CREATE TABLE inbounds (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " warehouse VARCHAR(32) NOT NULL, reference VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX inbounds_id ON inbounds (id)",
    "CREATE INDEX inbounds_wh ON inbounds (warehouse, created_at)",
    "CREATE TABLE inbound_lines (seller VARCHAR(32) NOT NULL, inbound_id VARCHAR(32) NOT NULL,"
    " line_no BIGINT NOT NULL, sku VARCHAR(64) NOT NULL, expected BIGINT NOT NULL,"
    " received BIGINT NOT NULL, put_away BIGINT NOT NULL,"
    " PRIMARY KEY (seller, inbound_id, line_no))",
    "CREATE TABLE orders (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " channel VARCHAR(32) NOT NULL, channel_order_id VARCHAR(64) NOT NULL,"
    " status VARCHAR(16) NOT NULL, warehouse VARCHAR(32), ship_to TEXT NOT NULL,"
    " ship_country CHAR(2) NOT NULL, carrier VARCHAR(64), tracking_no VARCHAR(64),"
    " parcels TEXT, wave VARCHAR(32), created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX orders_id ON orders (id)",
    "CREATE UNIQUE INDEX orders_channel ON orders (seller, channel, channel_order_id)",
    "CREATE INDEX orders_wh_status ON orders (warehouse, status, created_at)",
    "CREATE INDEX orders_created ON orders (created_at)",
    "CREATE TABLE order_lines (seller VARCHAR(32) NOT NULL, order_id VARCHAR(32) NOT NULL,"
    " line_no BIGINT NOT NULL, sku VARCHAR(64) NOT NULL, qty BIGINT NOT NULL,"
    " price_minor BIGINT NOT NULL, currency CHAR(3) NOT NULL, allocated BIGINT NOT NULL,"
    " PRIMARY KEY (seller, order_id, line_no))",
    "CREATE TABLE order_history (seller VARCHAR(32) NOT NULL, order_id VARCHAR(32) NOT NULL,"
    " id BIGINT NOT NULL, status VARCHAR(16) NOT NULL, at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, order_id, id))",
    "CREATE TABLE backorders (seller VARCHAR(32) NOT NULL, warehouse VARCHAR(32) NOT NULL,"
    " order_id VARCHAR(32) NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, warehouse, order_id))",
    "CREATE TABLE waves (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " route_length_mm BIGINT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (warehouse, id))",
    "CREATE UNIQUE INDEX waves_id ON waves (id)",
    "CREATE TABLE wave_picks (warehouse VARCHAR(32) NOT NULL, wave_id VARCHAR(32) NOT NULL,"
    " seq BIGINT NOT NULL, location VARCHAR(64) NOT NULL, seller VARCHAR(32) NOT NULL,"
    " sku VARCHAR(64) NOT NULL, qty BIGINT NOT NULL, order_id VARCHAR(32) NOT NULL,"
    " PRIMARY KEY (warehouse, wave_id, seq))",
    "CREATE INDEX wave_picks_order ON wave_picks (order_id)",
    "CREATE TABLE returns (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " order_id VARCHAR(32) NOT NULL, warehouse VARCHAR(32) NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX returns_id ON returns (id)",
    "CREATE TABLE return_lines (seller VARCHAR(32) NOT NULL, return_id VARCHAR(32) NOT NULL,"
    " line_no BIGINT NOT NULL, sku VARCHAR(64) NOT NULL, qty BIGINT NOT NULL,"
    " cond VARCHAR(16) NOT NULL, PRIMARY KEY (seller, return_id, line_no))",
    "CREATE TABLE loading_plans (owner VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " plan MEDIUMTEXT NOT NULL, svg MEDIUMTEXT NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (owner, id))",
    "CREATE UNIQUE INDEX loading_plans_id ON loading_plans (id)",
    NULL,
};

/* Customs (issue 4): registrations, export lists with their items, state
 * history and sent messages, monthly summaries, returns. copNo of a list is
 * its id; money and weights are exact decimal strings as sent (scale <= 5). */
static const char *const v2[] = {
    "CREATE TABLE customs_registrations (seller VARCHAR(32) NOT NULL, role VARCHAR(16) NOT NULL,"
    " code VARCHAR(18) NOT NULL, name VARCHAR(100) NOT NULL, dxp_id VARCHAR(30),"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (seller, role))",
    "CREATE TABLE customs_lists (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " trade_mode CHAR(4) NOT NULL, ref_kind VARCHAR(8) NOT NULL, ref VARCHAR(32) NOT NULL,"
    " warehouse VARCHAR(32), cop_no VARCHAR(30) NOT NULL, invt_guid CHAR(36) NOT NULL,"
    " pre_no VARCHAR(18), invt_no VARCHAR(20), order_no VARCHAR(60) NOT NULL,"
    " logistics_no VARCHAR(32) NOT NULL, state BIGINT NOT NULL, state_info TEXT,"
    " state_time VARCHAR(17), inspection VARCHAR(8) NOT NULL, entry_id VARCHAR(18),"
    " customs_code CHAR(4) NOT NULL, port_code CHAR(4) NOT NULL, traf_mode VARCHAR(2) NOT NULL,"
    " country CHAR(3) NOT NULL, currency CHAR(3) NOT NULL, ebc_code VARCHAR(18) NOT NULL,"
    " owner_code VARCHAR(18) NOT NULL, total_price VARCHAR(24) NOT NULL,"
    " gross_weight VARCHAR(24) NOT NULL, net_weight VARCHAR(24) NOT NULL, bill_no VARCHAR(37),"
    " bill_cop_no VARCHAR(30), summary_id VARCHAR(32), released_at BIGINT,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX customs_lists_id ON customs_lists (id)",
    "CREATE INDEX customs_lists_ref ON customs_lists (seller, ref)",
    "CREATE INDEX customs_lists_invt ON customs_lists (invt_no)",
    "CREATE INDEX customs_lists_order ON customs_lists (order_no)",
    "CREATE INDEX customs_lists_logistics ON customs_lists (logistics_no)",
    "CREATE INDEX customs_lists_bill ON customs_lists (bill_cop_no)",
    "CREATE INDEX customs_lists_state ON customs_lists (seller, state, released_at)",
    "CREATE TABLE customs_list_items (seller VARCHAR(32) NOT NULL, list_id VARCHAR(32) NOT NULL,"
    " gnum BIGINT NOT NULL, sku VARCHAR(64) NOT NULL, item_name VARCHAR(250) NOT NULL,"
    " gname VARCHAR(250) NOT NULL, gcode CHAR(10) NOT NULL, qty BIGINT NOT NULL,"
    " unit CHAR(3) NOT NULL, qty1 VARCHAR(24) NOT NULL, unit1 CHAR(3) NOT NULL,"
    " price VARCHAR(24) NOT NULL, total_price VARCHAR(24) NOT NULL, currency CHAR(3) NOT NULL,"
    " country CHAR(3) NOT NULL, entry_id VARCHAR(18), entry_gnum BIGINT,"
    " PRIMARY KEY (seller, list_id, gnum))",
    "CREATE TABLE customs_history (seller VARCHAR(32) NOT NULL, list_id VARCHAR(32) NOT NULL,"
    " id BIGINT NOT NULL, state BIGINT NOT NULL, at BIGINT NOT NULL, receipt VARCHAR(16) NOT NULL,"
    " info TEXT, actor VARCHAR(64) NOT NULL, PRIMARY KEY (seller, list_id, id))",
    "CREATE TABLE customs_messages (seller VARCHAR(32) NOT NULL, guid CHAR(36) NOT NULL,"
    " msg_type BIGINT NOT NULL, doc VARCHAR(32) NOT NULL, file VARCHAR(255) NOT NULL,"
    " xml MEDIUMTEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (seller, guid))",
    "CREATE INDEX customs_messages_doc ON customs_messages (doc, msg_type)",
    "CREATE TABLE customs_summaries (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " period CHAR(7) NOT NULL, guid CHAR(36) NOT NULL, sum_no VARCHAR(18),"
    " summary_flag BIGINT NOT NULL, item_name_flag BIGINT NOT NULL, ebc_code VARCHAR(18) NOT NULL,"
    " owner_code VARCHAR(18), traf_mode VARCHAR(2) NOT NULL, country CHAR(3) NOT NULL,"
    " port_code CHAR(4) NOT NULL, n_lists BIGINT NOT NULL, n_lines BIGINT NOT NULL,"
    " total_price VARCHAR(24) NOT NULL, state BIGINT NOT NULL, state_info TEXT,"
    " entry_id VARCHAR(18), created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX customs_summaries_id ON customs_summaries (id)",
    "CREATE INDEX customs_summaries_sum_no ON customs_summaries (sum_no)",
    "CREATE TABLE customs_returns (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " list_id VARCHAR(32) NOT NULL, guid CHAR(36) NOT NULL, customs_code CHAR(4) NOT NULL,"
    " port_code CHAR(4) NOT NULL, cross_zone BIGINT NOT NULL, reason VARCHAR(500) NOT NULL,"
    " logistics_no VARCHAR(80) NOT NULL, state BIGINT NOT NULL, state_info TEXT,"
    " tallied_at BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX customs_returns_id ON customs_returns (id)",
    "CREATE INDEX customs_returns_list ON customs_returns (list_id)",
    NULL,
};

/* What each warehouse place holds by volume and weight, kept by the ledger
 * with every move into or out of a bin; filled here from the balances a
 * database already has. */
static const char *const v3[] = {
    "CREATE TABLE place_load (place VARCHAR(160) NOT NULL PRIMARY KEY,"
    " volume_mm3 BIGINT NOT NULL, weight_g BIGINT NOT NULL)",
    "INSERT INTO place_load (place, volume_mm3, weight_g)"
    " SELECT b.place, SUM(b.qty * k.l * k.w * k.h), SUM(b.qty * k.weight_g)"
    " FROM balances b JOIN skus k ON k.seller = b.seller AND k.sku = b.sku"
    " WHERE b.place >= 'wh/' AND b.place < 'wh0' GROUP BY b.place",
    NULL,
};

/* Customs, second step (issue 4): messages are stored 'queued' in the
 * write transaction and written to the outbox only once it is durable, then
 * marked 'sent' (rows from before this migration were written already); a
 * record with more goods lines than one list takes is declared as several
 * lists (part k of parts, decl = the first part's id); a summary group over
 * the 50-line limit of a declaration is split likewise. */
static const char *const v4[] = {
    "ALTER TABLE customs_messages ADD COLUMN outbox VARCHAR(8) NOT NULL DEFAULT 'sent'",
    "ALTER TABLE customs_messages ADD COLUMN sent_at BIGINT",
    "CREATE INDEX customs_messages_outbox ON customs_messages (outbox)",
    "ALTER TABLE customs_lists ADD COLUMN decl VARCHAR(32)",
    "ALTER TABLE customs_lists ADD COLUMN part BIGINT NOT NULL DEFAULT 1",
    "ALTER TABLE customs_lists ADD COLUMN parts BIGINT NOT NULL DEFAULT 1",
    "CREATE INDEX customs_lists_decl ON customs_lists (decl)",
    "ALTER TABLE customs_summaries ADD COLUMN part BIGINT NOT NULL DEFAULT 1",
    "ALTER TABLE customs_summaries ADD COLUMN parts BIGINT NOT NULL DEFAULT 1",
    NULL,
};

/* API keys get a unique name (the journal's actor) and can be revoked; keys
 * from before are named "<role>-<id>". Orders are found by channel order id,
 * tracking number or the ship-to name (issue 8). */
static const char *const v5[] = {
    "ALTER TABLE api_keys ADD COLUMN name VARCHAR(64)",
    "ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT",
    "ALTER TABLE orders ADD COLUMN ship_name VARCHAR(100)",
    "CREATE INDEX orders_channel_order ON orders (channel_order_id)",
    "CREATE INDEX orders_tracking ON orders (tracking_no)",
    NULL,
};
static const char *const v5_sqlite[] = {
    "UPDATE api_keys SET name = role || '-' || id WHERE name IS NULL",
    "UPDATE orders SET ship_name = json_extract(ship_to, '$.name')",
    "CREATE UNIQUE INDEX api_keys_name ON api_keys (name)",
    "CREATE INDEX orders_ship_name ON orders (ship_name)",
    NULL,
};
static const char *const v5_mysql[] = {
    "UPDATE api_keys SET name = CONCAT(role, '-', id) WHERE name IS NULL",
    "UPDATE orders SET ship_name = JSON_UNQUOTE(JSON_EXTRACT(ship_to, '$.name'))",
    "CREATE UNIQUE INDEX api_keys_name ON api_keys (name)",
    "CREATE INDEX orders_ship_name ON orders (ship_name)",
    NULL,
};

/* An inbound received short or over is closed by an operator, who accepts
 * the difference (each line's received - expected); who, when and why are
 * kept on the inbound (issue 8). */
static const char *const v6[] = {
    "ALTER TABLE inbounds ADD COLUMN closed_at BIGINT",
    "ALTER TABLE inbounds ADD COLUMN closed_by VARCHAR(64)",
    "ALTER TABLE inbounds ADD COLUMN close_reason VARCHAR(200)",
    NULL,
};

/* Backorders are found by the SKUs that arrive, oldest first, at any count
 * (one row per backordered order and SKU it needs, kept with the order);
 * loading plans keep their request, and their picture is drawn when asked
 * for (issue 8). */
static const char *const v7[] = {
    "CREATE TABLE backorder_lines (seller VARCHAR(32) NOT NULL, sku VARCHAR(64) NOT NULL,"
    " order_id VARCHAR(32) NOT NULL, warehouse VARCHAR(32) NOT NULL,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (seller, sku, order_id))",
    "CREATE INDEX backorder_lines_age ON backorder_lines (seller, sku, created_at, order_id)",
    "INSERT INTO backorder_lines (seller, sku, order_id, warehouse, created_at)"
    " SELECT DISTINCT b.seller, l.sku, b.order_id, b.warehouse, b.created_at FROM backorders b"
    " JOIN order_lines l ON l.seller = b.seller AND l.order_id = b.order_id",
    "ALTER TABLE loading_plans ADD COLUMN request MEDIUMTEXT",
    NULL,
};

/* Slotting (issue 11): proposals of bin-to-bin moves that bring fast SKUs
 * near the depot, each move with the contents it expects (from bin: seller,
 * sku, qty; a swap's partner likewise), accepted moves with who and when;
 * the journal read by time for pick velocities. */
static const char *const v8[] = {
    "CREATE TABLE slotting_proposals (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " window_days BIGINT NOT NULL, max_moves BIGINT NOT NULL, picks_per_day_milli BIGINT NOT NULL,"
    " before_mm_per_day BIGINT NOT NULL, after_mm_per_day BIGINT NOT NULL,"
    " created_at BIGINT NOT NULL, created_by VARCHAR(64) NOT NULL, PRIMARY KEY (warehouse, id))",
    "CREATE INDEX slotting_proposals_id ON slotting_proposals (id)",
    "CREATE TABLE slotting_moves (warehouse VARCHAR(32) NOT NULL, proposal_id VARCHAR(32) NOT NULL,"
    " seq BIGINT NOT NULL, from_loc VARCHAR(64) NOT NULL, to_loc VARCHAR(64) NOT NULL,"
    " seller VARCHAR(32) NOT NULL, sku VARCHAR(64) NOT NULL, qty BIGINT NOT NULL,"
    " swap_seq BIGINT NOT NULL, picks_per_day_milli BIGINT NOT NULL, from_mm BIGINT NOT NULL,"
    " to_mm BIGINT NOT NULL, accepted_at BIGINT, accepted_by VARCHAR(64),"
    " PRIMARY KEY (warehouse, proposal_id, seq))",
    "CREATE INDEX journal_at ON journal (at)",
    NULL,
};

/* Scanning (issue 11): every accepted pick scan (a bin, an item counted
 * against a pick, a short pick) with who and when; orders whose picks were
 * all confirmed by scan (their goods already at order/<id>); the units a
 * pack station scanned for an order. */
static const char *const v9[] = {
    "CREATE TABLE wave_scans (warehouse VARCHAR(32) NOT NULL, wave_id VARCHAR(32) NOT NULL,"
    " n BIGINT NOT NULL, at BIGINT NOT NULL, actor VARCHAR(64) NOT NULL, kind VARCHAR(8) NOT NULL,"
    " code VARCHAR(64) NOT NULL, location VARCHAR(64), seller VARCHAR(32), sku VARCHAR(64),"
    " order_id VARCHAR(32), pick_seq BIGINT, qty BIGINT NOT NULL,"
    " PRIMARY KEY (warehouse, wave_id, n))",
    "CREATE INDEX wave_scans_bin ON wave_scans (warehouse, location, seller, sku)",
    "CREATE TABLE picked_orders (seller VARCHAR(32) NOT NULL, order_id VARCHAR(32) NOT NULL,"
    " wave_id VARCHAR(32) NOT NULL, picked_by VARCHAR(64) NOT NULL, picked_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, order_id))",
    "CREATE TABLE pack_scans (seller VARCHAR(32) NOT NULL, order_id VARCHAR(32) NOT NULL,"
    " n BIGINT NOT NULL, sku VARCHAR(64) NOT NULL, code VARCHAR(64) NOT NULL,"
    " qty BIGINT NOT NULL, actor VARCHAR(64) NOT NULL, at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, order_id, n))",
    NULL,
};

/* Head-haul (issue 9): shipments with legs (UN/LOCODE to UN/LOCODE, planned,
 * estimated and actual times), ISO 6346 containers with their cartons per
 * inbound, the goods per seller and SKU, milestones; the places a shipment's
 * goods pass through (site, transit, dock) and the stock bucket of the
 * warehouse each counts in; an inbound knows its shipment and the place its
 * receipts take from (NULL: origin, as before). */
static const char *const v10[] = {
    "CREATE TABLE shipments (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " mode VARCHAR(16) NOT NULL, status VARCHAR(16) NOT NULL, site VARCHAR(32) NOT NULL,"
    " reference VARCHAR(64) NOT NULL, owner VARCHAR(32) NOT NULL, booked_by VARCHAR(64) NOT NULL,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, departed_at BIGINT,"
    " arrived_at BIGINT, PRIMARY KEY (warehouse, id))",
    "CREATE UNIQUE INDEX shipments_id ON shipments (id)",
    "CREATE INDEX shipments_status ON shipments (status, id)",
    "CREATE TABLE shipment_legs (warehouse VARCHAR(32) NOT NULL, shipment_id VARCHAR(32) NOT NULL,"
    " seq BIGINT NOT NULL, from_loc CHAR(5) NOT NULL, to_loc CHAR(5) NOT NULL,"
    " mode VARCHAR(16) NOT NULL, carrier VARCHAR(64), service VARCHAR(64), departure VARCHAR(64),"
    " voyage VARCHAR(32), etd_planned BIGINT NOT NULL, eta_planned BIGINT NOT NULL,"
    " etd_estimated BIGINT, eta_estimated BIGINT, atd BIGINT, ata BIGINT,"
    " PRIMARY KEY (warehouse, shipment_id, seq))",
    "CREATE TABLE shipment_containers (warehouse VARCHAR(32) NOT NULL,"
    " shipment_id VARCHAR(32) NOT NULL, number VARCHAR(11) NOT NULL, size_type VARCHAR(4) NOT NULL,"
    " seals VARCHAR(200) NOT NULL, bill_no VARCHAR(37), bill_cop_no VARCHAR(30),"
    " loading_plan VARCHAR(32), status VARCHAR(16) NOT NULL, closed_at BIGINT,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (warehouse, shipment_id, number))",
    "CREATE INDEX shipment_containers_no ON shipment_containers (number)",
    "CREATE TABLE shipment_cartons (warehouse VARCHAR(32) NOT NULL,"
    " shipment_id VARCHAR(32) NOT NULL, container VARCHAR(11) NOT NULL,"
    " inbound_id VARCHAR(32) NOT NULL, seller VARCHAR(32) NOT NULL, cartons BIGINT NOT NULL,"
    " PRIMARY KEY (warehouse, shipment_id, container, inbound_id))",
    "CREATE TABLE shipment_inbounds (seller VARCHAR(32) NOT NULL, inbound_id VARCHAR(32) NOT NULL,"
    " warehouse VARCHAR(32) NOT NULL, shipment_id VARCHAR(32) NOT NULL,"
    " PRIMARY KEY (seller, inbound_id))",
    "CREATE UNIQUE INDEX shipment_inbounds_id ON shipment_inbounds (inbound_id)",
    "CREATE INDEX shipment_inbounds_shp ON shipment_inbounds (shipment_id, seller)",
    "CREATE TABLE shipment_goods (warehouse VARCHAR(32) NOT NULL, shipment_id VARCHAR(32) NOT NULL,"
    " seller VARCHAR(32) NOT NULL, sku VARCHAR(64) NOT NULL, planned BIGINT NOT NULL,"
    " departed BIGINT NOT NULL, arrived BIGINT NOT NULL,"
    " PRIMARY KEY (warehouse, shipment_id, seller, sku))",
    "CREATE INDEX shipment_goods_seller ON shipment_goods (seller, shipment_id)",
    "CREATE TABLE shipment_milestones (warehouse VARCHAR(32) NOT NULL,"
    " shipment_id VARCHAR(32) NOT NULL, id BIGINT NOT NULL, kind VARCHAR(32) NOT NULL,"
    " container VARCHAR(11), place VARCHAR(5), at BIGINT NOT NULL, recorded_at BIGINT NOT NULL,"
    " actor VARCHAR(64) NOT NULL, PRIMARY KEY (warehouse, shipment_id, id))",
    "CREATE TABLE place_buckets (place VARCHAR(160) NOT NULL PRIMARY KEY,"
    " warehouse VARCHAR(32) NOT NULL, bucket VARCHAR(16) NOT NULL)",
    "ALTER TABLE stock ADD COLUMN inbound_planned BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE stock ADD COLUMN arrived BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE inbounds ADD COLUMN shipment VARCHAR(32)",
    "ALTER TABLE inbounds ADD COLUMN receive_from VARCHAR(160)",
    NULL,
};

/* Schedules and tracking events (issue 9): departures of head-haul services
 * in the shape of DCSA Commercial Schedules (one row per departure, its legs
 * beside it; reference data of no tenant, re-imported by its natural key),
 * and DCSA Track & Trace events per shipment, unique on their eventID, seq
 * in arrival order, event_at the time the event says it happened. */
static const char *const v11[] = {
    "CREATE TABLE schedules (id VARCHAR(32) NOT NULL PRIMARY KEY, origin CHAR(5) NOT NULL,"
    " destination CHAR(5) NOT NULL, mode VARCHAR(16) NOT NULL, service VARCHAR(100) NOT NULL,"
    " service_code VARCHAR(20), carrier VARCHAR(64), departs_at BIGINT NOT NULL,"
    " arrives_at BIGINT NOT NULL, cutoff_at BIGINT, transit_days BIGINT NOT NULL,"
    " created_at BIGINT NOT NULL)",
    "CREATE UNIQUE INDEX schedules_natural ON schedules (origin, destination, service, departs_at)",
    "CREATE INDEX schedules_search ON schedules (origin, destination, departs_at, id)",
    "CREATE INDEX schedules_departs ON schedules (departs_at, id)",
    "CREATE TABLE schedule_legs (schedule_id VARCHAR(32) NOT NULL, seq BIGINT NOT NULL,"
    " mode VARCHAR(16) NOT NULL, origin CHAR(5) NOT NULL, destination CHAR(5) NOT NULL,"
    " departs_at BIGINT NOT NULL, arrives_at BIGINT NOT NULL, PRIMARY KEY (schedule_id, seq))",
    "CREATE TABLE tracking_events (event_id VARCHAR(100) NOT NULL PRIMARY KEY,"
    " shipment_id VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, event_type VARCHAR(16) NOT NULL,"
    " classifier CHAR(3) NOT NULL, type_code VARCHAR(4) NOT NULL, event_at BIGINT NOT NULL,"
    " created_at BIGINT NOT NULL, received_at BIGINT NOT NULL, equipment VARCHAR(11),"
    " location VARCHAR(5), mode VARCHAR(16), publisher VARCHAR(100),"
    " document_type VARCHAR(3), document_ref VARCHAR(100), reason VARCHAR(250))",
    "CREATE INDEX tracking_events_shp ON tracking_events (shipment_id, seq)",
    "CREATE INDEX tracking_events_seq ON tracking_events (seq)",
    NULL,
};

/* Order batching (issue 11): a wave's picks are walked as trips (batches),
 * each with its route length, the totes its orders ride in and the turn
 * points of its route (after pick seq after_seq). Waves from before are one
 * trip. */
static const char *const v12[] = {
    "ALTER TABLE wave_picks ADD COLUMN batch BIGINT NOT NULL DEFAULT 1",
    "CREATE TABLE wave_batches (warehouse VARCHAR(32) NOT NULL, wave_id VARCHAR(32) NOT NULL,"
    " batch BIGINT NOT NULL, route_length_mm BIGINT NOT NULL, route_policy VARCHAR(16) NOT NULL,"
    " nlines BIGINT NOT NULL, volume_mm3 BIGINT NOT NULL, weight_g BIGINT NOT NULL,"
    " PRIMARY KEY (warehouse, wave_id, batch))",
    "CREATE TABLE wave_totes (warehouse VARCHAR(32) NOT NULL, wave_id VARCHAR(32) NOT NULL,"
    " batch BIGINT NOT NULL, tote BIGINT NOT NULL, order_id VARCHAR(32) NOT NULL,"
    " PRIMARY KEY (warehouse, wave_id, batch, tote))",
    "CREATE TABLE wave_turns (warehouse VARCHAR(32) NOT NULL, wave_id VARCHAR(32) NOT NULL,"
    " batch BIGINT NOT NULL, n BIGINT NOT NULL, after_seq BIGINT NOT NULL, aisle BIGINT NOT NULL,"
    " y_mm BIGINT NOT NULL, cross_no BIGINT NOT NULL, PRIMARY KEY (warehouse, wave_id, batch, n))",
    NULL,
};

/* Pick routes (issue 11): a warehouse's aisle length, its middle cross
 * aisles (bays from the front, comma separated) and its route policy. */
static const char *const v13[] = {
    "ALTER TABLE warehouses ADD COLUMN bays_per_aisle BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE warehouses ADD COLUMN cross_aisles VARCHAR(100) NOT NULL DEFAULT ''",
    "ALTER TABLE warehouses ADD COLUMN route_policy VARCHAR(16) NOT NULL DEFAULT 'optimal'",
    NULL,
};

/* Money (issue 10, M1): the money half of the journal (entries, their
 * postings by account, balances per account and currency), dated FX
 * reference rates, credit limits, and the reason an order is held. */
static const char *const v14[] = {
    "CREATE TABLE money_entries (id VARCHAR(32) NOT NULL PRIMARY KEY, at BIGINT NOT NULL,"
    " actor VARCHAR(64) NOT NULL, idem_key VARCHAR(255), cause_kind VARCHAR(16) NOT NULL,"
    " cause_id VARCHAR(64) NOT NULL, seller VARCHAR(32) NOT NULL, warehouse VARCHAR(32) NOT NULL,"
    " nlines BIGINT NOT NULL)",
    "CREATE UNIQUE INDEX money_entries_idem ON money_entries (idem_key)",
    "CREATE INDEX money_entries_cause ON money_entries (cause_kind, cause_id)",
    "CREATE TABLE money_postings (account VARCHAR(96) NOT NULL, seq BIGINT NOT NULL,"
    " entry VARCHAR(32) NOT NULL, line BIGINT NOT NULL, at BIGINT NOT NULL,"
    " currency CHAR(3) NOT NULL, minor BIGINT NOT NULL, seller VARCHAR(32) NOT NULL,"
    " warehouse VARCHAR(32) NOT NULL, actor VARCHAR(64) NOT NULL, cause_kind VARCHAR(16) NOT NULL,"
    " cause_id VARCHAR(64) NOT NULL, fx_rate VARCHAR(24) NOT NULL, fx_day VARCHAR(10) NOT NULL,"
    " memo VARCHAR(200) NOT NULL, PRIMARY KEY (account, seq))",
    "CREATE UNIQUE INDEX money_postings_seq ON money_postings (seq)",
    "CREATE INDEX money_postings_entry ON money_postings (entry, line)",
    "CREATE INDEX money_postings_seller ON money_postings (seller, seq)",
    "CREATE INDEX money_postings_wh ON money_postings (warehouse, seq)",
    "CREATE TABLE money_balances (account VARCHAR(96) NOT NULL, currency CHAR(3) NOT NULL,"
    " balance BIGINT NOT NULL, PRIMARY KEY (account, currency))",
    "CREATE TABLE fx_rates (base CHAR(3) NOT NULL, quote CHAR(3) NOT NULL, day CHAR(10) NOT NULL,"
    " rate_e10 BIGINT NOT NULL, source VARCHAR(200) NOT NULL, actor VARCHAR(64) NOT NULL,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (base, quote, day))",
    "CREATE TABLE credit_limits (seller VARCHAR(32) NOT NULL, currency CHAR(3) NOT NULL,"
    " limit_minor BIGINT NOT NULL, actor VARCHAR(64) NOT NULL, updated_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, currency))",
    "ALTER TABLE orders ADD COLUMN hold_reason VARCHAR(16) NOT NULL DEFAULT ''",
    NULL,
};

/* Statements and invoices (issue 10, M3): invoices per issuer (a
 * warehouse) numbered without gaps from invoice_counters, their lines, and
 * the wallet's postings by time for monthly statements. */
static const char *const v15[] = {
    "CREATE TABLE invoice_counters (issuer VARCHAR(32) NOT NULL PRIMARY KEY,"
    " last_seq BIGINT NOT NULL)",
    "CREATE TABLE invoices (issuer VARCHAR(32) NOT NULL, seq BIGINT NOT NULL,"
    " id VARCHAR(32) NOT NULL, number VARCHAR(48) NOT NULL, seller VARCHAR(32) NOT NULL,"
    " month CHAR(7) NOT NULL, issued_at BIGINT NOT NULL, issued_by VARCHAR(64) NOT NULL,"
    " PRIMARY KEY (issuer, seq))",
    "CREATE UNIQUE INDEX invoices_id ON invoices (id)",
    "CREATE UNIQUE INDEX invoices_number ON invoices (number)",
    "CREATE UNIQUE INDEX invoices_month ON invoices (issuer, seller, month)",
    "CREATE INDEX invoices_seller ON invoices (seller, issued_at)",
    "CREATE TABLE invoice_lines (issuer VARCHAR(32) NOT NULL, seq BIGINT NOT NULL,"
    " line BIGINT NOT NULL, cause_kind VARCHAR(16) NOT NULL, currency CHAR(3) NOT NULL,"
    " nlines BIGINT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (issuer, seq, line))",
    "CREATE INDEX money_postings_account_at ON money_postings (account, at)",
    NULL,
};

static const char *const v16[] = {
    /* rate cards (src/finance/ratecard.c): seller '' = the warehouse card;
     * effective_to '' = open; superseded_by '' = live */
    "CREATE TABLE rate_cards (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " seller VARCHAR(32) NOT NULL, version BIGINT NOT NULL, currency CHAR(3) NOT NULL,"
    " effective_from CHAR(10) NOT NULL, effective_to CHAR(10) NOT NULL,"
    " replaces VARCHAR(32) NOT NULL, superseded_by VARCHAR(32) NOT NULL,"
    " surcharge_bp BIGINT NOT NULL, storage_basis VARCHAR(8) NOT NULL, pallet_mm3 BIGINT NOT NULL,"
    " inbound_basis VARCHAR(8) NOT NULL, inbound_e4 BIGINT NOT NULL, carton_units BIGINT NOT NULL,"
    " return_e4 BIGINT NOT NULL, relabel_e4 BIGINT NOT NULL, kitting_e4 BIGINT NOT NULL,"
    " min_inbound BIGINT NOT NULL, min_outbound BIGINT NOT NULL, min_storage BIGINT NOT NULL,"
    " min_return BIGINT NOT NULL, min_service BIGINT NOT NULL, created_at BIGINT NOT NULL,"
    " created_by VARCHAR(64) NOT NULL, PRIMARY KEY (warehouse, id))",
    "CREATE UNIQUE INDEX rate_cards_id ON rate_cards (id)",
    "CREATE INDEX rate_cards_scope ON rate_cards (warehouse, seller, effective_from)",
    "CREATE TABLE rate_card_lines (warehouse VARCHAR(32) NOT NULL, card VARCHAR(32) NOT NULL,"
    " kind VARCHAR(8) NOT NULL, seq BIGINT NOT NULL, lo BIGINT NOT NULL, hi BIGINT NOT NULL,"
    " rate_e4 BIGINT NOT NULL, extra_e4 BIGINT NOT NULL, PRIMARY KEY (warehouse, card, kind, seq))",
    /* every charge booked (src/finance/charge.c, storage.c), with its money entry */
    "CREATE TABLE fin_charges (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " seller VARCHAR(32) NOT NULL, kind VARCHAR(16) NOT NULL, cause_kind VARCHAR(16) NOT NULL,"
    " cause_id VARCHAR(64) NOT NULL, day CHAR(10) NOT NULL, card VARCHAR(32) NOT NULL,"
    " currency CHAR(3) NOT NULL, minor BIGINT NOT NULL, entry VARCHAR(32) NOT NULL,"
    " at BIGINT NOT NULL, PRIMARY KEY (warehouse, id))",
    "CREATE INDEX fin_charges_day ON fin_charges (warehouse, kind, day, seller)",
    "CREATE INDEX fin_charges_seller ON fin_charges (seller, id)",
    "CREATE INDEX fin_charges_cause ON fin_charges (cause_id)",
    /* the storage run per warehouse: last day charged, first day to re-rate */
    "CREATE TABLE fin_storage_state (warehouse VARCHAR(32) NOT NULL PRIMARY KEY,"
    " last_day CHAR(10) NOT NULL, rerate_from CHAR(10) NOT NULL, updated_at BIGINT NOT NULL)",
    NULL,
};

/* Credit hold (issue 10, M1): a seller's held orders, oldest first, without
 * reading all its orders on each top-up. */
static const char *const v17[] = {
    "CREATE INDEX orders_held ON orders (seller, hold_reason, created_at)",
    NULL,
};

static const char *const v18[] = {
    /* what a charge at an event was priced on (units, volume, weight, line
     * quantities, service), and the charge a correction corrects: a card
     * replaced back-dated re-rates them (src/finance/charge.c) */
    "ALTER TABLE fin_charges ADD COLUMN basis TEXT",
    "ALTER TABLE fin_charges ADD COLUMN corrects VARCHAR(32) NOT NULL DEFAULT ''",
    "CREATE INDEX fin_charges_corrects ON fin_charges (corrects)",
    NULL,
};

/* v19–v26 are reserved, one per piece of work in flight; each fills its own.
 * v19: netting settlement (src/finance/settlement.c) */
static const char *const v19[] = {
    /* fees haicang does not book (freight invoices, last mile, taxes abroad,
     * compensation, advertising): order_id '' = a cost of its period */
    "CREATE TABLE external_fees (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " order_id VARCHAR(32) NOT NULL, fee_type VARCHAR(16) NOT NULL, minor BIGINT NOT NULL,"
    " currency CHAR(3) NOT NULL, day CHAR(10) NOT NULL, reference VARCHAR(64) NOT NULL,"
    " actor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX external_fees_ref ON external_fees (seller, fee_type, order_id, reference)",
    "CREATE INDEX external_fees_day ON external_fees (seller, day)",
    /* a period's sold orders and its charges without reading all of a seller's */
    "CREATE INDEX order_history_status ON order_history (seller, status, at)",
    "CREATE INDEX fin_charges_seller_at ON fin_charges (seller, at)",
    NULL,
};

/* v20: export VAT refund (src/finance/refund.c, refund_report.c): a
 * seller's profile, its refund rates per HS code from a date, purchase
 * invoices per declaration item ('item', key "entry_id/entry_gnum") or per
 * unit of a SKU ('sku'), filings with their lines (one item is filed once:
 * its sold part and its HWC-YT pre-refund part), reconciliations per filing
 * period with the outcome of each pre-refund line. Amounts in fen. */
static const char *const v20[] = {
    "CREATE TABLE refund_profiles (seller VARCHAR(32) NOT NULL PRIMARY KEY,"
    " company VARCHAR(16) NOT NULL, vat_bp BIGINT NOT NULL, actor VARCHAR(64) NOT NULL,"
    " updated_at BIGINT NOT NULL)",
    "CREATE TABLE refund_rates (seller VARCHAR(32) NOT NULL, hs_code VARCHAR(10) NOT NULL,"
    " effective_from CHAR(10) NOT NULL, rate_bp BIGINT NOT NULL, source VARCHAR(200) NOT NULL,"
    " actor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, hs_code, effective_from))",
    "CREATE TABLE refund_invoices (seller VARCHAR(32) NOT NULL, scope VARCHAR(4) NOT NULL,"
    " ikey VARCHAR(96) NOT NULL, amount_fen BIGINT NOT NULL, invoice_no VARCHAR(64) NOT NULL,"
    " actor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (seller, scope, ikey))",
    "CREATE TABLE refund_filings (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " filed_on CHAR(10) NOT NULL, granted_on VARCHAR(10) NOT NULL, nlines BIGINT NOT NULL,"
    " basis_fen BIGINT NOT NULL, refund_fen BIGINT NOT NULL, actor VARCHAR(64) NOT NULL,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX refund_filings_id ON refund_filings (id)",
    "CREATE TABLE refund_filing_lines (seller VARCHAR(32) NOT NULL, entry_id VARCHAR(18) NOT NULL,"
    " entry_gnum BIGINT NOT NULL, part VARCHAR(8) NOT NULL, filing_id VARCHAR(32) NOT NULL,"
    " business_type VARCHAR(8) NOT NULL, list_id VARCHAR(32) NOT NULL, gnum BIGINT NOT NULL,"
    " sku VARCHAR(64) NOT NULL, warehouse VARCHAR(32) NOT NULL, hs_code VARCHAR(10) NOT NULL,"
    " exported_on CHAR(10) NOT NULL, item_qty BIGINT NOT NULL, qty BIGINT NOT NULL,"
    " currency CHAR(3) NOT NULL, fob_e5 BIGINT NOT NULL, fx_rate_e10 BIGINT NOT NULL,"
    " rate_bp BIGINT NOT NULL, vat_bp BIGINT NOT NULL, company VARCHAR(16) NOT NULL,"
    " basis_fen BIGINT NOT NULL, non_creditable_fen BIGINT NOT NULL, refund_fen BIGINT NOT NULL,"
    " PRIMARY KEY (seller, entry_id, entry_gnum, part))",
    "CREATE INDEX refund_filing_lines_filing ON refund_filing_lines (filing_id)",
    "CREATE TABLE refund_recons (seller VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " period CHAR(7) NOT NULL, recorded_on CHAR(10) NOT NULL, diff_fen BIGINT NOT NULL,"
    " repay_fen BIGINT NOT NULL, actor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, id))",
    "CREATE UNIQUE INDEX refund_recons_period ON refund_recons (seller, period)",
    "CREATE TABLE refund_recon_lines (seller VARCHAR(32) NOT NULL, recon_id VARCHAR(32) NOT NULL,"
    " entry_id VARCHAR(18) NOT NULL, entry_gnum BIGINT NOT NULL, period CHAR(7) NOT NULL,"
    " pre_qty BIGINT NOT NULL, sold_qty BIGINT NOT NULL, sale_e5 BIGINT NOT NULL,"
    " outcome VARCHAR(16) NOT NULL, new_refund_fen BIGINT NOT NULL, diff_fen BIGINT NOT NULL,"
    " repay_fen BIGINT NOT NULL, PRIMARY KEY (seller, recon_id, entry_id, entry_gnum))",
    "CREATE INDEX refund_recon_lines_item ON refund_recon_lines (seller, entry_id, entry_gnum)",
    NULL,
};

/* v21: advertising cap (src/finance/adcap.c): spend per seller, channel,
 * month and currency with its CNY value at a dated rate; a seller's
 * category rate from a year on. */
static const char *const v21[] = {
    "CREATE TABLE ad_spend (seller VARCHAR(32) NOT NULL, channel VARCHAR(32) NOT NULL,"
    " month CHAR(7) NOT NULL, currency CHAR(3) NOT NULL, minor BIGINT NOT NULL,"
    " cny_minor BIGINT NOT NULL, fx_rate VARCHAR(24) NOT NULL, fx_day CHAR(10) NOT NULL,"
    " reference VARCHAR(64) NOT NULL, actor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, channel, month, currency))",
    "CREATE INDEX ad_spend_month ON ad_spend (seller, month)",
    "CREATE TABLE ad_categories (seller VARCHAR(32) NOT NULL, year_from BIGINT NOT NULL,"
    " category VARCHAR(32) NOT NULL, rate_bp BIGINT NOT NULL, actor VARCHAR(64) NOT NULL,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (seller, year_from))",
    /* revenue of a year: a seller's shipped events by time */
    "CREATE INDEX order_history_status_at ON order_history (seller, status, at)",
    NULL,
};

/* v22: seller identity (src/compliance/identity.c): one row per version,
 * never updated; '' = absent */
static const char *const v22[] = {
    "CREATE TABLE seller_identities (seller VARCHAR(32) NOT NULL, version BIGINT NOT NULL,"
    " legal_name_zh VARCHAR(200) NOT NULL, legal_name_en VARCHAR(200) NOT NULL,"
    " uscc VARCHAR(18) NOT NULL, customs_code VARCHAR(18) NOT NULL,"
    " registered_address VARCHAR(500) NOT NULL, contact_name VARCHAR(200) NOT NULL,"
    " contact_phone VARCHAR(40) NOT NULL, contact_email VARCHAR(254) NOT NULL,"
    " recorded_at BIGINT NOT NULL, recorded_by VARCHAR(64) NOT NULL,"
    " PRIMARY KEY (seller, version))",
    "CREATE INDEX seller_identities_at ON seller_identities (seller, recorded_at)",
    "CREATE TABLE seller_identity_markets (seller VARCHAR(32) NOT NULL, version BIGINT NOT NULL,"
    " country CHAR(2) NOT NULL, eori VARCHAR(17) NOT NULL, vat VARCHAR(14) NOT NULL,"
    " ioss VARCHAR(12) NOT NULL, ioss_intermediary VARCHAR(12) NOT NULL, ior VARCHAR(12) NOT NULL,"
    " PRIMARY KEY (seller, version, country))",
    NULL,
};

/* v23: product compliance, rules, the gate (src/compliance). A product
 * record per SKU or brand (kind 'sku' | 'brand', name: the SKU or brand);
 * '' / -1 mean not given. Rules are the operator's table (no tenant); holds
 * name what an order or inbound waits for (released_at 0 while held). */
static const char *const v23[] = {
    "CREATE TABLE compliance_products (seller VARCHAR(32) NOT NULL, kind VARCHAR(8) NOT NULL,"
    " name VARCHAR(100) NOT NULL, category VARCHAR(32) NOT NULL, gpsr_name VARCHAR(200) NOT NULL,"
    " gpsr_line1 VARCHAR(200) NOT NULL, gpsr_postcode VARCHAR(20) NOT NULL,"
    " gpsr_city VARCHAR(100) NOT NULL, gpsr_country VARCHAR(2) NOT NULL,"
    " gpsr_contact VARCHAR(200) NOT NULL, battery BIGINT NOT NULL, un_number VARCHAR(6) NOT NULL,"
    " packing_instruction VARCHAR(5) NOT NULL, lithium_mg BIGINT NOT NULL,"
    " energy_mwh BIGINT NOT NULL, marks VARCHAR(600) NOT NULL, updated_at BIGINT NOT NULL,"
    " updated_by VARCHAR(64) NOT NULL, PRIMARY KEY (seller, kind, name))",
    "CREATE TABLE compliance_epr (seller VARCHAR(32) NOT NULL, kind VARCHAR(8) NOT NULL,"
    " name VARCHAR(100) NOT NULL, country CHAR(2) NOT NULL, scheme VARCHAR(24) NOT NULL,"
    " number VARCHAR(64) NOT NULL, PRIMARY KEY (seller, kind, name, country, scheme))",
    "CREATE TABLE compliance_tariffs (seller VARCHAR(32) NOT NULL, kind VARCHAR(8) NOT NULL,"
    " name VARCHAR(100) NOT NULL, market VARCHAR(2) NOT NULL, code VARCHAR(10) NOT NULL,"
    " PRIMARY KEY (seller, kind, name, market))",
    "CREATE TABLE compliance_rules (id VARCHAR(48) NOT NULL PRIMARY KEY, market VARCHAR(2) NOT NULL,"
    " category VARCHAR(32) NOT NULL, requirement VARCHAR(40) NOT NULL, cond VARCHAR(16) NOT NULL,"
    " effective_from CHAR(10) NOT NULL, effective_to VARCHAR(10) NOT NULL,"
    " status VARCHAR(12) NOT NULL, source VARCHAR(1200) NOT NULL, note VARCHAR(1200) NOT NULL,"
    " updated_at BIGINT NOT NULL, updated_by VARCHAR(64) NOT NULL)",
    "CREATE INDEX compliance_rules_market ON compliance_rules (market, category)",
    "CREATE TABLE compliance_holds (seller VARCHAR(32) NOT NULL, kind VARCHAR(8) NOT NULL,"
    " ref VARCHAR(32) NOT NULL, market CHAR(2) NOT NULL, missing TEXT NOT NULL,"
    " held_at BIGINT NOT NULL, released_at BIGINT NOT NULL, PRIMARY KEY (seller, kind, ref))",
    "CREATE INDEX compliance_holds_open ON compliance_holds (released_at, seller, held_at)",
    "CREATE INDEX compliance_holds_ref ON compliance_holds (kind, ref)",
    "CREATE TABLE compliance_wh_settings (warehouse VARCHAR(32) NOT NULL PRIMARY KEY,"
    " hold_allocates BIGINT NOT NULL, updated_at BIGINT NOT NULL, updated_by VARCHAR(64) NOT NULL)",
    "ALTER TABLE inbounds ADD COLUMN hold_reason VARCHAR(16) NOT NULL DEFAULT ''",
    NULL,
};

/* v24: brands, trademarks, packaging (src/compliance). Brands are the
 * seller's records (a seller names the brands it sells, the owner, and its
 * proof); Nice classes are a 45-bit mask; dates are "YYYY-MM-DD" (UTC days);
 * weights are milligrams per unit, exact. skus_brand finds a brand's SKUs
 * for the brand report; order_history_status the orders shipped in a period
 * for the EPR report. */
static const char *const v24[] = {
    "CREATE TABLE brands (seller VARCHAR(32) NOT NULL, name VARCHAR(100) NOT NULL,"
    " owner VARCHAR(200) NOT NULL, seller_is_owner BIGINT NOT NULL, actor VARCHAR(64) NOT NULL,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (seller, name))",
    "CREATE TABLE trademarks (seller VARCHAR(32) NOT NULL, brand VARCHAR(100) NOT NULL,"
    " office VARCHAR(8) NOT NULL, number VARCHAR(32) NOT NULL, classes BIGINT NOT NULL,"
    " valid_until CHAR(10) NOT NULL, actor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (seller, brand, office, number))",
    "CREATE TABLE brand_authorisations (seller VARCHAR(32) NOT NULL, brand VARCHAR(100) NOT NULL,"
    " id VARCHAR(32) NOT NULL, document_ref VARCHAR(100) NOT NULL, markets VARCHAR(200) NOT NULL,"
    " classes BIGINT NOT NULL, valid_from CHAR(10) NOT NULL, valid_until CHAR(10) NOT NULL,"
    " actor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (seller, brand, id))",
    "CREATE UNIQUE INDEX brand_authorisations_id ON brand_authorisations (id)",
    "CREATE TABLE sku_packaging (seller VARCHAR(32) NOT NULL, sku VARCHAR(64) NOT NULL,"
    " paper_mg BIGINT NOT NULL, plastic_mg BIGINT NOT NULL, glass_mg BIGINT NOT NULL,"
    " aluminium_mg BIGINT NOT NULL, ferrous_mg BIGINT NOT NULL, wood_mg BIGINT NOT NULL,"
    " composite_mg BIGINT NOT NULL, other_mg BIGINT NOT NULL, battery VARCHAR(16) NOT NULL,"
    " battery_mg BIGINT NOT NULL, eee_category BIGINT NOT NULL, eee_mg BIGINT NOT NULL,"
    " actor VARCHAR(64) NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (seller, sku))",
    "CREATE INDEX skus_brand ON skus (brand, seller, sku)",
    "CREATE INDEX order_history_status ON order_history (status, at)",
    NULL,
};
/* journal_sku (seller, sku, id) again, carrying what a SKU's moves are read
 * for, so the brand report reads them from the index alone (one range per
 * SKU) instead of one table row per move: the same number of indexes on the
 * journal, wider entries (bench/RESULTS.md, "Brand report"). The narrow one
 * of v1 is dropped first (these lists run after v24's common ones). */
#define JOURNAL_SKU_WIDE                                                                        \
    "CREATE INDEX journal_sku ON journal (seller, sku, id, kind, at, qty, from_place, to_place)"
static const char *const v24_sqlite[] = {
    "DROP INDEX IF EXISTS journal_sku",
    JOURNAL_SKU_WIDE,
    NULL,
};
static const char *const v24_mysql[] = {
    "DROP INDEX IF EXISTS journal_sku ON journal",
    JOURNAL_SKU_WIDE,
    NULL,
};

/* v25: carriers, rates, parcels, labels (src/lastmile). Service versions
 * as rate cards are (effective_to '' = open; superseded_by '' = live), their
 * zone ranges and weight breaks; the number range's next serial per service
 * code; the warehouse's boxes and choice rules; parcels and their items. */
static const char *const v25[] = {
    "CREATE TABLE lm_services (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " code VARCHAR(32) NOT NULL, carrier VARCHAR(64) NOT NULL, name VARCHAR(128) NOT NULL,"
    " version BIGINT NOT NULL, currency CHAR(3) NOT NULL, effective_from CHAR(10) NOT NULL,"
    " effective_to CHAR(10) NOT NULL, replaces VARCHAR(32) NOT NULL,"
    " superseded_by VARCHAR(32) NOT NULL, dim_divisor BIGINT NOT NULL,"
    " max_weight_g BIGINT NOT NULL, max_length_mm BIGINT NOT NULL, max_girth_mm BIGINT NOT NULL,"
    " max_length_girth_mm BIGINT NOT NULL, fuel_bp BIGINT NOT NULL,"
    " residential_minor BIGINT NOT NULL, transit_days BIGINT NOT NULL, cutoff_min BIGINT NOT NULL,"
    " pickup_days BIGINT NOT NULL, numbering VARCHAR(8) NOT NULL, num_prefix VARCHAR(16) NOT NULL,"
    " num_country CHAR(2) NOT NULL, num_extension BIGINT NOT NULL, num_from BIGINT NOT NULL,"
    " num_to BIGINT NOT NULL, two_d VARCHAR(12) NOT NULL, created_at BIGINT NOT NULL,"
    " created_by VARCHAR(64) NOT NULL, PRIMARY KEY (warehouse, id))",
    "CREATE UNIQUE INDEX lm_services_id ON lm_services (id)",
    "CREATE INDEX lm_services_code ON lm_services (warehouse, code, effective_from)",
    "CREATE TABLE lm_zones (warehouse VARCHAR(32) NOT NULL, service VARCHAR(32) NOT NULL,"
    " seq BIGINT NOT NULL, zone VARCHAR(32) NOT NULL, country CHAR(2) NOT NULL,"
    " pc_from VARCHAR(16) NOT NULL, pc_to VARCHAR(16) NOT NULL,"
    " PRIMARY KEY (warehouse, service, seq))",
    "CREATE TABLE lm_prices (warehouse VARCHAR(32) NOT NULL, service VARCHAR(32) NOT NULL,"
    " seq BIGINT NOT NULL, zone VARCHAR(32) NOT NULL, max_weight_g BIGINT NOT NULL,"
    " minor BIGINT NOT NULL, PRIMARY KEY (warehouse, service, seq))",
    "CREATE TABLE lm_counters (warehouse VARCHAR(32) NOT NULL, code VARCHAR(32) NOT NULL,"
    " next_serial BIGINT NOT NULL, PRIMARY KEY (warehouse, code))",
    "CREATE TABLE lm_boxes (warehouse VARCHAR(32) NOT NULL, code VARCHAR(32) NOT NULL,"
    " l_mm BIGINT NOT NULL, w_mm BIGINT NOT NULL, h_mm BIGINT NOT NULL,"
    " max_weight_g BIGINT NOT NULL, tare_g BIGINT NOT NULL, PRIMARY KEY (warehouse, code))",
    "CREATE TABLE lm_rules (warehouse VARCHAR(32) NOT NULL, kind VARCHAR(8) NOT NULL,"
    " match_code VARCHAR(64) NOT NULL, service VARCHAR(32) NOT NULL,"
    " PRIMARY KEY (warehouse, kind, match_code))",
    "CREATE TABLE lm_parcels (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " order_id VARCHAR(32) NOT NULL, seller VARCHAR(32) NOT NULL, seq BIGINT NOT NULL,"
    " service_id VARCHAR(32) NOT NULL, service_code VARCHAR(32) NOT NULL,"
    " carrier VARCHAR(64) NOT NULL, service_name VARCHAR(128) NOT NULL,"
    " tracking_no VARCHAR(32) NOT NULL, numbering VARCHAR(8) NOT NULL, two_d VARCHAR(12) NOT NULL,"
    " box VARCHAR(32) NOT NULL, weight_g BIGINT NOT NULL, l_mm BIGINT NOT NULL,"
    " w_mm BIGINT NOT NULL, h_mm BIGINT NOT NULL, billable_g BIGINT NOT NULL,"
    " price_minor BIGINT NOT NULL, currency CHAR(3) NOT NULL, ship_day CHAR(10) NOT NULL,"
    " deliver_day CHAR(10) NOT NULL, chosen_by VARCHAR(16) NOT NULL, created_at BIGINT NOT NULL,"
    " created_by VARCHAR(64) NOT NULL, PRIMARY KEY (warehouse, id))",
    "CREATE UNIQUE INDEX lm_parcels_id ON lm_parcels (id)",
    "CREATE UNIQUE INDEX lm_parcels_tracking ON lm_parcels (tracking_no)",
    "CREATE INDEX lm_parcels_order ON lm_parcels (order_id, seq)",
    "CREATE TABLE lm_parcel_items (warehouse VARCHAR(32) NOT NULL, parcel VARCHAR(32) NOT NULL,"
    " line BIGINT NOT NULL, sku VARCHAR(64) NOT NULL, qty BIGINT NOT NULL,"
    " PRIMARY KEY (warehouse, parcel, line))",
    NULL,
};

/* v26: webhooks (src/webhooks): subscriptions (a seller's, or an
 * operator's for its warehouse; deleted ones kept with deleted_at), the
 * outbox of deliveries (one row per event and subscription, written in the
 * transaction of the change; sent in id order per subscription) and the
 * attempts of each. */
static const char *const v26[] = {
    "CREATE TABLE wh_subscriptions (id VARCHAR(32) NOT NULL PRIMARY KEY,"
    " seller VARCHAR(32) NOT NULL, warehouse VARCHAR(32) NOT NULL, url VARCHAR(2048) NOT NULL,"
    " events VARCHAR(512) NOT NULL, secret VARCHAR(80) NOT NULL, description VARCHAR(200) NOT NULL,"
    " actor VARCHAR(64) NOT NULL, created_at BIGINT NOT NULL, deleted_at BIGINT NOT NULL)",
    "CREATE INDEX wh_subscriptions_seller ON wh_subscriptions (seller, deleted_at)",
    "CREATE INDEX wh_subscriptions_warehouse ON wh_subscriptions (warehouse, deleted_at)",
    "CREATE TABLE wh_deliveries (id BIGINT NOT NULL PRIMARY KEY, sub_id VARCHAR(32) NOT NULL,"
    " event_id VARCHAR(32) NOT NULL, event_type VARCHAR(32) NOT NULL, seller VARCHAR(32) NOT NULL,"
    " warehouse VARCHAR(32) NOT NULL, subject VARCHAR(64) NOT NULL, status VARCHAR(32) NOT NULL,"
    " event_at BIGINT NOT NULL, state VARCHAR(16) NOT NULL, attempts BIGINT NOT NULL,"
    " next_at BIGINT NOT NULL, last_code BIGINT NOT NULL, last_error VARCHAR(255) NOT NULL,"
    " redelivery_of BIGINT NOT NULL, created_at BIGINT NOT NULL, done_at BIGINT NOT NULL)",
    "CREATE INDEX wh_deliveries_queue ON wh_deliveries (sub_id, state, id)",
    "CREATE INDEX wh_deliveries_due ON wh_deliveries (state, next_at)",
    "CREATE TABLE wh_attempts (delivery BIGINT NOT NULL, n BIGINT NOT NULL, at BIGINT NOT NULL,"
    " http_status BIGINT NOT NULL, error VARCHAR(255) NOT NULL, ms BIGINT NOT NULL,"
    " PRIMARY KEY (delivery, n))",
    NULL,
};

/* v27: manifests and tracking (src/lastmile/manifest.c, tracking.c). A
 * parcel's manifest ('' = none yet) and scan-out time (0 = not scanned);
 * the warehouse's choice of when an order ships (manifest | scan_out);
 * closed manifests; tracking events, one per (tracking number, status,
 * time); an order's exception flag (the latest exception or return). */
static const char *const v27[] = {
    "ALTER TABLE lm_parcels ADD COLUMN manifest VARCHAR(32) NOT NULL DEFAULT ''",
    "ALTER TABLE lm_parcels ADD COLUMN scanned_at BIGINT NOT NULL DEFAULT 0",
    "CREATE INDEX lm_parcels_manifest ON lm_parcels (warehouse, manifest, service_code)",
    "CREATE TABLE lm_dispatch (warehouse VARCHAR(32) NOT NULL, ship_at VARCHAR(16) NOT NULL,"
    " PRIMARY KEY (warehouse))",
    "CREATE TABLE lm_manifests (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " service_code VARCHAR(32) NOT NULL, carrier VARCHAR(64) NOT NULL,"
    " service_name VARCHAR(128) NOT NULL, pickup_day CHAR(10) NOT NULL,"
    " parcels BIGINT NOT NULL, weight_g BIGINT NOT NULL, ship_at VARCHAR(16) NOT NULL,"
    " closed_at BIGINT NOT NULL, closed_by VARCHAR(64) NOT NULL, PRIMARY KEY (warehouse, id))",
    "CREATE UNIQUE INDEX lm_manifests_id ON lm_manifests (id)",
    "CREATE INDEX lm_manifests_day ON lm_manifests (warehouse, pickup_day)",
    "CREATE TABLE lm_tracking (warehouse VARCHAR(32) NOT NULL, id VARCHAR(32) NOT NULL,"
    " parcel VARCHAR(32) NOT NULL, order_id VARCHAR(32) NOT NULL, seller VARCHAR(32) NOT NULL,"
    " tracking_no VARCHAR(32) NOT NULL, status VARCHAR(24) NOT NULL, at BIGINT NOT NULL,"
    " location VARCHAR(128) NOT NULL, detail VARCHAR(256) NOT NULL, source VARCHAR(16) NOT NULL,"
    " created_at BIGINT NOT NULL, PRIMARY KEY (warehouse, id))",
    "CREATE UNIQUE INDEX lm_tracking_key ON lm_tracking (tracking_no, status, at)",
    "CREATE INDEX lm_tracking_order ON lm_tracking (order_id, at)",
    "CREATE TABLE lm_order_flags (order_id VARCHAR(32) NOT NULL, seller VARCHAR(32) NOT NULL,"
    " warehouse VARCHAR(32) NOT NULL, status VARCHAR(24) NOT NULL,"
    " tracking_no VARCHAR(32) NOT NULL, at BIGINT NOT NULL, location VARCHAR(128) NOT NULL,"
    " detail VARCHAR(256) NOT NULL,"
    " PRIMARY KEY (order_id))",
    NULL,
};

/* v28: transfer orders and work orders (src/transfer). A transfer's lines,
 * its work orders (relabel, bundle) with the charge booked when done, its
 * cartons with their items and pallets; the SSCC counter per GS1 prefix. */
static const char *const v28[] = {
    "CREATE TABLE tr_transfers (id VARCHAR(32) NOT NULL PRIMARY KEY, seller VARCHAR(32) NOT NULL,"
    " warehouse VARCHAR(32) NOT NULL, dest_type VARCHAR(8) NOT NULL,"
    " dest_warehouse VARCHAR(32) NOT NULL, dest_country CHAR(2) NOT NULL, address TEXT NOT NULL,"
    " shipment_id VARCHAR(32) NOT NULL, status VARCHAR(12) NOT NULL,"
    " hold_reason VARCHAR(16) NOT NULL, missing TEXT NOT NULL, freight_ref VARCHAR(64) NOT NULL,"
    " inbound_id VARCHAR(32) NOT NULL, created_at BIGINT NOT NULL, created_by VARCHAR(64) NOT NULL,"
    " updated_at BIGINT NOT NULL, shipped_at BIGINT NOT NULL)",
    "CREATE INDEX tr_transfers_seller ON tr_transfers (seller, id)",
    "CREATE INDEX tr_transfers_wh ON tr_transfers (warehouse, id)",
    "CREATE INDEX tr_transfers_held ON tr_transfers (status, seller)",
    "CREATE TABLE tr_lines (transfer VARCHAR(32) NOT NULL, line BIGINT NOT NULL,"
    " sku VARCHAR(64) NOT NULL, qty BIGINT NOT NULL, fnsku VARCHAR(32) NOT NULL,"
    " PRIMARY KEY (transfer, line))",
    "CREATE TABLE tr_work (id VARCHAR(32) NOT NULL PRIMARY KEY, transfer VARCHAR(32) NOT NULL,"
    " service VARCHAR(12) NOT NULL, units BIGINT NOT NULL, note VARCHAR(200) NOT NULL,"
    " status VARCHAR(12) NOT NULL, charge_minor BIGINT NOT NULL, currency CHAR(3) NOT NULL,"
    " created_at BIGINT NOT NULL, done_at BIGINT NOT NULL, done_by VARCHAR(64) NOT NULL)",
    "CREATE INDEX tr_work_transfer ON tr_work (transfer, id)",
    "CREATE TABLE tr_cartons (transfer VARCHAR(32) NOT NULL, box_no BIGINT NOT NULL,"
    " carton_id VARCHAR(48) NOT NULL, l_mm BIGINT NOT NULL, w_mm BIGINT NOT NULL,"
    " h_mm BIGINT NOT NULL, weight_g BIGINT NOT NULL, pallet_no BIGINT NOT NULL,"
    " PRIMARY KEY (transfer, box_no))",
    "CREATE TABLE tr_carton_items (transfer VARCHAR(32) NOT NULL, box_no BIGINT NOT NULL,"
    " seq BIGINT NOT NULL, sku VARCHAR(64) NOT NULL, qty BIGINT NOT NULL,"
    " PRIMARY KEY (transfer, box_no, seq))",
    "CREATE TABLE tr_pallets (transfer VARCHAR(32) NOT NULL, pallet_no BIGINT NOT NULL,"
    " sscc CHAR(18) NOT NULL, cartons BIGINT NOT NULL, weight_g BIGINT NOT NULL,"
    " PRIMARY KEY (transfer, pallet_no))",
    "CREATE UNIQUE INDEX tr_pallets_sscc ON tr_pallets (sscc)",
    "CREATE TABLE tr_sscc_counters (prefix VARCHAR(10) NOT NULL PRIMARY KEY,"
    " next_serial BIGINT NOT NULL)",
    NULL,
};

/* v29: uploaded labels, connectors (src/lastmile). A ready label of an
 * order stored as hex (pdf_bytes its length); carrier connectors per
 * warehouse (credentials_ref names where the secret is kept, never it);
 * the warehouse's GS1 company prefix and the SSCC of each inbound carton. */
static const char *const v29[] = {
    "CREATE TABLE lm_label_uploads (order_id VARCHAR(32) NOT NULL, warehouse VARCHAR(32) NOT NULL,"
    " seller VARCHAR(32) NOT NULL, carrier VARCHAR(64) NOT NULL, tracking_no VARCHAR(40) NOT NULL,"
    " pdf_hex MEDIUMTEXT NOT NULL, pdf_bytes BIGINT NOT NULL, created_at BIGINT NOT NULL,"
    " created_by VARCHAR(64) NOT NULL, PRIMARY KEY (order_id))",
    "CREATE TABLE lm_connectors (warehouse VARCHAR(32) NOT NULL, name VARCHAR(32) NOT NULL,"
    " kind VARCHAR(16) NOT NULL, base_url VARCHAR(256) NOT NULL,"
    " credentials_ref VARCHAR(128) NOT NULL, status VARCHAR(16) NOT NULL,"
    " updated_at BIGINT NOT NULL, updated_by VARCHAR(64) NOT NULL, PRIMARY KEY (warehouse, name))",
    "CREATE TABLE lm_gs1 (warehouse VARCHAR(32) NOT NULL, company_prefix VARCHAR(10) NOT NULL,"
    " extension BIGINT NOT NULL, updated_at BIGINT NOT NULL, updated_by VARCHAR(64) NOT NULL,"
    " PRIMARY KEY (warehouse))",
    "CREATE TABLE lm_cartons (inbound VARCHAR(32) NOT NULL, carton_no BIGINT NOT NULL,"
    " warehouse VARCHAR(32) NOT NULL, sscc CHAR(18) NOT NULL, created_at BIGINT NOT NULL,"
    " PRIMARY KEY (inbound, carton_no))",
    "CREATE UNIQUE INDEX lm_cartons_sscc ON lm_cartons (sscc)",
    NULL,
};

/* v30: stock thresholds for webhooks (src/webhooks). stock_threshold is a
 * stock.low subscription's default (-1: none); wh_thresholds its per-SKU
 * ones; a stock.low delivery keeps its available and threshold. */
static const char *const v30[] = {
    "ALTER TABLE wh_subscriptions ADD COLUMN stock_threshold BIGINT NOT NULL DEFAULT -1",
    "CREATE TABLE wh_thresholds (sub_id VARCHAR(32) NOT NULL, sku VARCHAR(64) NOT NULL,"
    " below BIGINT NOT NULL, PRIMARY KEY (sub_id, sku))",
    "ALTER TABLE wh_deliveries ADD COLUMN available BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE wh_deliveries ADD COLUMN threshold BIGINT NOT NULL DEFAULT 0",
    NULL,
};

/* v31: public holidays (src/lastmile/holiday_store.c): rows per calendar
 * (country, region: '' nationwide, a subdivision, or a carrier calendar),
 * a warehouse's own closed days and its region; a service's delivery
 * weekdays (bit d-1 for ISO weekday d) and the carrier calendar it follows. */
static const char *const v31[] = {
    "CREATE TABLE lm_holidays (country CHAR(2) NOT NULL, region VARCHAR(8) NOT NULL,"
    " day CHAR(10) NOT NULL, name VARCHAR(128) NOT NULL, created_at BIGINT NOT NULL,"
    " created_by VARCHAR(64) NOT NULL, PRIMARY KEY (country, region, day))",
    "CREATE TABLE lm_closed_days (warehouse VARCHAR(32) NOT NULL, day CHAR(10) NOT NULL,"
    " reason VARCHAR(128) NOT NULL, created_at BIGINT NOT NULL, created_by VARCHAR(64) NOT NULL,"
    " PRIMARY KEY (warehouse, day))",
    "CREATE TABLE lm_holiday_regions (warehouse VARCHAR(32) NOT NULL, region VARCHAR(8) NOT NULL,"
    " PRIMARY KEY (warehouse))",
    "ALTER TABLE lm_services ADD COLUMN delivery_days BIGINT NOT NULL DEFAULT 31",
    "ALTER TABLE lm_services ADD COLUMN holidays VARCHAR(8) NOT NULL DEFAULT ''",
    NULL,
};

/* v32: transfer orders in the compliance holds list (src/compliance,
 * src/transfer). A hold keeps the warehouse its goods are in (for
 * transfers; orders and inbounds are found through their rows); transfers
 * on hold before this version get their hold row. */
static const char *const v32[] = {
    "ALTER TABLE compliance_holds ADD COLUMN warehouse VARCHAR(32) NOT NULL DEFAULT ''",
    "INSERT INTO compliance_holds (seller, kind, ref, market, missing, held_at, released_at,"
    " warehouse) SELECT seller, 'transfer', id, dest_country, missing, updated_at, 0, warehouse"
    " FROM tr_transfers WHERE status = 'on_hold'",
    NULL,
};

/* v33: order_history had the same index twice: order_history_status (v19;
 * v24's (status, at) form never ran past it) and order_history_status_at
 * (v21), both (seller, status, at). The first, which reports.c names, is
 * kept; every history row wrote one index entry too many. */
static const char *const v33[] = {
    NULL,
};
static const char *const v33_sqlite[] = {
    "DROP INDEX IF EXISTS order_history_status_at",
    NULL,
};
static const char *const v33_mysql[] = {
    "DROP INDEX IF EXISTS order_history_status_at ON order_history",
    NULL,
};

static const struct migration migrations[] = {
    {1, v1, NULL, NULL},
    {2, v2, NULL, NULL},
    {3, v3, NULL, NULL},
    {4, v4, NULL, NULL},
    {5, v5, v5_sqlite, v5_mysql},
    {6, v6, NULL, NULL},
    {7, v7, NULL, NULL},
    {8, v8, NULL, NULL},
    {9, v9, NULL, NULL},
    {10, v10, NULL, NULL},
    {11, v11, NULL, NULL},
    {12, v12, NULL, NULL},
    {13, v13, NULL, NULL},
    {14, v14, NULL, NULL},
    {15, v15, NULL, NULL},
    {16, v16, NULL, NULL},
    {17, v17, NULL, NULL},
    {18, v18, NULL, NULL},
    {19, v19, NULL, NULL},
    {20, v20, NULL, NULL},
    {21, v21, NULL, NULL},
    {22, v22, NULL, NULL},
    {23, v23, NULL, NULL},
    {24, v24, v24_sqlite, v24_mysql},
    {25, v25, NULL, NULL},
    {26, v26, NULL, NULL},
    {27, v27, NULL, NULL},
    {28, v28, NULL, NULL},
    {29, v29, NULL, NULL},
    {30, v30, NULL, NULL},
    {31, v31, NULL, NULL},
    {32, v32, NULL, NULL},
    {33, v33, v33_sqlite, v33_mysql},
};

/* Writes stmt in the form that does nothing when it has been applied before:
 * CREATE TABLE / [UNIQUE] INDEX IF NOT EXISTS, ADD COLUMN IF NOT EXISTS
 * (MySQL-protocol; SQLite has no such form, and there the lock alone keeps
 * two processes apart), INSERT that skips rows already there. */
static void idempotent(hc_store *s, const char *stmt, char *out, size_t size)
{
    static const struct {
        const char *prefix, *mysql, *sqlite;
    } forms[] = {
        {"CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", "CREATE TABLE IF NOT EXISTS "},
        {"CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", "CREATE INDEX IF NOT EXISTS "},
        {"CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ",
         "CREATE UNIQUE INDEX IF NOT EXISTS "},
        {"INSERT INTO ", "INSERT IGNORE INTO ", "INSERT OR IGNORE INTO "},
    };
    bool my = hc_store_dialect(s) == HC_MYSQL;
    const char *rest = stmt, *head = "";
    for (size_t i = 0; i < HC_ARRAY_LEN(forms); i++) {
        size_t n = strlen(forms[i].prefix);
        if (strncmp(stmt, forms[i].prefix, n) == 0) {
            head = my ? forms[i].mysql : forms[i].sqlite;
            rest = stmt + n;
            break;
        }
    }
    const char *add = my ? strstr(rest, " ADD COLUMN ") : NULL;
    if (strncmp(stmt, "ALTER TABLE ", 12) == 0 && add)
        snprintf(out, size, "%.*s ADD COLUMN IF NOT EXISTS %s", (int)(add - stmt), stmt,
                 add + strlen(" ADD COLUMN "));
    else
        snprintf(out, size, "%s%s", head, rest);
    if (my && strncmp(stmt, "CREATE TABLE ", 13) == 0) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    }
}

static int run_list(hc_store *s, const char *const *list, hc_err *err)
{
    char sql[4096];
    for (; list && *list; list++) {
        idempotent(s, *list, sql, sizeof(sql));
        int rc = hc_store_exec(s, sql, err);
        if (rc != HC_OK)
            return rc;
    }
    return HC_OK;
}

int hc_store_schema_version(hc_store *s, int *version, hc_err *err)
{
    int rc = hc_store_exec(s,
                           "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL "
                           "PRIMARY KEY, applied_at BIGINT NOT NULL)",
                           err);
    if (rc != HC_OK)
        return rc;
    int64_t v = 0;
    rc = hc_store_int(s, err, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_version", "");
    if (rc != HC_OK)
        return rc;
    *version = (int)v;
    return HC_OK;
}

/* One step; MySQL commits DDL implicitly, so the version row is written last
 * and a half-applied step shows as not applied (and, its statements being
 * idempotent, is finished on the next run). */
static int apply(hc_store *s, const struct migration *m, hc_err *err)
{
    int rc = run_list(s, m->common, err);
    if (rc == HC_OK)
        rc = run_list(s, hc_store_dialect(s) == HC_MYSQL ? m->mysql_only : m->sqlite_only, err);
    if (rc == HC_OK)
        rc = hc_store_run(s, err, NULL,
                          hc_store_dialect(s) == HC_MYSQL
                              ? "INSERT IGNORE INTO schema_version (version, applied_at) VALUES (?, ?)"
                              : "INSERT OR IGNORE INTO schema_version (version, applied_at)"
                                " VALUES (?, ?)",
                          "ii", (int64_t)m->version, hc_now_ms());
    if (rc == HC_OK)
        hc_log(HC_LOG_INFO, "schema migrated to version %d", m->version);
    return rc;
}

#define LOCK_WAIT_S 120

/* SQLite: the whole upgrade is one BEGIN IMMEDIATE transaction (DDL is
 * transactional there); a second process waits for it, then finds the
 * version current. Busy past the driver's timeout is retried until
 * LOCK_WAIT_S. */
static int migrate_sqlite(hc_store *s, hc_err *err)
{
    int64_t deadline = hc_mono_ns() + (int64_t)LOCK_WAIT_S * 1000000000LL;
    int rc;
    while ((rc = hc_store_begin(s, err)) == HC_EBUSY && hc_mono_ns() < deadline)
        hc_err_clear(err);
    if (rc != HC_OK)
        return rc;
    int have;
    rc = hc_store_schema_version(s, &have, err);
    for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(migrations); i++)
        if (migrations[i].version > have)
            rc = apply(s, &migrations[i], err);
    if (rc == HC_OK)
        return hc_store_commit(s, err);
    hc_err tmp = {0};
    hc_store_rollback(s, &tmp);
    return rc;
}

/* MySQL-protocol: a named lock held by this connection while it reads the
 * version and applies what is missing. A Galera cluster may refuse GET_LOCK
 * (and it is per node anyway): then the steps run unlocked, relying on their
 * statements being idempotent. */
static int migrate_mysql(hc_store *s, hc_err *err)
{
    int64_t got = 0;
    hc_err lerr = {0};
    int lrc = hc_store_int(s, &lerr, &got, "SELECT GET_LOCK('haicang_migrate', ?)", "i",
                           (int64_t)LOCK_WAIT_S);
    if (lrc == HC_OK && got != 1)
        return hc_err_set(err, HC_EUNAVAILABLE, "",
                          "another process held the migration lock for %d s", LOCK_WAIT_S);
    if (lrc != HC_OK) {
        if (lrc == HC_EUNAVAILABLE)
            return hc_err_set(err, lrc, "", "%s", lerr.msg);
        hc_log(HC_LOG_INFO, "migrating without a lock (%s)", lerr.msg);
    }
    /* GET_LOCK is per node on Galera: servers migrating through different
     * nodes still meet, as a deadlock or certification failure of one DDL.
     * Every step is idempotent, so read the version again and go on. */
    int64_t deadline = hc_mono_ns() + (int64_t)LOCK_WAIT_S * 1000000000LL;
    int rc;
    for (int attempt = 0;; attempt++) {
        int have;
        hc_err_clear(err);
        rc = hc_store_schema_version(s, &have, err);
        for (size_t i = 0; rc == HC_OK && i < HC_ARRAY_LEN(migrations); i++)
            if (migrations[i].version > have)
                rc = apply(s, &migrations[i], err);
        if (rc != HC_EBUSY || hc_mono_ns() >= deadline)
            break;
        hc_log(HC_LOG_INFO, "migration step refused (%s); again", err->msg);
        long us = 50000L << (attempt < 5 ? attempt : 5); /* 50 ms doubling to 1.6 s, jittered */
        us = us / 2 + (long)((uint64_t)hc_mono_ns() % (uint64_t)(us / 2 + 1));
        struct timespec ts = {us / 1000000, (us % 1000000) * 1000L};
        nanosleep(&ts, NULL);
    }
    if (lrc == HC_OK) {
        hc_err tmp = {0};
        hc_store_int(s, &tmp, &got, "SELECT RELEASE_LOCK('haicang_migrate')", "");
    }
    return rc;
}

int hc_store_migrate(hc_store *s, hc_err *err)
{
    int have;
    int rc = hc_store_schema_version(s, &have, err);
    if (rc != HC_OK)
        return rc;
    if (have >= migrations[HC_ARRAY_LEN(migrations) - 1].version)
        return HC_OK; /* current: no lock needed */
    return hc_store_dialect(s) == HC_SQLITE ? migrate_sqlite(s, err) : migrate_mysql(s, err);
}
