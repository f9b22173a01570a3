/* routes.c: the route table, and the OpenAPI document made from it. */
#include "internal.h"

#include "h_adcap.h"
#include "h_compliance.h"
#include "h_customs.h"
#include "h_dispatch.h"
#include "h_finance.h"
#include "h_holidays.h"
#include "h_identity.h"
#include "h_refund.h"
#include "h_slotting.h"
#include "h_transfers.h"

#include <string.h>

#define A ROLE_ADMIN
#define O ROLE_OPERATOR
#define S ROLE_SELLER
/* ROUTE(method, pattern, handler, roles, summary, body fields[, query]): query
 * lists the query parameters the route takes ("seller,limit,cursor"); a
 * request with any other is a 400 naming it. Without it, the route takes none. */
#define ROUTE(m, p, f, r, s, b, ...)                                                    \
    {.method = m, .pattern = p, .fn = f, .roles = r, .summary = s, .body = b,          \
     .query = "" __VA_ARGS__}
#define PAGE "limit,cursor"

struct route hc_routes[] = {
    ROUTE("GET", "/healthz", h_healthz, 0, "Liveness: {\"status\":\"ok\"}", NULL),
    ROUTE("GET", "/metrics", h_metrics, 0, "Prometheus metrics", NULL),
    ROUTE("GET", "/v1/openapi.json", h_openapi, 0, "This document", NULL),
    ROUTE("GET", "/v1/me", h_me, A | O | S, "Role and tenancy of the calling key", NULL),
    ROUTE("GET", "/v1/keys", h_key_list, A, "List API keys, newest first (active=true: working ones)",
     NULL, "active," PAGE),
    ROUTE("POST", "/v1/keys", h_key_create, A,
     "Make an API key; its text is in this answer only (no Idempotency-Key)",
     "name?, role: admin|operator|seller, seller?, warehouse?"),
    ROUTE("GET", "/v1/keys/{id}", h_key_get, A, "One API key (by id or name)", NULL),
    ROUTE("POST", "/v1/keys/{id}/revoke", h_key_revoke, A,
     "Revoke a key (by id or name): refused from the next request on", "{}"),
    ROUTE("POST", "/v1/sellers", h_seller_create, A, "Register a seller",
     "code, name, country, uscc?, customs_code?"),
    ROUTE("GET", "/v1/sellers", h_seller_list, A | O | S, "List sellers", NULL,
     PAGE),
    ROUTE("GET", "/v1/sellers/{code}", h_seller_get, A | O | S, "One seller", NULL),
    ROUTE("GET", "/v1/sellers/{code}/identity", h_identity_get, A | O | S,
     "A seller's legal identity, the latest or the one valid at `at` (ISO 8601 UTC), with each "
     "number checked again by its rule (checks[].valid)", NULL, "at"),
    ROUTE("PUT", "/v1/sellers/{code}/identity", h_identity_put, A | S,
     "Record a seller's legal identity: 201 with a new version when it changed (who and when "
     "are kept, nothing is overwritten), 200 when it is the same; each number is checked "
     "(USCC GB 32100-2015, customs code, EU VAT per member state, UK VAT, EORI, IOSS, US IOR) "
     "and a bad one is a 400 naming it",
     "legal_name_zh, legal_name_en, uscc, customs_code?, registered_address, contact?{name?, "
     "phone?, email?}, markets?{CC: {eori?, vat?, ioss?, ioss_intermediary?, ior?}} (EU member "
     "states: eori, vat, ioss, ioss_intermediary; GB: eori, vat; US: ior)"),
    ROUTE("GET", "/v1/sellers/{code}/identity/history", h_identity_history, A | O | S,
     "The versions of a seller's legal identity, newest first, each with who recorded it and when",
     NULL, PAGE),
    ROUTE("GET", "/v1/sellers/{code}/statements/{month}.pdf", h_statement_pdf, A | S,
     "A seller's statement of a Beijing month as PDF (lang: zh|en)", NULL, "lang"),
    ROUTE("GET", "/v1/sellers/{code}/statements/{month}.xlsx", h_statement_xlsx, A | S,
     "A seller's statement of a Beijing month as XLSX (lang: zh|en)", NULL, "lang"),
    ROUTE("GET", "/v1/sellers/{code}/statements/{month}.csv", h_statement_csv, A | S,
     "A seller's statement of a Beijing month as CSV (lang: zh|en)", NULL, "lang"),
    ROUTE("GET", "/v1/sellers/{code}/statements/{month}", h_statement_get, A | S,
     "A seller's statement of an ended Beijing month (YYYY-MM): wallet postings with their "
     "causes, opening and closing balance per currency (format: json|pdf|xlsx|csv, lang: zh|en; "
     "JSON: limit and cursor page the lines, the totals stay the month's)",
     NULL, "format,lang," PAGE),
    ROUTE("POST", "/v1/sellers/{code}/ad-spend", h_adspend_import, A | S,
     "Import advertising / traffic-purchase (投流) spend per channel and month (EIT Art. 44): "
     "JSON {spend[...]} or text/csv channel,month,amount,currency[,fx_day[,reference]]; a row "
     "of the same channel, month and currency replaces the one before; not CNY: converted at "
     "the rate of fx_day (default the month's last day; 409 without one)",
     "spend[{channel, month (YYYY-MM), amount (decimal string >= 0), currency, fx_day?, "
     "reference?}]"),
    ROUTE("GET", "/v1/sellers/{code}/ad-spend", h_adspend_list, A | S,
     "A seller's advertising spend by month and channel, with its CNY value and rate (year)",
     NULL, "year"),
    ROUTE("POST", "/v1/sellers/{code}/ad-categories", h_adcategory_set, A | S,
     "Set the seller's advertising-cap category from a year on (general 15 %; cosmetics, "
     "pharmaceuticals, soft_drinks 30 %; tobacco 0; or rate_pct)",
     "category, year_from, rate_pct? (decimal string 0..100)"),
    ROUTE("GET", "/v1/sellers/{code}/ad-categories", h_adcategory_list, A | S,
     "The seller's advertising-cap categories by the year they apply from", NULL),
    ROUTE("GET", "/v1/sellers/{code}/ad-cap/{year}", h_adcap_report, A | S,
     "The year's advertising deduction cap in CNY: revenue of orders shipped in the Beijing "
     "year (converted at each ship day's rate), spend, cap, allowed, carried in and out, and "
     "the years before back to the first with spend", NULL),
    ROUTE("POST", "/v1/invoices", h_invoice_create, A | O,
     "Issue the invoice of a warehouse to a seller for an ended month (numbers per warehouse, no gaps)",
     "seller, warehouse, month (YYYY-MM)"),
    ROUTE("GET", "/v1/invoices", h_invoice_list, A | O | S, "Invoices, newest first (seller, warehouse)",
     NULL, "seller,warehouse," PAGE),
    ROUTE("GET", "/v1/invoices/{id}.pdf", h_invoice_pdf, A | O | S, "An invoice as PDF (lang: zh|en)",
     NULL, "lang"),
    ROUTE("GET", "/v1/invoices/{id}", h_invoice_get, A | O | S, "One invoice (id or number)", NULL,
     "lang"),
    ROUTE("GET", "/v1/settlements", h_settlement_get, A | S,
     "Netting settlement statement (SAFE Hui Fa [2020] No. 11) of a seller and period of "
     "Beijing dates: per order sold the gross, fees netted by type, net, customs list items; "
     "gross totals per currency (format: json|csv|xlsx|signed, lang: zh|en)",
     NULL, "seller,from,to,format,lang"),
    ROUTE("POST", "/v1/external-fees", h_external_fee_create, A | S,
     "Record fees haicang does not book (head-haul, last mile, taxes, compensation, "
     "advertising...): JSON {seller, fees[]} or text/csv order,type,amount,currency,date,"
     "reference with ?seller=; all or none",
     "seller, fees[{order?, type: storage|fulfilment|head_haul|last_mile|taxes|compensation|"
     "advertising, amount{amount, currency}, date (YYYY-MM-DD), reference}]",
     "seller"),
    ROUTE("GET", "/v1/external-fees", h_external_fee_list, A | S,
     "A seller's external fees, oldest first (seller, from, to)", NULL, "seller,from,to," PAGE),
    ROUTE("GET", "/v1/sellers/{code}/wallet", h_seller_wallet, A | O | S,
     "A seller's wallet: balance per currency, credit limit, held orders, postings link", NULL),
    ROUTE("POST", "/v1/sellers/{code}/topups", h_seller_topup, A | O,
     "Record a top-up received from the seller (releases orders held for credit)",
     "amount (decimal string > 0), currency, reference"),
    ROUTE("POST", "/v1/sellers/{code}/credit-limit", h_seller_credit, A | O,
     "Set the seller's credit limit in a currency", "credit_limit (decimal string >= 0), currency"),
    ROUTE("POST", "/v1/sellers/{code}/wallet/conversions", h_seller_convert, A | O | S,
     "Convert wallet money at the reference rate of a day (409 without one)",
     "amount, currency, to, day (YYYY-MM-DD)"),
    ROUTE("GET", "/v1/money/accounts", h_money_accounts, A | O | S,
     "Money balances per account and currency (seller, warehouse, currency)", NULL,
     "seller,warehouse,currency"),
    ROUTE("GET", "/v1/money/postings", h_money_postings, A | O | S,
     "Money postings, oldest first (account, seller, warehouse, entry, from, to)", NULL,
     "account,seller,warehouse,entry,from,to," PAGE),
    ROUTE("POST", "/v1/fx/rates", h_fx_rates_import, A,
     "Import dated reference rates: JSON {source?, rates[{base, quote, day, rate, source?}]} or "
     "text/csv base,quote,day,rate[,source]",
     "source?, rates[{base, quote, day, rate, source?}]", "source"),
    ROUTE("GET", "/v1/fx/rates", h_fx_rates_list, A | O | S,
     "Reference rates, newest day first (base, quote, from, to)", NULL,
     "base,quote,from,to," PAGE),
    ROUTE("GET", "/v1/fx/convert", h_fx_convert, A | O | S,
     "Convert an amount at the rate of a day (409 naming the currency and date without one)",
     NULL, "from,to,day,amount"),
    ROUTE("GET", "/v1/sellers/{code}/refund-profile", h_refund_profile_get, A | S,
     "A seller's export VAT refund profile: company type (trading 免退 | manufacturer 免抵退), "
     "VAT rate", NULL),
    ROUTE("POST", "/v1/sellers/{code}/refund-profile", h_refund_profile_put, A | S,
     "Set the seller's refund profile", "company_type: trading|manufacturer, vat_rate (0-13)"),
    ROUTE("POST", "/v1/refunds/rates", h_refund_rates_import, A | S,
     "Import refund rates per HS code from a date: JSON {seller?, rates[{hs_code, "
     "effective_from, rate, source?}]} or text/csv hs_code,effective_from,rate[,source] "
     "(?seller=)",
     "seller?, rates[{hs_code (4-10 digits), effective_from, rate (0-13), source?}]", "seller"),
    ROUTE("GET", "/v1/refunds/rates", h_refund_rates_list, A | S,
     "The seller's refund rates by HS code and date", NULL, "seller"),
    ROUTE("POST", "/v1/refunds/invoices", h_refund_invoices_import, A | S,
     "Import purchase invoice amounts excl. VAT per declaration item or per unit of a SKU: "
     "JSON or text/csv entry_id,entry_gnum,sku,amount[,invoice_no] (?seller=)",
     "seller?, invoices[{entry_id + entry_gnum | sku, amount (CNY >= 0), invoice_no?}]",
     "seller"),
    ROUTE("GET", "/v1/refunds/invoices", h_refund_invoices_list, A | S,
     "The seller's purchase invoice amounts", NULL, "seller"),
    ROUTE("GET", "/v1/refunds/items", h_refund_items, A | S,
     "9810 declaration items exported by a date with refund basis, amount and the sold/unsold "
     "(HWC-YT) split at that date, a page at a time (limit, cursor: next_cursor)", NULL,
     "seller,date," PAGE),
    ROUTE("POST", "/v1/refunds/filings", h_refund_file, A | S,
     "Record a refund filing at a date: the given items (or every ready one), each split into "
     "its sold part and its HWC-YT pre-refund part",
     "seller?, filed_on, granted_on?, items?[{entry_id, entry_gnum}]"),
    ROUTE("GET", "/v1/refunds/filings", h_refund_filing_list, A | S,
     "The seller's refund filings, newest first", NULL, "seller"),
    ROUTE("GET", "/v1/refunds/filings/{id}", h_refund_filing_get, A | S,
     "One refund filing with its items and parts", NULL),
    ROUTE("POST", "/v1/refunds/filings/{id}/grant", h_refund_grant, A | S,
     "Record the day the tax office granted a filing (reconciliation starts the month after)",
     "granted_on"),
    ROUTE("POST", "/v1/refunds/reconciliations", h_refund_reconcile, A | S,
     "Record the monthly reconciliation (核算) of a filing period: each open pre-refund line's "
     "outcome (pending, no_adjustment, refile, repay in April)",
     "seller?, period (YYYY-MM), recorded_on?"),
    ROUTE("GET", "/v1/refunds/report", h_refund_report, A | S,
     "A seller's refund report at a date: what to file, reconcile and repay, and when (limit: "
     "lines per section; counts and totals cover all)",
     NULL, "seller,date,limit"),
    ROUTE("POST", "/v1/rate-cards", h_ratecard_create, A | O,
     "Make a rate card (a new version of a warehouse's or seller's card; replaces? re-rates)",
     "warehouse, seller?, currency, effective_from, effective_to?, replaces?, surcharge_pct?, "
     "storage{basis: m3|pallet|bin, pallet_mm3?, tiers[{from_day, to_day|null, rate}]}, "
     "inbound{basis: carton|m3|unit, rate, units_per_carton?}, "
     "outbound{breaks[{max_weight_g|null, per_order, per_extra_unit?}]}, returns{per_unit}?, "
     "services{relabel?, kitting?}?, minimums{inbound?, outbound?, storage?, returns?, "
     "services?}?"),
    ROUTE("POST", "/v1/rate-cards/import", h_ratecard_import, A | O,
     "Import rate cards, all or none: text/csv card,warehouse,seller,currency,effective_from,"
     "effective_to,item,from,to,rate, or the same columns in the first sheet of an .xlsx "
     "(application/vnd.openxmlformats-officedocument.spreadsheetml.sheet); an operator: its "
     "warehouse only", "CSV or XLSX body (docs/money.md)"),
    ROUTE("GET", "/v1/rate-cards", h_ratecard_list, A | O | S,
     "Rate cards, newest first (sellers: theirs and the warehouse cards; all=true: superseded "
     "too)", NULL, "warehouse,seller,all," PAGE),
    ROUTE("GET", "/v1/rate-cards/{id}", h_ratecard_get, A | O | S, "One rate card", NULL),
    ROUTE("GET", "/v1/charges", h_charge_list, A | O | S,
     "Charges booked (inbound, outbound, return, storage) with their cause and money entry",
     NULL, "warehouse,seller,kind,cause,day," PAGE),
    ROUTE("POST", "/v1/services", h_service_create, A | O,
     "Charge a value-added service done for a seller (relabel, kitting) by its rate card",
     "warehouse, seller, service: relabel|kitting, units"),
    ROUTE("POST", "/v1/storage-runs", h_storage_run, A | O,
     "Charge storage now: ended days since the last run (or one date); repeating changes "
     "nothing", "warehouse?, date?"),
    ROUTE("POST", "/v1/webhooks", h_webhook_create, A | O | S,
     "Subscribe a URL to event types (order.created|allocated|packed|shipped|delivered|"
     "exception, inbound.received, transfer.shipped, stock.low: on the fall of available below "
     "stock_threshold or a SKU's thresholds[].below); the signing secret is in this answer "
     "only (docs/webhooks.md). 400 naming url for one that is not http(s) or points at a "
     "loopback, link-local or private address",
     "url, events[], description?, seller? (admin), warehouse? (admin), stock_threshold? "
     "(stock.low, units >= 0), thresholds[]? ({sku, below}, at most 100)"),
    ROUTE("GET", "/v1/webhooks", h_webhook_list, A | O | S,
     "Webhook subscriptions with their delivery counts, newest first", NULL,
     "seller,warehouse," PAGE),
    ROUTE("GET", "/v1/webhooks/{id}", h_webhook_get, A | O | S, "One webhook subscription", NULL),
    ROUTE("DELETE", "/v1/webhooks/{id}", h_webhook_delete, A | O | S,
     "Delete a subscription; its pending deliveries are cancelled", NULL),
    ROUTE("PUT", "/v1/webhooks/{id}/thresholds", h_webhook_thresholds_put, A | O | S,
     "Replace a stock.low subscription's thresholds (checked as at subscription; 400 naming "
     "the field, nothing stored)",
     "stock_threshold? (units >= 0), thresholds[]? ({sku, below}, at most 100)"),
    ROUTE("GET", "/v1/webhooks/{id}/deliveries", h_webhook_deliveries, A | O | S,
     "The delivery log of a subscription, newest first, each with its attempts; data "
     "{seller, warehouse, subject, status}, and for stock.low also available (units after the "
     "fall) and threshold (the one crossed), subject being the SKU", NULL,
     "state," PAGE),
    ROUTE("POST", "/v1/webhooks/{id}/deliveries/{did}/redeliver", h_webhook_redeliver, A | O | S,
     "Send a delivery's event again (a new delivery, after the subscription's earlier ones)",
     "{}"),
    ROUTE("POST", "/v1/carrier-services", h_carrier_service_create, A | O,
     "Define a carrier service of a warehouse (a new version of its code; replaces? supersedes "
     "one): zones by country and postcode range, weight breaks, limits, surcharges, transit "
     "days, cut-off, pickup days, its number range",
     "warehouse, code, carrier, name, currency, effective_from, effective_to?, replaces?, "
     "dim_divisor? (mm3 per g = cm3 per kg), max_weight_g?, max_length_mm?, max_girth_mm?, "
     "max_length_girth_mm?, fuel_pct?, residential_surcharge?, transit_days, cutoff? (HH:MM "
     "local), pickup_days? [1-7], delivery_days? [1-7] (default 1-5), holidays? (a carrier "
     "calendar, e.g. CARRIER; default the nationwide days), two_d?: none|qr|datamatrix, numbering{kind: s10|sscc, prefix, "
     "country?, extension?, from?, to}, zones[{zone, country, from?, to?}], "
     "prices[{zone, max_weight_g, price}]"),
    ROUTE("POST", "/v1/carrier-services/import", h_carrier_service_import, A | O,
     "Import services from CSV (text/csv; rows service,warehouse,item,key,from,to,value) or "
     "the first sheet of an XLSX file of the same columns, all or none", "CSV text or XLSX"),
    ROUTE("GET", "/v1/carrier-services", h_carrier_service_list, A | O | S,
     "Carrier services, newest first (all=true: superseded versions too)", NULL,
     "warehouse,carrier,code,all," PAGE),
    ROUTE("GET", "/v1/carrier-services/{id}", h_carrier_service_get, A | O | S,
     "One carrier service version", NULL),
    ROUTE("POST", "/v1/rates", h_rates, A | O | S,
     "Rate shopping: every service that takes the parcels, cheapest first, with price, billable "
     "weight and promised delivery day, and the one the warehouse's rules choose (409 naming "
     "parcels[i].weight_g / dims_mm when no service takes a parcel; 400 naming "
     "ship_to.postcode when no zone covers it)",
     "order? | warehouse, ship_to{country, postcode, residential?}, parcels[{weight_g, "
     "dims_mm}]; deliver_by? (YYYY-MM-DD). Promised days skip public holidays: each quote "
     "names its calendars{pickup, delivery} (e.g. DE+DE-BY+warehouse, FR; none: no holiday "
     "on file)"),
    ROUTE("GET", "/v1/holidays", h_holidays_list, A | O | S,
     "Public holidays on which carriers neither pick up nor deliver, by country, region "
     "(\"\" nationwide, a subdivision such as BY or SCT, or a carrier calendar such as CARRIER; "
     "the query's region=- asks for the nationwide rows only) and date; from/to inclusive dates",
     NULL, "country,region,from,to," PAGE),
    ROUTE("POST", "/v1/holidays", h_holidays_import, A | O,
     "Import holidays, all or none, replacing rows of the same country, region and date: "
     "text/csv rows country,region,date,name (400 naming \"line N: field\") or JSON "
     "(400 naming rows[i].field)",
     "rows[{country, region?, date, name}] | CSV text"),
    ROUTE("DELETE", "/v1/holidays/{country}/{region}/{date}", h_holiday_delete, A | O,
     "Delete one holiday row (region \"-\" for a nationwide one)", NULL),
    ROUTE("GET", "/v1/warehouses/{wh}/calendar", h_calendar_get, A | O,
     "The warehouse's holiday calendar: its country and region, its own closed days from "
     "today, and the next holidays of each country it ships from or to (nationwide, its "
     "region's, its services' carrier calendars)",
     NULL),
    ROUTE("PUT", "/v1/warehouses/{wh}/calendar", h_calendar_put, A | O,
     "Set the warehouse's region for holidays (\"\" none): its holidays close pickups",
     "region"),
    ROUTE("PUT", "/v1/warehouses/{wh}/closed-days/{date}", h_closed_day_put, A | O,
     "Close the warehouse on a day (no pickup; promises skip it)", "reason?"),
    ROUTE("DELETE", "/v1/warehouses/{wh}/closed-days/{date}", h_closed_day_delete, A | O,
     "Open a closed day again (404 naming date when it is not closed)", NULL),
    ROUTE("POST", "/v1/warehouses/{wh}/boxes", h_boxes_put, A | O,
     "Add or replace boxes of the warehouse's box list",
     "boxes[{code, dims_mm (inside), max_weight_g, tare_g?}]"),
    ROUTE("GET", "/v1/warehouses/{wh}/boxes", h_boxes_list, A | O | S,
     "The warehouse's boxes, smallest first", NULL),
    ROUTE("POST", "/v1/warehouses/{wh}/shipping-rules", h_rules_put, A | O,
     "Set (or with service null drop) a rule of the automatic service choice: a channel "
     "demands a service, a seller prefers one", "kind: channel|seller, match, service|null"),
    ROUTE("GET", "/v1/warehouses/{wh}/shipping-rules", h_rules_list, A | O,
     "The warehouse's shipping rules", NULL),
    ROUTE("GET", "/v1/orders/{id}/box-suggestion", h_box_suggestion, A | O | S,
     "The smallest box of the warehouse the order's items fit in (packed by the loader)", NULL),
    ROUTE("POST", "/v1/orders/{id}/parcels", h_parcels_record, A | O,
     "Record the parcels of an order at the pack step (replaces earlier ones): the service by "
     "the warehouse's rules or the operator's choice, a tracking number each",
     "parcels[{box? | dims_mm + weight_g, weight_g?, items[{sku, qty}]}], service?, "
     "deliver_by?, residential?"),
    ROUTE("GET", "/v1/orders/{id}/parcels", h_parcels_list, A | O | S, "An order's parcels",
     NULL),
    ROUTE("GET", "/v1/parcels/{id}/label.pdf", h_parcel_label_pdf, A | O | S,
     "A parcel's 4x6 inch label as PDF", NULL),
    ROUTE("GET", "/v1/parcels/{id}/label.zpl", h_parcel_label_zpl, A | O | S,
     "A parcel's 4x6 inch label as ZPL II (203 dpi)", NULL),
    ROUTE("GET", "/v1/parcels/{id}", h_parcel_get, A | O | S, "One parcel", NULL),
    ROUTE("POST", "/v1/transfers", h_transfer_create, A | O | S,
     "Create a transfer order (B2B outbound, FBA replenishment): lines are allocated from the "
     "warehouse (409 naming lines[i].qty when short); the compliance gate for the destination "
     "country (product data, brand authorisation) holds it (status on_hold, missing[]); "
     "FBA/AWD lines need their FNSKU (400 naming lines[i].fnsku); services become work orders",
     "seller (admin, operator), warehouse, destination{type: fba|awd|wfs|temu|haicang|address, "
     "warehouse? (haicang), address?{name, line1, line2?, city, state?, postcode, country, "
     "fc_code?, phone?}}, shipment_id (FBA15XXXXXXX; optional for haicang|address), "
     "freight_ref?, lines[{sku, qty, fnsku?}], services?[{service: relabel|bundle, units, "
     "note?}]"),
    ROUTE("GET", "/v1/transfers", h_transfer_list, A | O | S,
     "Transfer orders, newest first (seller, warehouse, status)", NULL,
     "seller,warehouse,status," PAGE),
    ROUTE("GET", "/v1/transfers/{id}", h_transfer_get, A | O | S,
     "One transfer order with its lines, work orders, cartons and pallets; to a haicang "
     "warehouse once shipped each line has received, in_transit and lost (written off when "
     "its inbound was closed short)", NULL),
    ROUTE("GET", "/v1/transfers/{id}/labels.pdf", h_transfer_labels_pdf, A | O | S,
     "Carton labels (the marketplace carton id as Code 128, e.g. FBA15XXXXXXXU000001) and "
     "pallet labels (GS1-128 SSCC-18), 4x6 inch pages as PDF", NULL),
    ROUTE("GET", "/v1/transfers/{id}/cartons", h_transfer_cartons_list, A | O | S,
     "The recorded cartons and pallets of a transfer", NULL),
    ROUTE("POST", "/v1/transfers/{id}/cartons", h_transfer_cartons, A | O,
     "Pack: a proposal of cartons of one size (and pallets) by the loader (200, nothing "
     "stored), recorded with record=true (201, status packed); or cartons packed by hand",
     "carton{dims_mm, max_weight_g?, tare_g?}, pallet?{dims_mm, max_weight_g?}, record?, "
     "gs1_prefix? (pallets) | cartons[{dims_mm, weight_g, pallet?, items[{sku, qty}]}], "
     "pallets?, gs1_prefix?"),
    ROUTE("GET", "/v1/transfers/{id}/work-orders", h_transfer_work_list, A | O | S,
     "The work orders of a transfer", NULL),
    ROUTE("POST", "/v1/transfers/{id}/work-orders", h_transfer_work_add, A | O | S,
     "Add a work order (relabel or bundle) to a transfer not yet shipped",
     "service: relabel|bundle, units, note?"),
    ROUTE("POST", "/v1/transfers/{id}/work-orders/{wo}/complete", h_transfer_work_complete,
     A | O,
     "Mark a work order done and book its charge (the rate card's relabel or kitting rate) in "
     "the same transaction; 409 when no rate card covers today", "{}"),
    ROUTE("POST", "/v1/transfers/{id}/ship", h_transfer_ship, A | O,
     "Ship a packed transfer whose work orders are done: the goods leave the warehouse; to a "
     "haicang warehouse an expected inbound is created there", "freight_ref? (LTL booking)"),
    ROUTE("POST", "/v1/transfers/{id}/cancel", h_transfer_cancel, A | O | S,
     "Cancel a transfer not yet shipped: the allocation is given back", "{}"),
    ROUTE("POST", "/v1/transfers/{id}/recheck", h_transfer_recheck, A | O | S,
     "Check the seller's held transfers against the compliance data again", "{}"),
    ROUTE("PUT", "/v1/orders/{id}/label", h_order_label_put, A | O | S,
     "Upload a ready shipping label (application/pdf, at most 1 MiB, checked structurally: "
     "header, xref/trailer, /Root) for an order with the carrier and tracking number it "
     "carries; its parcel takes that tracking number and prints this file. 201 stored, 200 "
     "replaced; a body that is not a PDF is a 400 naming label",
     "PDF file", "carrier,tracking_no"),
    ROUTE("GET", "/v1/orders/{id}/label", h_order_label_get, A | O | S,
     "The order's uploaded label: carrier, tracking number, size, who and when", NULL),
    ROUTE("GET", "/v1/orders/{id}/label.pdf", h_order_label_pdf, A | O | S,
     "The order's uploaded label as it was uploaded", NULL),
    ROUTE("POST", "/v1/parcels/{id}/scan-out", h_parcel_scan_out, A | O,
     "Scan a parcel out of the warehouse (repeating changes nothing); ships the order when the "
     "warehouse ships at scan-out and all its parcels are out", "{}"),
    ROUTE("GET", "/v1/parcels/{id}/tracking", h_parcel_tracking, A | O | S,
     "A parcel's tracking events, oldest first, and its order's exception flag", NULL),
    ROUTE("GET", "/v1/orders/{id}/tracking", h_order_tracking, A | O | S,
     "The tracking events of an order's parcels, oldest first, and its exception flag (the "
     "latest exception or returned_to_sender event, or null)", NULL),
    ROUTE("GET", "/v1/dispatch", h_dispatch_day, A | O,
     "The dispatch of a warehouse: per carrier service its next pickup (today before the "
     "cut-off, else its next pickup day; or the pickup of `day`), cut-off, minutes left to "
     "it today, the parcels waiting for that pickup; the latest 20 manifests (or those of "
     "`day`)", NULL, "warehouse,day"),
    ROUTE("GET", "/v1/dispatch/labels.pdf", h_dispatch_labels, A | O | S,
     "The 4x6 labels of the parcels waiting for a service's pickup (default today), one page "
     "each, in one PDF (at most 500; orders with an uploaded label print that file instead); "
     "or, with orders=ID,ID (1-500 order ids, no repeat; not with service or day; the only "
     "form a seller key may use), the labels of exactly those orders' parcels in the order "
     "given, an uploaded label as its own pages: an order not the caller's (or not of "
     "warehouse) is a 404 naming orders, one without parcels a 409 naming orders[i]",
     NULL, "warehouse,service,day,orders"),
    ROUTE("GET", "/v1/dispatch/labels.zpl", h_dispatch_labels_zpl, A | O | S,
     "The same labels as ZPL II (203 dpi), one ^XA..^XZ each; an order whose label was "
     "uploaded as PDF is a 409 naming orders[i] (a pickup leaves it out)",
     NULL, "warehouse,service,day,orders"),
    ROUTE("GET", "/v1/warehouses/{wh}/dispatch-settings", h_dispatch_settings_get, A | O,
     "When the warehouse's orders ship: at manifest close or at scan-out", NULL),
    ROUTE("PUT", "/v1/warehouses/{wh}/dispatch-settings", h_dispatch_settings_put, A | O,
     "Set when the warehouse's orders ship", "ship_at: manifest|scan_out"),
    ROUTE("POST", "/v1/manifests", h_manifest_close, A | O,
     "Close the manifest of a carrier service's pickup: every packed parcel of the service not "
     "on a manifest whose ship day is the pickup day or earlier; its parcels are frozen (a "
     "change is a 409 naming the parcel); ships the orders when the warehouse ships at "
     "manifest. 409 naming service when no parcel waits", "warehouse?, service, day? (pickup "
     "day, default today)"),
    ROUTE("GET", "/v1/manifests", h_manifest_list, A | O, "Closed manifests, newest first", NULL,
     "warehouse,service,day," PAGE),
    ROUTE("GET", "/v1/manifests/{id}.pdf", h_manifest_pdf, A | O,
     "A manifest as PDF (lang: zh|en)", NULL, "lang"),
    ROUTE("GET", "/v1/manifests/{id}.csv", h_manifest_csv, A | O,
     "A manifest as CSV (lang: zh|en)", NULL, "lang"),
    ROUTE("GET", "/v1/manifests/{id}", h_manifest_get, A | O, "One manifest with its parcels",
     NULL),
    ROUTE("POST", "/v1/tracking-events", h_tracking_events, A | O,
     "Carriers' tracking events, all or none (a bad one is a 400 naming events[i].field); one "
     "per (tracking_no, status, time), a repeat is counted, not stored; delivered moves the "
     "order to delivered once all its parcels are, exception and returned_to_sender flag it",
     "events[{tracking_no, status: in_transit|out_for_delivery|delivered|exception|"
     "returned_to_sender, time (ISO 8601 UTC), location?, detail?}]"),
    ROUTE("POST", "/v1/tracking-events/inbox", h_tracking_inbox, A | O,
     "Apply the CSV files of the tracking inbox (HAICANG_TRACKING_INBOX) now, each all or none; "
     "bad files move to failed/ with NAME.error.txt", "{}"),
    ROUTE("PUT", "/v1/warehouses/{wh}/gs1", h_gs1_put, A | O,
     "Set the warehouse's GS1 company prefix (7-10 digits) and SSCC extension digit, from "
     "which inbound carton labels are numbered", "company_prefix, extension?"),
    ROUTE("GET", "/v1/warehouses/{wh}/connectors", h_connector_list, A | O,
     "The warehouse's carrier connectors: the built-in haicang numbering (the only one "
     "implemented; no live carrier API is called) and the external carrier APIs and gateways "
     "recorded for later; credentials_ref names where a secret is kept, never the secret", NULL),
    ROUTE("PUT", "/v1/warehouses/{wh}/connectors/{name}", h_connector_put, A | O,
     "Record a carrier connector (kind carrier_api|gateway, https base_url, credentials_ref "
     "env:NAME); status active is a 409 naming status until a live purchase exists",
     "kind, base_url, credentials_ref, status?: disabled|active"),
    ROUTE("GET", "/v1/warehouses/{wh}/gs1", h_gs1_get, A | O,
     "The warehouse's GS1 company prefix and extension digit", NULL),
    ROUTE("GET", "/v1/inbounds/{id}/carton-labels.pdf", h_inbound_cartons_pdf, A | O | S,
     "Carton labels of an inbound, one 4x6 inch page per carton with its SSCC-18 as GS1-128 "
     "(AI 00); carton k keeps its SSCC on every print (the first print of a carton numbers it "
     "from the warehouse's GS1 prefix; 409 naming warehouse when it has none)", NULL,
     "cartons"),
    ROUTE("GET", "/v1/inbounds/{id}/carton-labels.zpl", h_inbound_cartons_zpl, A | O | S,
     "The same carton labels as ZPL II (203 dpi)", NULL, "cartons"),
    ROUTE("GET", "/v1/skus/{seller}/{sku}/labels.pdf", h_sku_labels_pdf, A | O | S,
     "Product labels 50x25 mm: the SKU (code=sku) or the given FNSKU (code=fnsku&fnsku=X...) "
     "as Code 128, or the SKU's barcode as EAN-13 / UPC-A with its check digit verified "
     "(code=barcode); qty labels (1-2000) on a roll (sheet=roll, a page each) or A4 (40 a page)",
     NULL, "qty,code,fnsku,sheet"),
    ROUTE("POST", "/v1/warehouses", h_warehouse_create, A, "Register a warehouse",
     "code, name, country, address{...}, timezone, lat?, lon?, layout{aisle_pitch_mm, "
     "bay_pitch_mm, depot_aisle, bays_per_aisle?, cross_aisles[]?, route_policy?}?"),
    ROUTE("GET", "/v1/warehouses", h_warehouse_list, A | O | S, "List warehouses", NULL,
     PAGE),
    ROUTE("GET", "/v1/warehouses/{wh}", h_warehouse_get, A | O | S, "One warehouse", NULL),
    ROUTE("GET", "/v1/warehouses/{wh}/receivables", h_receivables, A | O,
     "What the warehouse charged each seller, invoiced and not yet invoiced (month: YYYY-MM)", NULL,
     "month"),
    ROUTE("POST", "/v1/warehouses/{wh}/locations", h_location_create, A | O, "Add bin locations",
     "locations[{code, zone, dims_mm, max_weight_g, aisle?, bay?, level?}]"),
    ROUTE("GET", "/v1/warehouses/{wh}/locations", h_location_list, A | O, "List bin locations", NULL,
     "zone," PAGE),
    ROUTE("POST", "/v1/skus", h_sku_create, A | S, "Register a SKU",
     "seller, sku, name, name_zh?, hs_code, declared_value{amount, currency}, origin_country, "
     "dims_mm, weight_g, barcode?, brand?"),
    ROUTE("GET", "/v1/skus", h_sku_list, A | O | S, "List SKUs (seller, q)", NULL,
     "seller,q," PAGE),
    ROUTE("GET", "/v1/skus/{seller}/{sku}", h_sku_get, A | O | S, "One SKU", NULL),
    ROUTE("GET", "/v1/skus/{seller}/{sku}/compliance", h_product_get, A | O | S,
     "A SKU's product compliance: its own record and the effective one (brand record under it)",
     NULL),
    ROUTE("PUT", "/v1/skus/{seller}/{sku}/compliance", h_product_put, A | S,
     "Replace a SKU's compliance record (held orders and inbounds it completes are released)",
     "category?, gpsr_operator{name, address{line1, postcode, city, country (EU)}, contact}?, "
     "marks[]?, battery{present, un_number?, lithium_g?, energy_wh?, packing_instruction?}?, "
     "epr[{country, kind, number (DE packaging: DE + 13 digits; DE weee: DE + 8 digits; "
     "others as given)}]?, tariffs[{market: EU|US|GB|.., code}]?"),
    ROUTE("GET", "/v1/compliance/brand-defaults/{seller}/{brand}", h_brand_product_get, A | O | S,
     "The compliance record of a seller's brand, inherited by its SKUs", NULL),
    ROUTE("PUT", "/v1/compliance/brand-defaults/{seller}/{brand}", h_brand_product_put, A | S,
     "Replace a brand's compliance record (as for a SKU; a SKU's own fields win)",
     "category?, gpsr_operator?, marks[]?, battery?, epr[]?, tariffs[]?"),
    ROUTE("GET", "/v1/compliance/rules", h_rule_list, A | O | S,
     "The rule table (market, category; on: only rules in force that day)", NULL,
     "market,category,on"),
    ROUTE("POST", "/v1/compliance/rules", h_rule_create, A,
     "Add a rule: market (ISO or EU), category (or *), requirement, dates, status, source",
     "id?, market, category, requirement: category|gpsr_operator|battery_data|tariff_code|"
     "mark.<x>|epr.<kind>, condition?: battery, effective_from, effective_to?, "
     "status?: confirmed|uncertain, source, note?"),
    ROUTE("POST", "/v1/compliance/rules/import", h_rule_import, A,
     "Import rules (replacing those of the same id): JSON {rules[...]} or text/csv with the header "
     "id,market,category,requirement,condition,effective_from,effective_to,status,source,note",
     "rules[{id, market, category, requirement, ...}]"),
    ROUTE("GET", "/v1/compliance/rules/{id}", h_rule_get, A | O | S, "One rule", NULL),
    ROUTE("PUT", "/v1/compliance/rules/{id}", h_rule_put, A,
     "Change a rule (e.g. end it with effective_to); held goods it no longer holds are released",
     "market, category, requirement, condition?, effective_from, effective_to?, status?, source, "
     "note?"),
    ROUTE("GET", "/v1/compliance/matrix", h_compliance_matrix, A | O | S,
     "Traffic lights per SKU x market for a seller (green complete, amber uncertain or upcoming, "
     "red missing) with the items per cell", NULL, "seller,markets,day," PAGE),
    ROUTE("GET", "/v1/compliance/holds", h_compliance_holds, A | O | S,
     "Orders, inbounds and transfer orders held for compliance (kind order, inbound or "
     "transfer), oldest first, with the missing items; paged across kinds",
     NULL, "seller,warehouse," PAGE),
    ROUTE("POST", "/v1/compliance/check", h_compliance_check, A | O | S,
     "What moving these SKUs of a seller into a market would miss (writes nothing)",
     "seller, market, day?, lines[{sku}]"),
    ROUTE("POST", "/v1/compliance/recheck", h_compliance_recheck, A | O | S,
     "Check held orders and inbounds again now (a seller's, or all)", "seller?"),
    ROUTE("GET", "/v1/warehouses/{wh}/compliance", h_wh_compliance_get, A | O | S,
     "Whether orders held for compliance keep their stock allocated in this warehouse", NULL),
    ROUTE("PUT", "/v1/warehouses/{wh}/compliance", h_wh_compliance_put, A | O,
     "Set whether orders held for compliance keep their stock allocated", "hold_allocates"),
    ROUTE("POST", "/v1/inbounds", h_inbound_create, A | O | S,
     "Announce an inbound (ASN); the compliance gate of the warehouse's country (product data, "
     "brand authorisation) may hold it: status on_hold, hold_reason compliance, hold_items[]",
     "seller, warehouse, reference, lines[{sku, qty}]"),
    ROUTE("GET", "/v1/inbounds", h_inbound_list, A | O | S, "List inbounds (seller, warehouse, status)",
     NULL,
     "seller,warehouse,status," PAGE),
    ROUTE("GET", "/v1/inbounds/{id}", h_inbound_get, A | O | S, "One inbound", NULL),
    ROUTE("POST", "/v1/inbounds/{id}/receipts", h_inbound_receive, A | O, "Receive goods",
     "lines[{sku, qty}]"),
    ROUTE("POST", "/v1/inbounds/{id}/putaway", h_inbound_putaway, A | O,
     "Put away received goods (automatic with {})", "moves[{sku, qty, location}]?"),
    ROUTE("POST", "/v1/inbounds/{id}/close", h_inbound_close, A | O,
     "Close an inbound received short or over, accepting the difference; an inbound of a "
     "transfer writes off the units it never received (transfer/<id> to lost/transfer/<id>)",
     "reason?"),
    ROUTE("GET", "/v1/inventory", h_inventory, A | O | S,
     "Stock per seller, warehouse and SKU (seller, warehouse, sku, q, sort)", NULL,
     "seller,warehouse,sku,q,sort," PAGE),
    ROUTE("GET", "/v1/journal", h_journal, A | O | S,
     "Journal postings by ref, or by seller and sku", NULL,
     "ref,seller,sku,warehouse," PAGE),
    ROUTE("GET", "/v1/stats/overview", h_overview, A | O | S, "Figures for the dashboard", NULL,
     "seller,warehouse"),
    ROUTE("POST", "/v1/orders", h_order_create, A | S, "Take a channel order",
     "seller, channel, channel_order_id, ship_to{name, country, postcode, city, line1}, "
     "lines[{sku, qty, unit_price{amount, currency}}]"),
    ROUTE("GET", "/v1/orders", h_order_list, A | O | S,
     "List orders (seller, warehouse, status, channel, country, from, to; exact channel_order_id, tracking, customer; q searches)", NULL,
     "seller,warehouse,status,channel,country,from,to,channel_order_id,tracking,customer,q," PAGE),
    ROUTE("GET", "/v1/orders/{id}", h_order_get, A | O | S, "One order", NULL),
    ROUTE("POST", "/v1/orders/{id}/cancel", h_order_cancel, A | O | S, "Cancel before shipping", "{}"),
    ROUTE("POST", "/v1/orders/{id}/pack", h_order_pack, A | O, "Confirm picks and pack", "{}"),
    ROUTE("POST", "/v1/orders/{id}/ship", h_order_ship, A | O,
     "Ship (with {}: the parcels recorded at packing, their carrier and first tracking number)",
     "carrier, tracking_no, parcels[{weight_g, dims_mm}] | {} after POST /v1/orders/{id}/parcels"),
    ROUTE("POST", "/v1/orders/{id}/deliver", h_order_deliver, A | O, "Delivered to the consumer", "{}"),
    ROUTE("POST", "/v1/waves", h_wave_create, A | O,
     "Release a wave: its orders batched into cart trips, each with its route and totes",
     "warehouse, max_orders?, cart?{max_orders?, max_lines?, max_volume_mm3?, max_weight_g?,"
     " totes?}, cutoff_window_min?, orders?[order ids] (exactly these allocated orders)"),
    ROUTE("GET", "/v1/waves", h_wave_list, A | O, "List waves (warehouse)", NULL,
     "warehouse," PAGE),
    ROUTE("GET", "/v1/waves/{id}", h_wave_get, A | O, "One wave", NULL),
    ROUTE("GET", "/v1/waves/{id}/progress", h_wave_progress, A | O,
     "A wave's picks with what scans have counted, the bin scanned last and the next stop", NULL),
    ROUTE("POST", "/v1/waves/{id}/scans", h_wave_scan, A | O,
     "Scan a bin, an item (SKU barcode or code) at the bin, or a short pick; answers the next "
     "stop (wrong bin or item: 422 naming code)",
     "type: bin|item|short, code, qty? (item, default 1), order?"),
    ROUTE("GET", "/v1/orders/{id}/pack-progress", h_pack_progress, A | O,
     "What the pack station has scanned of an order", NULL),
    ROUTE("POST", "/v1/orders/{id}/pack-scans", h_pack_scan, A | O,
     "Scan an item at the pack station against the order's lines", "code, qty? (default 1)"),
    ROUTE("GET", "/v1/barcodes/code128.svg", h_barcode_code128, A | O | S,
     "A Code 128 barcode as SVG (data: 1-64 printable ASCII characters)", NULL, "data"),
    ROUTE("POST", "/v1/warehouses/{wh}/slotting", h_slotting_propose, A | O,
     "Propose bin moves that bring fast SKUs near the depot, with the walking saved per day",
     "window_days? (30), max_moves? (50), golden_level_max? (2), level_penalty_mm? (2000)"),
    ROUTE("GET", "/v1/warehouses/{wh}/slotting/{id}", h_slotting_get, A | O,
     "One slotting proposal with its moves", NULL),
    ROUTE("POST", "/v1/warehouses/{wh}/slotting/{id}/accept", h_slotting_accept, A | O,
     "Carry out a proposal's moves (all, or the seqs named) as journal moves; a bin that "
     "changed since refuses it all (409 naming the move)", "moves?[seq]"),
    ROUTE("POST", "/v1/returns", h_return_create, A | O | S, "Take goods back",
     "order, lines[{sku, qty, condition: sellable|damaged}]"),
    ROUTE("GET", "/v1/returns", h_return_list, A | O | S, "List returns", NULL,
     "seller,warehouse," PAGE),
    ROUTE("GET", "/v1/returns/{id}", h_return_get, A | O | S, "One return", NULL),
    ROUTE("POST", "/v1/loading-plans", h_plan_create, A | O | S, "Plan how cartons fill containers",
     "containers[{id, type | dims_mm, max_weight_g}], cartons[{id, dims_mm, weight_g, qty, "
     "vertical_ok?, max_load_g?, group?}], options{support, time_limit_ms, seed}"),
    ROUTE("GET", "/v1/loading-plans/{id}.svg", h_plan_svg, A | O | S, "A plan as SVG", NULL),
    ROUTE("GET", "/v1/loading-plans/{id}", h_plan_get, A | O | S, "One loading plan", NULL),
    ROUTE("POST", "/v1/shipments", h_shipment_create, A | O | S,
     "Book a head-haul shipment: legs between UN/LOCODEs, ISO 6346 containers (or loose cargo) "
     "with cartons per inbound; its goods count as inbound_planned",
     "mode: rail|sea|air|truck|multimodal, warehouse, site?, reference?, legs[{from, to, mode?, "
     "carrier?, service?, departure?, voyage?, etd, eta}], containers[{number, size_type, seals?, "
     "bill_no?, loading_plan?, contents[{inbound, cartons}]}]?, loose{contents[...]}?"),
    ROUTE("GET", "/v1/shipments", h_shipment_list, A | O | S,
     "List shipments, newest first (seller, warehouse, status, mode)", NULL,
     "seller,warehouse,status,mode," PAGE),
    ROUTE("GET", "/v1/shipments/{id}", h_shipment_get, A | O | S,
     "One shipment with legs, containers, goods (short/over), milestones", NULL),
    ROUTE("POST", "/v1/shipments/{id}/containers", h_shipment_container_add, A | O | S,
     "Load a container (or loose cargo) onto a booked shipment; bill_no links its customs lists "
     "(CEB607)",
     "number, size_type, seals?, bill_no?, loading_plan?, contents[{inbound, cartons}]"),
    ROUTE("POST", "/v1/shipments/{id}/containers/{no}/close", h_shipment_container_close, A | O,
     "Close (gate out) a container: the inspect-before-load gate must pass", "{}"),
    ROUTE("POST", "/v1/shipments/{id}/depart", h_shipment_depart, A | O,
     "Depart: every container closed and every customs list released; goods go in transit",
     "at?"),
    ROUTE("POST", "/v1/shipments/{id}/arrive", h_shipment_arrive, A | O,
     "Arrive at the warehouse dock: goods count as arrived until received", "at?"),
    ROUTE("GET", "/v1/warehouses/{wh}/arrivals", h_warehouse_arrivals, A | O | S,
     "Arrivals per day by estimated arrival (from = a date, default today; days 1..366, 28)",
     NULL, "from,days"),
    ROUTE("POST", "/v1/customs/registrations", h_customs_registration_put, A | S,
     "Register (or replace) a seller's customs party: ebc, ebp, logistics, agent, warehouse",
     "seller, role, code (10 or 18), name, dxp_id?"),
    ROUTE("GET", "/v1/customs/registrations", h_customs_registration_list, A | S,
     "A seller's customs registrations (seller)", NULL,
     "seller"),
    ROUTE("POST", "/v1/customs/lists", h_customs_list_create, A | S,
     "Declare an order (9610/9710) or an inbound (9810): CEB303 (+505) + CEB603 to the outbox",
     "mode: 9610|9710|9810, order | inbound, customs_code?, port_code?, traf_mode?"),
    ROUTE("GET", "/v1/customs/lists", h_customs_list_list, A | S,
     "Export lists (seller, state, month=YYYY-MM released in)", NULL,
     "seller,state,month," PAGE),
    ROUTE("GET", "/v1/customs/lists/{id}/xml", h_customs_list_xml, A | S,
     "A message as sent (msg=CEB303|CEB505|CEB603|CEB607|CEB701|CEB213|CEB215); also for "
     "summary, return and bill ids", NULL,
     "msg"),
    ROUTE("GET", "/v1/customs/lists/{id}", h_customs_list_get, A | S,
     "One export list with items, state history and messages", NULL),
    ROUTE("POST", "/v1/customs/lists/{id}/inspection", h_customs_inspection, A,
     "Inspect before load: hold, done, or remove a held parcel from the container",
     "action: hold|done|remove, info?"),
    ROUTE("POST", "/v1/customs/containers/check", h_customs_container_check, A,
     "May a consolidated container close? (every list released or inspected)", "lists[id]"),
    ROUTE("POST", "/v1/customs/receipts", h_customs_receipts, A,
     "Apply a customs receipt (the CEB XML as the body) or import the inbox directory",
     "receipt XML, or {\"import\": \"inbox\"}"),
    ROUTE("POST", "/v1/customs/bills", h_customs_bill_create, A | S,
     "Link lists to a bill of lading / master package (CEB607)",
     "seller, bill_no, traf_mode, traf_name?, voyage_no, gross_weight_kg?, lists[id]"),
    ROUTE("POST", "/v1/customs/summaries", h_customs_summary_create, A | S,
     "Monthly summary declaration (CEB701) over the lists released in a month",
     "seller, month (YYYY-MM, ended), summary_flag? (1|2), item_name_flag? (0|1), "
     "supplement? (true for lists released after the month was summarised)"),
    ROUTE("POST", "/v1/customs/returns", h_customs_return_create, A | S,
     "Return of a released 9610 parcel (CEB213), also through another customs site",
     "list, reason, traf_name, voyage_no, bill_no?, customs_code?, port_code?, "
     "logistics_no? (required unless the list has a carrier number), traf_mode?, "
     "items[{gnum, qty}]?"),
    ROUTE("GET", "/v1/customs/returns/{id}", h_customs_return_get, A | S, "One customs return",
     NULL),
    ROUTE("POST", "/v1/customs/returns/{id}/tally", h_customs_return_tally, A,
     "Tally of a return on arrival (CEB215)", "operator_code, operator_name, location?"),
    ROUTE("POST", "/v1/brands", h_brand_create, A | S,
     "Record (or replace) a brand the seller sells: its owner, and whether the seller is that "
     "owner; held orders are checked again",
     "seller, name (as the SKUs' brand), owner, seller_is_owner? (false)"),
    ROUTE("GET", "/v1/brands", h_brand_list, A | O | S,
     "Brands with the seller's standing today (owner, authorised, expired, unauthorised); an "
     "operator names a seller with stock in its warehouse", NULL, "seller," PAGE),
    ROUTE("GET", "/v1/brands/{seller}/{name}", h_brand_get, A | O | S,
     "One brand with its trademark registrations, authorisations and standing today", NULL),
    ROUTE("POST", "/v1/brands/{seller}/{name}/trademarks", h_trademark_create, A | S,
     "Add (or replace: same office and number) a trademark registration of a brand",
     "office: CNIPA|EUIPO|USPTO|UKIPO|DPMA|INPI|OEPM|UIBM|BOIP|UPRP|JPO|KIPO|WIPO, number, "
     "classes[1..45], valid_until (YYYY-MM-DD)"),
    ROUTE("POST", "/v1/brands/{seller}/{name}/authorisations", h_auth_create, A | S,
     "Record the seller's authorisation to sell a brand (from its owner); orders held for the "
     "brand are released when nothing else is missing",
     "document_ref, markets?[ISO 3166-1 alpha-2 | EU] (none: all), classes?[1..45] (none: all), "
     "valid_from, valid_until (YYYY-MM-DD, not before valid_from)"),
    ROUTE("GET", "/v1/compliance/brand-skus", h_brand_skus, A | O | S,
     "SKUs of recorded brands the seller does not own, with the standing today (flagged=true, "
     "the default: only those that may not be sold from stock)", NULL,
     "seller,flagged," PAGE),
    ROUTE("POST", "/v1/skus/{seller}/{sku}/packaging", h_packaging_put, A | S,
     "Set a SKU unit's packaging materials, battery and electrical equipment (grams as decimal "
     "strings, up to 3 decimals)",
     "packaging{paper?, plastic?, glass?, aluminium?, ferrous?, wood?, composite?, other?}, "
     "battery?{category: portable|lmt|sli|industrial|ev, weight_g}, eee?{category: 1..6, "
     "weight_g}"),
    ROUTE("GET", "/v1/skus/{seller}/{sku}/packaging", h_packaging_get, A | O | S,
     "A SKU unit's packaging, battery and electrical equipment data", NULL),
    ROUTE("GET", "/v1/compliance/packaging", h_packaging_list, A | O | S,
     "Packaging data of SKUs (seller)", NULL, "seller," PAGE),
    ROUTE("GET", "/v1/compliance/brand-report", h_brand_report, A | O,
     "Infringement inquiry: from the goods journal, which sellers held and sold which units of "
     "a brand, in which warehouse and when (format json|csv|xlsx, lang zh|en); an operator sees "
     "its warehouse", NULL, "brand,seller,warehouse,format,lang"),
    ROUTE("GET", "/v1/compliance/epr-report", h_epr_report, A | O | S,
     "EPR: what was put on each national market from..to (dates, inclusive) by packaging "
     "material, battery category and WEEE category: units shipped to consumers x per-unit data "
     "(format json|csv|xlsx, lang zh|en)", NULL,
     "from,to,seller,warehouse,country,format,lang"),
    ROUTE("POST", "/v1/schedules/import", h_schedule_import, A,
     "Import head-haul departures: DCSA Commercial Schedules point-to-point routings (the same "
     "departure again replaces it)",
     "routings[{placeOfReceipt{location{UNLocationCode}, dateTime}, placeOfDelivery{...}, "
     "cutOffTimes[{cutOffDateTimeCode, cutOffDateTime}]?, transitTime?, legs[{transport{"
     "modeOfTransport: RAIL|VESSEL|AIR|TRUCK|MULTIMODAL, servicePartners[{carrierServiceName, "
     "carrierServiceCode?, carrierCode?}]}, departure{location, dateTime}, arrival{...}}]}]"),
    ROUTE("GET", "/v1/schedules", h_schedule_list, A | O | S,
     "Departures between two UN/LOCODEs (from, to, mode rail|vessel|sea|air|truck|multimodal, "
     "after a date; default now), in time order", NULL, "from,to,mode,after," PAGE),
    ROUTE("GET", "/v1/schedules/{id}", h_schedule_get, A | O | S, "One departure", NULL),
    ROUTE("POST", "/v1/shipments/{id}/events", h_shipment_events_post, A | O,
     "Tracking events of a shipment in the DCSA Track & Trace v3 shape, all or none; the same "
     "eventID again is a duplicate; ARRI/DEPA with EST, PLN or ACT move the legs' times",
     "events[{metadata{eventID, eventCreatedDateTime, eventType, publisher{partyName}?}, "
     "payload{eventType: EQUIPMENT|TRANSPORT|SHIPMENT, eventClassifierCode: ACT|EST|PLN|REQ, "
     "eventDateTime, equipmentEventTypeCode + equipmentReference | transportEventTypeCode + "
     "transportCall{modeOfTransport?, location{UNLocationCode}} | shipmentEventTypeCode + "
     "documentTypeCode?, documentReference?, reason?}}]"),
    ROUTE("GET", "/v1/shipments/{id}/events", h_shipment_events_get, A | O | S,
     "A shipment's events and milestones in arrival order (after: received after), with each "
     "container's state by eventDateTime", NULL, "after," PAGE),
    ROUTE("GET", "/v1/events", h_events_list, A | O | S,
     "Tracking events and haicang's milestones (booked, customs_released, gated_out, departed, "
     "arrived, received) in the DCSA v3 shape, in arrival order, of the shipments the key may "
     "see (shipment, after: received after)", NULL, "shipment,after," PAGE),
};
const size_t hc_nroutes = HC_ARRAY_LEN(hc_routes);

