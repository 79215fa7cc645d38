/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The SEND CUE SHEET entries of an SAO audio burn (MMC-6 §6.33) and the text cue sheet of a raw image. */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "audio-cuesheet.h"
#include "imapi-error.h"

#define CTL_AUDIO   0x00 /* two channels, no pre-emphasis, copy not permitted, audio */
#define ENTRIES_MAX (2 + 1 + AUDIO_TRACKS_MAX * 4 + 1)

typedef struct CueWriter {
        uint8_t *data;
        size_t n;
} CueWriter;

static uint8_t *cue_entry(CueWriter *w)
{
        uint8_t *e = w->data + w->n * AUDIO_CUE_ENTRY_SIZE;

        assert(w->n < ENTRIES_MAX);
        w->n++;
        return e;
}

static int cue_add_position(CueWriter *w, uint8_t tno, uint8_t index, uint8_t form, int32_t lba)
{
        uint8_t *e;
        AudioMsf msf;
        int r;

        r = audio_lba_to_msf(lba, &msf);
        if (r < 0)
                return r;
        e = cue_entry(w);
        e[0] = CTL_AUDIO | AUDIO_CUE_ADR_POSITION;
        e[1] = tno;
        e[2] = index;
        e[3] = form;
        e[4] = 0; /* SCMS */
        e[5] = msf.m;
        e[6] = msf.s;
        e[7] = msf.f;
        return 0;
}

/* MMC-6 §6.33.3.3: the catalogue number in two entries, 7 + 6 characters and a zero byte. */
static void cue_add_mcn(CueWriter *w, const char mcn[static AUDIO_MCN_LENGTH])
{
        uint8_t *e1 = cue_entry(w), *e2 = cue_entry(w);

        e1[0] = e2[0] = AUDIO_CUE_ADR_MCN;
        memcpy(e1 + 1, mcn, 7);
        memcpy(e2 + 1, mcn + 7, 6);
        e2[7] = 0;
}

/* MMC-6 §6.33.3.4: the ISRC in two entries of the track, 6 + 6 characters. */
static void cue_add_isrc(CueWriter *w, uint8_t tno, const char isrc[static AUDIO_ISRC_LENGTH])
{
        uint8_t *e1 = cue_entry(w), *e2 = cue_entry(w);

        e1[0] = e2[0] = CTL_AUDIO | AUDIO_CUE_ADR_ISRC;
        e1[1] = e2[1] = tno;
        memcpy(e1 + 2, isrc, 6);
        memcpy(e2 + 2, isrc + 6, 6);
}

static int cue_add_track(CueWriter *w, const AudioLayout *l, unsigned i)
{
        const AudioLayoutTrack *t = &l->tracks[i];
        uint8_t tno = (uint8_t) (i + 1);
        int r;

        if (strlen(t->isrc) == AUDIO_ISRC_LENGTH)
                cue_add_isrc(w, tno, t->isrc);
        if (t->pregap_lba < t->start_lba) {
                r = cue_add_position(w, tno, 0, AUDIO_CUE_FORM_AUDIO, t->pregap_lba);
                if (r < 0)
                        return r;
        }
        return cue_add_position(w, tno, 1, AUDIO_CUE_FORM_AUDIO, t->start_lba);
}

int audio_cuesheet_build(const AudioLayout *l, bool cdtext, uint8_t **ret_sheet, size_t *ret_size)
{
        g_autofree uint8_t *data = NULL;
        CueWriter w;
        int r;

        if (l->n_tracks == 0 || l->n_tracks > AUDIO_TRACKS_MAX)
                return -EINVAL;
        if (l->leadout_lba > AUDIO_LEADOUT_MAX_LBA)
                return -IMAPI_ERROR_RAW_IMAGE_INSUFFICIENT_SPACE;

        data = g_malloc0(ENTRIES_MAX * AUDIO_CUE_ENTRY_SIZE);
        w = (CueWriter){.data = data};

        if (strlen(l->mcn) == AUDIO_MCN_LENGTH)
                cue_add_mcn(&w, l->mcn);
        r = cue_add_position(&w, 0, 0, AUDIO_CUE_FORM_AUDIO_GENERATED | (cdtext ? AUDIO_CUE_FORM_CDTEXT : 0),
                             -AUDIO_FIRST_PREGAP_BLOCKS);
        if (r < 0)
                return r;
        for (unsigned i = 0; i < l->n_tracks; i++) {
                r = cue_add_track(&w, l, i);
                if (r < 0)
                        return r;
        }
        r = cue_add_position(&w, AUDIO_CUE_TNO_LEADOUT, 1, AUDIO_CUE_FORM_AUDIO_GENERATED, l->leadout_lba);
        if (r < 0)
                return r;

        *ret_size = w.n * AUDIO_CUE_ENTRY_SIZE;
        *ret_sheet = g_realloc(g_steal_pointer(&data), *ret_size);
        return 0;
}

/* ---- text cue sheet ---- */

static void text_append_quoted(GString *s, const char *keyword, const char *indent, const char *value)
{
        if (!value || !value[0])
                return;
        g_string_append_printf(s, "%s%s \"", indent, keyword);
        for (const char *p = value; *p; p++) {
                char c = *p;

                if (c == '"')
                        c = '\'';
                else if ((unsigned char) c < 0x20 || c == 0x7f)
                        c = ' ';
                g_string_append_c(s, c);
        }
        g_string_append(s, "\"\n");
}

static void text_append_index(GString *s, unsigned index, int32_t lba, int32_t image_start_lba)
{
        int32_t frames = lba - image_start_lba;

        g_string_append_printf(s, "    INDEX %02u %02d:%02d:%02d\n", index,
                               frames / (60 * AUDIO_FRAMES_PER_SECOND),
                               frames / AUDIO_FRAMES_PER_SECOND % 60, frames % AUDIO_FRAMES_PER_SECOND);
}

int audio_cuesheet_format_text(const AudioLayout *l, const char *file_name, int32_t image_start_lba,
                               char **ret_text)
{
        g_autoptr(GString) s = g_string_new("REM COMMENT \"imapid\"\n");

        if (l->n_tracks == 0 || image_start_lba > 0 || image_start_lba < -AUDIO_FIRST_PREGAP_BLOCKS)
                return -EINVAL;
        if (!file_name[0] || strpbrk(file_name, "\"\n\r"))
                return -EINVAL;

        if (strlen(l->mcn) == AUDIO_MCN_LENGTH)
                g_string_append_printf(s, "CATALOG %s\n", l->mcn);
        text_append_quoted(s, "PERFORMER", "", l->performer);
        text_append_quoted(s, "TITLE", "", l->title);
        g_string_append_printf(s, "FILE \"%s\" BINARY\n", file_name);

        for (unsigned i = 0; i < l->n_tracks; i++) {
                const AudioLayoutTrack *t = &l->tracks[i];

                g_string_append_printf(s, "  TRACK %02u AUDIO\n", i + 1);
                text_append_quoted(s, "TITLE", "    ", t->title);
                text_append_quoted(s, "PERFORMER", "    ", t->performer);
                if (strlen(t->isrc) == AUDIO_ISRC_LENGTH)
                        g_string_append_printf(s, "    ISRC %s\n", t->isrc);
                if (t->pregap_lba < t->start_lba && t->pregap_lba >= image_start_lba)
                        text_append_index(s, 0, t->pregap_lba, image_start_lba);
                text_append_index(s, 1, t->start_lba, image_start_lba);
        }

        *ret_text = g_string_free(g_steal_pointer(&s), false);
        return 0;
}
