/* SPDX-License-Identifier: Apache-2.0 */
/* CXL-offload hardware configs: loading, validation with located errors, derived rates. */
#include "gpusim/cxl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cxl_int.h"
#include "json_int.h"
#include "util_int.h"

#define GIB 1073741824.0
#define MIB 1048576.0

/* Usable per-lane rate per direction after line coding: Gen1/2 8b/10b at 2.5/5 GT/s,
 * Gen3/4/5 128b/130b at 8/16/32 GT/s, Gen6 64 GT/s PAM4 with 242/256 FLIT efficiency
 * (hpc-notes.pages.dev/reference/pcie). */
double gs__cxl_lane_rate(int gen)
{
    static const double gbps[] = {0, 0.25, 0.5, 0.985, 1.969, 3.938, 7.5625};

    if (gen < 1 || gen > 6)
        return 0;
    return gbps[gen] * 1e9;
}

double gs__cxl_tier_bw(const gs__cxl_tier *t)
{
    double media = t->channel_bw * t->efficiency;

    if (t->kind == GS_CXL_KIND_DRAM)
        return t->units * media;
    /* An expander delivers what both its link and its DDR media allow. */
    {
        double link = gs__cxl_lane_rate(t->link_gen) * t->link_lanes * t->link_efficiency;
        double m = t->media_channels * media;
        return t->units * (link < m ? link : m);
    }
}

double gs__cxl_tier_capacity(const gs__cxl_tier *t)
{
    return t->units * t->unit_capacity;
}

const char *gs_cxl_rel_name(int rel)
{
    switch (rel) {
    case GS_CXL_REL_LOCAL:
        return "local";
    case GS_CXL_REL_REMOTE:
        return "remote";
    case GS_CXL_REL_CXL:
        return "cxl";
    case GS_CXL_REL_CXL_REMOTE:
        return "cxl-remote";
    default:
        return "?";
    }
}

void gs_cxl_hw_free(gs_cxl_hw *hw)
{
    size_t i;

    if (!hw)
        return;
    for (i = 0; i < hw->ntiers; i++)
        free(hw->tiers[i].name);
    free(hw->name);
    free(hw->path);
    free(hw->gpu_name);
    free(hw);
}

gs_cxl_hw *gs_cxl_hw_clone(const gs_cxl_hw *hw, gs_err *err)
{
    gs_cxl_hw *c = malloc(sizeof(*c));
    size_t i;

    if (!c) {
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    *c = *hw;
    c->name = gs__strdup(hw->name);
    c->path = gs__strdup(hw->path);
    c->gpu_name = gs__strdup(hw->gpu_name);
    for (i = 0; i < hw->ntiers; i++)
        c->tiers[i].name = gs__strdup(hw->tiers[i].name);
    for (i = 0; i < hw->ntiers; i++)
        if (!c->tiers[i].name)
            break;
    if (!c->name || !c->path || !c->gpu_name || i < hw->ntiers) {
        gs_cxl_hw_free(c);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    return c;
}

/* The least a positive quantity may be, in its field's unit (Gbit/s, GB/s, ns, GiB, TFLOPS, an
 * efficiency): far below any real device, far above values such as 1e-300 that would turn the
 * model's times into infinities. */
#define POS_MIN 1e-3

/* A number that must be > 0 (bandwidths, latencies, sizes): a clearer message than a range. */
static int jpos(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key,
                int required, double def, double hi, double *out, gs_err *err)
{
    char p[160];
    int rc = gs__jnum(d, obj, objp, key, required, def, -HUGE_VAL, HUGE_VAL, out, err);

    if (rc != GS_OK)
        return rc;
    if (!(*out > 0))
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(p, sizeof(p), objp, key),
                        "must be positive, got %g", *out);
    if (*out < POS_MIN)
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(p, sizeof(p), objp, key),
                        "%g is implausibly small (at least %g)", *out, POS_MIN);
    if (*out > hi)
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(p, sizeof(p), objp, key),
                        "%g is implausibly large (at most %g)", *out, hi);
    return GS_OK;
}

