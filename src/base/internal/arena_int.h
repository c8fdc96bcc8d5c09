/* SPDX-License-Identifier: Apache-2.0 */
/* Base internal API (src/base/internal/README.md): a string arena: many small copies, freed
 * together; pointers never move. */
#ifndef GPUSIM_ARENA_INT_H
#define GPUSIM_ARENA_INT_H

#include <stddef.h>

typedef struct gs__arena gs__arena;

gs__arena *gs__arena_new(void);
void gs__arena_free(gs__arena *a);
/* NUL-terminated copy of len bytes of s; NULL on ENOMEM. */
const char *gs__arena_strndup(gs__arena *a, const char *s, size_t len);
/* Bytes held by the arena (for memory accounting). */
size_t gs__arena_bytes(const gs__arena *a);

#endif
