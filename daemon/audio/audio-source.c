/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audio burn's sector source: silence for gaps, PCM read from the stash in large preads. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "audio-source.h"
#include "imapi-error.h"

typedef struct AudioSegment {
        unsigned track; /* 1-based */
        int fd;         /* -1: silence */
        uint64_t first; /* position of the segment's first block in the source */
        uint32_t blocks;
} AudioSegment;

struct AudioSource {
        AudioLayout *layout;
        AudioSourceMode mode;
        AudioSegment segments[2 * AUDIO_TRACKS_MAX];
        unsigned n_segments;
        unsigned current; /* index of the segment holding 'position' */
        uint64_t position;
        uint64_t total;
};

AudioSource *audio_source_free(AudioSource *s)
{
        if (!s)
                return NULL;
        for (unsigned i = 0; i < s->n_segments; i++)
                safe_close(s->segments[i].fd);
        audio_layout_free(s->layout);
        g_free(s);
        return NULL;
}

static void source_add_segment(AudioSource *s, unsigned track, int fd, uint32_t blocks)
{
        if (blocks == 0) {
                safe_close(fd);
                return;
        }
        s->segments[s->n_segments++] = (AudioSegment){
                .track = track,
                .fd = fd,
                .first = s->total,
                .blocks = blocks,
        };
        s->total += blocks;
}

int audio_source_new(const AudioDisc *d, AudioSourceMode mode, AudioSource **ret)
{
        g_autoptr(AudioSource) s = NULL;
        int r;

        if (mode < 0 || mode >= _AUDIO_SOURCE_MODE_MAX)
                return -EINVAL;
        if (audio_disc_get_total_tracks(d) == 0)
                return -IMAPI_ERROR_RAW_IMAGE_NO_TRACKS;
        if (audio_disc_has_open_track(d))
                return -IMAPI_ERROR_TRACK_OPEN;

        s = g_new0(AudioSource, 1);
        s->mode = mode;
        r = audio_disc_get_layout(d, &s->layout);
        if (r < 0)
                return r;

        for (unsigned i = 0; i < s->layout->n_tracks; i++) {
                const AudioLayoutTrack *t = &s->layout->tracks[i];
                int fd;

                if (mode == AUDIO_SOURCE_SAO)
                        source_add_segment(s, i + 1, -1, (uint32_t) (t->start_lba - t->pregap_lba));
                r = audio_disc_open_track_data(d, i + 1, &fd);
                if (r < 0)
                        return r;
                source_add_segment(s, i + 1, fd, t->blocks);
        }

        *ret = g_steal_pointer(&s);
        return 0;
}

const AudioLayout *audio_source_get_layout(const AudioSource *s)
{
        return s->layout;
}

uint64_t audio_source_get_total_blocks(const AudioSource *s)
{
        return s->total;
}

int32_t audio_source_get_start_lba(const AudioSource *s)
{
        return s->mode == AUDIO_SOURCE_SAO ? -AUDIO_FIRST_PREGAP_BLOCKS : 0;
}

uint64_t audio_source_get_position(const AudioSource *s)
{
        return s->position;
}

int audio_source_seek(AudioSource *s, uint64_t position)
{
        if (position > s->total)
                return -EINVAL;
        s->position = position;
        s->current = 0;
        while (s->current < s->n_segments &&
               position >= s->segments[s->current].first + s->segments[s->current].blocks)
                s->current++;
        return 0;
}

static int pread_all(int fd, uint8_t *buf, size_t size, uint64_t offset)
{
        while (size > 0) {
                ssize_t n = pread(fd, buf, size, (off_t) offset);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EIO; /* the stash file is shorter than what was staged */
                buf += n;
                size -= (size_t) n;
                offset += (uint64_t) n;
        }
        return 0;
}

int audio_source_read(AudioSource *s, void *buf, size_t max_blocks, unsigned *ret_track)
{
        const AudioSegment *seg;
        uint64_t within;
        size_t n;
        int r;

        if (s->current >= s->n_segments || max_blocks == 0)
                return 0;

        seg = &s->segments[s->current];
        within = s->position - seg->first;
        n = (size_t) MIN((uint64_t) max_blocks, seg->blocks - within);
        n = MIN(n, (size_t) INT_MAX);

        if (seg->fd < 0)
                memset(buf, 0, n * AUDIO_BLOCK_SIZE);
        else {
                r = pread_all(seg->fd, buf, n * AUDIO_BLOCK_SIZE, within * AUDIO_BLOCK_SIZE);
                if (r < 0)
                        return r;
        }

        if (ret_track)
                *ret_track = seg->track;
        s->position += n;
        if (within + n == seg->blocks)
                s->current++;
        return (int) n;
}