/* An efficiency in (0, 1]. */
static int jeff(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key,
                int required, double def, double *out, gs_err *err)
{
    char p[160];
    int rc = jpos(d, obj, objp, key, required, def, HUGE_VAL, out, err);

    if (rc == GS_OK && *out > 1)
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(p, sizeof(p), objp, key),
                        "an efficiency is a fraction in (0, 1], got %g", *out);
    return rc;
}

static int jint(const gs__jdoc *d, const cJSON *obj, const char *objp, const char *key,
                int required, long def, long lo, long hi, int *out, gs_err *err)
{
    long v = 0;
    int rc = gs__jint(d, obj, objp, key, required, def, lo, hi, &v, err);

    *out = (int)v;
    return rc;
}

static int lanes_ok(int lanes)
{
    return lanes == 1 || lanes == 2 || lanes == 4 || lanes == 8 || lanes == 16;
}

static int is_reserved_name(const char *n)
{
    return !strcmp(n, "gpu") || !strcmp(n, "local") || !strcmp(n, "remote") || !strcmp(n, "cxl") ||
           !strcmp(n, "cxl-remote");
}

static int load_cpu(const gs__jdoc *d, gs_cxl_hw *hw, gs_err *err)
{
    static const char *const keys[] = {"model",
                                       "ccds_per_socket",
                                       "cores_per_ccd",
                                       "l3_mib_per_ccd",
                                       "ccd_read_gbps",
                                       "core_copy_gbps",
                                       "llc_copy_gbps",
                                       "outstanding_lines",
                                       "line_bytes",
                                       "source",
                                       NULL};
    const cJSON *o = gs__jobj(d, d->root, "", "cpu", 1, err);
    const char *s;
    double l3, v;

    if (!o || gs__jkeys(d, o, "cpu", keys, err) ||
        gs__jstr(d, o, "cpu", "model", 0, "cpu", &s, err) ||
        gs__jstr(d, o, "cpu", "source", 0, "", &s, err) ||
        jint(d, o, "cpu", "ccds_per_socket", 1, 0, 1, 256, &hw->ccds, err) ||
        jint(d, o, "cpu", "cores_per_ccd", 1, 0, 1, 256, &hw->cores_per_ccd, err) ||
        jpos(d, o, "cpu", "l3_mib_per_ccd", 1, 0, 65536, &l3, err))
        return err ? err->code : GS_EINVAL;
    hw->l3_bytes = l3 * MIB;
    if (jpos(d, o, "cpu", "ccd_read_gbps", 1, 0, 1e5, &v, err))
        return err ? err->code : GS_EINVAL;
    hw->ccd_bw = v * 1e9;
    if (jpos(d, o, "cpu", "core_copy_gbps", 1, 0, 1e5, &v, err))
        return err ? err->code : GS_EINVAL;
    hw->core_copy_bw = v * 1e9;
    if (jpos(d, o, "cpu", "llc_copy_gbps", 1, 0, 1e5, &v, err))
        return err ? err->code : GS_EINVAL;
    hw->llc_copy_bw = v * 1e9;
    if (jpos(d, o, "cpu", "outstanding_lines", 1, 0, 4096, &hw->lines, err) ||
        jpos(d, o, "cpu", "line_bytes", 0, 64, 4096, &hw->line_bytes, err))
        return err ? err->code : GS_EINVAL;
    return GS_OK;
}

static int load_interconnect(const gs__jdoc *d, gs_cxl_hw *hw, gs_err *err)
{
    static const char *const keys[] = {"name",           "links",  "link_gbps",
                                       "hop_latency_ns", "source", NULL};
    const cJSON *o = gs__jobj(d, d->root, "", "interconnect", hw->sockets > 1, err);
    const char *s;
    double v = 1, hop = 1;

    hw->xlinks = 1;
    hw->xlink_bw = 1e12;
    hw->hop_s = 0;
    if (!o)
        return err && err->code ? err->code : GS_OK;
    if (gs__jkeys(d, o, "interconnect", keys, err) ||
        gs__jstr(d, o, "interconnect", "name", 0, "", &s, err) ||
        gs__jstr(d, o, "interconnect", "source", 0, "", &s, err) ||
        jint(d, o, "interconnect", "links", 1, 0, 1, 64, &hw->xlinks, err) ||
        jpos(d, o, "interconnect", "link_gbps", 1, 0, 1e5, &v, err) ||
        jpos(d, o, "interconnect", "hop_latency_ns", 1, 0, 1e5, &hop, err))
        return err ? err->code : GS_EINVAL;
    hw->xlink_bw = v * 1e9;
    hw->hop_s = hop * 1e-9;
    return GS_OK;
}

