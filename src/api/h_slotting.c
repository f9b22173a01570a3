/* h_slotting.c: POST /v1/warehouses/{wh}/slotting (a proposal computed on a
 * reader, then stored through the writer), GET .../slotting/{id}, and POST
 * .../slotting/{id}/accept (the moves carried out as journal moves in one
 * write job: all of them or, on any refusal, none). */
#include "internal.h"

#include <string.h>

#include "h_slotting.h"

static int not_found(struct req *r, const char *field, const char *what, const char *id)
{
    hc_err_set(&r->err, HC_ENOTFOUND, field, "no %s %s", what, j_safe(r, id, 80));
    return api_fail(r);
}

static json_t *j_milli(double v)
{
    return json_real((double)(int64_t)(v * 1000 + 0.5) / 1000.0);
}

static json_t *render_slotting(const struct hc_slotting *p)
{
    json_t *moves = json_array();
    for (size_t i = 0; i < p->nmoves; i++) {
        const struct hc_slotting_move *m = &p->moves[i];
        json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:I,s:I,s:I,s:o,s:o}", "seq",
                              (json_int_t)m->seq, "from", m->from, "to", m->to, "seller",
                              m->seller, "sku", m->sku, "qty", (json_int_t)m->qty, "swap_seq",
                              m->swap_seq ? json_integer(m->swap_seq) : json_null(),
                              "picks_per_day", j_milli(m->picks_per_day), "from_walk_mm",
                              (json_int_t)m->from_mm, "to_walk_mm", (json_int_t)m->to_mm,
                              "saved_mm_per_day",
                              (json_int_t)(int64_t)(m->picks_per_day *
                                                    (double)(m->from_mm - m->to_mm)),
                              "accepted_at",
                              m->accepted_at ? j_time(m->accepted_at) : json_null(),
                              "accepted_by", j_str_or_null(m->accepted_by));
        json_array_append_new(moves, o);
    }
    double ppd = p->picks_per_day;
    json_t *o = json_pack(
        "{s:s,s:s,s:I,s:I,s:o,s:s,s:o,s:{s:I,s:I},s:I,s:{s:I,s:I},s:o}", "id", p->id,
        "warehouse", p->warehouse, "window_days", (json_int_t)p->window_days, "max_moves",
        (json_int_t)p->max_moves, "created_at", j_time(p->created_at), "created_by",
        p->created_by ? p->created_by : "", "picks_per_day", j_milli(ppd), "walk_mm_per_day",
        "before", (json_int_t)p->before_mm_per_day, "after", (json_int_t)p->after_mm_per_day,
        "saved_mm_per_day", (json_int_t)(p->before_mm_per_day - p->after_mm_per_day),
        "walk_mm_per_pick", "before",
        (json_int_t)(ppd > 0 ? (int64_t)((double)p->before_mm_per_day / ppd + 0.5) : 0), "after",
        (json_int_t)(ppd > 0 ? (int64_t)((double)p->after_mm_per_day / ppd + 0.5) : 0), "moves",
        moves);
    if (o && p->bins) {
        json_object_set_new(o, "bins_considered", json_integer(p->bins));
        json_object_set_new(o, "skus_picked", json_integer(p->skus));
    }
    return o;
}

struct slot_ctx {
    hc_arena *arena;
    const char *warehouse, *id, *actor;
    struct hc_slotting p;
    int64_t *seqs;
    size_t nseqs;
};

static int propose_job(hc_store *s, void *ctx, hc_err *err)
{
    struct slot_ctx *c = ctx;
    return hc_slotting_save(s, &c->p, err);
}

static int slot_render_201(struct req *r)
{
    struct slot_ctx *c = r->ctx;
    return api_reply(r, 201, render_slotting(&c->p));
}

static int slot_render_200(struct req *r)
{
    struct slot_ctx *c = r->ctx;
    return api_reply(r, 200, render_slotting(&c->p));
}

