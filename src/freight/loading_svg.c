/* SVG picture of a loading plan, for the crew at the container door.
 *
 * Per used container: one large isometric view of the full load and a grid
 * of step views; each step view shows what is already loaded in grey and the
 * cartons of that step in colour (by group, or by carton line when the
 * problem has no groups). The viewer stands at the door (x = l), above and
 * to the side, so the visible faces are +x, +y and +z. */
#include "freight/freight.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_W 900.0   /* width of the large view, px */
#define STEP_W 290.0   /* width of one step view, px */
#define STEP_COLS 3
#define MAX_STEP_VIEWS 9

typedef struct view {
    double ox, oy, sc; /* screen origin and scale (px per unit) */
} view;

static void proj(const view *v, double x, double y, double z, double *sx, double *sy)
{
    const double c = 0.8660254037844386, s = 0.5;
    *sx = v->ox + (y - x) * c * v->sc;
    *sy = v->oy + ((x + y) * s - z) * v->sc;
}

static int face(hc_buf *o, const view *v, const double (*pts)[3], const char *fill)
{
    double sx, sy;
    int rc = hc_buf_puts(o, "<polygon points=\"");
    for (int i = 0; i < 4 && rc == HC_OK; i++) {
        proj(v, pts[i][0], pts[i][1], pts[i][2], &sx, &sy);
        rc = hc_buf_printf(o, "%.1f,%.1f ", sx, sy);
    }
    if (rc == HC_OK)
        rc = hc_buf_printf(o, "\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.4\"/>\n", fill);
    return rc;
}

/* One carton as three visible faces; grey when !colour. */
static int box(hc_buf *o, const view *v, const hc_loading_placement *q, int hue, bool colour)
{
    double x0 = q->x, y0 = q->y, z0 = q->z, x1 = q->x + q->dx, y1 = q->y + q->dy,
           z1 = q->z + q->dz;
    const double top[4][3] = {{x0, y0, z1}, {x1, y0, z1}, {x1, y1, z1}, {x0, y1, z1}};
    const double front[4][3] = {{x1, y0, z0}, {x1, y1, z0}, {x1, y1, z1}, {x1, y0, z1}};
    const double side[4][3] = {{x0, y1, z0}, {x1, y1, z0}, {x1, y1, z1}, {x0, y1, z1}};
    char ft[48], ff[48], fs[48];
    if (colour) {
        snprintf(ft, sizeof(ft), "hsl(%d,65%%,72%%)", hue);
        snprintf(ff, sizeof(ff), "hsl(%d,65%%,55%%)", hue);
        snprintf(fs, sizeof(fs), "hsl(%d,65%%,42%%)", hue);
    } else {
        snprintf(ft, sizeof(ft), "#e4e4e4");
        snprintf(ff, sizeof(ff), "#cfcfcf");
        snprintf(fs, sizeof(fs), "#b8b8b8");
    }
    int rc = face(o, v, top, ft);
    if (rc == HC_OK)
        rc = face(o, v, front, ff);
    if (rc == HC_OK)
        rc = face(o, v, side, fs);
    return rc;
}

static int hue_of(const hc_loading_problem *p, int32_t carton)
{
    int32_t g = p->n_groups > 0 ? p->cartons[carton].group + 1 : carton;
    return (int)fmod((double)g * 137.508, 360.0);
}

/* Container outline: floor and the two far walls as lines. */
static int outline(hc_buf *o, const view *v, const hc_loading_container *c)
{
    const double pts[][3] = {{0, 0, 0}, {c->l, 0, 0}, {c->l, c->w, 0}, {0, c->w, 0}, {0, 0, 0},
                             {0, 0, c->h}, {0, c->w, c->h}, {0, c->w, 0}};
    int rc = hc_buf_puts(o, "<polyline fill=\"none\" stroke=\"#888\" stroke-width=\"1\" points=\"");
    for (size_t i = 0; i < HC_ARRAY_LEN(pts) && rc == HC_OK; i++) {
        double sx, sy;
        proj(v, pts[i][0], pts[i][1], pts[i][2], &sx, &sy);
        rc = hc_buf_printf(o, "%.1f,%.1f ", sx, sy);
    }
    return rc == HC_OK ? hc_buf_puts(o, "\"/>\n") : rc;
}

static void xml_text(char *dst, size_t n, const char *s)
{
    size_t k = 0;
    for (; *s && k + 7 < n; s++) {
        const char *e = NULL;
        if (*s == '&')
            e = "&amp;";
        else if (*s == '<')
            e = "&lt;";
        else if (*s == '>')
            e = "&gt;";
        else if (*s == '"')
            e = "&quot;";
        if (e) {
            size_t m = strlen(e);
            memcpy(dst + k, e, m);
            k += m;
        } else {
            dst[k++] = *s;
        }
    }
    dst[k] = '\0';
}

/* painter's order: farthest from the viewer (smallest x+y+z) first */
static int by_depth(const void *a, const void *b, void *arg)
{
    const hc_loading_placement *pl = arg;
    const hc_loading_placement *p = &pl[*(const int32_t *)a];
    const hc_loading_placement *q = &pl[*(const int32_t *)b];
    double dp = p->x + p->dx / 2.0 + p->y + p->dy / 2.0 + p->z + p->dz / 2.0;
    double dq = q->x + q->dx / 2.0 + q->y + q->dy / 2.0 + q->z + q->dz / 2.0;
    if (dp != dq)
        return dp < dq ? -1 : 1;
    return *(const int32_t *)a < *(const int32_t *)b ? -1 : 1;
}