static int load_tier(const gs__jdoc *d, const cJSON *o, const char *p, gs_cxl_hw *hw,
                     gs__cxl_tier *t, gs_err *err)
{
    static const char *const dram_keys[] = {"name",       "kind",
                                            "socket",     "latency_ns",
                                            "channels",   "channel_gbps",
                                            "efficiency", "capacity_gib_per_channel",
                                            "source",     NULL};
    static const char *const cxl_keys[] = {"name",           "kind",
                                           "socket",         "latency_ns",
                                           "expanders",      "capacity_gib_per_expander",
                                           "media_channels", "channel_gbps",
                                           "efficiency",     "link_generation",
                                           "link_lanes",     "link_efficiency",
                                           "source",         NULL};
    const char *name, *kind, *s;
    char fp[160];
    double v;
    size_t i;

    if (gs__jstr(d, o, p, "name", 1, NULL, &name, err) ||
        gs__jstr(d, o, p, "kind", 1, NULL, &kind, err))
        return err ? err->code : GS_EINVAL;
    if (!strcmp(kind, "dram"))
        t->kind = GS_CXL_KIND_DRAM;
    else if (!strcmp(kind, "cxl"))
        t->kind = GS_CXL_KIND_CXL;
    else
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "kind"),
                        "unknown tier kind '%s' (expected 'dram' or 'cxl')", kind);
    if (is_reserved_name(name))
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "name"),
                        "'%s' is reserved (gpu, local, remote, cxl, cxl-remote name placements)",
                        name);
    for (i = 0; i < hw->ntiers; i++)
        if (!strcmp(hw->tiers[i].name, name))
            return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "name"),
                            "tier name '%s' is used twice (also tiers[%zu])", name, i);
    if (gs__jkeys(d, o, p, t->kind == GS_CXL_KIND_DRAM ? dram_keys : cxl_keys, err) ||
        gs__jstr(d, o, p, "source", 0, "", &s, err) ||
        jint(d, o, p, "socket", 1, 0, 0, hw->sockets - 1, &t->socket, err) ||
        jpos(d, o, p, "latency_ns", 1, 0, 1e6, &v, err))
        return err ? err->code : GS_EINVAL;
    t->latency_s = v * 1e-9;
    if (jpos(d, o, p, "channel_gbps", 1, 0, 1e5, &v, err))
        return err ? err->code : GS_EINVAL;
    t->channel_bw = v * 1e9;
    if (jeff(d, o, p, "efficiency", 1, 0, &t->efficiency, err))
        return err ? err->code : GS_EINVAL;
    if (t->kind == GS_CXL_KIND_DRAM) {
        if (jint(d, o, p, "channels", 1, 0, 1, 64, &t->units, err) ||
            jpos(d, o, p, "capacity_gib_per_channel", 1, 0, 1e6, &v, err))
            return err ? err->code : GS_EINVAL;
        t->unit_capacity = v * GIB;
        return GS_OK;
    }
    if (jint(d, o, p, "expanders", 1, 0, 0, 16, &t->units, err) ||
        jpos(d, o, p, "capacity_gib_per_expander", 1, 0, 1e6, &v, err) ||
        jint(d, o, p, "media_channels", 1, 0, 1, 16, &t->media_channels, err) ||
        jint(d, o, p, "link_generation", 0, 5, 1, 6, &t->link_gen, err) ||
        jint(d, o, p, "link_lanes", 1, 0, 1, 16, &t->link_lanes, err) ||
        jeff(d, o, p, "link_efficiency", 1, 0, &t->link_efficiency, err))
        return err ? err->code : GS_EINVAL;
    t->unit_capacity = v * GIB;
    if (!lanes_ok(t->link_lanes))
        return gs__jerr(d, err, GS_EINVAL, gs__jpath(fp, sizeof(fp), p, "link_lanes"),
                        "lanes must be 1, 2, 4, 8 or 16, got %d", t->link_lanes);
    return GS_OK;
}