char *hc_api_openapi(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; i < hc_nroutes; i++) {
        const struct route *rt = &hc_routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (item == NULL) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        json_t *op = json_pack("{s:s}", "summary", rt->summary);
        json_t *params = json_array();
        for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
            const char *end = strchr(p, '}');
            json_array_append_new(params,
                                  json_pack("{s:s%,s:s,s:b,s:{s:s}}", "name", p + 1,
                                            (size_t)(end - p - 1), "in", "path", "required", 1,
                                            "schema", "type", "string"));
        }
        for (const char *p = rt->query; p && *p;) {
            const char *comma = strchr(p, ',');
            int len = comma ? (int)(comma - p) : (int)strlen(p);
            bool limit = len == 5 && strncmp(p, "limit", 5) == 0;
            json_array_append_new(params, json_pack("{s:s%,s:s,s:{s:s}}", "name", p, (size_t)len,
                                                    "in", "query", "schema", "type",
                                                    limit ? "integer" : "string"));
            p = comma ? comma + 1 : NULL;
        }
        bool write = strcmp(rt->method, "POST") == 0 || strcmp(rt->method, "PUT") == 0;
        if (write)
            json_array_append_new(params,
                                  json_pack("{s:s,s:s,s:s,s:{s:s}}", "name", "Idempotency-Key",
                                            "in", "header", "description",
                                            "a retry with the same key and body books nothing twice",
                                            "schema", "type", "string"));
        json_object_set_new(op, "parameters", params);
        if (rt->body)
            json_object_set_new(op, "requestBody",
                                json_pack("{s:s,s:b,s:{s:{s:{s:s}}}}", "description", rt->body,
                                          "required", 1, "content", "application/json", "schema",
                                          "type", "object"));
        json_t *responses = json_pack(
            "{s:{s:s},s:{s:s}}", write ? "2XX" : "200", "description",
            "success", "4XX", "description",
            "application/problem+json naming the field (a query parameter the route does not "
            "list is a 400)");
        json_object_set_new(op, "responses", responses);
        if (rt->roles) {
            json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearer"));
            json_t *roles = json_array();
            if (rt->roles & ROLE_ADMIN)
                json_array_append_new(roles, json_string("admin"));
            if (rt->roles & ROLE_OPERATOR)
                json_array_append_new(roles, json_string("operator"));
            if (rt->roles & ROLE_SELLER)
                json_array_append_new(roles, json_string("seller"));
            json_object_set_new(op, "x-roles", roles);
        }
        char method[8];
        size_t k = 0;
        for (; rt->method[k] && k < sizeof(method) - 1; k++)
            method[k] = (char)(rt->method[k] - 'A' + 'a');
        method[k] = '\0';
        json_object_set_new(item, method, op);
    }
    json_t *doc = json_pack(
        "{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:{s:{s:s,s:s}}}}", "openapi", "3.0.3", "info",
        "title", "haicang API", "version", "1", "description",
        "Cross-border e-commerce exports through overseas warehouses. See docs/api.md.",
        "servers", "url", "/", "paths", paths, "components", "securitySchemes", "bearer", "type",
        "http", "scheme", "bearer");
    char *text = json_dumps(doc, JSON_INDENT(1));
    json_decref(doc);
    return text;
}
