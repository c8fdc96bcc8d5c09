/* SPDX-License-Identifier: Apache-2.0 */
/* Base's readers on hostile input (src/base/internal/csv_int.h, json_int.h, util_int.h: private
 * helpers, tested here as the helpers every loader is built on; docs/limits.md): each limit holds
 * exactly at its bound and one byte past it is a located error; NUL bytes and duplicate JSON keys
 * are refused; error messages are one line, escaped and cut short whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "csv_int.h"
#include "json_int.h"
#include "testutil.h"
#include "util_int.h"

/* ---- CSV ---- */

typedef struct seen {
    long records;
    size_t last_nf, longest;
    long last_line;
} seen;

static int count_rows(void *ctx, const gs__csv_field *f, size_t n, long line, gs_err *err)
{
    seen *s = ctx;
    size_t i;

    (void)err;
    s->records++;
    s->last_nf = n;
    s->last_line = line;
    for (i = 0; i < n; i++)
        if (f[i].len > s->longest)
            s->longest = f[i].len;
    return 0;
}

/* "h\n" then one record of nf fields of flen bytes each ('7'), then "\n" */
static char *record(size_t nf, size_t flen, size_t *len)
{
    size_t n = 2 + nf * flen + (nf - 1) + 1, i, o = 0;
    char *b = malloc(n + 1);

    ck_assert_ptr_nonnull(b);
    memcpy(b, "h\n", 2);
    o = 2;
    for (i = 0; i < nf; i++) {
        memset(b + o, '7', flen);
        o += flen;
        b[o++] = i + 1 < nf ? ',' : '\n';
    }
    b[o] = '\0';
    ck_assert_uint_eq(o, n);
    *len = n;
    return b;
}

static int read_mem(const char *data, size_t len, seen *s, gs_err *err)
{
    memset(s, 0, sizeof(*s));
    gs_err_clear(err);
    return gs__csv_read_mem("in.csv", data, len, count_rows, s, err);
}

START_TEST(csv_field_limit)
{
    seen s;
    gs_err err;
    size_t len;
    char *b = record(1, GS_CSV_MAX_FIELD, &len);

    ck_assert_int_eq(read_mem(b, len, &s, &err), GS_OK);
    ck_assert_int_eq(s.records, 2);
    ck_assert_uint_eq(s.longest, GS_CSV_MAX_FIELD);
    free(b);
    b = record(1, GS_CSV_MAX_FIELD + 1, &len);
    ck_assert_int_eq(read_mem(b, len, &s, &err), GS_EPARSE);
    ck_assert_int_eq(s.records, 1); /* the header only */
    ck_assert_str_eq(err.msg, "'in.csv' line 2: field 1 is longer than the limit of 65536 bytes");
    free(b);
}
END_TEST

START_TEST(csv_record_limit)
{
    seen s;
    gs_err err;
    size_t len;
    /* 16 fields of 65535 bytes, 15 commas and the newline: exactly the limit of one record */
    char *b = record(16, GS_CSV_MAX_FIELD - 1, &len);

    ck_assert_uint_eq(len - 2, GS_CSV_MAX_RECORD);
    ck_assert_int_eq(read_mem(b, len, &s, &err), GS_OK);
    ck_assert_int_eq(s.records, 2);
    ck_assert_uint_eq(s.last_nf, 16);
    free(b);
    /* one byte more (every field still within its own limit) */
    b = record(16, GS_CSV_MAX_FIELD - 1, &len);
    b = realloc(b, len + 2);
    ck_assert_ptr_nonnull(b);
    memmove(b + 3, b + 2, len - 2 + 1);
    b[2] = '7';
    len++;
    ck_assert_int_eq(read_mem(b, len, &s, &err), GS_EPARSE);
    ck_assert_str_eq(err.msg, "'in.csv' line 2: a record longer than the limit of 1048576 bytes");
    /* from a file, where long lines are read in pieces */
    {
        char *path = gs_test_tmpfile(b, ".csv");
        memset(&s, 0, sizeof(s));
        gs_err_clear(&err);
        ck_assert_int_eq(gs__csv_read(path, count_rows, &s, &err), GS_EPARSE);
        ck_assert_ptr_nonnull(strstr(err.msg, "line 2: a record longer than the limit"));
        unlink(path);
        free(path);
    }
    free(b);
}
END_TEST

