/* SPDX-License-Identifier: Apache-2.0 */
/* `gpusim cxl`: memory-tier microbenchmarks (Figures 3 and 4 of the CLOUDSTARS D2.1 report),
 * offloaded LLM inference and hardware sweeps on the CXL-offload model. The tables themselves
 * are written by the module (src/cxl/cxl_report.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "gpusim/cxl.h"
#include "gpusim/io.h"
#include "util_int.h"

#define GIB     1073741824.0
#define MAXLIST 32 /* values of one sweep list, at most */

/* ---- hardware options, shared by every command ---- */

typedef struct hwopts {
    const char *hw;
    int dram_channels, cxl_expanders, pcie_gen, pcie_lanes; /* -1 (lanes 0): the config's */
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
static int knob(const char *v, void *field, char *why, size_t n, int lo, int hi, int pow2)
{
    int k;

    if (gs__opt_int(v, &k) != 0 || k < lo || k > hi || (pow2 && (k & (k - 1)))) {
        if (pow2)
            snprintf(why, n, "takes 1, 2, 4, 8 or 16");
        else
            snprintf(why, n, "takes %d to %d", lo, hi);
        return -1;
    }
    memcpy(field, &k, sizeof(k));
    return 0;
}

static int parse_channels(const char *v, void *field, char *why, size_t n)
{
    return knob(v, field, why, n, 1, 64, 0);
}

static int parse_expanders(const char *v, void *field, char *why, size_t n)
{
    return knob(v, field, why, n, 0, 16, 0);
}

static int parse_gen(const char *v, void *field, char *why, size_t n)
{
    return knob(v, field, why, n, 1, 6, 0);
}

static int parse_lanes(const char *v, void *field, char *why, size_t n)
{
    return knob(v, field, why, n, 1, 16, 1);
}

#define HW_OPTS(T)                                                                                 \
    OPT_GROUP("hardware:"),                                                                        \
        OPT_STR("hw", 0, T, h.hw, "NAME|FILE",                                                     \
                "hardware config (default 'default': configs/cxl/default.json)"),                  \
        OPT_CALL("dram-channels", 0, T, h.dram_channels, int, "N", parse_channels,                 \
                 "populated channels of every DRAM tier (capacity and\n"                           \
                 "bandwidth), 1 to 64"),                                                           \
        OPT_CALL("cxl-expanders", 0, T, h.cxl_expanders, int, "N", parse_expanders,                \
                 "expanders of every CXL tier, 0 (none) to 16"),                                   \
        OPT_CALL("pcie-gen", 0, T, h.pcie_gen, int, "G", parse_gen,                                \
                 "PCIe generation of the GPU link, 1 to 6"),                                       \
        OPT_CALL("pcie-lanes", 0, T, h.pcie_lanes, int, "W", parse_lanes,                          \
                 "lanes of the GPU link: 1, 2, 4, 8 or 16")

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

/* A table written by fn to path ("-": stdout), atomically. */
typedef int (*writer_fn)(const void *ctx, FILE *fp, gs_err *err);

static int write_to(const char *path, writer_fn fn, const void *ctx, gs_err *err)
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

static const gs__opt no_opts[] = {OPT_END};

/* ---- info ---- */

typedef struct info_args {
    hwopts h;
} info_args;

static const gs__opt info_opts[] = {HW_OPTS(info_args), OPT_END};

static const gs__optspec info_spec = {
    "cxl info",
    "usage: gpusim cxl info [hardware options]\n\n"
    "Prints the hardware config with the rates derived from it: each tier's capacity, peak\n"
    "bandwidth and idle latency from every socket, and the GPU link.\n",
    info_opts,
    NULL,
    0,
};

static void print_info(const gs_cxl_hw *hw)
{
    size_t i;
    int s;

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
}

static int cmd_info(int argc, char **argv)
{
    info_args a;
    gs_err err = {0};
    gs_cxl_hw *hw;
    int status, first;

    hwopts_init(&a.h);
    if ((status = gs__opt_parse(&info_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (!(hw = load_hw(&a.h, &err)))
        return gs__fail(&err);
    print_info(hw);
    gs_cxl_hw_free(hw);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- Figure 3: membench ---- */

typedef struct membench_args {
    hwopts h;
    const char *out;
    int threads, loaded;
    const gs_cxl_hw *hw;
} membench_args;

#define A membench_args
static const gs__opt membench_opts[] = {
    OPT_INT("threads", 0, A, threads, "N", 1, 4096,
            "threads of the bandwidth benchmark, %r and at most the\n"
            "cores of a socket (default 8)"),
    OPT_FLAG("loaded", 0, A, loaded,
             "instead: loaded latency versus injected bandwidth (Figure 3b)"),
    OPT_STR("out", 'o', A, out, "FILE", "write the CSV to FILE atomically (default: stdout)"),
    HW_OPTS(A),
    OPT_END,
};
#undef A

static const gs__optspec membench_spec = {
    "cxl membench",
    "usage: gpusim cxl membench [--threads N] [--loaded] [--out FILE] [hardware options]\n\n"
    "Figure 3 of the CLOUDSTARS D2.1 report: idle latency (a chain of dependent loads) and\n"
    "read bandwidth of every memory tier from every socket, simulated as events. One CSV row\n"
    "per (socket, tier); relation is local, remote, cxl or cxl-remote as seen from that\n"
    "socket. bandwidth_gibs uses --threads threads (default 8 = one CCD of the default config),\n"
    "bandwidth_all_cores_gibs every core of the socket, bandwidth_one_core_gibs one thread.\n\n",
    membench_opts,
    NULL,
    0,
};

static int membench_write(const void *ctx, FILE *fp, gs_err *err)
{
    const membench_args *a = ctx;

    return a->loaded ? gs_cxl_write_loaded(a->hw, fp, err)
                     : gs_cxl_write_membench(a->hw, a->threads, fp, err);
}

static int cmd_membench(int argc, char **argv)
{
    membench_args a = {.out = "-", .threads = 8};
    gs_err err = {0};
    gs_cxl_hw *hw;
    int status, first;

    hwopts_init(&a.h);
    if ((status = gs__opt_parse(&membench_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (gs_outfile_check(a.out, &err) != GS_OK || !(hw = load_hw(&a.h, &err)))
        return gs__fail(&err);
    if (a.threads > gs_cxl_hw_cores(hw)) {
        status = gs__usage_error("cxl membench", "--threads %d exceeds the %d cores of a socket",
                                 a.threads, gs_cxl_hw_cores(hw));
    } else {
        a.hw = hw;
        status = write_to(a.out, membench_write, &a, &err) == GS_OK ? GS_EXIT_OK : gs__fail(&err);
    }
    gs_cxl_hw_free(hw);
    return gs__finish_stdout(status);
}

/* ---- Figure 4: memcpy ---- */

/* A size with an optional K, M or G (binary) suffix, > 0. */
static int parse_size(const char *s, void *field, char *why, size_t n)
{
    size_t len = strlen(s);
    double mult = 1, v;

    if (len > 0 && strchr("kKmMgG", s[len - 1])) {
        mult = strchr("kK", s[len - 1]) ? 1024 : strchr("mM", s[len - 1]) ? 1048576 : GIB;
        len--;
    }
    if (len == 0 || gs__parse_double(s, len, &v) != 0 || !(v > 0) || v * mult > 1099511627776.0) {
        snprintf(why, n, "needs a size in bytes up to 1T (e.g. 4096, 64K, 1G)");
        return -1;
    }
    v *= mult;
    memcpy(field, &v, sizeof(v));
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

static int parse_dirs(const char *v, void *field, char *why, size_t n)
{
    int mask = 0;

    if (each_item(v, dir_item, &mask) != 0) {
        snprintf(why, n, "takes h2d, d2h or both");
        return -1;
    }
    memcpy(field, &mask, sizeof(mask));
    return 0;
}

static int parse_modes(const char *v, void *field, char *why, size_t n)
{
    int mask = 0;

    if (each_item(v, mode_item, &mask) != 0) {
        snprintf(why, n, "takes pageable, pinned or both");
        return -1;
    }
    memcpy(field, &mask, sizeof(mask));
    return 0;
}

typedef struct memcpy_args {
    hwopts h;
    gs_cxl_memcpy_opts o;
    const char *out, *tiers;
    const gs_cxl_hw *hw;
} memcpy_args;

#define A memcpy_args
static const gs__opt memcpy_opts[] = {
    OPT_CALL("min-size", 0, A, o.min_bytes, double, "S", parse_size,
             "smallest buffer (default 4K; K, M, G suffixes)"),
    OPT_CALL("max-size", 0, A, o.max_bytes, double, "S", parse_size,
             "largest buffer, up to 1T (default 1G); sizes double from min"),
    OPT_INT("reps", 0, A, o.reps, "N", 1, 1000,
            "timed calls per size after one warm-up, %r (default 5)"),
    OPT_CALL("dir", 0, A, o.dirs, int, "LIST", parse_dirs, "h2d,d2h (default both)"),
    OPT_CALL("mode", 0, A, o.modes, int, "LIST", parse_modes, "pageable,pinned (default both)"),
    OPT_STR("tiers", 0, A, tiers, "LIST",
            "tier names or local,remote,cxl,cxl-remote (default all)"),
    OPT_INT("cpu-socket", 0, A, o.cpu_socket, "N", 0, 64,
            "socket of the calling thread, %r (default: the GPU's)"),
    OPT_STR("out", 'o', A, out, "FILE", "write the CSV to FILE atomically (default: stdout)"),
    HW_OPTS(A),
    OPT_END,
};
#undef A

static const gs__optspec memcpy_spec = {
    "cxl memcpy",
    "usage: gpusim cxl memcpy [options] [hardware options]\n\n"
    "Figure 4 of the CLOUDSTARS D2.1 report: cudaMemcpy bandwidth versus buffer size, host to\n"
    "device (h2d) and device to host (d2h), pageable and pinned, from each host tier, simulated\n"
    "as events. Pageable copies go through the driver's pinned staging ring in chunks (CPU\n"
    "copy, then DMA, pipelined); pinned copies are one DMA. One CSV row per (direction, mode,\n"
    "tier, size); bandwidth_gbs is in GB/s (1e9 B/s).\n\n",
    memcpy_opts,
    NULL,
    0,
};

/* --tiers into o->tiers; a usage error (2) for a bad list. */
static int pick_tiers(const gs_cxl_hw *hw, const char *tiers, gs_cxl_memcpy_opts *o)
{
    const char *p = tiers;

    while (*p) {
        char name[64];
        size_t n = strcspn(p, ",");
        int t;
        if (n == 0 || n >= sizeof(name) || o->ntiers >= GS_CXL_MAX_TIERS)
            return gs__usage_error("cxl memcpy", "bad --tiers list '%s'", tiers);
        memcpy(name, p, n);
        name[n] = '\0';
        if ((t = gs_cxl_hw_find_tier(hw, name)) < 0)
            return gs__usage_error("cxl memcpy", "unknown tier '%s' in --tiers", name);
        o->tiers[o->ntiers++] = t;
        p += n + (p[n] == ',');
    }
    return GS_OK;
}

static int memcpy_write(const void *ctx, FILE *fp, gs_err *err)
{
    const memcpy_args *a = ctx;

    return gs_cxl_write_memcpy(a->hw, &a->o, fp, err);
}

static int cmd_memcpy(int argc, char **argv)
{
    memcpy_args a = {.out = "-"};
    gs_err err = {0};
    gs_cxl_hw *hw;
    int status, first;

    hwopts_init(&a.h);
    gs_cxl_memcpy_opts_init(&a.o);
    if ((status = gs__opt_parse(&memcpy_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (a.o.max_bytes < a.o.min_bytes)
        return gs__usage_error("cxl memcpy", "--max-size is below --min-size");
    if (gs_outfile_check(a.out, &err) != GS_OK || !(hw = load_hw(&a.h, &err)))
        return gs__fail(&err);
    if (!a.tiers || (status = pick_tiers(hw, a.tiers, &a.o)) == GS_OK) {
        a.hw = hw;
        status = write_to(a.out, memcpy_write, &a, &err) == GS_OK ? GS_EXIT_OK : gs__fail(&err);
    }
    gs_cxl_hw_free(hw);
    return gs__finish_stdout(status);
}

/* ---- figures: both figures' data into one folder ---- */

typedef struct figures_args {
    hwopts h;
    const char *out;
    int force;
} figures_args;

static const gs__opt figures_opts[] = {
    OPT_STR("out", 'o', figures_args, out, "DIR", "output folder (required)"),
    OPT_FLAG("force", 'f', figures_args, force, "replace an existing DIR"),
    HW_OPTS(figures_args),
    OPT_END,
};

static const gs__optspec figures_spec = {
    "cxl figures",
    "usage: gpusim cxl figures --out DIR [--force] [hardware options]\n\n"
    "Writes the data of the CLOUDSTARS D2.1 report's Figure 3 (fig3_membench.csv: latency and\n"
    "bandwidth per tier; fig3b_loaded_latency.csv) and Figure 4 (fig4_memcpy.csv: cudaMemcpy\n"
    "bandwidth versus size) into DIR, atomically. scripts/plot_cxl.sh plots them.\n\n",
    figures_opts,
    NULL,
    0,
};

static int fig_membench(const void *hw, FILE *fp, gs_err *err)
{
    return gs_cxl_write_membench(hw, 8, fp, err);
}

static int fig_loaded(const void *hw, FILE *fp, gs_err *err)
{
    return gs_cxl_write_loaded(hw, fp, err);
}

static int fig_memcpy(const void *hw, FILE *fp, gs_err *err)
{
    gs_cxl_memcpy_opts o;

    gs_cxl_memcpy_opts_init(&o);
    return gs_cxl_write_memcpy(hw, &o, fp, err);
}

static int write_figures(const gs_cxl_hw *hw, const char *out, int force, gs_err *err)
{
    gs_outdir od;

    if (gs_outdir_begin(&od, out, force, err) != GS_OK)
        return err->code;
    if (gs_outdir_write(&od, "fig3_membench.csv", fig_membench, hw, err) != GS_OK ||
        gs_outdir_write(&od, "fig3b_loaded_latency.csv", fig_loaded, hw, err) != GS_OK ||
        gs_outdir_write(&od, "fig4_memcpy.csv", fig_memcpy, hw, err) != GS_OK) {
        gs_outdir_abort(&od);
        return err->code ? err->code : GS_EIO;
    }
    return gs_outdir_commit(&od, err);
}

static int cmd_figures(int argc, char **argv)
{
    figures_args a = {0};
    gs_err err = {0};
    gs_cxl_hw *hw;
    int status, first;

    hwopts_init(&a.h);
    if ((status = gs__opt_parse(&figures_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    if (!a.out)
        return gs__usage_error("cxl figures", "--out DIR is required");
    if (gs_outdir_check(a.out, a.force, &err) != GS_OK || !(hw = load_hw(&a.h, &err)))
        return gs__fail(&err);
    status = write_figures(hw, a.out, a.force, &err) == GS_OK ? GS_EXIT_OK : gs__fail(&err);
    gs_cxl_hw_free(hw);
    return gs__finish_stdout(status);
}

/* ---- models ---- */

static const gs__optspec models_spec = {
    "cxl models",
    "usage: gpusim cxl models\n\nLists the model shapes `gpusim cxl infer --model` knows, with "
    "their fp16 sizes.\n\n",
    no_opts,
    NULL,
    0,
};

static int cmd_models(int argc, char **argv)
{
    int unused = 0, status, first;

    if ((status = gs__opt_parse(&models_spec, &unused, argc, argv, &first)) != GS__OPT_GO)
        return status;
    gs_cxl_write_models(stdout);
    return gs__finish_stdout(GS_EXIT_OK);
}

/* ---- infer and sweep ---- */

/* Options shared by infer and sweep. */
typedef struct run_opts {
    gs_cxl_infer_opts io;
    const char *weights, *kv; /* placement specs; "auto" or NULL = the placement policy */
    const char *order;        /* --host-order, NULL = the config's */
    int no_overlap;
} run_opts;

#define RUN_OPTS(T)                                                                                \
    OPT_INT("gpu-batches", 0, T, r.io.gpu_batches, "K", 1, 256,                                    \
            "GPU batches sharing each weight load (FlexGen zig-zag),\n%r (default 1)"),            \
        OPT_INT("prompt", 0, T, r.io.prompt, "S", 1, 1048576, "prompt tokens, %r (default 512)"),  \
        OPT_INT("output", 0, T, r.io.output, "N", 1, 65536,                                        \
                "generated tokens per sequence, %r (default 32)"),                                 \
        OPT_STR("weights", 0, T, r.weights, "SPEC",                                                \
                "weight placement, e.g. gpu=0.1,local=0.6,cxl=0.3 (tier names\n"                   \
                "or local, remote, cxl, cxl-remote), or auto (default): fill\n"                    \
                "the GPU, then host tiers in the host order"),                                     \
        OPT_STR("kv", 0, T, r.kv, "SPEC",                                                          \
                "KV-cache placement, same form (auto: GPU if it fits, else host)"),                \
        OPT_STR("host-order", 0, T, r.order, "LIST",                                               \
                "host tiers the auto placement fills, in order (e.g.\n"                            \
                "dram0,cxl0); 'latency': all, by latency from the GPU (default,\n"                 \
                "unless the config sets placement.order)"),                                        \
        OPT_FLAG("no-overlap", 0, T, r.no_overlap,                                                 \
                 "run transfers and compute one after another (no prefetch)"),                     \
        OPT_INT("prefetch", 0, T, r.io.prefetch, "D", 1, 16,                                       \
                "layers loaded ahead of compute, %r (default 1)")

static void run_opts_done(run_opts *r)
{
    if (r->weights && !strcmp(r->weights, "auto"))
        r->weights = NULL;
    if (r->kv && !strcmp(r->kv, "auto"))
        r->kv = NULL;
    if (r->no_overlap)
        r->io.overlap = 0;
}

/* "dram0,cxl0" (names or relations) into tier indices; a usage error (2) when bad. */
static int parse_order(const gs_cxl_hw *hw, const char *list, int *out, size_t *n, const char *cmd)
{
    const char *p = list;

    *n = 0;
    if (!strcmp(list, "latency"))
        return GS_OK;
    while (*p) {
        char name[64];
        size_t len = strcspn(p, ","), i;
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
        p += len + (p[len] == ',');
    }
    return GS_OK;
}

/* The placement specs and the host order into r->io and hw; a usage error (2) when bad. */
static int apply_run(run_opts *r, gs_cxl_hw *hw, const char *cmd)
{
    gs_err err = {0};
    int ord[GS_CXL_MAX_TIERS], rc;
    size_t n;

    r->io.auto_weights = r->weights == NULL;
    r->io.auto_kv = r->kv == NULL;
    if (r->weights && gs_cxl_place_parse(hw, r->weights, &r->io.weights, &err) != GS_OK)
        return gs__usage_error(cmd, "--weights: %s", err.msg);
    if (r->kv && gs_cxl_place_parse(hw, r->kv, &r->io.kv, &err) != GS_OK)
        return gs__usage_error(cmd, "--kv: %s", err.msg);
    if (r->order) {
        if ((rc = parse_order(hw, r->order, ord, &n, cmd)) != GS_OK)
            return rc;
        gs_cxl_hw_set_order(hw, ord, n, NULL);
    }
    return GS_OK;
}

typedef struct infer_args {
    hwopts h;
    run_opts r;
    const char *model, *out, *timeline;
    int copy, format;
} infer_args;

#define A infer_args
static const gs__opt infer_opts[] = {
    OPT_GROUP("workload:"),
    OPT_STR("model", 0, A, model, "NAME", "a shape from `gpusim cxl models` (e.g. llama3.1-70b)"),
    OPT_INT("batch", 0, A, r.io.batch, "B", 1, 65536, "sequences per GPU batch, %r (default 1)"),
    OPT_CHOICE("copy", 0, A, copy, "MODE", "pinned|pageable",
               "pinned (default) or pageable host buffers"),
    RUN_OPTS(A),
    OPT_GROUP("output:"),
    OPT_CHOICE("format", 0, A, format, "F", "json|csv", "json (default) or csv (one row)"),
    OPT_STR("out", 'o', A, out, "FILE", "write atomically to FILE (default: stdout)"),
    OPT_STR("timeline", 0, A, timeline, "FILE", "one CSV row per transfer and kernel"),
    HW_OPTS(A),
    OPT_END,
};
#undef A

static const gs__optspec infer_spec = {
    "cxl infer",
    "usage: gpusim cxl infer --model NAME [options] [hardware options]\n\n"
    "Simulates LLM inference whose weights and KV cache are streamed from host memory tiers,\n"
    "layer by layer, as FlexGen does: transfers (weights, KV loads and stores) and kernels are\n"
    "events on the engine sharing the PCIe link and the tiers. Prints time to first token,\n"
    "time per output token, tokens/s and a breakdown (compute, stall, link busy time).\n",
    infer_opts,
    "Exit status: 0 success, 1 bad config or the model does not fit, 2 usage error.\n",
    0,
};

typedef struct infer_out {
    const gs_cxl_hw *hw;
    const gs_cxl_infer_opts *io;
    const gs_cxl_infer_result *res;
} infer_out;

static int infer_csv(const void *ctx, FILE *fp, gs_err *err)
{
    const infer_out *x = ctx;

    (void)err;
    gs_cxl_infer_csv_header(x->hw, fp);
    gs_cxl_infer_csv_row(x->hw, x->io, GS_OK, x->res, "", fp);
    return GS_OK;
}

static int infer_doc(const void *ctx, FILE *fp, gs_err *err)
{
    const infer_out *x = ctx;
    char *text = gs_cxl_infer_json(x->hw, x->io, x->res);

    if (!text)
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    fputs(text, fp);
    fputc('\n', fp);
    free(text);
    return GS_OK;
}

static int infer_timeline(const void *ctx, FILE *fp, gs_err *err)
{
    const infer_out *x = ctx;

    (void)err;
    gs_cxl_write_timeline(x->hw, x->res, fp);
    return GS_OK;
}

/* Simulates and writes the results; exit status. */
static int infer_run(const infer_args *a, const gs_cxl_hw *hw, gs_err *err)
{
    gs_cxl_infer_result res;
    infer_out x = {hw, &a->r.io, &res};
    int rc;

    gs_outfile of, ot;

    if (gs_cxl_infer(hw, &a->r.io, &res, err) != GS_OK)
        return gs__fail(err);
    /* both outputs are written in full, then take their names as one step */
    memset(&of, 0, sizeof(of));
    memset(&ot, 0, sizeof(ot));
    if ((rc = gs_outfile_open(&of, a->out, err)) == GS_OK)
        rc = (a->format ? infer_csv : infer_doc)(&x, of.fp, err);
    if (rc == GS_OK && a->timeline && (rc = gs_outfile_open(&ot, a->timeline, err)) == GS_OK)
        rc = infer_timeline(&x, ot.fp, err);
    gs_io_hold_signals();
    if (rc == GS_OK)
        rc = gs_outfile_commit(&of, err);
    if (rc == GS_OK && a->timeline)
        rc = gs_outfile_commit(&ot, err);
    gs_io_release_signals();
    if (rc != GS_OK) {
        if (of.fp)
            gs_outfile_abort(&of);
        if (ot.fp)
            gs_outfile_abort(&ot);
    }
    gs_cxl_infer_result_release(&res);
    return rc == GS_OK ? GS_EXIT_OK : gs__fail(err);
}

static int cmd_infer(int argc, char **argv)
{
    infer_args a = {.out = "-"};
    gs_err err = {0};
    gs_cxl_hw *hw;
    int status, first;

    hwopts_init(&a.h);
    gs_cxl_infer_opts_init(&a.r.io);
    if ((status = gs__opt_parse(&infer_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    run_opts_done(&a.r);
    a.r.io.pinned = a.copy == 0;
    a.r.io.timeline = a.timeline != NULL;
    if (!a.model)
        return gs__usage_error("cxl infer", "--model NAME is required (see `gpusim cxl models`)");
    if (!(a.r.io.model = gs_cxl_model_find(a.model)))
        return gs__usage_error("cxl infer", "unknown model '%s' (see `gpusim cxl models`)",
                               a.model);
    if (gs_outfile_check(a.out, &err) != GS_OK ||
        (a.timeline && gs_outfile_check(a.timeline, &err) != GS_OK) || !(hw = load_hw(&a.h, &err)))
        return gs__fail(&err);
    if ((status = apply_run(&a.r, hw, "cxl infer")) == GS_OK)
        status = infer_run(&a, hw, &err);
    gs_cxl_hw_free(hw);
    return gs__finish_stdout(status);
}

/* ---- sweep ---- */

typedef struct ilist {
    int v[MAXLIST];
    int n;
} ilist;

typedef struct slist {
    const char *v[MAXLIST];
    int n;
} slist;

static int int_item(void *ctx, const char *s)
{
    ilist *l = ctx;
    int v;

    if (l->n >= MAXLIST || gs__opt_int(s, &v) != 0)
        return -1;
    l->v[l->n++] = v;
    return 0;
}

/* A comma list of integers, each taken by one (knob) parser. */
static int int_list(const char *v, void *field, char *why, size_t n,
                    int (*item)(const char *, void *, char *, size_t))
{
    ilist l = {{0}, 0};
    int i, k;

    if (each_item(v, int_item, &l) != 0) {
        snprintf(why, n, "needs a comma-separated list of at most %d integers", MAXLIST);
        return -1;
    }
    for (i = 0; i < l.n; i++) {
        char s[16];
        snprintf(s, sizeof(s), "%d", l.v[i]);
        if (item(s, &k, why, n) != 0)
            return -1;
    }
    memcpy(field, &l, sizeof(l));
    return 0;
}

static int list_channels(const char *v, void *field, char *why, size_t n)
{
    return int_list(v, field, why, n, parse_channels);
}

static int list_expanders(const char *v, void *field, char *why, size_t n)
{
    return int_list(v, field, why, n, parse_expanders);
}

static int list_gens(const char *v, void *field, char *why, size_t n)
{
    return int_list(v, field, why, n, parse_gen);
}

static int parse_batch(const char *v, void *field, char *why, size_t n)
{
    int k;

    if (gs__opt_int(v, &k) != 0 || k < 1 || k > 65536) {
        snprintf(why, n, "takes batch sizes 1 to 65536");
        return -1;
    }
    memcpy(field, &k, sizeof(k));
    return 0;
}

static int list_batches(const char *v, void *field, char *why, size_t n)
{
    return int_list(v, field, why, n, parse_batch);
}

/* Model names: the list keeps pointers into the option's value, split in place of a copy. */
static int model_item(void *ctx, const char *s)
{
    slist *l = ctx;

    if (l->n >= MAXLIST || !gs_cxl_model_find(s))
        return -1;
    l->v[l->n++] = gs_cxl_model_find(s)->name;
    return 0;
}

static int list_models(const char *v, void *field, char *why, size_t n)
{
    slist l;

    memset(&l, 0, sizeof(l));
    if (each_item(v, model_item, &l) != 0) {
        snprintf(why, n, "needs known model names, comma-separated (see `gpusim cxl models`)");
        return -1;
    }
    memcpy(field, &l, sizeof(l));
    return 0;
}

/* pinned first, then pageable, as the list order of a sweep */
static int list_copies(const char *v, void *field, char *why, size_t n)
{
    ilist l = {{0}, 0};
    int mask = 0;

    if (each_item(v, mode_item, &mask) != 0) {
        snprintf(why, n, "takes pinned, pageable or both");
        return -1;
    }
    if (mask & 2)
        l.v[l.n++] = 1;
    if (mask & 1)
        l.v[l.n++] = 0;
    memcpy(field, &l, sizeof(l));
    return 0;
}

typedef struct sweep_args {
    const char *hw, *out;
    run_opts r;
    slist models;
    ilist ch, ex, gen, copy, batch;
    int quiet;
} sweep_args;

#define A sweep_args
static const gs__opt sweep_opts[] = {
    OPT_STR("hw", 0, A, hw, "NAME|FILE", "hardware config (default 'default')"),
    OPT_CALL("model", 0, A, models, slist, "LIST", list_models, "model names (required)"),
    OPT_CALL("dram-channels", 0, A, ch, ilist, "LIST", list_channels,
             "channels per DRAM tier, 1 to 64 (default: the config's)"),
    OPT_CALL("cxl-expanders", 0, A, ex, ilist, "LIST", list_expanders,
             "expanders per CXL tier, 0 to 16 (default: the config's)"),
    OPT_CALL("pcie-gen", 0, A, gen, ilist, "LIST", list_gens,
             "PCIe generations of the GPU link, 1 to 6 (default: the\nconfig's)"),
    OPT_CALL("copy", 0, A, copy, ilist, "LIST", list_copies, "pinned,pageable (default pinned)"),
    OPT_CALL("batch", 0, A, batch, ilist, "LIST", list_batches,
             "batch sizes, 1 to 65536 (default 1)"),
    RUN_OPTS(A),
    OPT_STR("out", 'o', A, out, "FILE", "write atomically to FILE (default: stdout)"),
    OPT_FLAG("quiet", 'q', A, quiet, "no progress on stderr"),
    OPT_END,
};
#undef A

static const gs__optspec sweep_spec = {
    "cxl sweep",
    "usage: gpusim cxl sweep --model LIST [lists] [options]\n\n"
    "Runs `gpusim cxl infer` over the cross product of the lists and writes one CSV row per\n"
    "point (status ok, or infeasible with the reason in 'message'). Lists are comma-separated;\n"
    "--weights, --kv and --host-order take several values separated by ';'.\n\n",
    sweep_opts,
    NULL,
    0,
};

typedef struct place_item {
    int auto_;
    gs_cxl_place p;
} place_item;

/* The points of a sweep: the lists, in the order they vary (the last fastest). */
typedef struct sweep_plan {
    const gs_cxl_hw *base;
    place_item wpl[MAXLIST], kpl[MAXLIST];
    struct {
        int t[GS_CXL_MAX_TIERS];
        size_t n;
    } ords[MAXLIST];
    int nw, nk, nord;
} sweep_plan;

/* Calls fn on each part of a ';'-separated list; a usage error (2) when a part is bad. */
static int each_part(const char *specs, const char *what, int *n,
                     int (*fn)(sweep_plan *, const char *, int), sweep_plan *sp)
{
    const char *p = specs;

    *n = 0;
    while (*p) {
        char buf[512];
        size_t len = strcspn(p, ";");
        int rc;
        if (len == 0 || len >= sizeof(buf) || *n >= MAXLIST)
            return gs__usage_error("cxl sweep", "bad %s list '%s'", what, specs);
        memcpy(buf, p, len);
        buf[len] = '\0';
        if ((rc = fn(sp, buf, *n)) != GS_OK)
            return rc;
        (*n)++;
        p += len + (p[len] == ';');
    }
    return GS_OK;
}

static int place_part(place_item *it, const gs_cxl_hw *hw, const char *spec)
{
    gs_err err = {0};

    memset(it, 0, sizeof(*it));
    if (!strcmp(spec, "auto"))
        it->auto_ = 1;
    else if (gs_cxl_place_parse(hw, spec, &it->p, &err) != GS_OK)
        return gs__usage_error("cxl sweep", "placement '%s': %s", spec, err.msg);
    return GS_OK;
}

static int weights_part(sweep_plan *sp, const char *spec, int i)
{
    return place_part(&sp->wpl[i], sp->base, spec);
}

static int kv_part(sweep_plan *sp, const char *spec, int i)
{
    return place_part(&sp->kpl[i], sp->base, spec);
}

static int order_part(sweep_plan *sp, const char *spec, int i)
{
    return parse_order(sp->base, spec, sp->ords[i].t, &sp->ords[i].n, "cxl sweep");
}

/* The lists a sweep varies, with their defaults; a usage error (2) when one is bad. */
static int sweep_lists(sweep_args *a, sweep_plan *sp)
{
    int rc;

    if ((rc = each_part(a->r.weights ? a->r.weights : "auto", "placement", &sp->nw, weights_part,
                        sp)) != GS_OK ||
        (rc = each_part(a->r.kv ? a->r.kv : "auto", "placement", &sp->nk, kv_part, sp)) != GS_OK)
        return rc;
    if (a->r.order) {
        if ((rc = each_part(a->r.order, "--host-order", &sp->nord, order_part, sp)) != GS_OK)
            return rc;
    } else {
        sp->ords[0].n = gs_cxl_hw_order(sp->base, sp->ords[0].t);
        sp->nord = 1;
    }
    if (a->ch.n == 0)
        a->ch.v[a->ch.n++] = -1;
    if (a->ex.n == 0)
        a->ex.v[a->ex.n++] = -1;
    if (a->gen.n == 0)
        a->gen.v[a->gen.n++] = -1;
    if (a->batch.n == 0)
        a->batch.v[a->batch.n++] = a->r.io.batch;
    if (a->copy.n == 0)
        a->copy.v[a->copy.n++] = 1;
    return GS_OK;
}

/* Point p of the cross product (models, channels, expanders, PCIe generations, copy modes,
 * batches, weight placements, KV placements, host orders; the last varies fastest): its
 * hardware into hw (a fresh clone of the base) and its options into io. */
static int sweep_point(const sweep_args *a, const sweep_plan *sp, size_t p, gs_cxl_hw *hw,
                       gs_cxl_infer_opts *io, gs_err *err)
{
    hwopts h;
    int ord = (int)(p % (size_t)sp->nord), k, w;

    p /= (size_t)sp->nord;
    k = (int)(p % (size_t)sp->nk);
    p /= (size_t)sp->nk;
    w = (int)(p % (size_t)sp->nw);
    p /= (size_t)sp->nw;
    *io = a->r.io;
    io->batch = a->batch.v[p % (size_t)a->batch.n];
    p /= (size_t)a->batch.n;
    io->pinned = a->copy.v[p % (size_t)a->copy.n];
    p /= (size_t)a->copy.n;
    hwopts_init(&h);
    h.pcie_gen = a->gen.v[p % (size_t)a->gen.n];
    p /= (size_t)a->gen.n;
    h.cxl_expanders = a->ex.v[p % (size_t)a->ex.n];
    p /= (size_t)a->ex.n;
    h.dram_channels = a->ch.v[p % (size_t)a->ch.n];
    p /= (size_t)a->ch.n;
    io->model = gs_cxl_model_find(a->models.v[p]);
    io->auto_weights = sp->wpl[w].auto_;
    io->weights = sp->wpl[w].p;
    io->auto_kv = sp->kpl[k].auto_;
    io->kv = sp->kpl[k].p;
    if (apply_hw(hw, &h, err) != GS_OK)
        return err->code;
    gs_cxl_hw_set_order(hw, sp->ords[ord].t, sp->ords[ord].n, NULL);
    return GS_OK;
}

/* Every point, one row each; feasible points counted in *ok. */
static int sweep_run(const sweep_args *a, const sweep_plan *sp, FILE *fp, int *ok, gs_err *err)
{
    size_t total = (size_t)a->models.n * (size_t)a->ch.n * (size_t)a->ex.n * (size_t)a->gen.n *
                   (size_t)a->copy.n * (size_t)a->batch.n * (size_t)sp->nw * (size_t)sp->nk *
                   (size_t)sp->nord,
           p;

    gs_cxl_infer_csv_header(sp->base, fp);
    for (p = 0; p < total; p++) {
        gs_cxl_hw *hw = gs_cxl_hw_clone(sp->base, err);
        gs_cxl_infer_opts io;
        gs_cxl_infer_result res;
        gs_err perr = {0};
        int st = GS_OK;
        if (!hw || sweep_point(a, sp, p, hw, &io, err) != GS_OK ||
            ((st = gs_cxl_infer(hw, &io, &res, &perr)) != GS_OK && st != GS_EINFEASIBLE)) {
            if (st != GS_OK)
                *err = perr;
            gs_cxl_hw_free(hw);
            return err->code ? err->code : GS_ENOMEM;
        }
        gs_cxl_infer_csv_row(hw, &io, st, &res, perr.msg, fp);
        *ok += st == GS_OK;
        if (st == GS_OK)
            gs_cxl_infer_result_release(&res);
        if (!a->quiet)
            fprintf(stderr, "gpusim: cxl sweep: point %zu: %s %s\n", p + 1, io.model->name,
                    st == GS_OK ? "ok" : "infeasible");
        gs_cxl_hw_free(hw);
    }
    return GS_OK;
}

static int cmd_sweep(int argc, char **argv)
{
    sweep_args a = {.hw = "default", .out = "-"};
    sweep_plan sp;
    gs_err err = {0};
    gs_cxl_hw *base = NULL;
    gs_outfile of;
    int status, first, ok = 0;
    char *path;

    memset(&sp, 0, sizeof(sp));
    gs_cxl_infer_opts_init(&a.r.io);
    if ((status = gs__opt_parse(&sweep_spec, &a, argc, argv, &first)) != GS__OPT_GO)
        return status;
    run_opts_done(&a.r);
    if (a.models.n == 0)
        return gs__usage_error("cxl sweep", "--model LIST is required");
    if (gs_outfile_check(a.out, &err) != GS_OK ||
        !(path = gs__resolve_config("configs/cxl", a.hw, ".json", &err)))
        return gs__fail(&err);
    sp.base = base = gs_cxl_hw_load(path, &err);
    free(path);
    if (!base)
        return gs__fail(&err);
    if ((status = sweep_lists(&a, &sp)) == GS_OK) {
        if (gs_outfile_open(&of, a.out, &err) != GS_OK) {
            status = gs__fail(&err);
        } else if (sweep_run(&a, &sp, of.fp, &ok, &err) != GS_OK) {
            gs_outfile_abort(&of);
            status = gs__fail(&err);
        } else if (gs_outfile_commit(&of, &err) != GS_OK) {
            status = gs__fail(&err);
        } else if (!a.quiet) {
            fprintf(stderr, "gpusim: cxl sweep: %d points, %d feasible\n",
                    a.models.n * a.ch.n * a.ex.n * a.gen.n * a.copy.n * a.batch.n * sp.nw * sp.nk *
                        sp.nord,
                    ok);
        }
    }
    gs_cxl_hw_free(base);
    return gs__finish_stdout(status);
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
