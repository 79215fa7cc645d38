/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The medium model of the emulated drive: sessions and tracks of sequential media (MMC-6 §4.2 CD,
 * §4.3 DVD-R, §4.4 DVD+R, §4.5 BD-R), the formatted area of overwrite media, and their state rules. */
#include <string.h>

#include "emu-internal.h"

EmuMedium *emu_medium_new(const EmuProfileInfo *info)
{
        EmuMedium *m = g_new0(EmuMedium, 1);

        m->info = info;
        m->profile = info->number;
        m->capacity = info->capacity;
        m->sessions = g_array_new(false, true, sizeof(EmuSession));
        m->tracks = g_array_new(false, true, sizeof(EmuTrack));
        if (info->number == 0x0012) { /* DVD-RAM is sold formatted */
                m->formatted = info->format_default;
                m->bg_format = 3;
        }
        return m;
}

EmuMedium *emu_medium_free(EmuMedium *m)
{
        if (!m)
                return NULL;
        g_array_unref(m->sessions);
        g_array_unref(m->tracks);
        if (m->cdtext)
                g_bytes_unref(m->cdtext);
        g_free(m);
        return NULL;
}

EmuMedium *emu_medium_dup(const EmuMedium *m)
{
        EmuMedium *n = g_memdup2(m, sizeof(*m));

        n->sessions = g_array_copy(m->sessions);
        n->tracks = g_array_copy(m->tracks);
        if (m->cdtext)
                n->cdtext = g_bytes_ref(m->cdtext);
        return n;
}

EmuTrack *emu_medium_track(const EmuMedium *m, unsigned number)
{
        for (unsigned i = 0; i < m->tracks->len; i++) {
                EmuTrack *t = &g_array_index(m->tracks, EmuTrack, i);

                if (t->number == number)
                        return t;
        }
        return NULL;
}

EmuTrack *emu_medium_last_track(const EmuMedium *m)
{
        if (m->tracks->len == 0)
                return NULL;
        return &g_array_index(m->tracks, EmuTrack, m->tracks->len - 1);
}

const EmuSession *emu_medium_session(const EmuMedium *m, unsigned number)
{
        if (number == 0 || number > m->sessions->len)
                return NULL;
        return &g_array_index(m->sessions, EmuSession, number - 1);
}

unsigned emu_medium_open_session(const EmuMedium *m)
{
        return m->finalized ? 0 : m->sessions->len + 1;
}

unsigned emu_medium_open_session_tracks(const EmuMedium *m)
{
        unsigned s = emu_medium_open_session(m), n = 0;

        for (unsigned i = 0; s > 0 && i < m->tracks->len; i++)
                if (g_array_index(m->tracks, EmuTrack, i).session == s)
                        n++;
        return n;
}

EmuDiscStatus emu_medium_disc_status(const EmuMedium *m)
{
        if (emu_medium_overwrite(m)) {
                if (m->formatted == 0)
                        return EMU_DISC_BLANK;
                /* MMC-6 §6.22.3.1.4: random-writable media report "others" */
                if (m->profile == 0x0012 || m->profile == 0x0043)
                        return EMU_DISC_OTHERS;
                return EMU_DISC_COMPLETE;
        }
        if (m->finalized)
                return EMU_DISC_COMPLETE;
        if (m->tracks->len == 0)
                return EMU_DISC_BLANK;
        return EMU_DISC_APPENDABLE;
}

unsigned emu_medium_last_session_state(const EmuMedium *m)
{
        if (emu_medium_overwrite(m))
                return m->formatted > 0 ? 3 : 0;
        if (m->finalized)
                return 3;
        return emu_medium_open_session_tracks(m) > 0 ? 1 : 0;
}

static int32_t align_up(int32_t v, unsigned align)
{
        if (align <= 1 || v <= 0)
                return v;
        return (int32_t) (((int64_t) v + align - 1) / align * align);
}

int32_t emu_medium_last_leadout(const EmuMedium *m)
{
        if (m->sessions->len == 0)
                return 0;
        return g_array_index(m->sessions, EmuSession, m->sessions->len - 1).leadout;
}

