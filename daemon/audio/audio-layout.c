/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Red Book layout: MSF conversion, track placement with pregaps, and the TAO plan. */
#include <errno.h>

#include "audio-layout.h"
#include "imapi-error.h"

#define MSF_FRAMES_PER_MINUTE (60 * AUDIO_FRAMES_PER_SECOND)
#define MSF_FRAMES_MAX        (100 * MSF_FRAMES_PER_MINUTE) /* 100:00:00 */
#define MSF_LEADIN_OFFSET     450150                        /* LBA = frames - 450150 for M >= 90 */

int audio_lba_to_msf(int32_t lba, AudioMsf *ret)
{
        int64_t frames;

        if (lba >= -AUDIO_FIRST_PREGAP_BLOCKS)
                frames = (int64_t) lba + AUDIO_FIRST_PREGAP_BLOCKS;
        else
                frames = (int64_t) lba + MSF_LEADIN_OFFSET;
        if (frames < 0 || frames >= MSF_FRAMES_MAX)
                return -ERANGE;
        /* Minutes 90..99 belong to the lead-in; the program area cannot reach them. */
        if ((lba >= -AUDIO_FIRST_PREGAP_BLOCKS) != (frames < 90 * MSF_FRAMES_PER_MINUTE))
                return -ERANGE;

        *ret = (AudioMsf){
                .m = frames / MSF_FRAMES_PER_MINUTE,
                .s = frames / AUDIO_FRAMES_PER_SECOND % 60,
                .f = frames % AUDIO_FRAMES_PER_SECOND,
        };
        return 0;
}

int32_t audio_msf_to_lba(AudioMsf msf)
{
        int32_t frames = (msf.m * 60 + msf.s) * AUDIO_FRAMES_PER_SECOND + msf.f;

        if (msf.m >= 90)
                return frames - MSF_LEADIN_OFFSET;
        return frames - AUDIO_FIRST_PREGAP_BLOCKS;
}

AudioLayout *audio_layout_new(void)
{
        return g_new0(AudioLayout, 1);
}

AudioLayout *audio_layout_free(AudioLayout *l)
{
        if (!l)
                return NULL;
        for (unsigned i = 0; i < l->n_tracks; i++) {
                g_free(l->tracks[i].title);
                g_free(l->tracks[i].performer);
        }
        g_free(l->title);
        g_free(l->performer);
        g_free(l);
        return NULL;
}

int audio_layout_add_track(AudioLayout *l, uint32_t blocks, unsigned gap)
{
        AudioLayoutTrack *t;

        if (l->n_tracks >= AUDIO_TRACKS_MAX)
                return -IMAPI_ERROR_DF2_TAO_TRACK_LIMIT_REACHED;
        if (gap > AUDIO_GAP_MAX)
                return -EINVAL;
        if ((int64_t) l->leadout_lba + gap + blocks > INT32_MAX / 2)
                return -ERANGE;

        t = &l->tracks[l->n_tracks];
        *t = (AudioLayoutTrack){};
        if (l->n_tracks == 0) {
                t->pregap_lba = -AUDIO_FIRST_PREGAP_BLOCKS;
                t->start_lba = 0;
        } else {
                t->pregap_lba = l->leadout_lba;
                t->start_lba = l->leadout_lba + (int32_t) gap;
        }
        t->blocks = blocks;
        l->leadout_lba = t->start_lba + (int32_t) blocks;
        l->n_tracks++;
        return 0;
}

static bool text_set(const char *s)
{
        return s && s[0];
}

bool audio_layout_has_text(const AudioLayout *l)
{
        if (text_set(l->title) || text_set(l->performer))
                return true;
        for (unsigned i = 0; i < l->n_tracks; i++)
                if (text_set(l->tracks[i].title) || text_set(l->tracks[i].performer))
                        return true;
        return false;
}

uint64_t audio_layout_get_sao_blocks(const AudioLayout *l)
{
        if (l->n_tracks == 0)
                return 0;
        return (uint64_t) ((int64_t) l->leadout_lba + AUDIO_FIRST_PREGAP_BLOCKS);
}

void audio_layout_plan_tao(const AudioLayout *l, AudioTaoPlan *ret)
{
        int32_t next = 0;

        *ret = (AudioTaoPlan){.n_tracks = l->n_tracks};
        for (unsigned i = 0; i < l->n_tracks; i++) {
                const AudioLayoutTrack *t = &l->tracks[i];
                uint32_t pause = (uint32_t) (t->start_lba - t->pregap_lba);

                if (i > 0)
                        next += AUDIO_TAO_RUN_OUT_BLOCKS + (int32_t) pause;
                ret->tracks[i] = (AudioTaoTrack){
                        .number = i + 1,
                        .pause_blocks = pause,
                        .start_lba = next,
                        .blocks = t->blocks,
                };
                next += (int32_t) t->blocks;
        }
        ret->leadout_lba = next;
}
