/* SPDX-License-Identifier: Apache-2.0 */
/* The game-offload module: a Minecraft-like modifiable world whose components (world server,
 * client logic + renderer, video encoder/decoder) run on the player's device, an edge node or
 * the cloud, and move between them at run time under a pluggable policy, on the shared engine.
 *
 * Adding a game policy:
 *   1. Write src/game/policies/<name>.c. Keep everything static except one object:
 *      const gs_game_policy_ops gs_game_policy_<name> = {...}.
 *   2. Add its extern declaration and one line to the table in src/game/policies/registry.c.
 *   3. Add the file to the gs_game library in CMakeLists.txt and a case to tests/test_game.c.
 * A policy sees the game only through the gs_game_* getters below and a gs_game_view (window
 * statistics and probe results, what a real monitor could measure); it answers with the wanted
 * placement. The model validates the placement and then pays for the migration (state transfer
 * over the simulated links plus set-up time), so a policy can never teleport a component. */
#ifndef GPUSIM_GAME_H
#define GPUSIM_GAME_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gpusim/err.h"
#include "gpusim/event.h"

/* ---- places, placements ---- */

enum gs_game_loc { GS_GAME_DEVICE = 0, GS_GAME_EDGE = 1, GS_GAME_CLOUD = 2, GS_GAME_NLOC = 3 };

/* "device", "edge", "cloud"; "none" for anything else. */
const char *gs_game_loc_name(int loc);
/* The location named s, or -1. */
int gs_game_loc_parse(const char *s);

/* Where the three movable components run. The client logic (the world replica the player acts
 * on) always runs beside the renderer, as in PolkaDOTS, where a streaming host is a full game
 * client. When the renderer is not on the device, a video encoder runs beside it and a decoder
 * on the device. */
typedef struct gs_game_placement {
    int server;   /* world simulation (authoritative tick loop) */
    int client;   /* client logic + world replica */
    int renderer; /* frame rendering; == client */
} gs_game_placement;

enum gs_game_mode {
    GS_GAME_MODE_LOCAL = 0, /* client-server: the device renders, the server is remote */
    GS_GAME_MODE_STREAM,    /* the device decodes a video stream rendered remotely */
    GS_GAME_MODE_OFFLINE    /* everything on the device (client and server in one process) */
};
/* The mode of a placement, and its name ("local", "stream", "offline"). */
int gs_game_placement_mode(const gs_game_placement *p);
const char *gs_game_mode_name(int mode);

enum gs_game_power { GS_GAME_BATTERY = 0, GS_GAME_CHARGING, GS_GAME_DOCKED };
const char *gs_game_power_name(int power);

/* ---- scenario (configs/game/NAME.json) ---- */

typedef struct gs_game_scenario gs_game_scenario;

/* Loads and validates a scenario file (schema in docs/game.md). Link traces named in it are
 * read from CSV, relative to the scenario's folder. Every error names the file, the line and
 * the field ("'x.json' line 12: field 'links.device-cloud.loss': value 2 out of range [0, 1]").
 * Returns NULL with err filled (GS_EIO, GS_EPARSE, GS_EINVAL, GS_ENOMEM). */
gs_game_scenario *gs_game_scenario_load(const char *path, gs_err *err);
void gs_game_scenario_free(gs_game_scenario *sc);
/* Borrowed strings, valid until the scenario is freed. */
const char *gs_game_scenario_name(const gs_game_scenario *sc);
const char *gs_game_scenario_policy(const gs_game_scenario *sc); /* default policy */
double gs_game_scenario_duration(const gs_game_scenario *sc);    /* s */
/* Whether the scenario has an edge node. */
int gs_game_scenario_has_edge(const gs_game_scenario *sc);
/* Paths of the files the scenario read (itself first, then link traces). */
size_t gs_game_scenario_ninputs(const gs_game_scenario *sc);
const char *gs_game_scenario_input(const gs_game_scenario *sc, size_t i);

/* ---- a run ---- */

typedef struct gs_game gs_game;

typedef struct gs_game_opts {
    const char *policy;        /* registry name; NULL = the scenario's policy */
    uint64_t seed;             /* every random draw; default 1 */
    double duration;           /* s; <= 0 = the scenario's duration */
    const char *const *params; /* "key=value" policy parameters, override the scenario's */
    size_t nparams;
    /* after every event, check that time never goes back, the placement is legal, the battery
     * stays within [0, 100] % and accumulated counts never decrease (--check-invariants) */
    int check_invariants;
} gs_game_opts;

void gs_game_opts_init(gs_game_opts *o);

/* Creates a run of sc (borrowed; must outlive the run) under the chosen policy. Returns NULL
 * with err filled: unknown policy (the message lists the valid names), a bad parameter, a
 * placement the scenario cannot host (static-edge without an edge), ENOMEM. */
