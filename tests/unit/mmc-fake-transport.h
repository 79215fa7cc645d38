/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A scripted fake Transport for the MMC unit tests: canned answers per opcode (optionally per CDB byte),
 * a log of the CDBs it saw. Header-only, test code only; the emulator (daemon/emu) is the real drive. */
#pragma once

#include <errno.h>
#include <string.h>

#include <glib.h>

#include "bytes.h"
#include "transport.h"

typedef struct FakeAnswer {
        uint8_t opcode;
        int match_offset; /* -1: any CDB; else cdb[match_offset] must equal match_value */
        uint8_t match_value;
        bool match2; /* and cdb[match_offset2] must equal match_value2 */
        int match_offset2;
        uint8_t match_value2;
        GBytes *data; /* data-in answer (may be shorter or longer than asked) */
        bool check;   /* CHECK CONDITION with this sense instead */
        uint8_t key, asc, ascq;
        bool progress_valid; /* sense-key specific progress indication */
        uint16_t progress;
        int transport_error; /* <0: execute() fails with it */
        unsigned uses;       /* 0: forever; else consumed after that many matches */
        bool exhausted;
} FakeAnswer;

typedef struct FakeTransport {
        Transport base;
        GArray *answers; /* FakeAnswer */
        GPtrArray *log;  /* GBytes: every CDB, in order */
        GPtrArray *out;  /* GBytes: data-out payloads, in order */
} FakeTransport;

static inline void fake_answer_clear(void *p)
{
        FakeAnswer *a = p;
        g_clear_pointer(&a->data, g_bytes_unref);
}

static inline void fake_fill_sense(ScsiCommand *cmd, uint8_t key, uint8_t asc, uint8_t ascq)
{
        /* SPC-3 fixed format: 70h, key, additional length 10, ASC, ASCQ. */
        cmd->status = SCSI_STATUS_CHECK_CONDITION;
        memset(cmd->sense, 0, sizeof(cmd->sense));
        cmd->sense[0] = 0x70;
        cmd->sense[2] = key;
        cmd->sense[7] = 10;
        cmd->sense[12] = asc;
        cmd->sense[13] = ascq;
        cmd->sense_len = 18;
}

static inline int fake_execute(Transport *t, ScsiCommand *cmd)
{
        FakeTransport *f = (FakeTransport *) t;

        g_ptr_array_add(f->log, g_bytes_new(cmd->cdb, cmd->cdb_len));
        if (cmd->direction == TRANSPORT_DIRECTION_TO_DEVICE)
                g_ptr_array_add(f->out, g_bytes_new(cmd->data, cmd->data_len));

        for (guint i = 0; i < f->answers->len; i++) {
                FakeAnswer *a = &g_array_index(f->answers, FakeAnswer, i);

                if (a->exhausted || a->opcode != cmd->cdb[0] ||
                    (a->match_offset >= 0 && cmd->cdb[a->match_offset] != a->match_value) ||
                    (a->match2 && cmd->cdb[a->match_offset2] != a->match_value2))
                        continue;
                if (a->uses > 0 && --a->uses == 0)
                        a->exhausted = true;
                if (a->transport_error < 0)
                        return a->transport_error;
                if (a->check) {
                        fake_fill_sense(cmd, a->key, a->asc, a->ascq);
                        if (a->progress_valid) {
                                cmd->sense[15] = 0x80;
                                be16_put(cmd->sense + 16, a->progress);
                        }
                        return 0;
                }
                if (a->data && cmd->direction == TRANSPORT_DIRECTION_FROM_DEVICE) {
                        size_t n;
                        const void *p = g_bytes_get_data(a->data, &n);
                        n = MIN(n, cmd->data_len);
                        memcpy(cmd->data, p, n);
                        cmd->transferred = n;
                } else if (cmd->direction == TRANSPORT_DIRECTION_TO_DEVICE)
                        cmd->transferred = cmd->data_len;
                return 0;
        }
        fake_fill_sense(cmd, 0x5, 0x20, 0x00); /* invalid command operation code */
        return 0;
}