static uint32_t track_extent(const EmuTrack *t)
{
        return t->state == EMU_TRACK_OPEN ? t->written : t->size;
}

int32_t emu_medium_next_start(const EmuMedium *m, uint32_t cd_pregap)
{
        const EmuTrack *last = emu_medium_last_track(m);
        unsigned open = emu_medium_open_session(m);
        uint32_t gap;

        if (!last)
                return 0;
        if (last->session == open) {
                int32_t end = last->start + (int32_t) track_extent(last);

                return emu_medium_is_cd(m) ? end + (int32_t) cd_pregap : align_up(end, m->info->align);
        }
        gap = m->sessions->len <= 1 ? m->info->gap_first : m->info->gap_next;
        return align_up(emu_medium_last_leadout(m) + (int32_t) gap, m->info->align);
}

int32_t emu_medium_open_session_leadin(const EmuMedium *m)
{
        if (!emu_medium_is_cd(m))
                return emu_medium_next_start(m, 0);
        if (m->sessions->len == 0)
                return m->profile == 0x000a ? CD_ATIP_LEADIN_START_RW : CD_ATIP_LEADIN_START;
        return emu_medium_last_leadout(m) + (m->sessions->len == 1 ? CD_LEADOUT_FIRST : CD_LEADOUT_NEXT);
}

int32_t emu_medium_limit(const EmuMedium *m)
{
        return (int32_t) (emu_medium_overwrite(m) ? m->formatted : m->capacity);
}

bool emu_medium_invisible_track(const EmuMedium *m, uint32_t cd_pregap, EmuTrack *ret)
{
        const EmuTrack *last = emu_medium_last_track(m);
        int32_t start, limit = emu_medium_limit(m);

        if (!emu_medium_sequential(m) || m->finalized)
                return false;
        if (last && last->state == EMU_TRACK_OPEN) {
                *ret = *last;
                return true;
        }
        start = emu_medium_next_start(m, last ? cd_pregap : CD_PREGAP);
        if (start >= limit)
                return false;
        *ret = (EmuTrack){
                .number = last ? last->number + 1 : 1,
                .session = emu_medium_open_session(m),
                .start = start,
                .pregap = emu_medium_is_cd(m)
                                  ? (last && last->session == emu_medium_open_session(m) ? cd_pregap
                                                                                         : CD_PREGAP)
                                  : 0,
                .size = (uint32_t) (limit - start),
                .data_mode = 0xf,
                .state = EMU_TRACK_OPEN,
        };
        return true;
}

EmuTrack *emu_medium_track_writable_at(const EmuMedium *m, int32_t lba)
{
        for (unsigned i = 0; i < m->tracks->len; i++) {
                EmuTrack *t = &g_array_index(m->tracks, EmuTrack, i);

                if (t->damaged || t->state == EMU_TRACK_COMPLETE)
                        continue;
                if (t->state == EMU_TRACK_RESERVED && t->written >= t->size)
                        continue;
                if (emu_track_nwa(t) == lba)
                        return t;
        }
        return NULL;
}

EmuTrack *emu_medium_track_at(const EmuMedium *m, int32_t lba)
{
        for (unsigned i = 0; i < m->tracks->len; i++) {
                EmuTrack *t = &g_array_index(m->tracks, EmuTrack, i);
                int64_t lo = (int64_t) t->start - t->pregap, hi = (int64_t) t->start + track_extent(t);

                if (lba >= lo && lba < hi)
                        return t;
        }
        return NULL;
}

EmuTrack *emu_medium_add_track(EmuMedium *m, int32_t start, uint32_t pregap, uint8_t ctl,
                               EmuTrackState state, uint32_t size)
{
        const EmuTrack *last = emu_medium_last_track(m);
        EmuTrack t = {
                .number = last ? last->number + 1 : 1,
                .session = emu_medium_open_session(m),
                .start = start,
                .pregap = pregap,
                .size = size,
                .ctl = ctl,
                .data_mode = (ctl & 0x4) ? 1 : 0,
                .state = state,
        };

        g_array_append_val(m->tracks, t);
        return emu_medium_last_track(m);
}