gs_game *gs_game_new(const gs_game_scenario *sc, const gs_game_opts *opts, gs_err *err);
void gs_game_free(gs_game *g);

/* Runs the whole scenario on a fresh gs_engine. May be called once. Returns GS_OK or the
 * error of a policy (a bad decision is an error, not silently ignored). */
int gs_game_run(gs_game *g, gs_err *err);

/* ---- what policies may read ---- */
double gs_game_now(const gs_game *g);
const gs_game_scenario *gs_game_scenario_of(const gs_game *g);
const gs_game_opts *gs_game_options(const gs_game *g);
/* The placement the run started from (the scenario's "start"). */
gs_game_placement gs_game_start_placement(const gs_game *g);
/* A policy parameter: --param, then the scenario's policy.params, then def. */
double gs_game_param(const gs_game *g, const char *key, double def);
/* The first parameter key (from either source) not in allowed (NULL-terminated), or NULL. */
const char *gs_game_param_unknown(const gs_game *g, const char *const *allowed);
/* Timed experiment actions of the scenario (PolkaDOTS "experimentActions"), sorted by time.
 * Fields of *p are -1 for components the action leaves where they are. Returns GS_OK or
 * GS_ENOTFOUND (i out of range). */
size_t gs_game_naction(const gs_game *g);
int gs_game_action(const gs_game *g, size_t i, double *t, gs_game_placement *p);

/* What the monitor shows a policy at an evaluation. Window statistics cover the last
 * policy.window_s seconds of monitor samples; NAN where there was nothing to measure. */
typedef struct gs_game_view {
    double now;
    gs_game_placement placement; /* current */
    double since_change;         /* s since the last migration ended (or since the start) */
    size_t nsamples;             /* monitor samples in the window */
    double fps_mean, fps_p5, fps_p10;
    double frame_ms_p95; /* 95th percentile frame time over the window */
    double game_rtt_ms;  /* median NFE round trip of the client world */
    double down_mbps;    /* device downlink, mean over the window */
    double memory_gb;    /* device memory in use, last sample */
    double memory_capacity_gb;
    double battery_pct;     /* last sample */
    int power;              /* enum gs_game_power now */
    int device_alive;       /* 0 once the battery is empty */
    int session_up;         /* 0 while the player is disconnected */
    double server_silent_s; /* s since the client last heard from the server (0 if co-located) */
    double stream_silent_s; /* s since the device last received video (stream mode), else 0 */
    double frame_loss;      /* share of video frames lost in the window (stream mode) */
    double stream_mbps;     /* bitrate a full-quality stream needs (encoder target) */
    /* per location (DEVICE entries are unused): RTT probes from the device every second */
    int present[GS_GAME_NLOC];         /* the scenario has this node */
    int reachable[GS_GAME_NLOC];       /* the latest probe came back */
    double down_for_s[GS_GAME_NLOC];   /* s since the last probe that came back (0 if reachable) */
    double up_for_s[GS_GAME_NLOC];     /* s of continuous reachability */
    double probe_rtt_ms[GS_GAME_NLOC]; /* median probe RTT in the window */
    double probe_loss[GS_GAME_NLOC];   /* share of probes lost in the window */
    double avail_mbps[GS_GAME_NLOC];   /* downlink the bandwidth estimator reports now */
    double queue_ms[GS_GAME_NLOC];     /* expected queueing wait per frame at the node */
} gs_game_view;

/* ---- policies: a versioned table, like the scheduling policies (policy.h) ---- */

typedef struct gs_game_decision {
    gs_game_placement to; /* the current placement on entry */
    char reason[64];      /* empty on entry */
    /* 0 (default): make before break, the running deployment keeps playing while the state
     * moves in the background and only the switch interrupts it. 1: stop what moves first,
     * so the transfer gets the whole link (leaving a failing stream on a thin link). */
    int break_first;
} gs_game_decision;

#define GS_GAME_POLICY_ABI 1

typedef struct gs_game_policy_ops {
    int abi;             /* must equal GS_GAME_POLICY_ABI; fields are only ever appended */
    const char *name;    /* CLI name, e.g. "adaptive" */
    const char *summary; /* one line, shown by `gpusim game policies` */
    /* Allocates *state; checks parameters (gs_game_param_unknown). */
    int (*init)(void **state, const gs_game *g, gs_err *err);
    /* Fills *out (given the scenario's start placement) with the placement at t = 0. */
    int (*initial)(void *state, const gs_game *g, gs_game_placement *out, gs_err *err);
    /* Called every policy.interval_s and at each experiment action, never during a migration.
     * d->to holds the current placement; leave it to stay, change it to migrate (and say why in
     * d->reason, which goes to migrations.csv). */
    int (*decide)(void *state, const gs_game *g, const gs_game_view *v, gs_game_decision *d,
                  gs_err *err);
    void (*destroy)(void *state);
} gs_game_policy_ops;