START_TEST(csv_record_limit_across_lines)
{
    /* a quoted field that never ends: many short lines, one record; named by its first line */
    seen s;
    gs_err err;
    gs__buf b = {0};
    long i;

    ck_assert_int_eq(gs__buf_append(&b, "h\nok\n\"", 6), GS_OK);
    for (i = 0; i < 120000; i++) /* 1.08 MB */
        ck_assert_int_eq(gs__buf_append(&b, "abcdefgh\n", 9), GS_OK);
    ck_assert_int_eq(read_mem(b.data, b.len, &s, &err), GS_EPARSE);
    ck_assert_int_eq(s.records, 2);
    ck_assert_str_eq(err.msg, "'in.csv' line 3: a record longer than the limit of 1048576 bytes");
    gs__buf_release(&b);
}
END_TEST

START_TEST(csv_field_count_limit)
{
    seen s;
    gs_err err;
    size_t len;
    char *b = record(GS_CSV_MAX_FIELDS, 1, &len);

    ck_assert_int_eq(read_mem(b, len, &s, &err), GS_OK);
    ck_assert_uint_eq(s.last_nf, GS_CSV_MAX_FIELDS);
    free(b);
    b = record(GS_CSV_MAX_FIELDS + 1, 1, &len);
    ck_assert_int_eq(read_mem(b, len, &s, &err), GS_EPARSE);
    ck_assert_str_eq(err.msg, "'in.csv' line 2: more than 4096 fields");
    free(b);
}
END_TEST

START_TEST(csv_nul_byte)
{
    static const char plain[] = "h\n1\n2\0"
                                "999\n";
    static const char quoted[] = "h\n\"a\nb\",1\n\"x\ny\0z\"\n";
    seen s;
    gs_err err;

    /* "2\0999" must not read as 2 */
    ck_assert_int_eq(read_mem(plain, sizeof(plain) - 1, &s, &err), GS_EPARSE);
    ck_assert_int_eq(s.records, 2);
    ck_assert_str_eq(err.msg, "'in.csv' line 3: NUL byte in the file");
    /* inside a quoted field spanning lines: the line of the NUL itself */
    ck_assert_int_eq(read_mem(quoted, sizeof(quoted) - 1, &s, &err), GS_EPARSE);
    ck_assert_str_eq(err.msg, "'in.csv' line 5: NUL byte in the file");
    /* through a file too */
    {
        char *path = gs_test_tmpfile("h\n1\n", ".csv");
        FILE *fp = fopen(path, "ab");
        ck_assert_ptr_nonnull(fp);
        ck_assert_uint_eq(fwrite("2\0"
                                 "9\n",
                                 1, 4, fp),
                          4);
        fclose(fp);
        memset(&s, 0, sizeof(s));
        gs_err_clear(&err);
        ck_assert_int_eq(gs__csv_read(path, count_rows, &s, &err), GS_EPARSE);
        ck_assert_ptr_nonnull(strstr(err.msg, "line 3: NUL byte"));
        unlink(path);
        free(path);
    }
}
END_TEST

/* ---- JSON ---- */

static int parse(const char *text, gs_err *err)
{
    gs__jdoc d;
    int rc;

    gs_err_clear(err);
    rc = gs__jdoc_parse(&d, "c.json", text, err);
    if (rc == GS_OK)
        gs__jdoc_release(&d);
    return rc;
}

static char *nested(int depth, const char *inner)
{
    size_t n = strlen(inner);
    char *b = malloc(2 * (size_t)depth + n + 1);

    ck_assert_ptr_nonnull(b);
    memset(b, '[', (size_t)depth);
    memcpy(b + depth, inner, n);
    memset(b + depth + n, ']', (size_t)depth);
    b[2 * depth + n] = '\0';
    return b;
}

