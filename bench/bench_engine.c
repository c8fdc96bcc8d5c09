/* SPDX-License-Identifier: Apache-2.0 */
/* Engine throughput: the classic "hold" model. P events are pending; each fired event posts one
 * at now + an exponential delay, so the queue stays at P. Prints events per wall and per CPU
 * second. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gpusim/engine.h"

/* The engine knows no module's events: the benchmark declares its one type. */
enum { EV_HOLD = 0x01 };
static const gs_event_type_def hold_type = {EV_HOLD, "hold"};

typedef struct hold {
    uint64_t state; /* xorshift64*: cheap and deterministic */
    uint64_t left;
} hold;

static double next_delay(hold *h)
{
    uint64_t x = h->state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    h->state = x;
    return -log((double)((x * 0x2545f4914f6cdd1dull) >> 11) * 0x1.0p-53 + 1e-300);
}

static int on_event(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err)
{
    hold *h = ctx;

    if (h->left == 0)
        return GS_OK;
    h->left--;
    return gs_engine_post(eng, ev->time + next_delay(h), EV_HOLD, NULL, NULL, NULL, err);
}

int main(int argc, char **argv)
{
    long pending = argc > 1 ? atol(argv[1]) : 1000;
    long total = argc > 2 ? atol(argv[2]) : 20000000;
    hold h = {88172645463325252ull, 0};
    gs_err err = {0};
    gs_engine *eng = gs_engine_new(&err);
    struct timespec a, b, ca, cb;
    double s, cpu;
    long i;

    if (!eng || pending < 1 || total < pending) {
        fprintf(stderr, "usage: bench_engine [PENDING [EVENTS]]\n");
        return 2;
    }
    gs_engine_declare(eng, &hold_type, 1, &err);
    gs_engine_on(eng, EV_HOLD, on_event, &h, &err);
    for (i = 0; i < pending; i++)
        gs_engine_post(eng, next_delay(&h), EV_HOLD, NULL, NULL, NULL, &err);
    h.left = (uint64_t)(total - pending);
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
    if (gs_engine_run(eng, INFINITY, &err) != GS_OK) {
        fprintf(stderr, "bench_engine: %s\n", err.msg);
        return 1;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
    clock_gettime(CLOCK_MONOTONIC, &b);
    s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
    cpu = (double)(cb.tv_sec - ca.tv_sec) + (double)(cb.tv_nsec - ca.tv_nsec) * 1e-9;
    /* CPU time too: on a shared machine it is the steadier measure */
    printf("pending %ld events %llu seconds %.3f events_per_s %.0f cpu_seconds %.3f "
           "events_per_cpu_s %.0f\n",
           pending, (unsigned long long)gs_engine_fired(eng), s, (double)gs_engine_fired(eng) / s,
           cpu, (double)gs_engine_fired(eng) / cpu);
    gs_engine_free(eng);
    return 0;
}
