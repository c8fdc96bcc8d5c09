/* SPDX-License-Identifier: Apache-2.0 */
/* The game-policy registry: the only file to edit when adding a game policy (see game.h). */
#include <string.h>

#include "gpusim/game.h"

extern const gs_game_policy_ops gs_game_policy_static_local, gs_game_policy_static_edge,
    gs_game_policy_static_cloud, gs_game_policy_scripted, gs_game_policy_adaptive;

static const gs_game_policy_ops *const registry[] = {
    &gs_game_policy_static_local, &gs_game_policy_static_edge, &gs_game_policy_static_cloud,
    &gs_game_policy_scripted,     &gs_game_policy_adaptive,
};

const gs_game_policy_ops *gs_game_policy_find(const char *name)
{
    size_t i;

    for (i = 0; name && i < sizeof(registry) / sizeof(registry[0]); i++)
        if (!strcmp(registry[i]->name, name))
            return registry[i];
    return NULL;
}

size_t gs_game_policy_count(void)
{
    return sizeof(registry) / sizeof(registry[0]);
}

const gs_game_policy_ops *gs_game_policy_at(size_t i)
{
    return i < gs_game_policy_count() ? registry[i] : NULL;
}