START_TEST(json_depth_limit)
{
    gs_err err;
    char *t = nested(GS_JSON_MAX_DEPTH, "1");
    char inner[200];

    ck_assert_int_eq(parse(t, &err), GS_OK);
    free(t);
    t = nested(GS_JSON_MAX_DEPTH + 1, "1");
    ck_assert_int_eq(parse(t, &err), GS_EPARSE);
    ck_assert_str_eq(err.msg, "'c.json' line 1: nested deeper than the limit of 64");
    free(t);
    /* brackets inside strings (escaped quotes included) are not nesting */
    memset(inner, '[', sizeof(inner));
    memcpy(inner, "\"\\\"", 3);
    inner[sizeof(inner) - 2] = '"';
    inner[sizeof(inner) - 1] = '\0';
    t = nested(GS_JSON_MAX_DEPTH, inner);
    ck_assert_int_eq(parse(t, &err), GS_OK);
    free(t);
    /* the line of the bracket that goes too deep */
    t = nested(GS_JSON_MAX_DEPTH + 1, "1");
    {
        size_t n = strlen(t);
        char *u = malloc(n + 2);
        ck_assert_ptr_nonnull(u);
        memcpy(u, t, GS_JSON_MAX_DEPTH);
        u[GS_JSON_MAX_DEPTH] = '\n';
        memcpy(u + GS_JSON_MAX_DEPTH + 1, t + GS_JSON_MAX_DEPTH, n - GS_JSON_MAX_DEPTH + 1);
        free(t);
        t = u;
    }
    ck_assert_int_eq(parse(t, &err), GS_EPARSE);
    ck_assert_str_eq(err.msg, "'c.json' line 2: nested deeper than the limit of 64");
    free(t);
}
END_TEST

START_TEST(json_duplicate_keys)
{
    gs_err err;

    ck_assert_int_eq(parse("{\"a\": 1,\n \"a\": 2}", &err), GS_EPARSE);
    ck_assert_str_eq(err.msg, "'c.json' line 2: field 'a': given twice");
    /* deep in the tree: the path and the line of the second one */
    ck_assert_int_eq(parse("{\"g\": [{\"k\": 1},\n {\"k\": 2,\n \"x\": 0,\n \"k\": 3}]}", &err),
                     GS_EPARSE);
    ck_assert_str_eq(err.msg, "'c.json' line 4: field 'g[1].k': given twice");
    /* even with the same value */
    ck_assert_int_eq(parse("{\"o\": {\"v\": true, \"v\": true}}", &err), GS_EPARSE);
    ck_assert_str_eq(err.msg, "'c.json' line 1: field 'o.v': given twice");
    /* the same key in sibling objects, keys differing in case, a key that is another's prefix */
    ck_assert_int_eq(parse("[{\"k\": 1}, {\"k\": 2, \"K\": 3, \"kk\": 4}]", &err), GS_OK);
}
END_TEST

START_TEST(json_nul_byte)
{
    gs_err err = {0};
    gs__jdoc d;
    char *path = gs_test_tmpfile("{\"a\":\n \"b", ".json");
    FILE *fp = fopen(path, "ab");

    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite("\0c\"}\n", 1, 5, fp), 5);
    fclose(fp);
    ck_assert_int_eq(gs__jdoc_load(&d, path, &err), GS_EPARSE);
    ck_assert_ptr_nonnull(strstr(err.msg, "line 2: NUL byte in the file"));
    unlink(path);
    free(path);
}
END_TEST

/* a sparse file of exactly size bytes (zeros) */
static char *sized_file(off_t size)
{
    char *path = gs_test_tmpfile("", ".bin");
    int fd = open(path, O_WRONLY);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, size), 0);
    close(fd);
    return path;
}

