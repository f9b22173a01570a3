/* status.c: the words of enum hc_order_status, the one list of them. */
#include "orders.h"

#include <string.h>

/* Stored in orders.status and order_history.status, and answered on the wire:
 * changing a word is a migration and an API change. */
const char *const hc_order_status_names[HC_ORDER_NSTATUS] = {
    [HC_ORDER_BACKORDERED] = "backordered", [HC_ORDER_ALLOCATED] = "allocated",
    [HC_ORDER_PICKING] = "picking",         [HC_ORDER_PACKED] = "packed",
    [HC_ORDER_SHIPPED] = "shipped",         [HC_ORDER_DELIVERED] = "delivered",
    [HC_ORDER_CANCELLED] = "cancelled",     [HC_ORDER_ON_HOLD] = "on_hold",
};

const char *hc_order_status_name(enum hc_order_status st)
{
    return (unsigned)st < HC_ORDER_NSTATUS ? hc_order_status_names[st] : "unknown";
}

int hc_order_status_parse(const char *word)
{
    for (int i = 0; word && i < HC_ORDER_NSTATUS; i++)
        if (strcmp(hc_order_status_names[i], word) == 0)
            return i;
    return -1;
}
