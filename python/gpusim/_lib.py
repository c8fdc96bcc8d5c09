# SPDX-License-Identifier: Apache-2.0
"""libgpusim through cffi's ABI mode: the declarations this package uses, and the library.

The declarations below copy those of gpusim's public headers (include/gpusim/) that the package
needs; python/tests/test_gpusim.py compiles a checker against the headers and fails when any
size or field offset here differs from the C compiler's. Nothing is compiled at import time.
"""
import os

from cffi import FFI

# What this package was written against: the library must say the same (checked on import).
VERSION = "0.1.0"
POLICY_ABI = 2

CDEF = """
/* err.h */
typedef struct gs_err { int code; char msg[256]; } gs_err;
const char *gs_strerror(int code);
const char *gs_err_name(int code);

/* version.h, io.h */
const char *gs_version(void);
size_t gs_data_dir(char *buf, size_t size);
char *gs_data_resolve(const char *subdir, const char *name, const char *ext, gs_err *err);
void gs_free(void *p);

/* event.h */
typedef double gs_time;
typedef uint64_t gs_event_id;
typedef struct gs_event { gs_event_id id; gs_time time; unsigned type; void *data; } gs_event;

/* trace.h */
typedef struct gs_trace_job {
    const char *id; const char *user; const char *type; const char *state;
    long line; double submit; double submit_epoch; double duration; double queue;
    int utc_offset_min; int gpu_num; int node_num; int cpu_num; double gpu_request; int end;
    const char *cls; double batch;
} gs_trace_job;
typedef struct gs_trace_stats {
    long rows; long kept; long skipped_type; long skipped_zero_gpu; long skipped_no_duration;
    long skipped_no_tasks; long skipped_state; long fractional;
} gs_trace_stats;
struct gs__arena;
typedef struct gs_trace {
    char *path; char *aux_path; char *job_type; const char *format; const char *schema;
    char *detected; char *states; gs_trace_job *jobs; size_t njobs;
    double t0_epoch; gs_trace_stats stats; struct gs__arena *arena;
} gs_trace;
int gs_trace_load_states(gs_trace *t, const char *path, const char *job_type, const char *states,
                         gs_err *err);
void gs_trace_release(gs_trace *t);

/* classmap.h */
typedef struct gs_classmap gs_classmap;
gs_classmap *gs_classmap_load(const char *path, gs_err *err);
void gs_classmap_free(gs_classmap *m);

/* scaling_db.h */
typedef struct gs_scaledb gs_scaledb;
gs_scaledb *gs_scaledb_load(const char *path, gs_err *err);
void gs_scaledb_free(gs_scaledb *db);
const char *gs_scaledb_name(const gs_scaledb *db);
int gs_scaledb_ntypes(const gs_scaledb *db);
const char *gs_scaledb_type_name(const gs_scaledb *db, int type);
int gs_scaledb_nclasses(const gs_scaledb *db);
const char *gs_scaledb_class_name(const gs_scaledb *db, int cls);
int gs_scaledb_lookup(const gs_scaledb *db, int cls, int type, int gpus, int nodes, double *thr,
                      int *viable);
int gs_scaledb_max_gpus(const gs_scaledb *db, int cls, int type);

/* cluster.h */
typedef struct gs_pool {
    const char *name; int type; int gpus_per_node; int nodes; int node_base; int capacity;
    double inter_node_gbps; double busy_watts; double idle_watts; double price_per_gpu_hour;
    int power_from;
} gs_pool;
typedef struct gs_cluster gs_cluster;
gs_cluster *gs_cluster_load(const char *path, const gs_scaledb *db, gs_err *err);
void gs_cluster_free(gs_cluster *c);
const char *gs_cluster_name(const gs_cluster *c);
size_t gs_cluster_npools(const gs_cluster *c);
const gs_pool *gs_cluster_pool(const gs_cluster *c, size_t i);
int gs_cluster_total_gpus(const gs_cluster *c);
int gs_cluster_total_nodes(const gs_cluster *c);

/* job.h */
typedef struct gs_alloc { int pool; int gpus; int nodes; } gs_alloc;
typedef struct gs_job {
    const gs_trace_job *tj; uint32_t index; int cls; int fixed_gpus; gs_time submit; int state;
    gs_alloc alloc; const int *place; gs_time first_start; gs_time start; gs_time finish;
    int restarts; int failures; uint64_t failed_pools; int reject_reason; int phase; double batch;
} gs_job;

/* policy.h */
#define GS_POLICY_ABI 2
typedef struct gs_sim gs_sim;
int gs_policy_abi(void);
size_t gs_type_size(const char *name);
typedef struct gs_action { int kind; uint32_t job; int pool; int gpus; } gs_action;
typedef struct gs_plan { gs_action *acts; size_t n, cap; } gs_plan;
int gs_plan_start(gs_plan *p, uint32_t job, int pool, int gpus, gs_err *err);
int gs_plan_resize(gs_plan *p, uint32_t job, int pool, int gpus, gs_err *err);
int gs_plan_preempt(gs_plan *p, uint32_t job, gs_err *err);
int gs_plan_reject(gs_plan *p, uint32_t job, int reason, gs_err *err);
typedef struct gs_policy_param { const char *name; double def; const char *summary; } gs_policy_param;
typedef struct gs_policy_ops {
    int abi; const char *name; const char *summary;
    int (*init)(void **state, const gs_sim *sim, gs_err *err);
    int (*on_event)(void *state, gs_sim *sim, const gs_event *ev, gs_err *err);
    int (*schedule)(void *state, gs_sim *sim, gs_plan *out, gs_err *err);
    void (*destroy)(void *state);
    const char *knowledge; unsigned flags; const gs_policy_param *params;
} gs_policy_ops;
typedef struct gs_freemap {
    int npools; int *node_free; int *pool_free; const gs_cluster *cluster;
} gs_freemap;
int gs_freemap_init(gs_freemap *fm, const gs_sim *sim, gs_err *err);
void gs_freemap_release(gs_freemap *fm);
int gs_freemap_fits(const gs_freemap *fm, int pool, int gpus);
int gs_freemap_take(gs_freemap *fm, int pool, int gpus);
void gs_freemap_give_job(gs_freemap *fm, const gs_sim *sim, uint32_t job);
int gs_freemap_pool_free(const gs_freemap *fm, int pool);

/* registry.h */
const gs_policy_ops *gs_policy_find(const char *name);
size_t gs_policy_count(void);
const gs_policy_ops *gs_policy_at(size_t i);
int gs_policy_resolve(const char *name, const gs_policy_ops **ops, gs_err *err);
int gs_policy_is_path(const char *name);
char *gs_policy_plugin_find(const char *name, gs_err *err);
int gs_policy_plugin_load(const char *path, const gs_policy_ops **ops, gs_err *err);

/* sim.h */
typedef void (*gs_log_fn)(void *ctx, int level, double t, const char *msg);
typedef struct gs_sim_opts {
    const gs_policy_ops *policy_ops; const char *policy; uint64_t seed;
    double restart_delay; double fail_delay; double checkpoint_interval; int graceful;
    double round_length; double until;
    int max_failures; double knowledge_error; double viability_error; uint64_t knowledge_seed;
    const void *classes; const char *const *params; size_t nparams; gs_log_fn log; void *log_ctx; int log_level;
    int timing; int check_invariants; void (*progress)(void *ctx, const gs_sim *sim); void *progress_ctx;
} gs_sim_opts;
void gs_sim_opts_init(gs_sim_opts *o);
gs_sim *gs_sim_new(const gs_trace *trace, const gs_cluster *cluster, const gs_scaledb *db,
                   const gs_sim_opts *opts, gs_err *err);
void gs_sim_free(gs_sim *sim);
int gs_sim_run(gs_sim *sim, gs_err *err);
gs_time gs_sim_now(const gs_sim *sim);
const gs_cluster *gs_sim_cluster(const gs_sim *sim);
const gs_scaledb *gs_sim_knowledge(const gs_sim *sim);
size_t gs_sim_njobs(const gs_sim *sim);
const gs_job *gs_sim_job(const gs_sim *sim, uint32_t j);
#define GS_JOB_NONE 4294967295
size_t gs_sim_queue_len(const gs_sim *sim);
uint32_t gs_sim_queue_first(const gs_sim *sim);
uint32_t gs_sim_queue_next(const gs_sim *sim, uint32_t j);
size_t gs_sim_running_len(const gs_sim *sim);
uint32_t gs_sim_running_first(const gs_sim *sim);
uint32_t gs_sim_running_next(const gs_sim *sim, uint32_t j);
int gs_sim_pool_free(const gs_sim *sim, int pool);
double gs_sim_job_done(const gs_sim *sim, uint32_t j);
double gs_sim_job_rate(const gs_sim *sim, uint32_t j);
int gs_sim_job_restarting(const gs_sim *sim, uint32_t j);
double gs_sim_job_progress(const gs_sim *sim, uint32_t j);
double gs_sim_job_ready_at(const gs_sim *sim, uint32_t j);
int gs_sim_param_get(const gs_sim *sim, const char *key, double def, double *value, gs_err *err);
double gs_sim_uniform(gs_sim *sim);
int gs_sim_stat_set(gs_sim *sim, const char *key, double value);
typedef struct gs_run_meta {
    const char *command; const char *const *input_names; const char *const *input_paths;
    size_t ninputs;
} gs_run_meta;
char *gs_sim_summary_json(const gs_sim *sim, const gs_run_meta *meta, gs_err *err);
typedef struct gs_results gs_results;
gs_results *gs_results_begin(gs_sim *sim, const char *dir, int force, int timeline,
                             double sample_interval, gs_err *err);
int gs_results_commit(gs_results *r, const gs_run_meta *meta, gs_err *err);
void gs_results_abort(gs_results *r);

/* merge.h */
typedef struct gs_merge gs_merge;
gs_merge *gs_merge_new(gs_err *err);
void gs_merge_free(gs_merge *m);
int gs_merge_add(gs_merge *m, const char *path, gs_err *err);
size_t gs_merge_nruns(const gs_merge *m);
int gs_merge_write_runs(const gs_merge *m, FILE *fp, gs_err *err);
int gs_merge_write_jobs(const gs_merge *m, FILE *fp, gs_err *err);
"""

