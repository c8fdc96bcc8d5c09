/* SPDX-License-Identifier: Apache-2.0 */
/* Private state of the game-offload module: the loaded scenario and a run on the engine. */
#ifndef GPUSIM_GAME_INT_H
#define GPUSIM_GAME_INT_H

#include <stddef.h>
#include <stdint.h>

#include "gpusim/engine.h"
#include "gpusim/game.h"
#include "rng_int.h"

/* ---- the module's event types (numbers 0x200 to 0x2ff are the game module's) ---- */

#define GS_EV_GAME_BASE 0x200
#define GS_EVENT_GAME_LIST(X)                                                                      \
    X(GAME_TICK, GS_EV_GAME_BASE + 0x00, "game-tick")                                              \
    X(GAME_SNAPSHOT_SEND, GS_EV_GAME_BASE + 0x01, "game-snapshot-send")                            \
    X(GAME_SNAPSHOT_RECV, GS_EV_GAME_BASE + 0x02, "game-snapshot-recv")                            \
    X(GAME_INPUT_SEND, GS_EV_GAME_BASE + 0x03, "game-input-send")                                  \
    X(GAME_INPUT_RECV, GS_EV_GAME_BASE + 0x04, "game-input-recv")                                  \
    X(GAME_TERRAIN, GS_EV_GAME_BASE + 0x05, "game-terrain")                                        \
    X(GAME_FRAME_DONE, GS_EV_GAME_BASE + 0x06, "game-frame-done")                                  \
    X(GAME_VIDEO_ENCODED, GS_EV_GAME_BASE + 0x07, "game-video-encoded")                            \
    X(GAME_VIDEO_RECV, GS_EV_GAME_BASE + 0x08, "game-video-recv")                                  \
    X(GAME_VIDEO_DECODED, GS_EV_GAME_BASE + 0x09, "game-video-decoded")                            \
    X(GAME_NET_CHANGE, GS_EV_GAME_BASE + 0x0a, "game-net-change")                                  \
    X(GAME_NET_STALL, GS_EV_GAME_BASE + 0x0b, "game-net-stall")                                    \
    X(GAME_POWER_CHANGE, GS_EV_GAME_BASE + 0x0c, "game-power-change")                              \
    X(GAME_LOAD_CHANGE, GS_EV_GAME_BASE + 0x0d, "game-load-change")                                \
    X(GAME_PROBE, GS_EV_GAME_BASE + 0x0e, "game-probe")                                            \
    X(GAME_PROBE_RECV, GS_EV_GAME_BASE + 0x0f, "game-probe-recv")                                  \
    X(GAME_MONITOR, GS_EV_GAME_BASE + 0x10, "game-monitor")                                        \
    X(GAME_POLICY, GS_EV_GAME_BASE + 0x11, "game-policy")                                          \
    X(GAME_ACTION, GS_EV_GAME_BASE + 0x12, "game-action")                                          \
    X(GAME_MIGRATE_START, GS_EV_GAME_BASE + 0x13, "game-migrate-start")                            \
    X(GAME_MIGRATE_CHUNK, GS_EV_GAME_BASE + 0x14, "game-migrate-chunk")                            \
    X(GAME_MIGRATE_RETRY, GS_EV_GAME_BASE + 0x15, "game-migrate-retry")                            \
    X(GAME_MIGRATE_END, GS_EV_GAME_BASE + 0x16, "game-migrate-end")                                \
    X(GAME_SESSION_CHECK, GS_EV_GAME_BASE + 0x17, "game-session-check")

enum gs__game_event {
#define GS_EV_ENUM_(name, val, str) GS_EV_##name = (val),
    GS_EVENT_GAME_LIST(GS_EV_ENUM_)
#undef GS_EV_ENUM_
};

/* ---- scenario ---- */

enum { GS__LINK_DE = 0, GS__LINK_DC = 1, GS__LINK_EC = 2, GS__NLINK = 3 };
enum { GS__RADIO_WIRED = 0, GS__RADIO_WIFI, GS__RADIO_CELLULAR };

/* Which fields a link change sets. */
enum {
    GS__LC_BW = 1u << 0,
    GS__LC_UPBW = 1u << 1,
    GS__LC_LAT = 1u << 2,
    GS__LC_JIT = 1u << 3,
    GS__LC_LOSS = 1u << 4,
    GS__LC_UP = 1u << 5,
    GS__LC_RADIO = 1u << 6
};

typedef struct gs__link_params {
    double down_mbps; /* toward the device (or toward the edge on edge-cloud) */
    double up_mbps;
    double latency_ms; /* one way */
    double jitter_ms;  /* sigma of a half-normal extra delay */
    double loss;       /* packet loss probability */
    int up;            /* 0 = outage: every packet is lost */
    int radio;         /* GS__RADIO_*: the device's radio energy on this link */
} gs__link_params;

typedef struct gs__link_change {
    double t;
    unsigned set; /* GS__LC_* */
    gs__link_params p;
} gs__link_change;