START_TEST(read_file_limit)
{
    gs_err err = {0};
    char *text = NULL, *path = sized_file((off_t)GS_READ_MAX);
    size_t len = 0;

    ck_assert_int_eq(gs__read_file(path, &text, &len, &err), GS_OK);
    ck_assert_uint_eq(len, GS_READ_MAX);
    free(text);
    unlink(path);
    free(path);
    path = sized_file((off_t)GS_READ_MAX + 1);
    ck_assert_int_eq(gs__read_file(path, &text, &len, &err), GS_EPARSE);
    ck_assert_ptr_null(text);
    ck_assert_ptr_nonnull(strstr(err.msg, "is larger than the limit of 64 MiB"));
    unlink(path);
    free(path);
    /* a stream without end stops at the limit too */
    gs_err_clear(&err);
    ck_assert_int_eq(gs__read_file("/dev/zero", &text, &len, &err), GS_EPARSE);
    ck_assert_ptr_null(text);
}
END_TEST

/* ---- one-line error messages ---- */

START_TEST(one_line_escapes)
{
    char out[64];
    gs_err err = {0};

    gs__one_line(out, sizeof(out),
                 "a\nb\tc\rd\033[31me\x7f"
                 "f\x01");
    ck_assert_str_eq(out, "a\\nb\\tc\\rd\\x1b[31me\\x7ff\\x01");
    /* UTF-8 text passes as it is */
    gs__one_line(out, sizeof(out), "caf\xc3\xa9 \xe2\x82\xac");
    ck_assert_str_eq(out, "caf\xc3\xa9 \xe2\x82\xac");
    /* through gs_errorf, whatever the format put in */
    gs_errorf(&err, GS_EPARSE, "'%s' line %d: bad", "x\ny", 3);
    ck_assert_str_eq(err.msg, "'x\\ny' line 3: bad");
    ck_assert_ptr_null(strchr(err.msg, '\n'));
}
END_TEST

START_TEST(one_line_cut_short)
{
    char out[16], big[5000];
    gs_err err = {0};
    size_t i;

    /* exactly what fits is not cut */
    gs__one_line(out, sizeof(out), "123456789012345");
    ck_assert_str_eq(out, "123456789012345");
    gs__one_line(out, sizeof(out), "1234567890123456");
    ck_assert_str_eq(out, "123456789012...");
    /* an escape is never cut in half */
    gs__one_line(out, sizeof(out), "ab\x01\x01\x01\x01");
    ck_assert_str_eq(out, "ab\\x01\\x01...");
    gs__one_line(out, sizeof(out), "abcdefghij\n\n\n");
    ck_assert_str_eq(out, "abcdefghij\\n...");
    /* nor is a UTF-8 character */
    gs__one_line(out, sizeof(out), "abcdefghij\xe2\x82\xac\xe2\x82\xac");
    ck_assert_str_eq(out, "abcdefghij...");
    gs__one_line(out, sizeof(out), "abcdefghi\xe2\x82\xac\xe2\x82\xacx");
    ck_assert_str_eq(out, "abcdefghi\xe2\x82\xac...");
    /* a 5000-byte value: the message stays within its buffer and says it was cut */
    memset(big, '7', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    gs_errorf(&err, GS_EPARSE, "'f' line 1: value '%s'", big);
    ck_assert_uint_eq(strlen(err.msg), sizeof(err.msg) - 1);
    ck_assert_str_eq(err.msg + strlen(err.msg) - 3, "...");
    for (i = 0; err.msg[i]; i++)
        ck_assert((unsigned char)err.msg[i] >= 0x20 && err.msg[i] != 0x7f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("readers");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, csv_field_limit);
    tcase_add_test(tc, csv_record_limit);
    tcase_add_test(tc, csv_record_limit_across_lines);
    tcase_add_test(tc, csv_field_count_limit);
    tcase_add_test(tc, csv_nul_byte);
    tcase_add_test(tc, json_depth_limit);
    tcase_add_test(tc, json_duplicate_keys);
    tcase_add_test(tc, json_nul_byte);
    tcase_add_test(tc, read_file_limit);
    tcase_add_test(tc, one_line_escapes);
    tcase_add_test(tc, one_line_cut_short);
    suite_add_tcase(s, tc);
    return gs_test_run(s);
}