# From the C library (cffi's dlopen(None)): files for the writers that take a FILE *.
LIBC_CDEF = """
FILE *fopen(const char *path, const char *mode);
int fclose(FILE *fp);
void free(void *p);
"""

# The structs whose layout the test compares with the C compiler's.
STRUCTS = ["gs_err", "gs_event", "gs_trace_job", "gs_trace_stats", "gs_trace", "gs_pool",
           "gs_alloc", "gs_job", "gs_action", "gs_plan", "gs_policy_param", "gs_policy_ops",
           "gs_freemap", "gs_sim_opts", "gs_run_meta"]


class GpusimError(Exception):
    """An error of the C library: code is the GS_E* status, the message says what and where."""

    def __init__(self, message, code=-2):
        super().__init__(message)
        self.code = code


ffi = FFI()
ffi.cdef(CDEF)
ffi.cdef(LIBC_CDEF)


def _candidates():
    """Where the library may be, in the order tried."""
    env = os.environ.get("GPUSIM_LIBRARY")
    if env:
        return [env]
    found = []
    try:  # written by cmake --install: the library relative to this package
        from . import _install
        found.append(os.path.normpath(os.path.join(os.path.dirname(__file__), _install.LIBRARY)))
    except ImportError:
        pass
    found.append("libgpusim.so.%s" % VERSION.split(".")[0])  # the dynamic loader's search
    return found


