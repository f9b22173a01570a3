/* cmd_slotting.c: haicang slotting propose|accept|show — the slotting of
 * warehouse/slotting.c from the command line, each in one transaction. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "warehouse/warehouse.h"

#define CMD "slotting"

static const char *usage_text =
    "usage: haicang slotting propose --warehouse CODE [--window-days N] [--max-moves N] [--db URL]\n"
    "       haicang slotting accept ID [--moves SEQ,SEQ,...] [--db URL]\n"
    "       haicang slotting show ID [--db URL]\n";

static void print_proposal(const struct hc_slotting *p)
{
    int64_t saved = p->before_mm_per_day - p->after_mm_per_day;
    printf("%s  %s  window %lld days, %.1f picks/day, %zu moves\n", p->id, p->warehouse,
           (long long)p->window_days, p->picks_per_day, p->nmoves);
    printf("walk per day: %lld mm before, %lld mm after, saved %lld mm (%.1f m)\n",
           (long long)p->before_mm_per_day, (long long)p->after_mm_per_day, (long long)saved,
           (double)saved / 1000.0);
    for (size_t i = 0; i < p->nmoves; i++) {
        const struct hc_slotting_move *m = &p->moves[i];
        printf("%4lld  %-12s -> %-12s  %s/%s x%lld  %.2f picks/day  %lld -> %lld mm%s%s\n",
               (long long)m->seq, m->from, m->to, m->seller, m->sku, (long long)m->qty,
               m->picks_per_day, (long long)m->from_mm, (long long)m->to_mm,
               m->swap_seq ? "  swap" : "", m->accepted_at ? "  accepted" : "");
    }
}

/* "1,2,5" into seqs (at most max); -1 on anything else. */
static int parse_seqs(const char *text, int64_t *seqs, size_t max, size_t *n)
{
    *n = 0;
    const char *p = text;
    while (*p) {
        int64_t v = 0;
        const char *start = p;
        while (*p >= '0' && *p <= '9' && v < 1000000)
            v = v * 10 + (*p++ - '0');
        if (p == start || v < 1 || *n == max || (*p && *p != ','))
            return -1;
        seqs[(*n)++] = v;
        if (*p == ',')
            p++;
    }
    return *n ? 0 : -1;
}

static int bounded(const char *text, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    if (text == NULL)
        return 0;
    int64_t v = 0;
    const char *p = text;
    while (*p >= '0' && *p <= '9' && v <= hi)
        v = v * 10 + (*p++ - '0');
    if (p == text || *p || v < lo || v > hi)
        return hc_cli_fail(CMD, "%s: must be %lld..%lld", name, (long long)lo, (long long)hi);
    *out = v;
    return 0;
}

int hc_cmd_slotting(int argc, char **argv)
{
    const char *db = hc_cli_default_db(), *wh = NULL, *window = NULL, *max_moves = NULL,
               *moves = NULL;
    const char *pos[2] = {NULL, NULL};
    size_t got = 0;
    struct hc_opt opts[] = {{"--db", &db},
                            {"--warehouse", &wh},
                            {"--window-days", &window},
                            {"--max-moves", &max_moves},
                            {"--moves", &moves}};
    if (hc_cli_parse(argc, argv, opts, HC_ARRAY_LEN(opts), pos, 2, &got) != 0)
        return 2;
    const char *sub = got > 0 ? pos[0] : NULL;
    if (sub == NULL || (strcmp(sub, "propose") != 0 && strcmp(sub, "accept") != 0 &&
                        strcmp(sub, "show") != 0)) {
        fputs(usage_text, stderr);
        return 2;
    }
    bool propose = strcmp(sub, "propose") == 0;
    if (propose && (wh == NULL || got != 1))
        return hc_cli_fail(CMD, "propose takes --warehouse CODE and no ID");
    if (!propose && got != 2)
        return hc_cli_fail(CMD, "%s takes the proposal ID", sub);
    struct hc_slotting_opts o = {0};
    if (bounded(window, "--window-days", 1, HC_SLOTTING_WINDOW_MAX, &o.window_days) ||
        bounded(max_moves, "--max-moves", 1, HC_SLOTTING_MOVES_MAX, &o.max_moves))
        return 1;
    int64_t seqs[HC_SLOTTING_MOVES_MAX];
    size_t nseqs = 0;
    if (moves && parse_seqs(moves, seqs, HC_ARRAY_LEN(seqs), &nseqs) != 0)
        return hc_cli_fail(CMD, "--moves: give move seqs as 1,2,3");
    hc_store *s;
    if (hc_cli_open(CMD, db, &s) != 0)
        return 1;
    hc_arena *a = hc_arena_new(1 << 16);
    hc_err err = {0};
    struct hc_slotting p;
    int rc = hc_store_begin(s, &err);
    if (rc == HC_OK) {
        if (propose) {
            rc = hc_slotting_propose(s, a, wh, &o, "cli", &p, &err);
            if (rc == HC_OK)
                rc = hc_slotting_save(s, &p, &err);
        } else if (strcmp(sub, "accept") == 0) {
            rc = hc_slotting_accept(s, a, NULL, pos[1], seqs, nseqs, "cli", &p, &err);
        } else {
            rc = hc_slotting_get(s, a, NULL, pos[1], &p, &err);
        }
        rc = hc_cli_end_tx(s, rc, &err);
    }
    int ret = 0;
    if (rc != HC_OK)
        ret = hc_cli_fail_err(CMD, &err);
    else
        print_proposal(&p);
    hc_arena_free(a);
    hc_store_close(s);
    return ret;
}