typedef struct gs__link_cfg {
    int present;
    gs__link_params init;
    double stall_rate; /* short network stalls per s (Poisson) */
    double stall_ms;   /* their duration */
    gs__link_change *changes;
    size_t nchanges;
} gs__link_cfg;

typedef struct gs__step {
    double t, v;
} gs__step;

typedef struct gs__power_step {
    double t;
    int source;         /* enum gs_game_power */
    double battery_pct; /* NAN = unchanged */
    double drop_pct;    /* percentage points lost at once (0 = none) */
} gs__power_step;

typedef struct gs__node_cfg {
    int present;
    double cpu_speed, gpu_speed; /* relative to the device class the costs are given for */
    double memory_gb;
    double internal_ms; /* one-way latency between processes on the node */
    gs__step *load;     /* utilisation by other tenants over time (queueing) */
    size_t nload;
} gs__node_cfg;

typedef struct gs__device_cfg {
    double display_hz;
    double capacity_wh, initial_pct, charger_w, battery_gpu_speed;
    gs__power_step *power;
    size_t npower;
    /* power model, W */
    double idle_w, display_w, client_cpu_w, gpu_w60, stream_cpu_w, decode_w60, server_cpu_w;
    double radio_idle_w, radio_w_per_mbps, cellular_factor;
} gs__device_cfg;

typedef struct gs__world_cfg {
    double tick_rate, net_tick_rate, players;
    double tick_base_ms, tick_per_player_ms, tick_per_load_ms, tick_sigma;
    double spike_prob, spike_ms, spike_alpha;
    double snap_base_b, snap_entity_b, entities_per_player, entities_per_load, snap_area_b;
    double snap_max_areas;
    double input_b;
    double terrain_rate, terrain_work_ms, area_mb;
    double state_mb; /* world replica a client downloads when it (re)joins */
    gs__step *load;  /* world-modification load level over time */
    size_t nload;
} gs__world_cfg;

typedef struct gs__comp_cfg {
    gs_game_placement start;
    double base_memory_gb;
    double client_sim_ms, client_memory_gb;
    double draw_ms, draw_var, mesh_frames, render_memory_gb, remote_max_fps;
    double enc_fps, enc_ms, width, height, bpp, max_mbps, min_mbps, bw_share, size_sigma;
    double enc_queue_ms;
    double dec_ms, dec_max_fps, dec_memory_gb, dec_frame_mb;
    double server_memory_gb;
} gs__comp_cfg;

typedef struct gs__action {
    double t;
    gs_game_placement p;
} gs__action;

typedef struct gs__param {
    char *key;
    double v;
} gs__param;

struct gs_game_scenario {
    char *path, *name, *description;
    char **inputs;
    size_t ninputs, capinputs;
    double duration, monitor_s, probe_s;
    gs__node_cfg node[GS_GAME_NLOC];
    gs__device_cfg dev;
    gs__link_cfg link[GS__NLINK];
    gs__world_cfg world;
    gs__comp_cfg comp;
    /* migration and session */
    double stream_setup_s, client_start_s, server_start_s, chunk_kb, mig_timeout_s, settle_s;
    double mig_pace_ms;
    double retry_s;
    double session_timeout_s, stall_ms, rejoin_s, qos_ms;
    /* policy */
    char *policy;
    double policy_interval_s, policy_window_s;
    gs__param *params;
    size_t nparams;
    gs__action *actions;
    size_t nactions;
};

/* The link joining two locations (-1 when a == b or absent). */
int gs__game_link_of(int a, int b);

/* ---- a run ---- */

typedef struct gs__dir_state {
    double free_at;      /* the sender's queue is busy until then */
    double last_arrival; /* packets stay in order */
} gs__dir_state;

typedef struct gs__link_state {
    gs__link_params p;
    double stall_until;
    gs__dir_state down, up;
    gs_event_id stall_ev;
    size_t next_change;
} gs__link_state;

typedef struct gs__vec {
    double *v;
    size_t n, cap;
} gs__vec;

/* An in-flight state transfer (migration or rejoin) of bytes from one place to another. */
typedef struct gs__transfer {
    int from, to;
    double bytes;
} gs__transfer;

typedef struct gs__migration_run {
    int active;
    int kind; /* 0 policy migration, 1 rejoin after a lost session */
    int break_first;
    gs_game_placement from, to;
    gs__transfer xfer[3];
    int nxfer, cur;
    int switched;       /* the transfer is done and the moving components stopped */
    int pacing;         /* a wake-up is pending for a paced transfer */
    double sent, acked; /* bytes of the current transfer */
    double start, deadline, setup_s;
    double moved;
    size_t rec; /* index in the migrations log */
    uint32_t gen;
} gs__migration_run;

/* What the invariant checker remembers between events (game_invariants.c). */
typedef struct gs__game_inv {
    double last;   /* time of the previous event */
    double acc[9]; /* accumulators, which may only grow */
    uint64_t checked;
} gs__game_inv;