static int load_tiers(const gs__jdoc *d, gs_cxl_hw *hw, gs_err *err)
{
    const cJSON *arr = gs__jarr(d, d->root, "", "tiers", 1, err), *it;
    char p[64];

    if (!arr)
        return err ? err->code : GS_EINVAL;
    if (cJSON_GetArraySize(arr) < 1)
        return gs__jerr(d, err, GS_EINVAL, "tiers", "at least one memory tier is needed");
    if (cJSON_GetArraySize(arr) > GS_CXL_MAX_TIERS)
        return gs__jerr(d, err, GS_EINVAL, "tiers", "at most %d tiers are supported",
                        GS_CXL_MAX_TIERS);
    cJSON_ArrayForEach(it, arr)
    {
        gs__cxl_tier *t = &hw->tiers[hw->ntiers];
        const char *name;
        gs__jpath_idx(p, sizeof(p), "tiers", (int)hw->ntiers);
        if (!cJSON_IsObject(it))
            return gs__jerr(d, err, GS_EINVAL, p, "expected an object");
        if (load_tier(d, it, p, hw, t, err))
            return err ? err->code : GS_EINVAL;
        gs__jstr(d, it, p, "name", 1, NULL, &name, err);
        if (!(t->name = gs__strdup(name)))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        hw->ntiers++;
    }
    return GS_OK;
}

static int load_gpu(const gs__jdoc *d, gs_cxl_hw *hw, gs_err *err)
{
    static const char *const keys[] = {
        "name",     "socket",           "memory_gib",     "usable_fraction",    "fp16_tflops",
        "hbm_gbps", "flops_efficiency", "hbm_efficiency", "kernel_overhead_us", "source",
        NULL};
    const cJSON *o = gs__jobj(d, d->root, "", "gpu", 1, err);
    const char *name, *s;
    double v;

    if (!o || gs__jkeys(d, o, "gpu", keys, err) ||
        gs__jstr(d, o, "gpu", "name", 0, "gpu", &name, err) ||
        gs__jstr(d, o, "gpu", "source", 0, "", &s, err) ||
        jint(d, o, "gpu", "socket", 1, 0, 0, hw->sockets - 1, &hw->gpu_socket, err) ||
        jpos(d, o, "gpu", "memory_gib", 1, 0, 1e5, &v, err))
        return err ? err->code : GS_EINVAL;
    hw->gpu_mem = v * GIB;
    if (jeff(d, o, "gpu", "usable_fraction", 0, 0.9, &hw->gpu_usable_frac, err) ||
        jpos(d, o, "gpu", "fp16_tflops", 1, 0, 1e6, &v, err))
        return err ? err->code : GS_EINVAL;
    hw->gpu_flops = v * 1e12;
    if (jpos(d, o, "gpu", "hbm_gbps", 1, 0, 1e6, &v, err))
        return err ? err->code : GS_EINVAL;
    hw->gpu_hbm_bw = v * 1e9;
    if (jeff(d, o, "gpu", "flops_efficiency", 1, 0, &hw->gpu_flops_eff, err) ||
        jeff(d, o, "gpu", "hbm_efficiency", 1, 0, &hw->gpu_hbm_eff, err) ||
        gs__jnum(d, o, "gpu", "kernel_overhead_us", 0, 0, 0, 1e6, &v, err))
        return err ? err->code : GS_EINVAL;
    hw->kernel_s = v * 1e-6;
    if (!(hw->gpu_name = gs__strdup(name)))
        return gs_errorf(err, GS_ENOMEM, "out of memory");
    return GS_OK;
}

