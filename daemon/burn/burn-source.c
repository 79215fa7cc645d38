/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sector sources of a burn (the master's image stream, an image file, the audio sectors) and the FIFO
 * whose reader thread fills chunks from a source ahead of the WRITEs, so reading the files and
 * writing to the recorder overlap while memory stays fixed. */
#include <string.h>

#include "burn-internal.h"
#include "imapi-error.h"
#include "log.h"
#include "macros.h"

/* ---- Sources ---- */

typedef enum BurnSourceKind {
        BURN_SOURCE_MASTER,
        BURN_SOURCE_CONTENT,
        BURN_SOURCE_AUDIO,
        _BURN_SOURCE_KIND_MAX,
        _BURN_SOURCE_KIND_INVALID = -EINVAL,
} BurnSourceKind;

struct BurnSource {
        BurnSourceKind kind;
        size_t block_size;
        uint64_t blocks;
        uint64_t position;
        MasterImage *master; /* borrowed */
        Content content;
        AudioSource *audio;
};

BurnSource *burn_source_new_master(MasterImage *image)
{
        BurnSource *s = g_new0(BurnSource, 1);

        s->kind = BURN_SOURCE_MASTER;
        s->block_size = MASTER_BLOCK_SIZE;
        s->blocks = master_image_get_blocks(image);
        s->master = image;
        return s;
}

BurnSource *burn_source_new_content(const Content *c)
{
        BurnSource *s = g_new0(BurnSource, 1);

        s->kind = BURN_SOURCE_CONTENT;
        s->block_size = MASTER_BLOCK_SIZE;
        s->blocks = DIV_ROUND_UP(c->size, (uint64_t) MASTER_BLOCK_SIZE);
        content_copy(&s->content, c);
        return s;
}

BurnSource *burn_source_new_audio(AudioSource *audio)
{
        BurnSource *s = g_new0(BurnSource, 1);

        s->kind = BURN_SOURCE_AUDIO;
        s->block_size = AUDIO_BLOCK_SIZE;
        s->blocks = audio_source_get_total_blocks(audio);
        s->audio = audio;
        return s;
}

BurnSource *burn_source_free(BurnSource *s)
{
        if (!s)
                return NULL;
        content_done(&s->content);
        audio_source_free(s->audio);
        g_free(s);
        return NULL;
}

uint64_t burn_source_get_blocks(const BurnSource *s)
{
        return s->blocks;
}

size_t burn_source_get_block_size(const BurnSource *s)
{
        return s->block_size;
}

/* An image file: whole blocks, the last one padded with zeros when the size is not a multiple. */
static int content_source_read(BurnSource *s, uint8_t *buf, size_t max_blocks, char **reterr_message)
{
        uint64_t pos = s->position * MASTER_BLOCK_SIZE,
                 n = MIN((uint64_t) max_blocks, s->blocks - s->position);
        size_t bytes = (size_t) MIN(n * MASTER_BLOCK_SIZE, s->content.size - pos);
        int r;

        if (n == 0)
                return 0;
        if (s->position == 0) {
                r = content_check_unchanged(&s->content);
                if (r < 0)
                        return error_set_message(reterr_message, r,
                                                 "The image file changed since it was set (size or time)");
        }
        r = content_read(&s->content, pos, buf, bytes);
        if (r < 0)
                return error_set_message(reterr_message, r, "Cannot read the image at byte %" PRIu64 ": %s",
                                         pos, imapi_error_message(r) ?: error_to_string(r));
        memset(buf + bytes, 0, (size_t) n * MASTER_BLOCK_SIZE - bytes);
        return (int) n;
}

/* Reads up to max_blocks blocks: > 0 blocks (never two tracks), 0 at the end, < 0 error. */
static int source_read(BurnSource *s, uint8_t *buf, size_t max_blocks, unsigned *ret_track,
                       char **reterr_message)
{
        int64_t n;
        int r;

        *ret_track = 1;
        switch (s->kind) {
        case BURN_SOURCE_MASTER:
                n = master_image_read(s->master, buf, max_blocks, reterr_message);
                break;
        case BURN_SOURCE_CONTENT:
                n = content_source_read(s, buf, max_blocks, reterr_message);
                break;
        case BURN_SOURCE_AUDIO:
                r = audio_source_read(s->audio, buf, max_blocks, ret_track);
                if (r < 0)
                        return error_set_message(reterr_message, IMAPI_ERROR_DATA_STREAM_READ_FAILURE,
                                                 "Cannot read the audio of track %u: %s", *ret_track,
                                                 error_to_string(r));
                n = r;
                break;
        default:
                return -EINVAL;
        }
        if (n > 0)
                s->position += (uint64_t) n;
        return (int) n;
}

/* ---- The FIFO ---- */

typedef struct FifoSlot {
        uint8_t *data;
        int result; /* blocks, 0 end, < 0 error */
        unsigned track;
        char *message;
} FifoSlot;

struct BurnFifo {
        BurnSource *source;
        uint32_t chunk_blocks;
        unsigned n_slots;
        FifoSlot *slots;
        GThread *thread;

        GMutex lock;
        GCond changed;
        unsigned head, count; /* the writer takes slots[head]; the reader fills slots[head + count] */
        bool stop;            /* the writer is gone */
};

static gpointer fifo_reader(gpointer data)
{
        BurnFifo *f = data;

        for (;;) {
                FifoSlot *slot;
                char *message = NULL;
                unsigned track = 1;
                int n;

                g_mutex_lock(&f->lock);
                while (f->count == f->n_slots && !f->stop)
                        g_cond_wait(&f->changed, &f->lock);
                if (f->stop) {
                        g_mutex_unlock(&f->lock);
                        break;
                }
                slot = &f->slots[(f->head + f->count) % f->n_slots];
                g_mutex_unlock(&f->lock);

                /* The slot is the reader's alone until count covers it. */
                n = source_read(f->source, slot->data, f->chunk_blocks, &track, &message);

                g_mutex_lock(&f->lock);
                slot->result = n;
                slot->track = track;
                g_free(slot->message);
                slot->message = message;
                f->count++;
                g_cond_broadcast(&f->changed);
                g_mutex_unlock(&f->lock);
                if (n <= 0)
                        break;
        }
        return NULL;
}

int burn_fifo_new(BurnSource *source, uint32_t chunk_blocks, unsigned n_chunks, BurnFifo **ret)
{
        g_autoptr(GError) error = NULL;
        BurnFifo *f;

        if (chunk_blocks == 0 || n_chunks == 0)
                return -EINVAL;
        f = g_new0(BurnFifo, 1);
        f->source = source;
        f->chunk_blocks = chunk_blocks;
        f->n_slots = n_chunks;
        f->slots = g_new0(FifoSlot, n_chunks);
        for (unsigned i = 0; i < n_chunks; i++)
                f->slots[i].data = g_malloc((size_t) chunk_blocks * burn_source_get_block_size(source));
        g_mutex_init(&f->lock);
        g_cond_init(&f->changed);
        f->thread = g_thread_try_new("burn-reader", fifo_reader, f, &error);
        if (!f->thread) {
                burn_fifo_free(f);
                return -EAGAIN;
        }
        *ret = f;
        return 0;
}

BurnFifo *burn_fifo_free(BurnFifo *f)
{
        if (!f)
                return NULL;
        if (f->thread) {
                g_mutex_lock(&f->lock);
                f->stop = true;
                g_cond_broadcast(&f->changed);
                g_mutex_unlock(&f->lock);
                g_thread_join(f->thread);
        }
        for (unsigned i = 0; i < f->n_slots; i++) {
                g_free(f->slots[i].data);
                g_free(f->slots[i].message);
        }
        g_free(f->slots);
        g_mutex_clear(&f->lock);
        g_cond_clear(&f->changed);
        burn_source_free(f->source);
        g_free(f);
        return NULL;
}

int burn_fifo_peek(BurnFifo *f, BurnChunk *ret, char **reterr_message)
{
        FifoSlot *slot;

        g_mutex_lock(&f->lock);
        while (f->count == 0)
                g_cond_wait(&f->changed, &f->lock);
        slot = &f->slots[f->head];
        g_mutex_unlock(&f->lock);

        if (slot->result < 0) {
                if (reterr_message && !*reterr_message)
                        *reterr_message = g_strdup(slot->message);
                return slot->result;
        }
        if (slot->result == 0)
                return 0;
        *ret = (BurnChunk){
                .data = slot->data,
                .blocks = (uint32_t) slot->result,
                .track = slot->track,
        };
        return 1;
}

void burn_fifo_next(BurnFifo *f)
{
        g_mutex_lock(&f->lock);
        if (f->count > 0 && f->slots[f->head].result > 0) {
                f->head = (f->head + 1) % f->n_slots;
                f->count--;
                g_cond_broadcast(&f->changed);
        }
        g_mutex_unlock(&f->lock);
}
