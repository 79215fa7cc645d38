/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the SEND CUE SHEET builder (entry by entry) and the text cue sheet (read back by cueprint). */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "audio-cuesheet.h"
#include "imapi-error.h"

typedef uint8_t CueEntry[AUDIO_CUE_ENTRY_SIZE];

/* Tracks of 300, 450 and 1000 blocks. */
static AudioLayout *layout_new(unsigned gap)
{
        AudioLayout *l = audio_layout_new();

        g_assert_cmpint(audio_layout_add_track(l, 300, gap), ==, 0);
        g_assert_cmpint(audio_layout_add_track(l, 450, gap), ==, 0);
        g_assert_cmpint(audio_layout_add_track(l, 1000, gap), ==, 0);
        return l;
}

static void assert_sheet(const AudioLayout *l, bool cdtext, const CueEntry *want, size_t n_want)
{
        g_autofree uint8_t *sheet = NULL;
        size_t size = 0;

        g_assert_cmpint(audio_cuesheet_build(l, cdtext, &sheet, &size), ==, 0);
        g_assert_cmpuint(size, ==, n_want * AUDIO_CUE_ENTRY_SIZE);
        for (size_t i = 0; i < n_want; i++) {
                if (memcmp(sheet + i * AUDIO_CUE_ENTRY_SIZE, want[i], AUDIO_CUE_ENTRY_SIZE) != 0)
                        g_test_message("entry %zu differs", i);
                g_assert_cmpmem(sheet + i * AUDIO_CUE_ENTRY_SIZE, AUDIO_CUE_ENTRY_SIZE, want[i],
                                AUDIO_CUE_ENTRY_SIZE);
        }
}

static void test_plain(void)
{
        /* Gap 150: track 2's pregap at LBA 300 = 00:06:00 (300 + 150 frames), index 1 at 450 = 00:08:00;
         * track 3 at 900/1050 = 00:14:00/00:16:00; lead-out at 2050 = 2200 frames = 00:29:25. */
        static const CueEntry want[] = {
                {0x01, 0x00, 0x00, 0x01, 0x00, 0, 0, 0}, /* lead-in, drive-generated audio */
                {0x01, 0x01, 0x00, 0x00, 0x00, 0, 0, 0}, /* track 1 pregap */
                {0x01, 0x01, 0x01, 0x00, 0x00, 0, 2, 0}, /* track 1 */
                {0x01, 0x02, 0x00, 0x00, 0x00, 0, 6, 0},   {0x01, 0x02, 0x01, 0x00, 0x00, 0, 8, 0},
                {0x01, 0x03, 0x00, 0x00, 0x00, 0, 14, 0},  {0x01, 0x03, 0x01, 0x00, 0x00, 0, 16, 0},
                {0x01, 0xaa, 0x01, 0x01, 0x00, 0, 29, 25}, /* lead-out */
        };
        g_autoptr(AudioLayout) l = layout_new(150);

        assert_sheet(l, false, want, G_N_ELEMENTS(want));
}

static void test_codes_cdtext_no_gap(void)
{
        /* Gap 0: no INDEX 00 entries after track 1; tracks at 300 (00:06:00) and 750 (00:12:00), lead-out
         * at 1750 = 1900 frames = 00:25:25. MCN first, ISRCs right before their track's entries. */
        static const CueEntry want[] = {
                {0x02, '4', '0', '0', '6', '3', '8', '1'},  {0x02, '3', '3', '3', '9', '3', '1', 0x00},
                {0x01, 0x00, 0x00, 0x41, 0x00, 0, 0, 0}, /* lead-in with CD-TEXT */
                {0x03, 0x01, 'U', 'S', 'R', 'C', '1', '7'}, {0x03, 0x01, '6', '0', '7', '8', '3', '9'},
                {0x01, 0x01, 0x00, 0x00, 0x00, 0, 0, 0},    {0x01, 0x01, 0x01, 0x00, 0x00, 0, 2, 0},
                {0x01, 0x02, 0x01, 0x00, 0x00, 0, 6, 0},    {0x03, 0x03, 'G', 'B', 'A', 'A', 'A', '0'},
                {0x03, 0x03, '1', '0', '0', '0', '0', '1'}, {0x01, 0x03, 0x01, 0x00, 0x00, 0, 12, 0},
                {0x01, 0xaa, 0x01, 0x01, 0x00, 0, 25, 25},
        };
        g_autoptr(AudioLayout) l = layout_new(0);

        strcpy(l->mcn, "4006381333931");
        strcpy(l->tracks[0].isrc, "USRC17607839");
        strcpy(l->tracks[2].isrc, "GBAAA0100001");
        assert_sheet(l, true, want, G_N_ELEMENTS(want));
}