const gs_game_policy_ops *gs_game_policy_find(const char *name); /* NULL if unknown */
size_t gs_game_policy_count(void);
const gs_game_policy_ops *gs_game_policy_at(size_t i);

/* ---- results ---- */

/* One monitor interval (default 0.5 s, as PolkaDOTS samples WebRTC stats). */
typedef struct gs_game_sample {
    double t;            /* end of the window, s */
    double fps;          /* frames shown on the device in the window / window length */
    double frame_ms_p50; /* frame-time percentiles (intervals between shown frames), ms */
    double frame_ms_p95;
    double frame_ms_p99;
    double game_rtt_ms;    /* median NFE RTT of the client world in the window (NAN: none) */
    double stream_rtt_ms;  /* median probe RTT to the stream host (NAN unless streaming) */
    double response_ms;    /* wait for the game to answer an action: stream RTT + encode +
                              decode when streaming, the game RTT otherwise (NAN: none) */
    double down_mbps;      /* bytes received by the device in the window, as Mbit/s */
    double up_mbps;        /* bytes sent by the device */
    double memory_gb;      /* device memory in use at the end of the window */
    double battery_pct;    /* battery charge at the end of the window */
    double power_w;        /* mean device power draw over the window */
    double tick_ms;        /* mean server tick duration in the window (NAN: none) */
    int power;             /* enum gs_game_power */
    gs_game_placement at;  /* placement at the end of the window */
    int migrating;         /* a migration overlapped the window (or its settle time) */
    int migration_started; /* a migration started in the window */
    int stalled;           /* a stall (view or world frozen > session.stall_ms) overlapped */
    int session_up;        /* 0 when the player was disconnected at the end of the window */
    int phase;             /* deployment phase index; -1 while migrating */
} gs_game_sample;

size_t gs_game_nsamples(const gs_game *g);
const gs_game_sample *gs_game_samples(const gs_game *g);

typedef struct gs_game_migration {
    double start, end; /* s; end = start for a refused one */
    gs_game_placement from, to;
    double bytes;    /* state moved over the links */
    int ok;          /* 0: refused or aborted (placement unchanged) */
    char reason[64]; /* short text from the policy or the model */
} gs_game_migration;

size_t gs_game_nmigrations(const gs_game *g);
const gs_game_migration *gs_game_migrations(const gs_game *g);

/* Summary statistics of one variable over a set of samples (NAN when empty). */
typedef struct gs_game_stat {
    size_t n;
    double mean, median, min, max, p5, p10, p95;
} gs_game_stat;

/* A deployment phase: a maximal stretch of samples with one placement, migrations excluded. */
typedef struct gs_game_phase {
    int index;
    double start, end; /* s, window boundaries */
    gs_game_placement at;
    gs_game_stat fps, frame_ms_p95, game_rtt_ms, down_mbps, up_mbps, memory_gb, battery_pct,
        power_w, response_ms;
} gs_game_phase;

/* Phases in time order, computed after the run. */
size_t gs_game_nphases(const gs_game *g);
const gs_game_phase *gs_game_phases(const gs_game *g);

typedef struct gs_game_totals {
    gs_game_stat fps, frame_ms_p95, game_rtt_ms, down_mbps, memory_gb, power_w, tick_ms;
    gs_game_stat response_ms;
    double over_qos_s;        /* time with a response above session.qos_ms (Polka: 50 ms) */
    size_t stalls;            /* episodes with the view or the world frozen > stall_ms */
    double stall_s;           /* their total length */
    size_t migrations;        /* successful policy migrations */
    size_t migrations_failed; /* given up (transfer timeout) or cut short by an empty battery */
    size_t rejoins;           /* reconnections after a lost session (logged as migrations) */
    size_t sessions_lost;     /* disconnections (timeout) and battery death */
    double battery_left_pct;
    double energy_wh; /* drawn by the device */
    double down_mb;   /* device traffic, MB */
    double up_mb;
    double frames_shown;
    double frames_lost; /* video frames lost on the network or dropped by the encoder */
    double tick_max_over_mean;
    uint64_t events; /* engine events fired */
} gs_game_totals;

void gs_game_totals_get(const gs_game *g, gs_game_totals *t);

/* timeseries.csv: one row per sample, fixed float format. */
int gs_game_write_timeseries(const gs_game *g, FILE *fp, gs_err *err);
/* migrations.csv: one row per migration (refused ones included). */
int gs_game_write_migrations(const gs_game *g, FILE *fp, gs_err *err);
/* summary.json text (malloc'd): totals, per-phase statistics, seed, scenario, policy, version,
 * the command and input checksums. command may be NULL. */
char *gs_game_summary_json(const gs_game *g, const char *command, gs_err *err);

#endif
