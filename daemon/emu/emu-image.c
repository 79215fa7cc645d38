/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The burned disc as a file (VirtualRecorder.OpenImage): 2048-byte user data of data discs, raw 2352-byte
 * sectors plus a CUE sheet for audio CDs. */
#include <string.h>

#include "emu-internal.h"
#include "macros.h"

static void cue_msf(GString *s, const char *keyword, int32_t lba)
{
        uint32_t f = (uint32_t) MAX(lba, 0);

        g_string_append_printf(s, "    %s %02u:%02u:%02u\n", keyword, f / (60 * CD_FRAMES_PER_SECOND),
                               f / CD_FRAMES_PER_SECOND % 60, f % CD_FRAMES_PER_SECOND);
}

static void cue_text(GString *s, const char *indent, const char *keyword, const char *value)
{
        g_autofree char *v = NULL;

        if (!value || !*value)
                return;
        v = g_strdup(value);
        g_strdelimit(v, "\"\r\n", '\'');
        g_string_append_printf(s, "%s%s \"%s\"\n", indent, keyword, v);
}

static void strings_free(char *v[100])
{
        for (size_t i = 0; i < 100; i++)
                g_free(v[i]);
}

static void cue_track(GString *s, const EmuTrack *t, char *titles[100], char *performers[100])
{
        g_string_append_printf(s, "  TRACK %02u AUDIO\n", t->number);
        if (t->number < 100) {
                cue_text(s, "    ", "TITLE", titles[t->number]);
                cue_text(s, "    ", "PERFORMER", performers[t->number]);
        }
        if (t->ctl & 0x03)
                g_string_append_printf(s, "    FLAGS%s%s\n", (t->ctl & 0x02) ? " DCP" : "",
                                       (t->ctl & 0x01) ? " PRE" : "");
        if (t->isrc[0])
                g_string_append_printf(s, "    ISRC %s\n", t->isrc);
        if (t->start - (int32_t) t->pregap >= 0 && t->pregap > 0)
                cue_msf(s, "INDEX 00", t->start - (int32_t) t->pregap);
        cue_msf(s, "INDEX 01", t->start);
        for (unsigned i = 0; i < t->n_index; i++) {
                char keyword[16];

                g_snprintf(keyword, sizeof(keyword), "INDEX %02u", i + 2);
                cue_msf(s, keyword, t->start + (int32_t) t->index[i]);
        }
}

/* The CUE sheet of an audio disc, positions relative to LBA 0 of image.bin. */
static char *cue_sheet(const EmuMedium *m)
{
        GString *s = g_string_new(NULL);
        char *titles[100], *performers[100];

        emu_cdtext_strings(m->cdtext, 0x80, titles);
        emu_cdtext_strings(m->cdtext, 0x81, performers);
        if (m->mcn[0])
                g_string_append_printf(s, "CATALOG %s\n", m->mcn);
        cue_text(s, "", "PERFORMER", performers[0]);
        cue_text(s, "", "TITLE", titles[0]);
        g_string_append(s, "FILE \"image.bin\" BINARY\n");
        for (unsigned i = 0; i < emu_medium_n_tracks(m); i++)
                cue_track(s, &g_array_index(m->tracks, EmuTrack, i), titles, performers);
        strings_free(titles);
        strings_free(performers);
        return g_string_free(s, false);
}

int emu_drive_open_image(EmuDrive *d, int *ret_fd, char **ret_cue_sheet)
{
        g_autofree char *cue = NULL;
        const EmuMedium *m;
        bool audio;
        int fd = -1, r;

        g_mutex_lock(&d->lock);
        m = d->medium;
        if (!m)
                r = -ENOMEDIUM;
        else if (emu_medium_mixed(m))
                r = -EMEDIUMTYPE;
        else {
                audio = emu_medium_has_audio(m);
                r = emu_backing_open_image(d->backing, audio, emu_medium_recorded_end(m), &fd);
                if (r >= 0 && audio)
                        cue = cue_sheet(m);
        }
        g_mutex_unlock(&d->lock);
        if (r < 0)
                return r;
        *ret_fd = fd;
        if (ret_cue_sheet)
                *ret_cue_sheet = g_steal_pointer(&cue);
        return 0;
}