/* Draws the cartons of container c with step <= upto into a view; those
 * with step >= from in colour. */
static int draw(hc_buf *o, const view *v, const hc_loading_problem *p, const hc_loading_plan *plan,
                const int32_t *ix, size_t nix, int32_t from, int32_t upto)
{
    int rc = HC_OK;
    for (size_t k = 0; k < nix && rc == HC_OK; k++) {
        const hc_loading_placement *q = &plan->placements[ix[k]];
        if (q->step > upto)
            continue;
        rc = box(o, v, q, hue_of(p, q->carton), q->step >= from);
    }
    return rc;
}

static double view_height(const hc_loading_container *c, double width, double *sc)
{
    const double cs = 0.8660254037844386;
    *sc = width / ((c->l + c->w) * cs);
    return ((c->l + c->w) * 0.5 + c->h) * *sc;
}

int hc_loading_svg(const hc_loading_problem *p, const hc_loading_plan *plan, hc_buf *o)
{
    int rc = HC_OK;
    int32_t *ix = malloc(sizeof(int32_t) * (plan->n_placements + 1));
    if (ix == NULL)
        abort();
    /* layout pass: total height */
    double total_h = 40;
    for (size_t c = 0; c < plan->n_containers; c++) {
        if (plan->stats[c].n_placed == 0)
            continue;
        double sc, sc2;
        double h = view_height(&p->containers[c], VIEW_W - 40, &sc);
        double h2 = view_height(&p->containers[c], STEP_W - 20, &sc2);
        int nv = plan->stats[c].n_steps < MAX_STEP_VIEWS ? plan->stats[c].n_steps : MAX_STEP_VIEWS;
        total_h += 50 + h + 30 + ((nv + STEP_COLS - 1) / STEP_COLS) * (h2 + 40);
    }
    rc = hc_buf_printf(o,
                       "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                       "font-family=\"sans-serif\" font-size=\"13\">\n"
                       "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
                       "<text x=\"10\" y=\"22\" font-size=\"16\">Loading plan: %zu container(s), "
                       "%.2f%% volume used; view from the door</text>\n",
                       VIEW_W, total_h, plan->n_used, plan->util_volume * 100);
    double y = 40;
    for (size_t c = 0; c < plan->n_containers && rc == HC_OK; c++) {
        const hc_loading_container_stats *st = &plan->stats[c];
        const hc_loading_container *k = &p->containers[c];
        if (st->n_placed == 0)
            continue;
        size_t nix = 0;
        for (size_t i = 0; i < plan->n_placements; i++)
            if ((size_t)plan->placements[i].container == c)
                ix[nix++] = (int32_t)i;
        qsort_r(ix, nix, sizeof(int32_t), by_depth, plan->placements);
        char id[3 * HC_LOADING_ID_MAX + 8];
        xml_text(id, sizeof(id), k->id);
        rc = hc_buf_printf(o,
                           "<text x=\"10\" y=\"%.0f\" font-size=\"15\">Container %s %s: %d "
                           "cartons, %.2f%% volume, %.2f%% weight, centre of gravity x=%.0f "
                           "y=%.0f z=%.0f</text>\n",
                           y + 20, id, k->type, st->n_placed, st->util_volume * 100,
                           st->util_weight * 100, st->cog[0], st->cog[1], st->cog[2]);
        double sc;
        double h = view_height(k, VIEW_W - 40, &sc);
        view big = {20 + k->l * 0.8660254037844386 * sc, y + 40 + k->h * sc, sc};
        if (rc == HC_OK)
            rc = outline(o, &big, k);
        if (rc == HC_OK)
            rc = draw(o, &big, p, plan, ix, nix, 0, INT32_MAX);
        y += 50 + h + 30;
        int32_t ns = st->n_steps;
        int nv = ns < MAX_STEP_VIEWS ? ns : MAX_STEP_VIEWS;
        double sc2;
        double h2 = view_height(k, STEP_W - 20, &sc2);
        for (int vi = 0; vi < nv && rc == HC_OK; vi++) {
            int32_t from = (int32_t)((int64_t)ns * vi / nv);
            int32_t upto = (int32_t)((int64_t)ns * (vi + 1) / nv) - 1;
            double vx = 10 + (vi % STEP_COLS) * (STEP_W + 10);
            double vy = y + (vi / STEP_COLS) * (h2 + 40);
            view sv = {vx + 10 + k->l * 0.8660254037844386 * sc2, vy + 25 + k->h * sc2, sc2};
            rc = hc_buf_printf(o, "<text x=\"%.0f\" y=\"%.0f\">Steps %d-%d</text>\n", vx,
                               vy + 14, from + 1, upto + 1);
            if (rc == HC_OK)
                rc = outline(o, &sv, k);
            if (rc == HC_OK)
                rc = draw(o, &sv, p, plan, ix, nix, from, upto);
        }
        y += ((nv + STEP_COLS - 1) / STEP_COLS) * (h2 + 40);
    }
    if (rc == HC_OK)
        rc = hc_buf_puts(o, "</svg>\n");
    free(ix);
    return rc;
}
