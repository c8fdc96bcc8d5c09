/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim cxl`: memory-tier microbenchmarks (Figures 3 and 4 of the planning document),
 * offloaded LLM inference and hardware sweeps on the CXL-offload model. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cli_int.h"
#include "csv_int.h"
#include "gpusim/cxl.h"
#include "gpusim/io.h"
#include "json_int.h"
#include "util_int.h"

#define GIB 1073741824.0

/* Long-only options. */
enum {
    OPT_HW = 256,
    OPT_DRAM_CHANNELS,
    OPT_CXL_EXPANDERS,
    OPT_PCIE_GEN,
    OPT_PCIE_LANES,
    OPT_THREADS,
    OPT_LOADED,
    OPT_MIN,
    OPT_MAX,
    OPT_REPS,
    OPT_DIR,
    OPT_MODE,
    OPT_TIERS,
    OPT_SOCKET,
    OPT_MODEL,
    OPT_BATCH,
    OPT_GPU_BATCHES,
    OPT_PROMPT,
    OPT_OUTPUT,
    OPT_COPY,
    OPT_WEIGHTS,
    OPT_KV,
    OPT_NO_OVERLAP,
    OPT_PREFETCH,
    OPT_FORMAT,
    OPT_TIMELINE,
    OPT_ORDER
};

#define HW_OPTIONS                                                                                 \
    {"hw", required_argument, NULL, OPT_HW},                                                       \
        {"dram-channels", required_argument, NULL, OPT_DRAM_CHANNELS},                             \
        {"cxl-expanders", required_argument, NULL, OPT_CXL_EXPANDERS},                             \
        {"pcie-gen", required_argument, NULL, OPT_PCIE_GEN},                                       \
    {                                                                                              \
        "pcie-lanes", required_argument, NULL, OPT_PCIE_LANES                                      \
    }

#define HW_HELP                                                                                    \
    "hardware:\n"                                                                                  \
    "      --hw NAME|FILE        hardware config (default 'default': configs/cxl/default.json)\n"  \
    "      --dram-channels N     populated channels of every DRAM tier (capacity and bandwidth)\n" \
    "      --cxl-expanders N     expanders of every CXL tier (0 = none)\n"                         \
    "      --pcie-gen G          PCIe generation of the GPU link (1-6)\n"                          \
    "      --pcie-lanes W        lanes of the GPU link (1, 2, 4, 8, 16)\n"

typedef struct hwopts {
    const char *hw;
    int dram_channels, cxl_expanders, pcie_gen, pcie_lanes;
} hwopts;

static void hwopts_init(hwopts *h)
{
    h->hw = "default";
    h->dram_channels = -1;
    h->cxl_expanders = -1;
    h->pcie_gen = -1;
    h->pcie_lanes = 0;
}

/* The ranges of the what-if knobs (as gs_cxl_hw_set_* accept them). */
static int knob_ok(int c, int v)
{
    switch (c) {
    case OPT_DRAM_CHANNELS:
        return v >= 1 && v <= 64;
    case OPT_CXL_EXPANDERS:
        return v >= 0 && v <= 16;
    case OPT_PCIE_GEN:
        return v >= 1 && v <= 6;
    default:
        return v == 1 || v == 2 || v == 4 || v == 8 || v == 16;
    }
}

static const char *knob_range(int c, const char *got)
{
    static char buf[160];

    snprintf(buf, sizeof(buf), "%s, got '%s'",
             c == OPT_DRAM_CHANNELS   ? "--dram-channels takes 1 to 64"
             : c == OPT_CXL_EXPANDERS ? "--cxl-expanders takes 0 to 16"
             : c == OPT_PCIE_GEN      ? "--pcie-gen takes 1 to 6"
                                      : "--pcie-lanes takes 1, 2, 4, 8 or 16",
             got);
    return buf;
}

/* Handles a hardware option; 1 when c was one, -1 on a bad value (usage error printed). */
static int hw_opt(hwopts *h, int c, const char *cmd)
{
    int v;

    switch (c) {
    case OPT_HW:
        h->hw = optarg;
        return 1;
    case OPT_DRAM_CHANNELS:
    case OPT_CXL_EXPANDERS:
    case OPT_PCIE_GEN:
    case OPT_PCIE_LANES:
        if (gs__opt_int(optarg, &v) != 0 || !knob_ok(c, v)) {
            gs__usage_error(cmd, "%s", knob_range(c, optarg));
            return -1;
        }
        if (c == OPT_DRAM_CHANNELS)
            h->dram_channels = v;
        else if (c == OPT_CXL_EXPANDERS)
            h->cxl_expanders = v;
        else if (c == OPT_PCIE_GEN)
            h->pcie_gen = v;
        else
            h->pcie_lanes = v;
        return 1;
    default:
        return 0;
    }
}

static int apply_hw(gs_cxl_hw *hw, const hwopts *h, gs_err *err)
{
    if (h->dram_channels >= 0 && gs_cxl_hw_set_dram_channels(hw, h->dram_channels, err))
        return err->code;
    if (h->cxl_expanders >= 0 && gs_cxl_hw_set_cxl_expanders(hw, h->cxl_expanders, err))
        return err->code;
    if ((h->pcie_gen >= 0 || h->pcie_lanes > 0) &&
        gs_cxl_hw_set_pcie(hw, h->pcie_gen >= 0 ? h->pcie_gen : gs_cxl_hw_pcie_gen(hw),
                           h->pcie_lanes, err))
        return err->code;
    return GS_OK;
}

static gs_cxl_hw *load_hw(const hwopts *h, gs_err *err)
{
    char *path = gs__resolve_config("configs/cxl", h->hw, ".json", err);
    gs_cxl_hw *hw;

    if (!path)
        return NULL;
    hw = gs_cxl_hw_load(path, err);
    free(path);
    if (hw && apply_hw(hw, h, err) != GS_OK) {
        gs_cxl_hw_free(hw);
        return NULL;
    }
    return hw;
}

static int bad_option(const char *cmd, int c, char **argv)
{
    if (c == ':')
        return gs__usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    return gs__usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

static void put_num(FILE *fp, double v)
{
    char buf[64];

    gs__fmt_double(buf, sizeof(buf), v);
    fputs(buf, fp);
}

static void put_sep_num(FILE *fp, double v)
{
    fputc(',', fp);
    put_num(fp, v);
}

static void put_sep_str(FILE *fp, const char *s)
{
    fputc(',', fp);
    gs__csv_put(s, fp);
}

/* ---- info ---- */

static int cmd_info(int argc, char **argv)
{
    static const struct option longopts[] = {
        HW_OPTIONS, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    hwopts h;
    gs_err err = {0};
    gs_cxl_hw *hw;
    size_t i;
    int c, s;

    hwopts_init(&h);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        int r = hw_opt(&h, c, "cxl info");
        if (r < 0)
            return GS_EXIT_USAGE;
        if (r)
            continue;
        if (c == 'h') {
            printf("usage: gpusim cxl info [hardware options]\n\n"
                   "Prints the hardware config with the rates derived from it: each tier's "
                   "capacity, peak\nbandwidth and idle latency from every socket, and the GPU "
                   "link.\n\n" HW_HELP);
            return gs__finish_stdout(GS_EXIT_OK);
        }
        return bad_option("cxl info", c, argv);
    }
    if (optind < argc)
        return gs__usage_error("cxl info", "unexpected argument '%s'", argv[optind]);
    if (!(hw = load_hw(&h, &err)))
        return gs__fail(&err);
    printf("hardware '%s' (%s): %d sockets, GPU on socket %d\n", gs_cxl_hw_name(hw),
           gs_cxl_hw_path(hw), gs_cxl_hw_sockets(hw), gs_cxl_hw_gpu_socket(hw));
    printf("GPU: %.1f GiB (%.1f GiB usable); PCIe H2D %.2f GB/s, D2H %.2f GB/s\n",
           gs_cxl_hw_gpu_mem(hw) / GIB, gs_cxl_hw_gpu_usable(hw) / GIB,
           gs_cxl_hw_pcie_bw(hw, GS_CXL_H2D) / 1e9, gs_cxl_hw_pcie_bw(hw, GS_CXL_D2H) / 1e9);
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_tier_info t;
        gs_cxl_hw_tier(hw, i, &t);
        printf("tier %-8s %-4s socket %d, %2d %s, %7.1f GiB, peak %6.1f GiB/s, latency", t.name,
               t.kind == GS_CXL_KIND_DRAM ? "dram" : "cxl", t.socket, t.units,
               t.kind == GS_CXL_KIND_DRAM ? "channels" : "expanders", t.capacity / GIB,
               t.peak_bw / GIB);
        for (s = 0; s < gs_cxl_hw_sockets(hw); s++)
            printf(" %.1f ns (%s from %d)", gs_cxl_hw_latency(hw, i, s) * 1e9,
                   gs_cxl_rel_name(gs_cxl_hw_rel(hw, i, s)), s);
        printf("\n");
    }
    gs_cxl_hw_free(hw);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- Figure 3: membench ---- */

static int write_membench(const gs_cxl_hw *hw, int threads, FILE *fp, gs_err *err)
{
    gs_cxl_membench_row *rows;
    size_t n, i, j;
    int rc = gs_cxl_membench(hw, threads, &rows, &n, err);

    if (rc != GS_OK)
        return rc;
    fprintf(fp, "figure,socket,tier,kind,relation,latency_ns,latency_vs_local_pct,bandwidth_gibs,"
                "bandwidth_all_cores_gibs,bandwidth_one_core_gibs,threads\n");
    for (i = 0; i < n; i++) {
        const gs_cxl_membench_row *r = &rows[i];
        gs_cxl_tier_info t;
        double local = NAN;
        for (j = 0; j < n; j++)
            if (rows[j].socket == r->socket && rows[j].rel == GS_CXL_REL_LOCAL) {
                local = rows[j].latency_s;
                break;
            }
        gs_cxl_hw_tier(hw, (size_t)r->tier, &t);
        fprintf(fp, "3,%d", r->socket);
        put_sep_str(fp, t.name);
        put_sep_str(fp, t.kind == GS_CXL_KIND_DRAM ? "dram" : "cxl");
        put_sep_str(fp, gs_cxl_rel_name(r->rel));
        put_sep_num(fp, r->latency_s * 1e9);
        if (isnan(local))
            fputc(',', fp);
        else
            put_sep_num(fp, 100 * (r->latency_s / local - 1));
        put_sep_num(fp, r->bw / GIB);
        put_sep_num(fp, r->bw_all_cores / GIB);
        put_sep_num(fp, r->bw_single_core / GIB);
        fprintf(fp, ",%d\n", threads);
    }
    free(rows);
    return GS_OK;
}

static const double default_injects[] = {0,   0.1, 0.2,  0.3, 0.4,  0.5,  0.6,
                                         0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1.0};

static int write_loaded(const gs_cxl_hw *hw, FILE *fp, gs_err *err)
{
    gs_cxl_loaded_row *rows;
    size_t n, i;
    int rc = gs_cxl_loaded_latency(
        hw, default_injects, sizeof(default_injects) / sizeof(default_injects[0]), &rows, &n, err);

    if (rc != GS_OK)
        return rc;
    fprintf(fp, "figure,socket,tier,relation,inject,bandwidth_gibs,latency_ns\n");
    for (i = 0; i < n; i++) {
        gs_cxl_tier_info t;
        gs_cxl_hw_tier(hw, (size_t)rows[i].tier, &t);
        fprintf(fp, "3b,%d", rows[i].socket);
        put_sep_str(fp, t.name);
        put_sep_str(fp, gs_cxl_rel_name(rows[i].rel));
        put_sep_num(fp, rows[i].inject);
        put_sep_num(fp, rows[i].bw / GIB);
        put_sep_num(fp, rows[i].latency_s * 1e9);
        fputc('\n', fp);
    }
    free(rows);
    return GS_OK;
}

typedef int (*writer_fn)(void *ctx, FILE *fp, gs_err *err);

/* Writes through fn to path ("-" = stdout) atomically. */
static int write_to(const char *path, writer_fn fn, void *ctx, gs_err *err)
{
    gs_outfile of;
    int rc;

    if ((rc = gs_outfile_open(&of, path, err)) != GS_OK)
        return rc;
    if ((rc = fn(ctx, of.fp, err)) != GS_OK) {
        gs_outfile_abort(&of);
        return rc;
    }
    return gs_outfile_commit(&of, err);
}

typedef struct mb_ctx {
    const gs_cxl_hw *hw;
    int threads, loaded;
} mb_ctx;

static int mb_write(void *ctx, FILE *fp, gs_err *err)
{
    mb_ctx *m = ctx;

    return m->loaded ? write_loaded(m->hw, fp, err) : write_membench(m->hw, m->threads, fp, err);
}

static int cmd_membench(int argc, char **argv)
{
    static const struct option longopts[] = {
        HW_OPTIONS,
        {"threads", required_argument, NULL, OPT_THREADS},
        {"loaded", no_argument, NULL, OPT_LOADED},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    hwopts h;
    gs_err err = {0};
    mb_ctx m = {NULL, 8, 0};
    const char *out = "-";
    gs_cxl_hw *hw;
    int c, rc;

    hwopts_init(&h);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        int r = hw_opt(&h, c, "cxl membench");
        if (r < 0)
            return GS_EXIT_USAGE;
        if (r)
            continue;
        switch (c) {
        case OPT_THREADS:
            if (gs__opt_int(optarg, &m.threads) != 0 || m.threads < 1 || m.threads > 4096)
                return gs__usage_error("cxl membench",
                                       "--threads needs an integer in [1, 4096], got '%s'", optarg);
            break;
        case OPT_LOADED:
            m.loaded = 1;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf("usage: gpusim cxl membench [--threads N] [--loaded] [--out FILE] [hardware "
                   "options]\n\n"
                   "Figure 3 of the planning document: idle latency (a chain of dependent loads) "
                   "and read\nbandwidth of every memory tier from every socket, simulated as "
                   "events. One CSV row per\n(socket, tier); relation is local, remote, cxl or "
                   "cxl-remote as seen from that socket.\nbandwidth_gibs uses --threads threads "
                   "(default 8 = one CCD of the default config),\nbandwidth_all_cores_gibs every "
                   "core of the socket, bandwidth_one_core_gibs one thread.\n\n"
                   "  --threads N   threads of the bandwidth benchmark (default 8)\n"
                   "  --loaded      instead: loaded latency versus injected bandwidth (Figure 3b)\n"
                   "  -o, --out FILE  write the CSV to FILE atomically (default: stdout)\n"
                   "\n" HW_HELP);
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("cxl membench", c, argv);
        }
    }
    if (optind < argc)
        return gs__usage_error("cxl membench", "unexpected argument '%s'", argv[optind]);
    if (gs_outfile_check(out, &err) != GS_OK || !(hw = load_hw(&h, &err)))
        return gs__fail(&err);
    if (m.threads > gs_cxl_hw_cores(hw)) {
        int cores = gs_cxl_hw_cores(hw);
        gs_cxl_hw_free(hw);
        return gs__usage_error("cxl membench", "--threads %d exceeds the %d cores of a socket",
                               m.threads, cores);
    }
    m.hw = hw;
    rc = write_to(out, mb_write, &m, &err);
    gs_cxl_hw_free(hw);
    if (rc != GS_OK)
        return gs__fail(&err);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- Figure 4: memcpy ---- */

typedef struct mc_ctx {
    const gs_cxl_hw *hw;
    gs_cxl_memcpy_opts o;
} mc_ctx;

static int mc_write(void *ctx, FILE *fp, gs_err *err)
{
    mc_ctx *m = ctx;
    gs_cxl_memcpy_row *rows;
    size_t n, i;
    int rc = gs_cxl_memcpy_sweep(m->hw, &m->o, &rows, &n, err);

    if (rc != GS_OK)
        return rc;
    fprintf(fp, "figure,direction,mode,tier,relation,bytes,seconds,bandwidth_gbs\n");
    for (i = 0; i < n; i++) {
        gs_cxl_tier_info t;
        gs_cxl_hw_tier(m->hw, (size_t)rows[i].tier, &t);
        fprintf(fp, "4,%s,%s", rows[i].dir == GS_CXL_H2D ? "h2d" : "d2h",
                rows[i].pinned ? "pinned" : "pageable");
        put_sep_str(fp, t.name);
        put_sep_str(fp, gs_cxl_rel_name(rows[i].rel));
        fprintf(fp, ",%.0f", rows[i].bytes);
        fputc(',', fp);
        fprintf(fp, "%.9f", rows[i].seconds);
        put_sep_num(fp, rows[i].bw / 1e9);
        fputc('\n', fp);
    }
    free(rows);
    return GS_OK;
}

/* Parses a size with an optional K, M or G (binary) suffix. */
static int parse_size(const char *s, double *out)
{
    size_t n = strlen(s);
    double mult = 1, v;

    if (n == 0)
        return -1;
    switch (s[n - 1]) {
    case 'k':
    case 'K':
        mult = 1024;
        n--;
        break;
    case 'm':
    case 'M':
        mult = 1048576;
        n--;
        break;
    case 'g':
    case 'G':
        mult = 1073741824.0;
        n--;
        break;
    default:
        break;
    }
    if (gs__parse_double(s, n, &v) != 0 || !(v > 0))
        return -1;
    *out = v * mult;
    return 0;
}

/* Splits a comma list; calls fn for each item (0 = ok). */
static int each_item(const char *list, int (*fn)(void *, const char *), void *ctx)
{
    char buf[256];
    const char *p = list;

    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || n >= sizeof(buf))
            return -1;
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (fn(ctx, buf) != 0)
            return -1;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int dir_item(void *ctx, const char *s)
{
    int *mask = ctx;

    if (!strcmp(s, "h2d"))
        *mask |= 1 << GS_CXL_H2D;
    else if (!strcmp(s, "d2h"))
        *mask |= 1 << GS_CXL_D2H;
    else
        return -1;
    return 0;
}

static int mode_item(void *ctx, const char *s)
{
    int *mask = ctx;

    if (!strcmp(s, "pageable"))
        *mask |= 1;
    else if (!strcmp(s, "pinned"))
        *mask |= 2;
    else
        return -1;
    return 0;
}

static int cmd_memcpy(int argc, char **argv)
{
    static const struct option longopts[] = {
        HW_OPTIONS,
        {"min-size", required_argument, NULL, OPT_MIN},
        {"max-size", required_argument, NULL, OPT_MAX},
        {"reps", required_argument, NULL, OPT_REPS},
        {"dir", required_argument, NULL, OPT_DIR},
        {"mode", required_argument, NULL, OPT_MODE},
        {"tiers", required_argument, NULL, OPT_TIERS},
        {"cpu-socket", required_argument, NULL, OPT_SOCKET},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    hwopts h;
    gs_err err = {0};
    mc_ctx m;
    const char *out = "-", *tiers = NULL;
    gs_cxl_hw *hw;
    int c, rc;

    hwopts_init(&h);
    memset(&m, 0, sizeof(m));
    gs_cxl_memcpy_opts_init(&m.o);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        int r = hw_opt(&h, c, "cxl memcpy");
        if (r < 0)
            return GS_EXIT_USAGE;
        if (r)
            continue;
        switch (c) {
        case OPT_MIN:
        case OPT_MAX:
            if (parse_size(optarg, c == OPT_MIN ? &m.o.min_bytes : &m.o.max_bytes) != 0 ||
                !((c == OPT_MIN ? m.o.min_bytes : m.o.max_bytes) >= 1 &&
                  (c == OPT_MIN ? m.o.min_bytes : m.o.max_bytes) <= 1e13))
                return gs__usage_error("cxl memcpy",
                                       "--%s needs a size in [1, 1e13] bytes (e.g. 4096, 64K, 1G), "
                                       "got '%s'",
                                       c == OPT_MIN ? "min-size" : "max-size", optarg);
            break;
        case OPT_REPS:
            if (gs__opt_int(optarg, &m.o.reps) != 0 || m.o.reps < 1 || m.o.reps > 1000)
                return gs__usage_error("cxl memcpy", "--reps needs an integer in [1, 1000]");
            break;
        case OPT_DIR:
            m.o.dirs = 0;
            if (each_item(optarg, dir_item, &m.o.dirs) != 0)
                return gs__usage_error("cxl memcpy", "--dir takes h2d, d2h or both, got '%s'",
                                       optarg);
            break;
        case OPT_MODE:
            m.o.modes = 0;
            if (each_item(optarg, mode_item, &m.o.modes) != 0)
                return gs__usage_error("cxl memcpy",
                                       "--mode takes pageable, pinned or both, got '%s'", optarg);
            break;
        case OPT_TIERS:
            tiers = optarg;
            break;
        case OPT_SOCKET:
            if (gs__opt_int(optarg, &m.o.cpu_socket) != 0 || m.o.cpu_socket < 0 ||
                m.o.cpu_socket > 63)
                return gs__usage_error("cxl memcpy",
                                       "--cpu-socket needs a socket number in [0, 63], got '%s'",
                                       optarg);
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf("usage: gpusim cxl memcpy [options] [hardware options]\n\n"
                   "Figure 4 of the planning document: cudaMemcpy bandwidth versus buffer size, "
                   "host to device\n(h2d) and device to host (d2h), pageable and pinned, from "
                   "each host tier, simulated as\nevents. Pageable copies go through the driver's "
                   "pinned staging ring in chunks (CPU copy,\nthen DMA, pipelined); pinned "
                   "copies are one DMA. One CSV row per (direction, mode,\ntier, size); "
                   "bandwidth_gbs is in GB/s (1e9 B/s).\n\n"
                   "  --min-size S      smallest buffer (default 4K; K, M, G suffixes)\n"
                   "  --max-size S      largest buffer (default 1G); sizes double from min\n"
                   "  --reps N          timed calls per size after one warm-up (default 5)\n"
                   "  --dir LIST        h2d,d2h (default both)\n"
                   "  --mode LIST       pageable,pinned (default both)\n"
                   "  --tiers LIST      tier names or local,remote,cxl,cxl-remote (default all)\n"
                   "  --cpu-socket N    socket of the calling thread (default: the GPU's)\n"
                   "  -o, --out FILE    write the CSV to FILE atomically (default: stdout)\n"
                   "\n" HW_HELP);
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("cxl memcpy", c, argv);
        }
    }
    if (optind < argc)
        return gs__usage_error("cxl memcpy", "unexpected argument '%s'", argv[optind]);
    if (m.o.max_bytes < m.o.min_bytes)
        return gs__usage_error("cxl memcpy", "--max-size is below --min-size");
    if (gs_outfile_check(out, &err) != GS_OK || !(hw = load_hw(&h, &err)))
        return gs__fail(&err);
    if (tiers) {
        const char *p = tiers;
        while (*p) {
            char name[64];
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            int t;
            if (n == 0 || n >= sizeof(name) || m.o.ntiers >= GS_CXL_MAX_TIERS) {
                gs_cxl_hw_free(hw);
                return gs__usage_error("cxl memcpy", "bad --tiers list '%s'", tiers);
            }
            memcpy(name, p, n);
            name[n] = '\0';
            if ((t = gs_cxl_hw_find_tier(hw, name)) < 0) {
                gs_cxl_hw_free(hw);
                return gs__usage_error("cxl memcpy", "unknown tier '%s' in --tiers", name);
            }
            m.o.tiers[m.o.ntiers++] = t;
            p += n;
            if (*p == ',')
                p++;
        }
    }
    m.hw = hw;
    rc = write_to(out, mc_write, &m, &err);
    gs_cxl_hw_free(hw);
    if (rc != GS_OK)
        return gs__fail(&err);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- figures: both figures' data into one folder ---- */

static int cmd_figures(int argc, char **argv)
{
    static const struct option longopts[] = {
        HW_OPTIONS,
        {"out", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    hwopts h;
    gs_err err = {0};
    const char *out = NULL;
    int c, force = 0, rc;
    gs_cxl_hw *hw;
    gs_outdir od;
    FILE *fp;
    mc_ctx mc;

    hwopts_init(&h);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:fh", longopts, NULL)) != -1) {
        int r = hw_opt(&h, c, "cxl figures");
        if (r < 0)
            return GS_EXIT_USAGE;
        if (r)
            continue;
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'h':
            printf("usage: gpusim cxl figures --out DIR [--force] [hardware options]\n\n"
                   "Writes the data of the planning document's Figure 3 (fig3_membench.csv: "
                   "latency and\nbandwidth per tier; fig3b_loaded_latency.csv) and Figure 4 "
                   "(fig4_memcpy.csv: cudaMemcpy\nbandwidth versus size) into DIR, atomically. "
                   "scripts/plot_cxl.sh plots them.\n\n"
                   "  -o, --out DIR   output folder (required)\n"
                   "  -f, --force     replace an existing DIR\n\n" HW_HELP);
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("cxl figures", c, argv);
        }
    }
    if (optind < argc)
        return gs__usage_error("cxl figures", "unexpected argument '%s'", argv[optind]);
    if (!out)
        return gs__usage_error("cxl figures", "--out DIR is required");
    if (gs_outdir_check(out, force, &err) != GS_OK || !(hw = load_hw(&h, &err)))
        return gs__fail(&err);
    if ((rc = gs_outdir_begin(&od, out, force, &err)) != GS_OK) {
        gs_cxl_hw_free(hw);
        return gs__fail(&err);
    }
    memset(&mc, 0, sizeof(mc));
    mc.hw = hw;
    gs_cxl_memcpy_opts_init(&mc.o);
    rc = GS_EIO;
    if ((fp = gs_outdir_fopen(&od, "fig3_membench.csv", &err))) {
        rc = write_membench(hw, 8, fp, &err);
        if (fclose(fp) != 0 && rc == GS_OK)
            rc = gs_errorf(&err, GS_EIO, "cannot write fig3_membench.csv");
    }
    if (rc == GS_OK) {
        rc = GS_EIO;
        if ((fp = gs_outdir_fopen(&od, "fig3b_loaded_latency.csv", &err))) {
            rc = write_loaded(hw, fp, &err);
            if (fclose(fp) != 0 && rc == GS_OK)
                rc = gs_errorf(&err, GS_EIO, "cannot write fig3b_loaded_latency.csv");
        }
    }
    if (rc == GS_OK) {
        rc = GS_EIO;
        if ((fp = gs_outdir_fopen(&od, "fig4_memcpy.csv", &err))) {
            rc = mc_write(&mc, fp, &err);
            if (fclose(fp) != 0 && rc == GS_OK)
                rc = gs_errorf(&err, GS_EIO, "cannot write fig4_memcpy.csv");
        }
    }
    gs_cxl_hw_free(hw);
    if (rc != GS_OK) {
        gs_outdir_abort(&od);
        return gs__fail(&err);
    }
    if (gs_outdir_commit(&od, &err) != GS_OK)
        return gs__fail(&err);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- models ---- */

static int cmd_models(int argc, char **argv)
{
    size_t i;

    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: gpusim cxl models\n\nLists the model shapes `gpusim cxl infer --model` "
               "knows, with their fp16 sizes.\n");
        return gs__finish_stdout(GS_EXIT_OK);
    }
    if (argc > 1)
        return gs__usage_error("cxl models", "unexpected argument '%s'", argv[1]);
    printf("model,layers,hidden,heads,kv_heads,ffn,vocab,weights_gib,layer_mib,kv_kib_per_token,"
           "source\n");
    for (i = 0; i < gs_cxl_model_count(); i++) {
        const gs_cxl_model *m = gs_cxl_model_at(i);
        printf("%s,%d,%d,%d,%d,%d,%d,", m->name, m->layers, m->hidden, m->heads, m->kv_heads,
               m->ffn, m->vocab);
        put_num(stdout, gs_cxl_model_weight_bytes(m) / GIB);
        put_sep_num(stdout, gs_cxl_model_layer_bytes(m) / 1048576.0);
        put_sep_num(stdout, gs_cxl_model_kv_bytes(m) * m->layers / 1024.0);
        put_sep_str(stdout, m->source);
        fputc('\n', stdout);
    }
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- infer and sweep ---- */

/* "dram0,cxl0" (names or relations) into tier indices; a usage error (2) when bad. */
static int parse_order(const gs_cxl_hw *hw, const char *list, int *out, size_t *n, const char *cmd)
{
    const char *p = list;

    *n = 0;
    if (!strcmp(list, "latency"))
        return GS_OK;
    while (*p) {
        char name[64];
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p), i;
        int t;
        if (len == 0 || len >= sizeof(name) || *n >= GS_CXL_MAX_TIERS)
            return gs__usage_error(cmd, "bad --host-order '%s'", list);
        memcpy(name, p, len);
        name[len] = '\0';
        if ((t = gs_cxl_hw_find_tier(hw, name)) < 0)
            return gs__usage_error(cmd, "unknown tier '%s' in --host-order", name);
        for (i = 0; i < *n; i++)
            if (out[i] == t)
                return gs__usage_error(cmd, "--host-order lists '%s' twice", name);
        out[(*n)++] = t;
        p += len;
        if (*p == ',')
            p++;
    }
    return GS_OK;
}

/* "latency", or the tier names joined by '>'. */
static void order_name(const gs_cxl_hw *hw, char *buf, size_t size)
{
    int ord[GS_CXL_MAX_TIERS];
    size_t n = gs_cxl_hw_order(hw, ord), i, len;
    gs_cxl_tier_info t;

    snprintf(buf, size, "%s", n ? "" : "latency");
    for (i = 0; i < n; i++) {
        gs_cxl_hw_tier(hw, (size_t)ord[i], &t);
        len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", i ? ">" : "", t.name);
    }
}

typedef struct run_opts {
    gs_cxl_infer_opts io;
    const char *weights, *kv; /* placement specs, NULL = auto */
    const char *order;        /* --host-order, NULL = the config's */
} run_opts;

static void put_place(FILE *fp, const gs_cxl_hw *hw, const gs_cxl_place *p)
{
    size_t i;

    put_sep_num(fp, p->gpu);
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++)
        put_sep_num(fp, p->tier[i]);
}

static void csv_header(FILE *fp, const gs_cxl_hw *hw)
{
    size_t i;
    gs_cxl_tier_info t;

    fprintf(fp, "model,dram_channels,cxl_expanders,pcie_gen,copy,batch,gpu_batches,prompt,output,"
                "overlap,host_order,status,weights_gpu");
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_hw_tier(hw, i, &t);
        fprintf(fp, ",weights_%s", t.name);
    }
    fprintf(fp, ",kv_gpu");
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_hw_tier(hw, i, &t);
        fprintf(fp, ",kv_%s", t.name);
    }
    fprintf(fp, ",ttft_s,tpot_s,total_s,tokens_per_s,decode_tokens_per_s,compute_s,transfer_s,"
                "stall_s,h2d_busy_s,d2h_busy_s,h2d_gb,d2h_gb,events,message\n");
}

/* Channels of the first DRAM tier and expanders of the first CXL tier (what sweeps vary). */
static void hw_knobs(const gs_cxl_hw *hw, int *ch, int *ex)
{
    size_t i;
    gs_cxl_tier_info t;

    *ch = -1;
    *ex = -1;
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_hw_tier(hw, i, &t);
        if (t.kind == GS_CXL_KIND_DRAM && *ch < 0)
            *ch = t.units;
        if (t.kind == GS_CXL_KIND_CXL && *ex < 0)
            *ex = t.units;
    }
    if (*ex < 0)
        *ex = 0;
}

static void csv_row(FILE *fp, const gs_cxl_hw *hw, const gs_cxl_infer_opts *o, int status,
                    const gs_cxl_infer_result *r, const char *msg)
{
    int ch, ex, i, pcie_gen = gs_cxl_hw_pcie_gen(hw);
    char ord[256];

    hw_knobs(hw, &ch, &ex);
    gs__csv_put(o->model->name, fp);
    order_name(hw, ord, sizeof(ord));
    fprintf(fp, ",%d,%d,%d,%s,%d,%d,%d,%d,%d,%s,%s", ch, ex, pcie_gen,
            o->pinned ? "pinned" : "pageable", o->batch, o->gpu_batches, o->prompt, o->output,
            o->overlap, ord, status == GS_OK ? "ok" : "infeasible");
    if (status == GS_OK) {
        put_place(fp, hw, &r->weights);
        put_place(fp, hw, &r->kv);
        put_sep_num(fp, r->ttft);
        put_sep_num(fp, r->tpot);
        put_sep_num(fp, r->total);
        put_sep_num(fp, r->tokens_per_s);
        put_sep_num(fp, r->decode_tokens_per_s);
        put_sep_num(fp, r->compute);
        put_sep_num(fp, r->transfer);
        put_sep_num(fp, r->stall);
        put_sep_num(fp, r->h2d_busy);
        put_sep_num(fp, r->d2h_busy);
        put_sep_num(fp, r->h2d_bytes / 1e9);
        put_sep_num(fp, r->d2h_bytes / 1e9);
        fprintf(fp, ",%llu,\n", (unsigned long long)r->events);
        return;
    }
    for (i = 0; i < 2 * (1 + (int)gs_cxl_hw_ntiers(hw)) + 13; i++)
        fputc(',', fp);
    put_sep_str(fp, msg);
    fputc('\n', fp);
}

static cJSON *place_json(const gs_cxl_hw *hw, const gs_cxl_place *p)
{
    cJSON *o = cJSON_CreateObject();
    size_t i;
    gs_cxl_tier_info t;

    if (!o)
        return NULL;
    gs__jadd_fixed(o, "gpu", p->gpu);
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_hw_tier(hw, i, &t);
        gs__jadd_fixed(o, t.name, p->tier[i]);
    }
    return o;
}

static char *infer_json(const gs_cxl_hw *hw, const gs_cxl_infer_opts *o,
                        const gs_cxl_infer_result *r)
{
    cJSON *root = cJSON_CreateObject(), *in, *pl, *bd, *tiers;
    char *text = NULL;
    int ch, ex;
    size_t i;

    if (!root)
        return NULL;
    hw_knobs(hw, &ch, &ex);
    cJSON_AddStringToObject(root, "hardware", gs_cxl_hw_name(hw));
    cJSON_AddStringToObject(root, "hardware_path", gs_cxl_hw_path(hw));
    in = cJSON_AddObjectToObject(root, "inputs");
    cJSON_AddStringToObject(in, "model", o->model->name);
    cJSON_AddNumberToObject(in, "batch", o->batch);
    cJSON_AddNumberToObject(in, "gpu_batches", o->gpu_batches);
    cJSON_AddNumberToObject(in, "prompt", o->prompt);
    cJSON_AddNumberToObject(in, "output", o->output);
    cJSON_AddStringToObject(in, "copy", o->pinned ? "pinned" : "pageable");
    cJSON_AddBoolToObject(in, "overlap", o->overlap);
    cJSON_AddNumberToObject(in, "prefetch", o->prefetch);
    cJSON_AddNumberToObject(in, "dram_channels", ch);
    cJSON_AddNumberToObject(in, "cxl_expanders", ex);
    cJSON_AddNumberToObject(in, "pcie_gen", gs_cxl_hw_pcie_gen(hw));
    cJSON_AddNumberToObject(in, "pcie_lanes", gs_cxl_hw_pcie_lanes(hw));
    gs__jadd_fixed(in, "pcie_h2d_gbs", gs_cxl_hw_pcie_bw(hw, GS_CXL_H2D) / 1e9);
    pl = cJSON_AddObjectToObject(root, "placement");
    cJSON_AddStringToObject(pl, "policy_weights", o->auto_weights ? "auto" : "given");
    cJSON_AddStringToObject(pl, "policy_kv", o->auto_kv ? "auto" : "given");
    {
        char ord[256];
        order_name(hw, ord, sizeof(ord));
        cJSON_AddStringToObject(pl, "host_order", ord);
    }
    gs__jput(pl, "weights", place_json(hw, &r->weights));
    gs__jput(pl, "kv", place_json(hw, &r->kv));
    gs__jadd_fixed(pl, "weights_gib", r->weight_bytes / GIB);
    gs__jadd_fixed(pl, "kv_gib", r->kv_bytes / GIB);
    gs__jadd_fixed(pl, "gpu_used_gib", r->gpu_used / GIB);
    gs__jadd_fixed(root, "ttft_s", r->ttft);
    gs__jadd_fixed(root, "tpot_s", r->tpot);
    gs__jadd_fixed(root, "total_s", r->total);
    gs__jadd_fixed(root, "tokens_per_s", r->tokens_per_s);
    gs__jadd_fixed(root, "decode_tokens_per_s", r->decode_tokens_per_s);
    bd = cJSON_AddObjectToObject(root, "breakdown");
    gs__jadd_fixed(bd, "compute_s", r->compute);
    gs__jadd_fixed(bd, "transfer_s", r->transfer);
    gs__jadd_fixed(bd, "stall_s", r->stall);
    gs__jadd_fixed(bd, "h2d_busy_s", r->h2d_busy);
    gs__jadd_fixed(bd, "d2h_busy_s", r->d2h_busy);
    gs__jadd_fixed(bd, "h2d_gb", r->h2d_bytes / 1e9);
    gs__jadd_fixed(bd, "d2h_gb", r->d2h_bytes / 1e9);
    tiers = cJSON_AddObjectToObject(bd, "tier_gb");
    for (i = 0; i < gs_cxl_hw_ntiers(hw); i++) {
        gs_cxl_tier_info t;
        cJSON *x;
        gs_cxl_hw_tier(hw, i, &t);
        x = cJSON_AddObjectToObject(tiers, t.name);
        gs__jadd_fixed(x, "read", r->tier_read[i] / 1e9);
        gs__jadd_fixed(x, "written", r->tier_write[i] / 1e9);
    }
    cJSON_AddNumberToObject(root, "events", (double)r->events);
    cJSON_AddNumberToObject(root, "operations", (double)r->ops);
    text = gs__jprint(root, 1, NULL); /* NULL also when the tree was built short */
    cJSON_Delete(root);
    return text;
}

static void write_timeline(FILE *fp, const gs_cxl_hw *hw, const gs_cxl_infer_result *r)
{
    size_t i;

    fprintf(fp, "step,layer,batch,op,tier,bytes,start_s,end_s\n");
    for (i = 0; i < r->ntimeline; i++) {
        const gs_cxl_op_rec *t = &r->timeline[i];
        gs_cxl_tier_info ti;
        fprintf(fp, "%d,%d,%d,%s,", t->step, t->layer, t->batch, gs_cxl_op_name(t->kind));
        if (t->tier >= 0 && gs_cxl_hw_tier(hw, (size_t)t->tier, &ti) == GS_OK)
            gs__csv_put(ti.name, fp);
        fprintf(fp, ",%.0f", t->bytes);
        fprintf(fp, ",%.9f,%.9f\n", t->start, t->end);
    }
}

/* Options shared by infer and sweep; 1 handled, -1 bad value, 0 not one of them. */
static int run_opt(run_opts *r, int c, const char *cmd)
{
    int v;

    switch (c) {
    case OPT_GPU_BATCHES:
    case OPT_PROMPT:
    case OPT_OUTPUT:
    case OPT_PREFETCH: {
        /* the ranges gs_cxl_infer() accepts */
        const char *name = c == OPT_GPU_BATCHES ? "gpu-batches"
                           : c == OPT_PROMPT    ? "prompt"
                           : c == OPT_OUTPUT    ? "output"
                                                : "prefetch";
        int hi = c == OPT_GPU_BATCHES ? 256
                 : c == OPT_PROMPT    ? 1048576
                 : c == OPT_OUTPUT    ? 65536
                                      : 16;
        if (gs__opt_int(optarg, &v) != 0 || v < 1 || v > hi) {
            gs__usage_error(cmd, "--%s needs an integer in [1, %d], got '%s'", name, hi, optarg);
            return -1;
        }
        if (c == OPT_GPU_BATCHES)
            r->io.gpu_batches = v;
        else if (c == OPT_PROMPT)
            r->io.prompt = v;
        else if (c == OPT_OUTPUT)
            r->io.output = v;
        else
            r->io.prefetch = v;
        return 1;
    }
    case OPT_WEIGHTS:
        r->weights = strcmp(optarg, "auto") ? optarg : NULL;
        return 1;
    case OPT_KV:
        r->kv = strcmp(optarg, "auto") ? optarg : NULL;
        return 1;
    case OPT_NO_OVERLAP:
        r->io.overlap = 0;
        return 1;
    case OPT_ORDER:
        r->order = optarg;
        return 1;
    default:
        return 0;
    }
}

/* Turns the placement specs into r->io for hw; usage error (2) on a bad spec. */
static int apply_place(run_opts *r, const gs_cxl_hw *hw, const char *cmd)
{
    gs_err err = {0};

    r->io.auto_weights = r->weights == NULL;
    r->io.auto_kv = r->kv == NULL;
    if (r->weights && gs_cxl_place_parse(hw, r->weights, &r->io.weights, &err) != GS_OK)
        return gs__usage_error(cmd, "--weights: %s", err.msg);
    if (r->kv && gs_cxl_place_parse(hw, r->kv, &r->io.kv, &err) != GS_OK)
        return gs__usage_error(cmd, "--kv: %s", err.msg);
    return GS_OK;
}

#define RUN_OPTIONS                                                                                \
    {"gpu-batches", required_argument, NULL, OPT_GPU_BATCHES},                                     \
        {"prompt", required_argument, NULL, OPT_PROMPT},                                           \
        {"output", required_argument, NULL, OPT_OUTPUT},                                           \
        {"prefetch", required_argument, NULL, OPT_PREFETCH},                                       \
        {"weights", required_argument, NULL, OPT_WEIGHTS},                                         \
        {"kv", required_argument, NULL, OPT_KV},                                                   \
        {"host-order", required_argument, NULL, OPT_ORDER},                                        \
    {                                                                                              \
        "no-overlap", no_argument, NULL, OPT_NO_OVERLAP                                            \
    }

#define RUN_HELP                                                                                   \
    "      --gpu-batches K       GPU batches sharing each weight load (FlexGen zig-zag; default "  \
    "1)\n"                                                                                         \
    "      --prompt S            prompt tokens (default 512)\n"                                    \
    "      --output N            generated tokens per sequence (default 32)\n"                     \
    "      --weights SPEC        weight placement, e.g. gpu=0.1,local=0.6,cxl=0.3 (tier names or " \
    "local,\n"                                                                                     \
    "                            remote, cxl, cxl-remote), or auto (default): fill the GPU, "      \
    "then host\n"                                                                                  \
    "                            tiers in the host order\n"                                        \
    "      --kv SPEC             KV-cache placement, same form (auto: GPU if it fits, else "       \
    "host)\n"                                                                                      \
    "      --host-order LIST     host tiers the auto placement fills, in order (e.g. "             \
    "dram0,cxl0);\n"                                                                               \
    "                            'latency': all, by latency from the GPU (default, unless the\n"   \
    "                            config sets placement.order)\n"                                   \
    "      --no-overlap          run transfers and compute one after another (no prefetch)\n"      \
    "      --prefetch D          layers loaded ahead of compute (default 1)\n"

static int cmd_infer(int argc, char **argv)
{
    static const struct option longopts[] = {
        HW_OPTIONS,
        RUN_OPTIONS,
        {"model", required_argument, NULL, OPT_MODEL},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"copy", required_argument, NULL, OPT_COPY},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"timeline", required_argument, NULL, OPT_TIMELINE},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    hwopts h;
    run_opts r;
    gs_err err = {0};
    const char *model = NULL, *out = "-", *timeline = NULL;
    int c, csv = 0, rc;
    gs_cxl_hw *hw;
    gs_cxl_infer_result res;

    hwopts_init(&h);
    memset(&r, 0, sizeof(r));
    gs_cxl_infer_opts_init(&r.io);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        int x = hw_opt(&h, c, "cxl infer");
        if (x == 0)
            x = run_opt(&r, c, "cxl infer");
        if (x < 0)
            return GS_EXIT_USAGE;
        if (x)
            continue;
        switch (c) {
        case OPT_MODEL:
            model = optarg;
            break;
        case OPT_BATCH:
            if (gs__opt_int(optarg, &r.io.batch) != 0 || r.io.batch < 1 || r.io.batch > 65536)
                return gs__usage_error("cxl infer",
                                       "--batch needs an integer in [1, 65536], got '%s'", optarg);
            break;
        case OPT_COPY:
            if (!strcmp(optarg, "pinned"))
                r.io.pinned = 1;
            else if (!strcmp(optarg, "pageable"))
                r.io.pinned = 0;
            else
                return gs__usage_error("cxl infer", "--copy takes pinned or pageable, got '%s'",
                                       optarg);
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "csv"))
                csv = 1;
            else if (!strcmp(optarg, "json"))
                csv = 0;
            else
                return gs__usage_error("cxl infer", "--format takes json or csv, got '%s'", optarg);
            break;
        case OPT_TIMELINE:
            timeline = optarg;
            r.io.timeline = 1;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf(
                "usage: gpusim cxl infer --model NAME [options] [hardware options]\n\n"
                "Simulates LLM inference whose weights and KV cache are streamed from host "
                "memory tiers,\nlayer by layer, as FlexGen does: transfers (weights, KV "
                "loads and stores) and kernels are\nevents on the engine sharing the PCIe link "
                "and the tiers. Prints time to first token,\ntime per output token, tokens/s "
                "and a breakdown (compute, stall, link busy time).\n\n"
                "workload:\n"
                "      --model NAME          a shape from `gpusim cxl models` (e.g. "
                "llama3.1-70b)\n"
                "      --batch B             sequences per GPU batch (default 1)\n"
                "      --copy MODE           pinned (default) or pageable host buffers\n" RUN_HELP
                "\noutput:\n"
                "      --format F            json (default) or csv (one row)\n"
                "  -o, --out FILE            write atomically to FILE (default: stdout)\n"
                "      --timeline FILE       one CSV row per transfer and kernel\n"
                "\n" HW_HELP "\nExit status: 0 success, 1 bad config or the model does not "
                "fit, 2 usage error.\n");
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("cxl infer", c, argv);
        }
    }
    if (optind < argc)
        return gs__usage_error("cxl infer", "unexpected argument '%s'", argv[optind]);
    if (!model)
        return gs__usage_error("cxl infer", "--model NAME is required (see `gpusim cxl models`)");
    if (!(r.io.model = gs_cxl_model_find(model)))
        return gs__usage_error("cxl infer", "unknown model '%s' (see `gpusim cxl models`)", model);
    if (gs_outfile_check(out, &err) != GS_OK || (timeline && gs_outfile_check(timeline, &err)) ||
        !(hw = load_hw(&h, &err)))
        return gs__fail(&err);
    if ((rc = apply_place(&r, hw, "cxl infer")) != GS_OK) {
        gs_cxl_hw_free(hw);
        return rc;
    }
    if (r.order) {
        int ord[GS_CXL_MAX_TIERS];
        size_t n;
        if ((rc = parse_order(hw, r.order, ord, &n, "cxl infer")) != GS_OK) {
            gs_cxl_hw_free(hw);
            return rc;
        }
        gs_cxl_hw_set_order(hw, ord, n, NULL);
    }
    if (gs_cxl_infer(hw, &r.io, &res, &err) != GS_OK) {
        gs_cxl_hw_free(hw);
        return gs__fail(&err);
    }
    {
        /* both outputs are written in full before either takes its name */
        gs_outfile of, ot;
        char *text = csv ? NULL : infer_json(hw, &r.io, &res);
        memset(&of, 0, sizeof(of));
        memset(&ot, 0, sizeof(ot));
        rc = !csv && !text ? gs_errorf(&err, GS_ENOMEM, "out of memory") : GS_OK;
        if (rc == GS_OK && (rc = gs_outfile_open(&of, out, &err)) == GS_OK) {
            if (csv) {
                csv_header(of.fp, hw);
                csv_row(of.fp, hw, &r.io, GS_OK, &res, "");
            } else {
                fputs(text, of.fp);
                fputc('\n', of.fp);
            }
        }
        if (rc == GS_OK && timeline && (rc = gs_outfile_open(&ot, timeline, &err)) == GS_OK)
            write_timeline(ot.fp, hw, &res);
        gs_io_hold_signals(); /* the two outputs take their names as one step */
        if (rc == GS_OK)
            rc = gs_outfile_commit(&of, &err);
        if (rc == GS_OK && timeline)
            rc = gs_outfile_commit(&ot, &err);
        gs_io_release_signals();
        if (rc != GS_OK) {
            if (of.fp)
                gs_outfile_abort(&of);
            if (ot.fp)
                gs_outfile_abort(&ot);
        }
        free(text);
    }
    gs_cxl_infer_result_release(&res);
    gs_cxl_hw_free(hw);
    if (rc != GS_OK)
        return gs__fail(&err);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- sweep ---- */

#define MAXLIST 32

typedef struct ilist {
    int v[MAXLIST];
    int n;
} ilist;

static int int_item(void *ctx, const char *s)
{
    ilist *l = ctx;
    int v;

    if (l->n >= MAXLIST || gs__opt_int(s, &v) != 0 || v < 0)
        return -1;
    l->v[l->n++] = v;
    return 0;
}

typedef struct slist {
    const char *v[MAXLIST];
    char buf[1024];
    int n;
    size_t used;
} slist;

static int str_item(void *ctx, const char *s)
{
    slist *l = ctx;
    size_t n = strlen(s) + 1;

    if (l->n >= MAXLIST || l->used + n > sizeof(l->buf))
        return -1;
    memcpy(l->buf + l->used, s, n);
    l->v[l->n++] = l->buf + l->used;
    l->used += n;
    return 0;
}

typedef struct place_item {
    int auto_;
    gs_cxl_place p;
} place_item;

/* "auto", one spec, or several separated by ';' (each a point of the sweep). */
static int split_places(const char *specs, const gs_cxl_hw *hw, place_item *out, int *n)
{
    const char *p = specs ? specs : "auto";

    *n = 0;
    while (*p) {
        char buf[512];
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        gs_err err = {0};
        if (len == 0 || len >= sizeof(buf) || *n >= MAXLIST)
            return gs__usage_error("cxl sweep", "bad placement list '%s'", specs);
        memcpy(buf, p, len);
        buf[len] = '\0';
        memset(&out[*n], 0, sizeof(out[*n]));
        if (!strcmp(buf, "auto"))
            out[*n].auto_ = 1;
        else if (gs_cxl_place_parse(hw, buf, &out[*n].p, &err) != GS_OK)
            return gs__usage_error("cxl sweep", "placement '%s': %s", buf, err.msg);
        (*n)++;
        p += len;
        if (*p == ';')
            p++;
    }
    return GS_OK;
}

static int cmd_sweep(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"hw", required_argument, NULL, OPT_HW},
        {"dram-channels", required_argument, NULL, OPT_DRAM_CHANNELS},
        {"cxl-expanders", required_argument, NULL, OPT_CXL_EXPANDERS},
        {"pcie-gen", required_argument, NULL, OPT_PCIE_GEN},
        RUN_OPTIONS,
        {"model", required_argument, NULL, OPT_MODEL},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"copy", required_argument, NULL, OPT_COPY},
        {"out", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *hwname = "default", *out = "-";
    ilist ch = {{0}, 0}, ex = {{0}, 0}, gen = {{0}, 0}, batch = {{0}, 0}, copy = {{0}, 0};
    slist models;
    run_opts r;
    gs_err err = {0};
    gs_cxl_hw *base = NULL;
    place_item wpl[MAXLIST], kpl[MAXLIST];
    struct {
        int t[GS_CXL_MAX_TIERS];
        size_t n;
    } ords[MAXLIST];
    int nw = 0, nk = 0, nord = 0;
    gs_outfile of;
    int c, quiet = 0, rc = GS_OK, a, b, d, e, f, g, points = 0, ok = 0;
    char *path;

    memset(&models, 0, sizeof(models));
    memset(&r, 0, sizeof(r));
    gs_cxl_infer_opts_init(&r.io);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        int x = run_opt(&r, c, "cxl sweep");
        if (x < 0)
            return GS_EXIT_USAGE;
        if (x)
            continue;
        switch (c) {
        case OPT_HW:
            hwname = optarg;
            break;
        case OPT_DRAM_CHANNELS:
        case OPT_CXL_EXPANDERS:
        case OPT_PCIE_GEN: {
            ilist *l = c == OPT_DRAM_CHANNELS ? &ch : c == OPT_CXL_EXPANDERS ? &ex : &gen;
            int i;
            if (each_item(optarg, int_item, l) != 0)
                return gs__usage_error("cxl sweep", "bad list '%s' (integers, comma-separated)",
                                       optarg);
            for (i = 0; i < l->n; i++)
                if (!knob_ok(c, l->v[i]))
                    return gs__usage_error("cxl sweep", "%s", knob_range(c, optarg));
            break;
        }
        case OPT_BATCH: {
            int i;
            if (each_item(optarg, int_item, &batch) != 0)
                return gs__usage_error("cxl sweep", "bad --batch list '%s'", optarg);
            for (i = 0; i < batch.n; i++)
                if (batch.v[i] < 1)
                    return gs__usage_error("cxl sweep", "--batch sizes must be positive");
            break;
        }
        case OPT_MODEL:
            if (each_item(optarg, str_item, &models) != 0)
                return gs__usage_error("cxl sweep", "bad --model list '%s'", optarg);
            break;
        case OPT_COPY: {
            int mask = 0;
            if (each_item(optarg, mode_item, &mask) != 0)
                return gs__usage_error("cxl sweep", "--copy takes pinned, pageable or both");
            copy.n = 0;
            if (mask & 2)
                copy.v[copy.n++] = 1;
            if (mask & 1)
                copy.v[copy.n++] = 0;
            break;
        }
        case 'o':
            out = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            printf("usage: gpusim cxl sweep --model LIST [lists] [options]\n\n"
                   "Runs `gpusim cxl infer` over the cross product of the lists and writes one "
                   "CSV row per\npoint (status ok, or infeasible with the reason in 'message'). "
                   "Lists are comma-separated.\n\n"
                   "      --hw NAME|FILE        hardware config (default 'default')\n"
                   "      --model LIST          model names (required)\n"
                   "      --dram-channels LIST  channels per DRAM tier (default: the config's)\n"
                   "      --cxl-expanders LIST  expanders per CXL tier (default: the config's)\n"
                   "      --pcie-gen LIST       PCIe generations of the GPU link (default: "
                   "the config's)\n"
                   "      --copy LIST           pinned,pageable (default pinned)\n"
                   "      --batch LIST          batch sizes (default 1)\n" RUN_HELP
                   "      (sweep: --weights, --kv and --host-order take several values separated "
                   "by ';')\n"
                   "  -o, --out FILE            write atomically to FILE (default: stdout)\n"
                   "  -q, --quiet               no progress on stderr\n");
            return gs__finish_stdout(GS_EXIT_OK);
        default:
            return bad_option("cxl sweep", c, argv);
        }
    }
    if (optind < argc)
        return gs__usage_error("cxl sweep", "unexpected argument '%s'", argv[optind]);
    if (models.n == 0)
        return gs__usage_error("cxl sweep", "--model LIST is required");
    for (a = 0; a < models.n; a++)
        if (!gs_cxl_model_find(models.v[a]))
            return gs__usage_error("cxl sweep", "unknown model '%s' (see `gpusim cxl models`)",
                                   models.v[a]);
    if (gs_outfile_check(out, &err) != GS_OK ||
        !(path = gs__resolve_config("configs/cxl", hwname, ".json", &err)))
        return gs__fail(&err);
    base = gs_cxl_hw_load(path, &err);
    free(path);
    if (!base)
        return gs__fail(&err);
    if ((rc = split_places(r.weights, base, wpl, &nw)) != GS_OK ||
        (rc = split_places(r.kv, base, kpl, &nk)) != GS_OK) {
        gs_cxl_hw_free(base);
        return rc;
    }
    if (r.order) { /* several orders separated by ';' */
        const char *p = r.order;
        while (*p) {
            char buf[512];
            const char *semi = strchr(p, ';');
            size_t len = semi ? (size_t)(semi - p) : strlen(p);
            if (len == 0 || len >= sizeof(buf) || nord >= MAXLIST) {
                gs_cxl_hw_free(base);
                return gs__usage_error("cxl sweep", "bad --host-order list '%s'", r.order);
            }
            memcpy(buf, p, len);
            buf[len] = '\0';
            if ((rc = parse_order(base, buf, ords[nord].t, &ords[nord].n, "cxl sweep")) != GS_OK) {
                gs_cxl_hw_free(base);
                return rc;
            }
            nord++;
            p += len;
            if (*p == ';')
                p++;
        }
    } else {
        ords[0].n = gs_cxl_hw_order(base, ords[0].t);
        nord = 1;
    }
    if (ch.n == 0)
        ch.v[ch.n++] = -1;
    if (ex.n == 0)
        ex.v[ex.n++] = -1;
    if (gen.n == 0)
        gen.v[gen.n++] = -1;
    if (batch.n == 0)
        batch.v[batch.n++] = r.io.batch;
    if (copy.n == 0)
        copy.v[copy.n++] = 1;
    if (gs_outfile_open(&of, out, &err) != GS_OK) {
        gs_cxl_hw_free(base);
        return gs__fail(&err);
    }
    csv_header(of.fp, base);
    for (a = 0; a < models.n && rc == GS_OK; a++)
        for (b = 0; b < ch.n && rc == GS_OK; b++)
            for (d = 0; d < ex.n && rc == GS_OK; d++)
                for (e = 0; e < gen.n && rc == GS_OK; e++)
                    for (f = 0; f < copy.n && rc == GS_OK; f++)
                        for (g = 0; g < batch.n * nw * nk * nord && rc == GS_OK; g++) {
                            gs_cxl_hw *hw = gs_cxl_hw_clone(base, &err);
                            hwopts h;
                            gs_cxl_infer_opts io = r.io;
                            gs_cxl_infer_result res;
                            gs_err perr = {0};
                            int st;
                            if (!hw) {
                                rc = err.code;
                                break;
                            }
                            hwopts_init(&h);
                            h.dram_channels = ch.v[b];
                            h.cxl_expanders = ex.v[d];
                            h.pcie_gen = gen.v[e];
                            if ((rc = apply_hw(hw, &h, &err)) != GS_OK) {
                                gs_cxl_hw_free(hw);
                                break;
                            }
                            io.model = gs_cxl_model_find(models.v[a]);
                            io.pinned = copy.v[f];
                            io.batch = batch.v[g / (nw * nk * nord)];
                            io.auto_weights = wpl[g / (nk * nord) % nw].auto_;
                            io.weights = wpl[g / (nk * nord) % nw].p;
                            io.auto_kv = kpl[g / nord % nk].auto_;
                            io.kv = kpl[g / nord % nk].p;
                            gs_cxl_hw_set_order(hw, ords[g % nord].t, ords[g % nord].n, NULL);
                            st = gs_cxl_infer(hw, &io, &res, &perr);
                            if (st != GS_OK && st != GS_EINFEASIBLE) {
                                err = perr;
                                rc = st;
                                gs_cxl_hw_free(hw);
                                break;
                            }
                            csv_row(of.fp, hw, &io, st, &res, perr.msg);
                            points++;
                            ok += st == GS_OK;
                            if (st == GS_OK)
                                gs_cxl_infer_result_release(&res);
                            if (!quiet)
                                fprintf(stderr, "gpusim: cxl sweep: point %d: %s %s\n", points,
                                        io.model->name, st == GS_OK ? "ok" : "infeasible");
                            gs_cxl_hw_free(hw);
                        }
    gs_cxl_hw_free(base);
    if (rc != GS_OK) {
        gs_outfile_abort(&of);
        return gs__fail(&err);
    }
    if (gs_outfile_commit(&of, &err) != GS_OK)
        return gs__fail(&err);
    if (!quiet)
        fprintf(stderr, "gpusim: cxl sweep: %d points, %d feasible\n", points, ok);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- the `cxl` command table ---- */

typedef struct subcmd {
    const char *name;
    gs__cmd_fn fn;
    const char *summary;
} subcmd;

static const subcmd subcmds[] = {
    {"info", cmd_info, "the hardware config and the rates derived from it"},
    {"membench", cmd_membench, "Figure 3: latency and bandwidth of each memory tier"},
    {"memcpy", cmd_memcpy, "Figure 4: cudaMemcpy bandwidth versus size, pinned and pageable"},
    {"figures", cmd_figures, "write the data of Figures 3 and 4 into a folder"},
    {"models", cmd_models, "list the LLM shapes"},
    {"infer", cmd_infer, "offloaded LLM inference: TTFT, TPOT, tokens/s, breakdown"},
    {"sweep", cmd_sweep, "inference over hardware and workload lists, one CSV row per point"},
};

static void cxl_usage(void)
{
    size_t i;

    printf("usage: gpusim cxl <command> [options]\n\n"
           "LLM inference offloaded to local DRAM, remote-socket DRAM and CXL memory, simulated "
           "on the\nevent engine (configs/cxl/*.json describe the hardware).\n\ncommands:\n");
    for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
        printf("  %-10s %s\n", subcmds[i].name, subcmds[i].summary);
    printf("\nEvery command takes --help.\n");
}

int gs__cmd_cxl(int argc, char **argv)
{
    size_t i;

    if (argc < 2)
        return gs__usage_error("cxl", "no cxl command given (info, membench, memcpy, figures, "
                                      "models, infer, sweep)");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        cxl_usage();
        return gs__finish_stdout(GS_EXIT_OK);
    }
    for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
        if (!strcmp(argv[1], subcmds[i].name))
            return subcmds[i].fn(argc - 1, argv + 1);
    return gs__usage_error("cxl", "unknown cxl command '%s'", argv[1]);
}
