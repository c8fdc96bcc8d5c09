/* SPDX-License-Identifier: Apache-2.0 */
/* The policy registry: the one place where a policy name becomes code (registry.h), for the
 * built-in policies and for plug-ins loaded from shared objects. */
#include "gpusim/registry.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy_list.h" /* generated from the files of policies/ (cmake/policy_list.cmake) */
#include "util_int.h"

/* The built-in policies: every policies/<name>.c that defines gs_policy_<name>. */
#define GS_POLICY_EXTERN_(sym) extern const gs_policy_ops gs_policy_##sym;
GS_POLICY_LIST(GS_POLICY_EXTERN_)
#undef GS_POLICY_EXTERN_

#define GS_POLICY_ADDR_(sym) &gs_policy_##sym,
static const gs_policy_ops *const registry[] = {GS_POLICY_LIST(GS_POLICY_ADDR_)};
#undef GS_POLICY_ADDR_

#define NREG (sizeof(registry) / sizeof(registry[0]))

/* The knowledge levels in the order policies are listed (the CLOUDSTARS D2.1 report's, from
 * knowing least to most); a policy without a known level comes last. */
static int knowledge_rank(const gs_policy_ops *p)
{
    static const char *const levels[] = {"uninformed", "offline-informed", "online-informed",
                                         "hybrid"};
    size_t i;

    for (i = 0; p->knowledge && i < sizeof(levels) / sizeof(levels[0]); i++)
        if (!strcmp(p->knowledge, levels[i]))
            return (int)i;
    return (int)(sizeof(levels) / sizeof(levels[0]));
}

static int listed_before(const gs_policy_ops *a, const gs_policy_ops *b)
{
    int ra = knowledge_rank(a), rb = knowledge_rank(b);

    return ra != rb ? ra < rb : strcmp(a->name, b->name) < 0;
}

const gs_policy_ops *gs_policy_find(const char *name)
{
    size_t i;

    for (i = 0; i < NREG; i++)
        if (!strcmp(registry[i]->name, name))
            return registry[i];
    return NULL;
}

size_t gs_policy_count(void)
{
    return NREG;
}

const gs_policy_ops *gs_policy_at(size_t i)
{
    size_t k, m;

    /* the entry with exactly i entries listed before it (a handful of entries: no sorted copy
     * to keep) */
    for (k = 0; k < NREG; k++) {
        size_t before = 0;
        for (m = 0; m < NREG; m++)
            before += m != k && listed_before(registry[m], registry[k]);
        if (before == i)
            return registry[k];
    }
    return NULL;
}

int gs_policy_is_path(const char *name)
{
    size_t n = strlen(name);

    return strchr(name, '/') != NULL || (n > 3 && !strcmp(name + n - 3, ".so"));
}

/* Whether path is a regular file. */
static int is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *gs_policy_plugin_find(const char *name, gs_err *err)
{
    const char *path = getenv("GPUSIM_POLICY_PATH"), *p, *e;
    gs__buf b = {0};

    if (gs_policy_is_path(name)) {
        char *c = gs__strdup(name);
        if (!c)
            gs_errorf(err, GS_ENOMEM, "out of memory");
        return c;
    }
    for (p = path; p && *p; p = *e ? e + 1 : e) {
        e = strchr(p, ':');
        if (!e)
            e = p + strlen(p);
        if (e == p)
            continue;
        b.len = 0;
        if (gs__buf_printf(&b, "%.*s/%s.so", (int)(e - p), p, name) != GS_OK) {
            gs__buf_release(&b);
            gs_errorf(err, GS_ENOMEM, "out of memory");
            return NULL;
        }
        if (is_file(b.data))
            return b.data;
    }
    gs__buf_release(&b);
    gs_errorf(err, GS_ENOTFOUND, "no policy plug-in '%s.so' on GPUSIM_POLICY_PATH", name);
    return NULL;
}

/* The checks gs_sim_new makes, with messages that name the plug-in and say what to do. */
static int check_plugin(const char *path, const gs_policy_ops *ops, gs_err *err)
{
    if (ops->abi != GS_POLICY_ABI)
        return gs_errorf(err, GS_EINVAL,
                         "policy plug-in '%s' was built for policy ABI %d, this gpusim "
                         "implements ABI %d (rebuild it against this gpusim's headers)",
                         path, ops->abi, GS_POLICY_ABI);
    if (!ops->name || !*ops->name || !ops->init || !ops->schedule || !ops->destroy)
        return gs_errorf(err, GS_EINVAL,
                         "policy plug-in '%s': its %s lacks %s (name, init, schedule and "
                         "destroy are required)",
                         path, GS_POLICY_PLUGIN_SYMBOL,
                         !ops->name || !*ops->name ? "a name"
                         : !ops->init              ? "init"
                         : !ops->schedule          ? "schedule"
                                                   : "destroy");
    if (gs_policy_find(ops->name))
        return gs_errorf(err, GS_EINVAL,
                         "policy plug-in '%s' calls its policy '%s', the name of a built-in "
                         "policy (rename it)",
                         path, ops->name);
    return GS_OK;
}