static int load_pcie(const gs__jdoc *d, gs_cxl_hw *hw, gs_err *err)
{
    static const char *const keys[] = {"generation",
                                       "lanes",
                                       "h2d_efficiency",
                                       "d2h_efficiency",
                                       "call_overhead_us",
                                       "staging_chunk_mib",
                                       "staging_depth",
                                       "source",
                                       NULL};
    const cJSON *o = gs__jobj(d, d->root, "", "pcie", 1, err);
    const char *s;
    double v;

    if (!o || gs__jkeys(d, o, "pcie", keys, err) ||
        gs__jstr(d, o, "pcie", "source", 0, "", &s, err) ||
        jint(d, o, "pcie", "generation", 1, 0, 1, 6, &hw->pcie_gen, err) ||
        jint(d, o, "pcie", "lanes", 1, 0, 1, 16, &hw->pcie_lanes, err))
        return err ? err->code : GS_EINVAL;
    if (!lanes_ok(hw->pcie_lanes))
        return gs__jerr(d, err, GS_EINVAL, "pcie.lanes", "lanes must be 1, 2, 4, 8 or 16, got %d",
                        hw->pcie_lanes);
    if (jeff(d, o, "pcie", "h2d_efficiency", 1, 0, &hw->h2d_eff, err) ||
        jeff(d, o, "pcie", "d2h_efficiency", 1, 0, &hw->d2h_eff, err) ||
        gs__jnum(d, o, "pcie", "call_overhead_us", 0, 10, 0, 1e6, &v, err))
        return err ? err->code : GS_EINVAL;
    hw->call_s = v * 1e-6;
    if (jpos(d, o, "pcie", "staging_chunk_mib", 0, 8, 4096, &v, err) ||
        jint(d, o, "pcie", "staging_depth", 0, 2, 1, 64, &hw->staging_depth, err))
        return err ? err->code : GS_EINVAL;
    hw->chunk_bytes = v * MIB;
    return GS_OK;
}

/* Optional: the host tiers the automatic placement may fill, in order, by name. */
static int load_placement(const gs__jdoc *d, gs_cxl_hw *hw, gs_err *err)
{
    static const char *const keys[] = {"order", "source", NULL};
    const cJSON *o = gs__jobj(d, d->root, "", "placement", 0, err), *arr, *it;
    const char *s;
    char p[64];

    if (!o)
        return err && err->code ? err->code : GS_OK;
    if (gs__jkeys(d, o, "placement", keys, err) ||
        gs__jstr(d, o, "placement", "source", 0, "", &s, err) ||
        !(arr = gs__jarr(d, o, "placement", "order", 1, err)))
        return err ? err->code : GS_EINVAL;
    if (cJSON_GetArraySize(arr) < 1)
        return gs__jerr(d, err, GS_EINVAL, "placement.order", "lists no tier");
    cJSON_ArrayForEach(it, arr)
    {
        size_t i;
        int t = -1;
        gs__jpath_idx(p, sizeof(p), "placement.order", (int)hw->norder);
        if (!cJSON_IsString(it) || !it->valuestring)
            return gs__jerr(d, err, GS_EINVAL, p, "expected a tier name");
        for (i = 0; i < hw->ntiers; i++)
            if (!strcmp(hw->tiers[i].name, it->valuestring))
                t = (int)i;
        if (t < 0)
            return gs__jerr(d, err, GS_EINVAL, p, "unknown tier '%s' (not in tiers[])",
                            it->valuestring);
        for (i = 0; i < hw->norder; i++)
            if (hw->order[i] == t)
                return gs__jerr(d, err, GS_EINVAL, p, "tier '%s' is listed twice", it->valuestring);
        hw->order[hw->norder++] = t;
    }
    return GS_OK;
}

