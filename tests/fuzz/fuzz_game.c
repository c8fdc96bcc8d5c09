/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: game scenarios, with a link trace after a "%%" line, then a run of at most
 * two simulated minutes under the scenario's policy. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "gpusim/game.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *tail;
    size_t head, tail_size;
    const char *path;
    gs_err err = {0};
    gs_game_scenario *sc;

    gs_fuzz_split(data, size, &head, &tail, &tail_size);
    gs_fuzz_write("trace.csv", tail, tail_size);
    path = gs_fuzz_write("scenario.json", data, head);
    sc = gs_game_scenario_load(path, &err);
    if (sc) {
        gs_game_opts o;
        gs_game *g;
        gs_game_opts_init(&o);
        o.duration = gs_game_scenario_duration(sc) < 120 ? gs_game_scenario_duration(sc) : 120;
        g = gs_game_new(sc, &o, &err);
        if (g)
            gs_game_run(g, &err);
        gs_game_free(g);
        gs_game_scenario_free(sc);
    }
    return 0;
}