static void test_long_and_limits(void)
{
        static const CueEntry want[] = {
                {0x01, 0x00, 0x00, 0x01, 0x00, 0, 0, 0},
                {0x01, 0x01, 0x00, 0x00, 0x00, 0, 0, 0},
                {0x01, 0x01, 0x01, 0x00, 0x00, 0, 2, 0},
                {0x01, 0x02, 0x00, 0x00, 0x00, 15, 35, 25}, /* 70000 + 150 frames */
                {0x01, 0x02, 0x01, 0x00, 0x00, 15, 37, 24}, /* + 149 */
                {0x01, 0xaa, 0x01, 0x01, 0x00, 79, 59, 74}, /* 359849: an 80-minute disc, full */
        };
        g_autoptr(AudioLayout) l = audio_layout_new(), empty = audio_layout_new(), big = audio_layout_new();
        g_autofree uint8_t *sheet = NULL;
        size_t size = 0;

        g_assert_cmpint(audio_layout_add_track(l, 70000, 0), ==, 0);
        g_assert_cmpint(audio_layout_add_track(l, 359849 - 70000 - 149, 149), ==, 0);
        assert_sheet(l, false, want, G_N_ELEMENTS(want));

        g_assert_cmpint(audio_cuesheet_build(empty, false, &sheet, &size), ==, -EINVAL);
        g_assert_cmpint(audio_layout_add_track(big, AUDIO_LEADOUT_MAX_LBA, 0), ==, 0);
        g_assert_cmpint(audio_cuesheet_build(big, false, &sheet, &size), ==, 0);
        g_clear_pointer(&sheet, g_free);
        g_assert_cmpint(audio_layout_add_track(big, 1, 0), ==, 0);
        g_assert_cmpint(audio_cuesheet_build(big, false, &sheet, &size), ==,
                        -IMAPI_ERROR_RAW_IMAGE_INSUFFICIENT_SPACE);
        g_assert_null(sheet);
}

static void test_full_disc_entries(void)
{
        g_autoptr(AudioLayout) l = audio_layout_new();
        g_autofree uint8_t *sheet = NULL;
        size_t size = 0;

        /* 99 tracks, each with an ISRC and a pregap, plus an MCN: 2 + 1 + 99 * 4 + 1 entries. */
        for (unsigned i = 0; i < AUDIO_TRACKS_MAX; i++) {
                g_assert_cmpint(audio_layout_add_track(l, 300, 1), ==, 0);
                g_snprintf(l->tracks[i].isrc, sizeof(l->tracks[i].isrc), "USAAA00%05u", i);
        }
        strcpy(l->mcn, "5901234123457");
        g_assert_cmpint(audio_cuesheet_build(l, true, &sheet, &size), ==, 0);
        g_assert_cmpuint(size, ==, (2 + 1 + 99 * 4 + 1) * AUDIO_CUE_ENTRY_SIZE);
        g_assert_cmphex(sheet[size - 8 + 1], ==, 0xaa);
        g_assert_cmphex(sheet[size - 5 * 8 + 1], ==, 99); /* track 99's first ISRC entry */
}

/* ---- text cue sheet ---- */

static AudioLayout *layout_with_text(void)
{
        AudioLayout *l = layout_new(150);

        strcpy(l->mcn, "4006381333931");
        l->title = g_strdup("Album \"One\"");
        l->performer = g_strdup("The Band");
        l->tracks[0].title = g_strdup("First");
        strcpy(l->tracks[0].isrc, "USRC17607839");
        l->tracks[1].performer = g_strdup("Guest");
        return l;
}