gs_cxl_hw *gs_cxl_hw_load(const char *path, gs_err *err)
{
    static const char *const keys[] = {
        "schema_version", "name", "description", "sockets",   "cpu", "interconnect",
        "tiers",          "gpu",  "pcie",        "placement", NULL};
    gs__jdoc d;
    gs_cxl_hw *hw;
    const char *name, *desc;
    gs_err local = {0};
    int rc;

    if (!err)
        err = &local;
    if (gs__jdoc_load(&d, path, err) != GS_OK)
        return NULL;
    hw = calloc(1, sizeof(*hw));
    if (!hw) {
        gs__jdoc_release(&d);
        gs_errorf(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    rc = gs__jschema(&d, GS_CXL_SCHEMA, NULL, err);
    if (!rc)
        rc = gs__jkeys(&d, d.root, "", keys, err);
    if (!rc)
        rc = gs__jstr(&d, d.root, "", "name", 0, "unnamed", &name, err);
    if (!rc)
        rc = gs__jstr(&d, d.root, "", "description", 0, "", &desc, err);
    if (!rc)
        rc = jint(&d, d.root, "", "sockets", 1, 0, 1, 8, &hw->sockets, err);
    if (!rc)
        rc = load_cpu(&d, hw, err);
    if (!rc)
        rc = load_interconnect(&d, hw, err);
    if (!rc)
        rc = load_tiers(&d, hw, err);
    if (!rc)
        rc = load_gpu(&d, hw, err);
    if (!rc)
        rc = load_pcie(&d, hw, err);
    if (!rc)
        rc = load_placement(&d, hw, err);
    if (!rc && (!(hw->name = gs__strdup(name)) || !(hw->path = gs__strdup(path))))
        rc = gs_errorf(err, GS_ENOMEM, "out of memory");
    gs__jdoc_release(&d);
    if (rc) {
        gs_cxl_hw_free(hw);
        return NULL;
    }
    return hw;
}

const char *gs_cxl_hw_name(const gs_cxl_hw *hw)
{
    return hw->name;
}

const char *gs_cxl_hw_path(const gs_cxl_hw *hw)
{
    return hw->path;
}

int gs_cxl_hw_sockets(const gs_cxl_hw *hw)
{
    return hw->sockets;
}

int gs_cxl_hw_cores(const gs_cxl_hw *hw)
{
    return hw->ccds * hw->cores_per_ccd;
}

int gs_cxl_hw_gpu_socket(const gs_cxl_hw *hw)
{
    return hw->gpu_socket;
}

size_t gs_cxl_hw_ntiers(const gs_cxl_hw *hw)
{
    return hw->ntiers;
}

int gs_cxl_hw_tier(const gs_cxl_hw *hw, size_t i, gs_cxl_tier_info *out)
{
    const gs__cxl_tier *t;

    if (i >= hw->ntiers)
        return GS_EINVAL;
    t = &hw->tiers[i];
    out->name = t->name;
    out->kind = t->kind;
    out->socket = t->socket;
    out->units = t->units;
    out->capacity = gs__cxl_tier_capacity(t);
    out->peak_bw = gs__cxl_tier_bw(t);
    out->latency_s = t->latency_s;
    return GS_OK;
}

int gs_cxl_hw_rel(const gs_cxl_hw *hw, size_t i, int socket)
{
    const gs__cxl_tier *t = &hw->tiers[i];
    int remote = t->socket != socket;

    if (t->kind == GS_CXL_KIND_DRAM)
        return remote ? GS_CXL_REL_REMOTE : GS_CXL_REL_LOCAL;
    return remote ? GS_CXL_REL_CXL_REMOTE : GS_CXL_REL_CXL;
}

double gs_cxl_hw_latency(const gs_cxl_hw *hw, size_t i, int socket)
{
    const gs__cxl_tier *t = &hw->tiers[i];

    /* Sockets are fully connected: another socket's memory is one interconnect hop away. */
    return t->latency_s + (t->socket != socket ? hw->hop_s : 0);
}

double gs_cxl_hw_pcie_bw(const gs_cxl_hw *hw, int dir)
{
    return gs__cxl_lane_rate(hw->pcie_gen) * hw->pcie_lanes *
           (dir == GS_CXL_H2D ? hw->h2d_eff : hw->d2h_eff);
}

int gs_cxl_hw_pcie_gen(const gs_cxl_hw *hw)
{
    return hw->pcie_gen;
}

int gs_cxl_hw_pcie_lanes(const gs_cxl_hw *hw)
{
    return hw->pcie_lanes;
}

double gs_cxl_hw_gpu_mem(const gs_cxl_hw *hw)
{
    return hw->gpu_mem;
}

double gs_cxl_hw_gpu_usable(const gs_cxl_hw *hw)
{
    return hw->gpu_mem * hw->gpu_usable_frac;
}

static int rel_of_name(const char *name)
{
    static const char *const names[] = {"local", "remote", "cxl", "cxl-remote"};
    int i;

    for (i = 0; i < 4; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

int gs_cxl_hw_find_tier(const gs_cxl_hw *hw, const char *name)
{
    size_t i;
    int rel = rel_of_name(name);

    for (i = 0; i < hw->ntiers; i++)
        if (!strcmp(hw->tiers[i].name, name))
            return (int)i;
    if (rel < 0)
        return -1;
    for (i = 0; i < hw->ntiers; i++)
        if (gs_cxl_hw_rel(hw, i, hw->gpu_socket) == rel && hw->tiers[i].units > 0)
            return (int)i;
    return -1;
}

int gs_cxl_hw_set_dram_channels(gs_cxl_hw *hw, int channels, gs_err *err)
{
    size_t i;

    if (channels < 1 || channels > 64)
        return gs_errorf(err, GS_EINVAL, "dram channels must be in [1, 64], got %d", channels);
    for (i = 0; i < hw->ntiers; i++)
        if (hw->tiers[i].kind == GS_CXL_KIND_DRAM)
            hw->tiers[i].units = channels;
    return GS_OK;
}

int gs_cxl_hw_set_cxl_expanders(gs_cxl_hw *hw, int expanders, gs_err *err)
{
    size_t i;
    int any = 0;

    if (expanders < 0 || expanders > 16)
        return gs_errorf(err, GS_EINVAL, "cxl expanders must be in [0, 16], got %d", expanders);
    for (i = 0; i < hw->ntiers; i++)
        if (hw->tiers[i].kind == GS_CXL_KIND_CXL) {
            hw->tiers[i].units = expanders;
            any = 1;
        }
    if (!any && expanders > 0)
        return gs_errorf(err, GS_EINVAL,
                         "config '%s' has no CXL tier whose expanders could be set to %d", hw->path,
                         expanders);
    return GS_OK;
}

int gs_cxl_hw_set_pcie(gs_cxl_hw *hw, int generation, int lanes, gs_err *err)
{
    if (generation < 1 || generation > 6)
        return gs_errorf(err, GS_EINVAL, "pcie generation must be in [1, 6], got %d", generation);
    if (lanes != 0 && !lanes_ok(lanes))
        return gs_errorf(err, GS_EINVAL, "pcie lanes must be 1, 2, 4, 8 or 16, got %d", lanes);
    hw->pcie_gen = generation;
    if (lanes)
        hw->pcie_lanes = lanes;
    return GS_OK;
}

int gs_cxl_hw_set_order(gs_cxl_hw *hw, const int *tiers, size_t n, gs_err *err)
{
    size_t i, j;

    if (n > hw->ntiers)
        return gs_errorf(err, GS_EINVAL, "placement order lists %zu tiers, config has %zu", n,
                         hw->ntiers);
    for (i = 0; i < n; i++) {
        if (tiers[i] < 0 || (size_t)tiers[i] >= hw->ntiers)
            return gs_errorf(err, GS_EINVAL, "placement order: tier index %d out of range",
                             tiers[i]);
        for (j = 0; j < i; j++)
            if (tiers[j] == tiers[i])
                return gs_errorf(err, GS_EINVAL, "placement order lists tier '%s' twice",
                                 hw->tiers[tiers[i]].name);
    }
    for (i = 0; i < n; i++)
        hw->order[i] = tiers[i];
    hw->norder = n;
    return GS_OK;
}

size_t gs_cxl_hw_order(const gs_cxl_hw *hw, int *out)
{
    size_t i;

    for (i = 0; i < hw->norder; i++)
        out[i] = hw->order[i];
    return hw->norder;
}