int gs_policy_plugin_load(const char *path, const gs_policy_ops **ops, gs_err *err)
{
    void *h;
    const gs_policy_ops *p;
    char *file = NULL;
    int rc;

    *ops = NULL;
    /* dlopen searches the library path for a name without '/': a plug-in is always a file */
    if (!strchr(path, '/')) {
        if (!(file = gs__path_join(".", path)))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
    }
    if (!is_file(file ? file : path)) {
        free(file);
        return gs_errorf(err, GS_EIO, "cannot load policy plug-in '%s': no such file", path);
    }
    h = dlopen(file ? file : path, RTLD_NOW | RTLD_LOCAL);
    free(file);
    if (!h)
        return gs_errorf(err, GS_EIO, "cannot load policy plug-in '%s': %s", path, dlerror());
    p = dlsym(h, GS_POLICY_PLUGIN_SYMBOL);
    if (!p) {
        dlclose(h);
        return gs_errorf(err, GS_EINVAL,
                         "policy plug-in '%s' exports no '%s' (a const gs_policy_ops; "
                         "docs/extending.md)",
                         path, GS_POLICY_PLUGIN_SYMBOL);
    }
    if ((rc = check_plugin(path, p, err)) != GS_OK) {
        dlclose(h);
        return rc;
    }
    /* the handle stays open: the ops live in the plug-in until the process ends */
    *ops = p;
    return GS_OK;
}

/* The message of an unknown name: the built-in names, and where plug-ins were looked for. */
static int unknown(const char *name, gs_err *err)
{
    gs__buf names = {0};
    const char *pp = getenv("GPUSIM_POLICY_PATH");
    size_t i;

    for (i = 0; i < gs_policy_count(); i++)
        gs__buf_printf(&names, "%s%s", i ? ", " : "", gs_policy_at(i)->name);
    gs_errorf(err, GS_ENOTFOUND,
              "unknown policy '%s' (valid policies: %s; or a plug-in: a path to a .so, or "
              "NAME.so on GPUSIM_POLICY_PATH%s%s)",
              name, names.data ? names.data : "", pp && *pp ? ", now " : ", which is not set",
              pp && *pp ? pp : "");
    gs__buf_release(&names);
    return GS_ENOTFOUND;
}

int gs_policy_resolve(const char *name, const gs_policy_ops **ops, gs_err *err)
{
    gs_err e = {0};
    char *path;
    int rc;

    if ((*ops = gs_policy_find(name)) != NULL)
        return GS_OK;
    if (!(path = gs_policy_plugin_find(name, &e))) {
        if (e.code != GS_ENOTFOUND)
            return gs_errorf(err, e.code, "%s", e.msg);
        return unknown(name, err);
    }
    rc = gs_policy_plugin_load(path, ops, err);
    free(path);
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Calls fn with every NAME.so of one folder, in byte order of the names. */
static int scan_dir(const char *dir, int (*fn)(void *, const char *), void *ctx, gs_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = GS_OK;

    if (!d)
        return GS_OK; /* a folder on the path that does not exist holds no plug-in */
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len <= 3 || strcmp(de->d_name + len - 3, ".so") || de->d_name[0] == '.')
            continue;
        if (GS_GROW(names, cap, n + 1) != GS_OK || !(names[n] = gs__path_join(dir, de->d_name))) {
            rc = gs_errorf(err, GS_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == GS_OK && n)
        qsort(names, n, sizeof(*names), name_cmp);
    for (i = 0; i < n; i++) {
        if (rc == GS_OK && is_file(names[i]))
            rc = fn(ctx, names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int gs_policy_plugin_scan(int (*fn)(void *ctx, const char *path), void *ctx, gs_err *err)
{
    const char *path = getenv("GPUSIM_POLICY_PATH"), *p, *e;
    int rc = GS_OK;

    for (p = path; p && *p && rc == GS_OK; p = *e ? e + 1 : e) {
        char *dir;
        e = strchr(p, ':');
        if (!e)
            e = p + strlen(p);
        if (e == p)
            continue;
        if (!(dir = malloc((size_t)(e - p) + 1)))
            return gs_errorf(err, GS_ENOMEM, "out of memory");
        memcpy(dir, p, (size_t)(e - p));
        dir[e - p] = '\0';
        rc = scan_dir(dir, fn, ctx, err);
        free(dir);
    }
    return rc;
}

gs_sim *gs_sim_new_named(const gs_trace *trace, const gs_cluster *cluster, const gs_scaledb *db,
                         const gs_sim_opts *opts, gs_err *err)
{
    gs_sim_opts o;

    if (opts)
        o = *opts;
    else
        gs_sim_opts_init(&o);
    if (!o.policy_ops &&
        gs_policy_resolve(o.policy ? o.policy : "fifo", &o.policy_ops, err) != GS_OK)
        return NULL;
    return gs_sim_new(trace, cluster, db, &o, err);
}