static inline void fake_free(Transport *t)
{
        FakeTransport *f = (FakeTransport *) t;

        g_array_unref(f->answers);
        g_ptr_array_unref(f->log);
        g_ptr_array_unref(f->out);
        g_free(f);
}

static const TransportOps fake_ops = {
        .name = "fake",
        .execute = fake_execute,
        .free = fake_free,
};

static inline FakeTransport *fake_new(void)
{
        FakeTransport *f = g_new0(FakeTransport, 1);

        f->base.ops = &fake_ops;
        f->answers = g_array_new(false, true, sizeof(FakeAnswer));
        g_array_set_clear_func(f->answers, fake_answer_clear);
        f->log = g_ptr_array_new_with_free_func((GDestroyNotify) g_bytes_unref);
        f->out = g_ptr_array_new_with_free_func((GDestroyNotify) g_bytes_unref);
        return f;
}

/* Answer opcode (when cdb[match_offset] == match_value, or always with match_offset -1) with data. */
static inline void fake_data(FakeTransport *f, uint8_t opcode, int match_offset, uint8_t match_value,
                             const void *data, size_t len)
{
        FakeAnswer a = {.opcode = opcode, .match_offset = match_offset, .match_value = match_value};
        a.data = g_bytes_new(data, len);
        g_array_append_val(f->answers, a);
}

static inline void fake_good(FakeTransport *f, uint8_t opcode)
{
        FakeAnswer a = {.opcode = opcode, .match_offset = -1};
        g_array_append_val(f->answers, a);
}

/* REQUEST SENSE data (fixed format) with progress, `uses` times. */
static inline void fake_request_sense_progress(FakeTransport *f, uint8_t key, uint8_t asc, uint8_t ascq,
                                               uint16_t progress, unsigned uses)
{
        uint8_t b[18] = {0x70, 0, key, 0, 0, 0, 0, 10, 0, 0, 0, 0, asc, ascq, 0, 0x80};
        FakeAnswer a = {.opcode = 0x03, .match_offset = -1, .uses = uses};

        be16_put(b + 16, progress);
        a.data = g_bytes_new(b, sizeof(b));
        g_array_prepend_val(f->answers, a);
}

/* CHECK CONDITION key/asc/ascq, `uses` times (0: always). Earlier answers win: add it first. */
static inline void fake_sense(FakeTransport *f, uint8_t opcode, uint8_t key, uint8_t asc, uint8_t ascq,
                              unsigned uses)
{
        FakeAnswer a = {.opcode = opcode,
                        .match_offset = -1,
                        .check = true,
                        .key = key,
                        .asc = asc,
                        .ascq = ascq,
                        .uses = uses};
        g_array_prepend_val(f->answers, a);
}

static inline void fake_transport_error(FakeTransport *f, uint8_t opcode, int error, unsigned uses)
{
        FakeAnswer a = {.opcode = opcode, .match_offset = -1, .transport_error = error, .uses = uses};
        g_array_prepend_val(f->answers, a);
}

static inline unsigned fake_count(FakeTransport *f, uint8_t opcode)
{
        unsigned n = 0;

        for (guint i = 0; i < f->log->len; i++) {
                size_t len;
                const uint8_t *p = g_bytes_get_data(f->log->pdata[i], &len);
                n += len > 0 && p[0] == opcode;
        }
        return n;
}

/* The last CDB with this opcode (NULL if none). */
static inline const uint8_t *fake_last_cdb(FakeTransport *f, uint8_t opcode)
{
        for (guint i = f->log->len; i > 0; i--) {
                size_t len;
                const uint8_t *p = g_bytes_get_data(f->log->pdata[i - 1], &len);
                if (len > 0 && p[0] == opcode)
                        return p;
        }
        return NULL;
}