int h_slotting_propose(struct req *r)
{
    json_t *b;
    struct slot_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    struct hc_slotting_opts o = {HC_SLOTTING_WINDOW_DAYS, HC_SLOTTING_MOVES_DEFAULT, 1, 2, 2000};
    c->arena = r->arena;
    c->warehouse = r->params[0];
    c->actor = api_actor(r);
    if (jv_body(r, &b) ||
        jv_int(r, b, "", "window_days", false, 1, HC_SLOTTING_WINDOW_MAX, &o.window_days) ||
        jv_int(r, b, "", "max_moves", false, 1, HC_SLOTTING_MOVES_MAX, &o.max_moves) ||
        jv_int(r, b, "", "golden_level_max", false, 1, 99, &o.golden_hi) ||
        jv_int(r, b, "", "level_penalty_mm", false, 1, 1000000, &o.level_penalty_mm))
        return api_fail(r);
    if (!api_may_warehouse(r, c->warehouse))
        return not_found(r, "wh", "warehouse", c->warehouse);
    hc_store *st = api_reader(r);
    if (st == NULL)
        return api_fail(r);
    int rc = hc_slotting_propose(st, r->arena, c->warehouse, &o, c->actor, &c->p, &r->err);
    if (rc == HC_ENOTFOUND && strcmp(r->err.field, "warehouse") == 0) {
        hc_err_clear(&r->err);
        return not_found(r, "wh", "warehouse", c->warehouse);
    }
    if (rc != HC_OK)
        return api_fail(r);
    return api_write(r, propose_job, slot_render_201, c);
}

int h_slotting_get(struct req *r)
{
    if (!api_may_warehouse(r, r->params[0]))
        return not_found(r, "wh", "warehouse", r->params[0]);
    hc_store *st = api_reader(r);
    struct hc_slotting p;
    if (st == NULL || hc_slotting_get(st, r->arena, r->params[0], r->params[1], &p, &r->err))
        return api_fail(r);
    return api_reply(r, 200, render_slotting(&p));
}

static int accept_job(hc_store *s, void *ctx, hc_err *err)
{
    struct slot_ctx *c = ctx;
    return hc_slotting_accept(s, c->arena, c->warehouse, c->id, c->seqs, c->nseqs, c->actor,
                              &c->p, err);
}

int h_slotting_accept(struct req *r)
{
    json_t *b, *arr = NULL;
    struct slot_ctx *c = hc_arena_alloc(r->arena, sizeof(*c));
    c->arena = r->arena;
    c->warehouse = r->params[0];
    c->id = r->params[1];
    c->actor = api_actor(r);
    if (jv_body(r, &b))
        return api_fail(r);
    json_t *mv = json_object_get(b, "moves");
    if (mv && !json_is_null(mv) && jv_array(r, b, "", "moves", HC_SLOTTING_MOVES_MAX, &arr))
        return api_fail(r);
    if (arr) {
        if (json_array_size(arr) == 0) {
            hc_err_set(&r->err, HC_EINVAL, "moves", "name at least one move, or leave it out");
            return api_fail(r);
        }
        c->nseqs = json_array_size(arr);
        c->seqs = hc_arena_alloc(r->arena, sizeof(*c->seqs) * c->nseqs);
        for (size_t i = 0; i < c->nseqs; i++) {
            json_t *v = json_array_get(arr, i);
            if (!json_is_integer(v) || json_integer_value(v) < 1) {
                char f[32];
                snprintf(f, sizeof(f), "moves[%zu]", i);
                hc_err_set(&r->err, HC_EINVAL, f, "must be a move's seq (an integer >= 1)");
                return api_fail(r);
            }
            c->seqs[i] = json_integer_value(v);
        }
    }
    if (!api_may_warehouse(r, c->warehouse))
        return not_found(r, "wh", "warehouse", c->warehouse);
    return api_write(r, accept_job, slot_render_200, c);
}