static void test_text_sheet(void)
{
        static const char want_pregap[] = "REM COMMENT \"imapid\"\n"
                                          "CATALOG 4006381333931\n"
                                          "PERFORMER \"The Band\"\n"
                                          "TITLE \"Album 'One'\"\n"
                                          "FILE \"disc.bin\" BINARY\n"
                                          "  TRACK 01 AUDIO\n"
                                          "    TITLE \"First\"\n"
                                          "    ISRC USRC17607839\n"
                                          "    INDEX 00 00:00:00\n"
                                          "    INDEX 01 00:02:00\n"
                                          "  TRACK 02 AUDIO\n"
                                          "    PERFORMER \"Guest\"\n"
                                          "    INDEX 00 00:06:00\n"
                                          "    INDEX 01 00:08:00\n"
                                          "  TRACK 03 AUDIO\n"
                                          "    INDEX 00 00:14:00\n"
                                          "    INDEX 01 00:16:00\n";
        g_autoptr(AudioLayout) l = layout_with_text();
        g_autofree char *text = NULL, *text0 = NULL;

        g_assert_cmpint(audio_cuesheet_format_text(l, "disc.bin", -150, &text), ==, 0);
        g_assert_cmpstr(text, ==, want_pregap);

        /* An image that starts at LBA 0: track 1 has no INDEX 00, every address moves by 2 s. */
        g_assert_cmpint(audio_cuesheet_format_text(l, "disc.bin", 0, &text0), ==, 0);
        g_assert_null(strstr(text0, "INDEX 00 00:00:00"));
        g_assert_nonnull(strstr(text0, "  TRACK 01 AUDIO\n    TITLE \"First\"\n    ISRC USRC17607839\n"
                                       "    INDEX 01 00:00:00\n  TRACK 02"));
        g_assert_nonnull(strstr(text0, "    INDEX 00 00:04:00\n    INDEX 01 00:06:00\n"));
        g_assert_nonnull(strstr(text0, "    INDEX 00 00:12:00\n    INDEX 01 00:14:00\n"));

        g_assert_cmpint(audio_cuesheet_format_text(l, "bad\".bin", 0, &text0), ==, -EINVAL);
        g_assert_cmpint(audio_cuesheet_format_text(l, "disc.bin", 1, &text0), ==, -EINVAL);
}

/* cueprint (cuetools) reads our text back. */
static void test_text_sheet_cueprint(void)
{
        g_autoptr(AudioLayout) l = layout_with_text();
        g_autoptr(GError) error = NULL;
        g_autofree char *text = NULL, *dir = NULL, *path = NULL, *out = NULL, *err = NULL;
        int status = 0;

        g_assert_cmpint(audio_cuesheet_format_text(l, "disc.bin", -150, &text), ==, 0);
        dir = g_dir_make_tmp("imapid-cue-XXXXXX", &error);
        g_assert_no_error(error);
        path = g_build_filename(dir, "disc.cue", NULL);
        g_assert_true(g_file_set_contents(path, text, -1, NULL));

        {
                const char *argv[] = {"cueprint", "-d", "%N|%T|%P\n", "-t", "%n|%t|%p|%i\n", path, NULL};
                g_assert_true(g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                                           &err, &status, &error));
        }
        g_assert_no_error(error);
        g_assert_true(g_spawn_check_wait_status(status, NULL));
        g_assert_cmpstr(out, ==,
                        "3|Album 'One'|The Band\n"
                        "1|First||USRC17607839\n"
                        "2||Guest|\n"
                        "3|||\n");
        (void) g_unlink(path);
        (void) g_rmdir(dir);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/cuesheet/plain", test_plain);
        g_test_add_func("/cuesheet/codes-cdtext-no-gap", test_codes_cdtext_no_gap);
        g_test_add_func("/cuesheet/long-and-limits", test_long_and_limits);
        g_test_add_func("/cuesheet/full-disc-entries", test_full_disc_entries);
        g_test_add_func("/cuesheet/text", test_text_sheet);
        g_test_add_func("/cuesheet/text-cueprint", test_text_sheet_cueprint);
        return g_test_run();
}
