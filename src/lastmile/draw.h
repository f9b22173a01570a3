/* draw.h: label.c's barcode drawing for the other label renderers of this
 * module (stocklabel.c); internal to src/lastmile. */
#ifndef HC_LASTMILE_DRAW_H
#define HC_LASTMILE_DRAW_H

#include "lastmile.h"

#include <cairo.h>

/* Draws zint's symbology of data scaled into b (aspect kept when asked),
 * without human-readable text; HC_EINVAL naming field when zint refuses
 * the data. */
int hc_lm_draw_symbol(cairo_t *cr, int symbology, const char *data, struct hc_lm_box_pt b,
                      bool keep_aspect, const char *field, hc_err *err);

#endif
