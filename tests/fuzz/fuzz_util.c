/* SPDX-License-Identifier: Apache-2.0 */
/* Private folder and file helpers of the libFuzzer harnesses. */
#include "fuzz_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gpusim/io.h"

static char dir[4096];

static void cleanup(void)
{
    if (dir[0])
        gs_rmtree(dir);
}

const char *gs_fuzz_path(const char *name)
{
    static char path[4352];

    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof(dir), "%s/gs-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(dir)) {
            perror("gs-fuzz: mkdtemp");
            abort();
        }
        atexit(cleanup);
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

const char *gs_fuzz_write(const char *name, const uint8_t *data, size_t size)
{
    const char *p = gs_fuzz_path(name);
    FILE *fp = fopen(p, "wb");

    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
        perror("gs-fuzz: write");
        abort();
    }
    return p;
}

void gs_fuzz_split(const uint8_t *data, size_t size, size_t *head, const uint8_t **tail,
                   size_t *tail_size)
{
    size_t i;

    for (i = 0; i + 2 <= size; i++) {
        if ((i == 0 || data[i - 1] == '\n') && data[i] == '%' && data[i + 1] == '%' &&
            (i + 2 == size || data[i + 2] == '\n')) {
            *head = i;
            *tail = data + (i + 3 <= size ? i + 3 : size);
            *tail_size = size - (size_t)(*tail - data);
            return;
        }
    }
    *head = size;
    *tail = data + size;
    *tail_size = 0;
}

const char *gs_fuzz_source(const char *rel)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s/%s", GS_SOURCE_DIR, rel);
    return path;
}