def _load():
    errors = []
    for path in _candidates():
        try:
            return ffi.dlopen(path), path
        except OSError as e:
            errors.append("%s: %s" % (path, e))
    raise ImportError("gpusim: cannot load libgpusim (set GPUSIM_LIBRARY to its path): " +
                      "; ".join(errors))


lib, library_path = _load()
libc = ffi.dlopen(None)

if ffi.string(lib.gs_version()).decode() != VERSION or lib.gs_policy_abi() != POLICY_ABI:
    raise ImportError("gpusim: the Python package %s (policy ABI %d) does not match libgpusim %s "
                      "(policy ABI %d) at %s" % (VERSION, POLICY_ABI,
                                                ffi.string(lib.gs_version()).decode(),
                                                lib.gs_policy_abi(), library_path))
# A struct declared unlike the library's would corrupt memory: refuse to go on. (The test
# compares every field's offset too.)
for _s in STRUCTS:
    if lib.gs_type_size(_s.encode()) != ffi.sizeof(_s):
        raise ImportError("gpusim: python/gpusim/_lib.py declares %s in %d bytes, libgpusim at %s "
                          "has %d: update the declaration from include/gpusim/" %
                          (_s, ffi.sizeof(_s), library_path, lib.gs_type_size(_s.encode())))


def new_err():
    return ffi.new("gs_err *")


def check(rc, err):
    """Raises GpusimError for a failed call (rc < 0), with the library's message."""
    if rc is None or rc < 0:
        code = err.code if err.code else (rc if rc is not None else -2)
        msg = ffi.string(err.msg).decode(errors="replace") if err.code else \
            ffi.string(lib.gs_strerror(code)).decode()
        raise GpusimError(msg, code)
    return rc


def text(p):
    """A C string as str ("" for NULL)."""
    return ffi.string(p).decode(errors="replace") if p != ffi.NULL else ""


def data_dir():
    """gpusim's data directory (bundled configs/ and traces/); "" when there is none."""
    n = lib.gs_data_dir(ffi.NULL, 0)
    buf = ffi.new("char[]", n + 1)
    lib.gs_data_dir(buf, n + 1)
    return ffi.string(buf).decode()


def resolve(subdir, name, ext):
    """A path, or a bare name looked up in the data directory (gs_data_resolve)."""
    err = new_err()
    p = lib.gs_data_resolve(subdir.encode(), os.fsencode(name), ext.encode() if ext else ffi.NULL,
                            err)
    if p == ffi.NULL:
        check(-1, err)
    try:
        return os.fsdecode(ffi.string(p))
    finally:
        lib.gs_free(p)


def version():
    """The version of libgpusim."""
    return text(lib.gs_version())
