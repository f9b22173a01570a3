/* arena.c: bump allocation freed in one go, and a bounded growable buffer. */
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
    struct block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

struct hc_arena {
    struct block *head;
    size_t block_size;
};

static struct block *block_new(size_t size)
{
    struct block *b = malloc(sizeof(*b) + size);
    if (b == NULL)
        abort();
    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

hc_arena *hc_arena_new(size_t first_block)
{
    hc_arena *a = malloc(sizeof(*a));
    if (a == NULL)
        abort();
    a->block_size = first_block < 1024 ? 1024 : first_block;
    a->head = block_new(a->block_size);
    return a;
}

void hc_arena_free(hc_arena *a)
{
    if (a == NULL)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *hc_arena_alloc(hc_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    struct block *b = a->head;
    if (b->used + n > b->size) {
        size_t size = a->block_size;
        while (size < n)
            size *= 2;
        if (a->block_size < (1u << 20))
            a->block_size *= 2;
        b = block_new(size);
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *hc_arena_strndup(hc_arena *a, const char *s, size_t n)
{
    char *p = hc_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void *hc_arena_grow(hc_arena *a, void *items, size_t n, size_t *cap, size_t size)
{
    HC_ASSERT(n <= *cap && size > 0);
    if (n < *cap)
        return items;
    size_t room = *cap ? *cap * 2 : 8;
    if (room > SIZE_MAX / size)
        abort();
    void *bigger = hc_arena_alloc(a, room * size);
    if (n)
        memcpy(bigger, items, n * size);
    *cap = room;
    return bigger;
}

char *hc_arena_strdup(hc_arena *a, const char *s)
{
    return s ? hc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *hc_arena_printf(hc_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return hc_arena_strdup(a, "");
    char *p = hc_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void hc_buf_init(hc_buf *b, size_t max)
{
    b->p = NULL;
    b->n = b->cap = 0;
    b->max = max;
}

void hc_buf_free(hc_buf *b)
{
    free(b->p);
    hc_buf_init(b, b->max);
}

int hc_buf_add(hc_buf *b, const void *data, size_t n)
{
    if (b->n + n + 1 > b->max)
        return HC_ETOOBIG;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        if (cap > b->max)
            cap = b->max;
        char *p = realloc(b->p, cap);
        if (p == NULL)
            abort();
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = '\0';
    return HC_OK;
}

int hc_buf_puts(hc_buf *b, const char *s)
{
    return hc_buf_add(b, s, strlen(s));
}

int hc_buf_printf(hc_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return HC_EINVAL;
    if ((size_t)n < sizeof(small))
        return hc_buf_add(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (big == NULL)
        abort();
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = hc_buf_add(b, big, (size_t)n);
    free(big);
    return rc;
}
