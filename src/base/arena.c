/* SPDX-License-Identifier: Apache-2.0 */
/* String arena: chunks of 64 KiB (or one chunk per oversized string), freed together. */
#include "arena_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

struct gs__arena {
    chunk *head;
    size_t bytes;
};

gs__arena *gs__arena_new(void)
{
    return calloc(1, sizeof(gs__arena));
}

void gs__arena_free(gs__arena *a)
{
    chunk *c, *next;

    if (!a)
        return;
    for (c = a->head; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

const char *gs__arena_strndup(gs__arena *a, const char *s, size_t len)
{
    chunk *c = a->head;
    char *p;

    if (!c || c->cap - c->used < len + 1) {
        size_t cap = len + 1 > 65536 ? len + 1 : 65536;
        chunk *n = malloc(sizeof(*n) + cap);
        if (!n)
            return NULL;
        n->used = 0;
        n->cap = cap;
        n->next = a->head;
        a->head = n;
        a->bytes += sizeof(*n) + cap;
        c = n;
    }
    p = c->data + c->used;
    memcpy(p, s, len);
    p[len] = '\0';
    c->used += len + 1;
    return p;
}

size_t gs__arena_bytes(const gs__arena *a)
{
    return a ? a->bytes : 0;
}
