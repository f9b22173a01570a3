/* compliance.h: who sells, what may cross which border. Sellers' legal
 * identity and its history, product compliance per market, the rules of each
 * market as data and the gate that holds inbounds, orders and transfers
 * missing something; brands, trademarks and authorisations; the reports
 * authorities ask for. No HTTP or JSON here. */
#ifndef HC_COMPLIANCE_H
#define HC_COMPLIANCE_H

#include "base/base.h"
#include "store/store.h"

#include <stdbool.h>

/* ---- markets (markets.c) ---- */

/* True for an ISO 3166-1 alpha-2 code of a member state of the European
 * Union (27 since 2020-02-01; Greece is GR here, EL in VAT numbers). */
bool hc_market_in_eu(const char *iso2);

#endif
