/* SPDX-License-Identifier: Apache-2.0 */
/* Files in and out: gpusim's data directory, checksums, atomic result folders and atomic single
 * files. */
#ifndef GPUSIM_IO_H
#define GPUSIM_IO_H

#include <stddef.h>
#include <stdio.h>

#include "gpusim/err.h"

/* gpusim's data directory, which holds the bundled configs/ and traces/: $GPUSIM_DATA_DIR when
 * it is set and not empty; else, for an installed gpusim, share/gpusim of the installation,
 * found relative to the installed library or program (so an installation can be moved as a
 * whole); else, for a library or program in its build folder, the source checkout it was built
 * from. Writes it NUL-terminated into buf (at most size bytes, truncated to fit) and returns its
 * length; 0 (and "") when there is none. */
size_t gs_data_dir(char *buf, size_t size);

/* Resolves an input given as a path or as a bare name: a name that exists as a file, or that
 * contains '/', is used as it is; otherwise it is looked up as <data dir>/<subdir>/<name>, then
 * with ext appended (ext may be NULL): gs_data_resolve("configs/clusters", "default", ".json").
 * Returns a malloc'd path (release with free, or gs_free from other languages), or NULL with err
 * filled (GS_EIO naming the name and the folder searched, GS_ENOMEM). */
char *gs_data_resolve(const char *subdir, const char *name, const char *ext, gs_err *err);

/* Releases memory gpusim allocated and handed over (for callers without the C library's free,
 * such as Python's cffi). gs_free(NULL) does nothing. */
void gs_free(void *p);

/* SHA-256 of len bytes at data, written as 64 lowercase hex digits plus NUL into hex. */
void gs_sha256_hex(const void *data, size_t len, char hex[65]);

/* SHA-256 of the file at path. Returns GS_OK or GS_EIO. */
int gs_sha256_file(const char *path, char hex[65], gs_err *err);

/* Outputs never clobber. A result folder or file is written to a temporary sibling
 * (".NAME.tmp-XXXXXX") and renamed to its name only when complete, so a failed or interrupted run
 * leaves no partial result under that name, and parent folders made for a failed run are removed
 * again. A symbolic link to a regular file or folder is followed (its target is replaced, the
 * link stays). A file target that is a character device or a FIFO (/dev/null, a terminal, a
 * pipe) is written in place, and /dev/stdout is standard output, as "-" is; a folder, a block
 * device, a socket or a dangling link is refused. A folder target must be a folder (or nothing). */

struct gs__outreg; /* what an unfinished output created (private) */

/* An output folder written atomically. */
typedef struct gs_outdir {
    char *final; /* owned copies */
    char *tmp;
    int force;
    struct gs__outreg *reg;
} gs_outdir;

/* Checks, before any work, that final can be written as a result folder: nothing there (and the
 * nearest existing parent is a folder we can write into), or a folder when force is set. "-" is
 * accepted (standard output). Returns GS_OK or GS_EIO (a clear message: exists, not a folder,
 * not writable). Creates nothing. */
int gs_outdir_check(const char *final, int force, gs_err *err);

/* Checks final as gs_outdir_check does, creates missing parent folders and the temporary folder.
 * On success the caller must end with commit or abort. */
int gs_outdir_begin(gs_outdir *od, const char *final, int force, gs_err *err);

/* Path of file name inside the temporary folder; malloc'd, caller frees (NULL on ENOMEM). Files
 * made through this path are not known to the signal clean-up: prefer gs_outdir_fopen. */
char *gs_outdir_path(const gs_outdir *od, const char *name);

/* Opens name inside the temporary folder for writing ("w"). NULL and err filled on failure. */
FILE *gs_outdir_fopen(const gs_outdir *od, const char *name, gs_err *err);

/* Writes file name of the folder with fn(ctx, fp, err); a write or close error becomes GS_EIO
 * naming the file. Returns GS_OK, fn's error or GS_EIO. */
typedef int (*gs_outdir_fn)(const void *ctx, FILE *fp, gs_err *err);
int gs_outdir_write(const gs_outdir *od, const char *name, gs_outdir_fn fn, const void *ctx,
                    gs_err *err);
/* Writes text and a final newline as file name of the folder. */
int gs_outdir_write_text(const gs_outdir *od, const char *name, const char *text, gs_err *err);

/* Moves the temporary folder to its final name (replacing an existing folder when force was
 * given) and releases od. Returns GS_OK or GS_EIO (od is then aborted). */
int gs_outdir_commit(gs_outdir *od, gs_err *err);

/* Removes the temporary folder and the parent folders made for it, and releases od. Safe to call
 * on a released od. */
void gs_outdir_abort(gs_outdir *od);

/* An output file. path "-" and "/dev/stdout" write to stdout directly (commit flushes, abort
 * does nothing); a device or FIFO is written in place (commit closes it); anything else as the
 * rules above say. */
typedef struct gs_outfile {
    FILE *fp;
    char *final;
    char *tmp;
    int inplace;
    struct gs__outreg *reg;
} gs_outfile;

/* Checks, before any work, that path can be written: "-", nothing there (the nearest existing
 * parent being a writable folder), a regular file, a device or FIFO, or a link to one. Returns
 * GS_OK or GS_EIO with a clear message. Creates nothing. */
int gs_outfile_check(const char *path, gs_err *err);
int gs_outfile_open(gs_outfile *of, const char *path, gs_err *err);
/* Closes and renames; checks every write succeeded. Returns GS_OK or GS_EIO. */
int gs_outfile_commit(gs_outfile *of, gs_err *err);
/* Removes the temporary file and the parent folders made for it. Safe on a released of. */
void gs_outfile_abort(gs_outfile *of);

/* Installs handlers for SIGINT, SIGTERM and SIGHUP (those not ignored) that remove the
 * temporaries of every unfinished output (and the parent folders made for them), then end the
 * process as killed by that signal (exit status 128 + signal: 130, 143, 129). Programs call it
 * once at start; a library embedding gpusim may leave it out. Returns GS_OK or GS_EINVAL. */
int gs_io_cleanup_on_signals(void);

/* Holds SIGINT, SIGTERM and SIGHUP back until the matching gs_io_release_signals(), so that a
 * command that commits several outputs does it as one step: an interrupt lands before all of
 * them or after all of them. Calls nest. */
void gs_io_hold_signals(void);
void gs_io_release_signals(void);

/* Removes a folder tree (files and folders below it). Returns 0 or -1. */
int gs_rmtree(const char *path);

#endif