struct gs_game {
    gs__game_inv inv; /* --check-invariants */
    /* whole-run statistics of the samples, computed with the phases when the run ends (so that
     * gs_game_totals_get() need not allocate) */
    gs_game_totals tot;
    const gs_game_scenario *sc;
    gs_game_opts opts;
    char *policy_name;
    char **param_keys;
    double *param_vals;
    size_t nparams;
    const gs_game_policy_ops *ops;
    void *pstate;
    gs_engine *eng;
    int ran;
    double duration;

    /* random streams, one per process so that policies see the same network and world */
    gs__rng *r_tick, *r_frame, *r_terrain, *r_video, *r_probe, *r_link[GS__NLINK];
    gs__rng *r_stall[GS__NLINK];

    /* current world */
    double load_level;
    size_t next_load;
    gs_event_id terrain_ev;
    double edge_util[GS_GAME_NLOC];
    size_t next_util[GS_GAME_NLOC];
    gs__link_state link[GS__NLINK];

    /* device */
    int power;
    size_t next_power;
    double battery_pct;
    int alive;

    /* placement and components */
    gs_game_placement at;
    double changed_at;
    int server_on, client_on;        /* running now */
    uint32_t server_gen, client_gen; /* bumped whenever a component stops */
    /* server: commands waiting for the tick that processes them (sent, processed at) */
    double cmdq_sent[16], cmdq_proc[16];
    int cmdq_head, cmdq_n;
    double cmd_ack_sent, cmd_ack_proc; /* latest processed command */
    int cmd_have;
    double next_tick_at;
    double pending_areas, pending_work_ms;
    double net_acc; /* network ticks owed (net_tick_rate / tick_rate per tick) */
    uint64_t ticks;
    double tick_sum_ms, tick_max_ms;
    double win_tick_sum, win_tick_n;
    /* client */
    double next_frame_at; /* the running frame ends; received packets are handled then */
    double last_cmd_at;
    double mesh_backlog_ms, mesh_areas;
    double last_server_rx; /* last snapshot at the client */
    /* stream */
    double enc_free_at, dec_free_at;
    int dec_queue;
    double last_video_rx;
    /* session */
    int session_up;
    size_t sessions_lost;

    /* display and stalls */
    double last_shown;
    double last_fresh; /* last frame shown with a fresh world */
    size_t stalls;
    double stall_s;
    int stall_in_window;

    /* monitor window accumulators */
    double win_start;
    double win_frames;
    gs__vec win_frame_ms, win_rtt;
    double win_down_b, win_up_b;
    double win_energy_j;
    double win_video_sent, win_video_lost;
    int win_migration_started;
    double power_w_now, power_since;
    double energy_j;
    double down_b_total, up_b_total;
    double frames_shown, frames_lost;
    double last_migration_end; /* for settle */

    /* probes */
    double probe_last_ok[GS_GAME_NLOC];
    double probe_up_since[GS_GAME_NLOC];
    int probe_reachable[GS_GAME_NLOC];
    uint64_t probe_seq;
    /* probe history for windows: time, loc, rtt (NAN lost) */
    gs__vec probe_t, probe_loc, probe_rtt;

    /* migration */
    gs__migration_run mig;
    gs_game_migration *migs;
    size_t nmigs, capmigs;
    size_t migrations_ok, migrations_failed, rejoins;

    /* per-sample video counters (for the policy's frame-loss window) */
    gs__vec smp_vsent, smp_vlost;

    /* results */
    gs_game_sample *samples;
    size_t nsamples, capsamples;
    gs_game_phase *phases;
    size_t nphases, capphases;
};

/* The invariant checker, an engine observer with ctx = the game (game_invariants.c). */
int gs__game_inv_observe(gs_engine *eng, const gs_event *ev, void *ctx, gs_err *err);

int gs__vec_push(gs__vec *v, double x);
void gs__vec_release(gs__vec *v);

/* Model entry points (src/game/game_model.c). */
int gs__game_model_start(gs_game *g, gs_err *err);
/* Starts a migration to p (break_first: stop what moves before the transfer); reason is
 * copied into the log. */
int gs__game_migrate(gs_game *g, const gs_game_placement *p, const char *reason, int break_first,
                     gs_err *err);
/* Checks that p is a placement the scenario can host; fills err (GS_EINVAL). */
int gs__game_placement_check(const gs_game *g, const gs_game_placement *p, gs_err *err);
/* Fills the view for the policy from the recent samples and probes. Returns GS_OK or
 * GS_ENOMEM (err filled). */
int gs__game_view(const gs_game *g, gs_game_view *v, gs_err *err);

/* Metrics (src/game/game_metrics.c). Statistics of the n values at v, which it sorts in place
 * (v is the caller's scratch; NaN values are left out). Allocates nothing. */
void gs__game_stat(double *v, size_t n, gs_game_stat *s);
int gs__game_phases_compute(gs_game *g, gs_err *err);

#endif