void emu_medium_close_track(EmuMedium *m, EmuTrack *t)
{
        if (t->state == EMU_TRACK_COMPLETE)
                return;
        if (t->state == EMU_TRACK_RESERVED && t->written < t->size)
                t->written = t->size; /* MMC-6 §6.3.3: the drive pads a reserved track */
        if (emu_medium_is_cd(m)) {
                if (t->written < CD_MIN_TRACK)
                        t->written = CD_MIN_TRACK;
                t->size = t->written + CD_RUN_OUT;
        } else {
                t->size = (uint32_t) align_up((int32_t) t->written, m->info->align);
                t->written = t->size;
        }
        t->state = EMU_TRACK_COMPLETE;
}

void emu_medium_close_session(EmuMedium *m, bool finalize, uint8_t format, uint8_t multisession)
{
        unsigned open = emu_medium_open_session(m);
        EmuSession s = {.format = format, .multisession = multisession};

        for (unsigned i = 0; i < m->tracks->len; i++) {
                EmuTrack *t = &g_array_index(m->tracks, EmuTrack, i);

                if (t->session != open)
                        continue;
                emu_medium_close_track(m, t);
                if (s.first_track == 0)
                        s.first_track = t->number;
                s.last_track = t->number;
                s.leadout = t->start + (int32_t) t->size;
        }
        if (s.first_track > 0)
                g_array_append_val(m->sessions, s);
        if (finalize)
                m->finalized = true;
}

uint32_t emu_medium_recorded_end(const EmuMedium *m)
{
        uint32_t end = 0;

        if (emu_medium_overwrite(m))
                return m->high_water;
        for (unsigned i = 0; i < m->tracks->len; i++) {
                const EmuTrack *t = &g_array_index(m->tracks, EmuTrack, i);

                if (t->written > 0 && t->start + (int64_t) t->written > end)
                        end = (uint32_t) (t->start + (int64_t) t->written);
        }
        return end;
}

static void medium_clear(EmuMedium *m)
{
        g_array_set_size(m->sessions, 0);
        g_array_set_size(m->tracks, 0);
        m->finalized = false;
        m->dao_only = false;
        m->high_water = 0;
        m->mcn[0] = '\0';
        if (m->cdtext) {
                g_bytes_unref(m->cdtext);
                m->cdtext = NULL;
        }
}

void emu_medium_blank(EmuMedium *m, uint16_t profile)
{
        medium_clear(m);
        m->profile = profile;
        m->capacity = m->info->capacity;
        m->formatted = 0;
        m->bg_format = 0;
}

void emu_medium_format(EmuMedium *m, uint16_t profile, uint32_t blocks, bool keep_data)
{
        if (!keep_data)
                medium_clear(m);
        m->profile = profile;
        m->formatted = blocks;
        m->bg_format = 3;
        if (m->high_water > blocks)
                m->high_water = blocks;
}

int emu_medium_readable(const EmuMedium *m, int32_t lba, bool *ret_audio, int64_t *ret_end)
{
        if (emu_medium_overwrite(m)) {
                if (lba < 0 || (uint32_t) lba >= m->formatted)
                        return -ERANGE;
                *ret_audio = false;
                if (ret_end)
                        *ret_end = m->formatted;
                return 0;
        }
        for (unsigned i = 0; i < m->tracks->len; i++) {
                const EmuTrack *t = &g_array_index(m->tracks, EmuTrack, i);

                if (lba >= t->start && (int64_t) lba < (int64_t) t->start + t->written) {
                        *ret_audio = !(t->ctl & 0x4);
                        if (ret_end)
                                *ret_end = (int64_t) t->start + t->written;
                        return 0;
                }
        }
        return -ERANGE;
}

bool emu_medium_has_audio(const EmuMedium *m)
{
        for (unsigned i = 0; i < m->tracks->len; i++)
                if (!(g_array_index(m->tracks, EmuTrack, i).ctl & 0x4))
                        return true;
        return false;
}

bool emu_medium_mixed(const EmuMedium *m)
{
        bool data = false;

        for (unsigned i = 0; i < m->tracks->len; i++)
                if (g_array_index(m->tracks, EmuTrack, i).ctl & 0x4)
                        data = true;
        return data && emu_medium_has_audio(m);
}
