/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for MCN/ISRC/CD-TEXT string validation and the Red Book layout arithmetic (MSF, gaps, TAO plan). */
#include <errno.h>
#include <string.h>

#include "audio-codes.h"
#include "audio-layout.h"
#include "imapi-error.h"

static void test_mcn(void)
{
        /* Published EAN-13 numbers with their check digits, and a UPC-A that pads to one. */
        static const char *valid[] = {"4006381333931", "5901234123457", "9780201379624", "036000291452"};
        static const char *invalid[] = {
                "4006381333932", /* wrong check digit */
                "5901234123450",
                "400638133393",
                "40063813339311",
                "400638133393a",
                "4006381 33931",
                "0000000000000",
                "",
        };
        char mcn[AUDIO_MCN_LENGTH + 1] = "untouched";

        for (size_t i = 0; i < G_N_ELEMENTS(valid); i++)
                g_assert_cmpint(audio_mcn_normalize(valid[i], mcn), ==, 0);
        g_assert_cmpstr(mcn, ==, "0036000291452");

        strcpy(mcn, "untouched");
        for (size_t i = 0; i < G_N_ELEMENTS(invalid); i++)
                g_assert_cmpint(audio_mcn_normalize(invalid[i], mcn), ==, -IMAPI_ERROR_DF2_TAO_INVALID_MCN);
        g_assert_cmpstr(mcn, ==, "untouched");
}

static void test_isrc(void)
{
        static const char *invalid[] = {
                "USRC1760783",    /* 11 characters */
                "USRC176078399",  /* 13 */
                "U5RC17607839",   /* digit in the country code */
                "USR-17607839",   /* punctuation in the registrant */
                "USRC1760783X",   /* letter in the designation */
                "USRC-17-607839", /* dashes in the wrong places */
                "US-RC1-76-0783", /* short display form */
                "US_RC1_76_07839", "",
        };
        char isrc[AUDIO_ISRC_LENGTH + 1] = "untouched";

        g_assert_cmpint(audio_isrc_normalize("USRC17607839", isrc), ==, 0);
        g_assert_cmpstr(isrc, ==, "USRC17607839");
        g_assert_cmpint(audio_isrc_normalize("US-K7Y-98-12345", isrc), ==, 0);
        g_assert_cmpstr(isrc, ==, "USK7Y9812345");
        g_assert_cmpint(audio_isrc_normalize("gb-aaa-01-00001", isrc), ==, 0);
        g_assert_cmpstr(isrc, ==, "GBAAA0100001");

        strcpy(isrc, "untouched");
        for (size_t i = 0; i < G_N_ELEMENTS(invalid); i++)
                g_assert_cmpint(audio_isrc_normalize(invalid[i], isrc), ==,
                                -IMAPI_ERROR_DF2_TAO_INVALID_ISRC);
        g_assert_cmpstr(isrc, ==, "untouched");
}

static void test_text(void)
{
        g_autofree char *max = g_strnfill(AUDIO_TEXT_MAX, 'a');
        g_autofree char *over = g_strnfill(AUDIO_TEXT_MAX + 1, 'a');
        g_autofree char *accented = g_strnfill(AUDIO_TEXT_MAX / 2, 'a');
        g_autofree char *latin1 = NULL, *back = NULL;

        g_assert_cmpint(audio_text_to_latin1("Café ñ ÿ", &latin1), ==, 0);
        g_assert_cmpmem(latin1, strlen(latin1), "Caf\xe9 \xf1 \xff", 8);
        back = audio_text_from_latin1(latin1, strlen(latin1));
        g_assert_cmpstr(back, ==, "Café ñ ÿ");

        g_assert_cmpint(audio_text_to_latin1(max, NULL), ==, 0);
        g_assert_cmpint(audio_text_to_latin1(over, NULL), ==, -IMAPI_ERROR_LIMITS_EXCEEDED);
        /* The limit counts characters, not UTF-8 bytes. */
        g_clear_pointer(&over, g_free);
        over = g_strconcat(accented, accented, "é", NULL);
        g_assert_cmpint(audio_text_to_latin1(over, NULL), ==, -IMAPI_ERROR_LIMITS_EXCEEDED);
        g_clear_pointer(&over, g_free);
        over = g_strconcat(accented, accented + 1, "é", NULL);
        g_assert_cmpint(audio_text_to_latin1(over, NULL), ==, 0);

        g_assert_cmpint(audio_text_to_latin1("日本", NULL), ==, -EINVAL);
        g_assert_cmpint(audio_text_to_latin1("tab\there", NULL), ==, -EINVAL);
        g_assert_cmpint(audio_text_to_latin1("line\n", NULL), ==, -EINVAL);
        g_assert_cmpint(audio_text_to_latin1("c1 \xc2\x85", NULL), ==, -EINVAL); /* U+0085 */
        g_assert_cmpint(audio_text_to_latin1("\xff\xfe", NULL), ==, -EINVAL);    /* not UTF-8 */
}

static void assert_msf(int32_t lba, unsigned m, unsigned s, unsigned f)
{
        AudioMsf msf;

        g_assert_cmpint(audio_lba_to_msf(lba, &msf), ==, 0);
        g_assert_cmpuint(msf.m, ==, m);
        g_assert_cmpuint(msf.s, ==, s);
        g_assert_cmpuint(msf.f, ==, f);
        g_assert_cmpint(audio_msf_to_lba(msf), ==, lba);
}

static void test_msf(void)
{
        AudioMsf msf = {1, 2, 3};

        assert_msf(-150, 0, 0, 0);
        assert_msf(0, 0, 2, 0);
        assert_msf(74, 0, 2, 74);
        assert_msf(75, 0, 3, 0);
        assert_msf(359849, 79, 59, 74);
        assert_msf(AUDIO_LEADOUT_MAX_LBA, 89, 59, 74);
        assert_msf(-11635, 97, 26, 65); /* a typical ATIP lead-in start */
        assert_msf(-1, 0, 1, 74);
        assert_msf(-151, 99, 59, 74); /* the last lead-in block */
        g_assert_cmpint(audio_lba_to_msf(AUDIO_LEADOUT_MAX_LBA + 1, &msf), ==, -ERANGE);
        assert_msf(-45150, 90, 0, 0);
        g_assert_cmpint(audio_lba_to_msf(-45151, &msf), ==, -ERANGE);
        g_assert_cmpuint(msf.m, ==, 1);
}

static void test_layout(void)
{
        g_autoptr(AudioLayout) l = audio_layout_new();
        AudioTaoPlan plan;

        g_assert_cmpuint(audio_layout_get_sao_blocks(l), ==, 0);
        g_assert_cmpint(audio_layout_add_track(l, 300, 0), ==, 0); /* gap ignored: 150 before track 1 */
        g_assert_cmpint(audio_layout_add_track(l, 450, 75), ==, 0);
        g_assert_cmpint(audio_layout_add_track(l, 1000, 0), ==, 0);
        g_assert_cmpint(audio_layout_add_track(l, 1000, 226), ==, -EINVAL);

        g_assert_cmpint(l->tracks[0].pregap_lba, ==, -150);
        g_assert_cmpint(l->tracks[0].start_lba, ==, 0);
        g_assert_cmpint(l->tracks[1].pregap_lba, ==, 300);
        g_assert_cmpint(l->tracks[1].start_lba, ==, 375);
        g_assert_cmpint(l->tracks[2].pregap_lba, ==, 825);
        g_assert_cmpint(l->tracks[2].start_lba, ==, 825);
        g_assert_cmpint(l->leadout_lba, ==, 1825);
        g_assert_cmpuint(audio_layout_get_sao_blocks(l), ==, 1975);
        g_assert_false(audio_layout_has_text(l));

        /* TAO: the drive writes each pause and 2 run-out blocks after each track. */
        audio_layout_plan_tao(l, &plan);
        g_assert_cmpuint(plan.n_tracks, ==, 3);
        g_assert_cmpuint(plan.tracks[0].pause_blocks, ==, 150);
        g_assert_cmpint(plan.tracks[0].start_lba, ==, 0);
        g_assert_cmpuint(plan.tracks[1].pause_blocks, ==, 75);
        g_assert_cmpint(plan.tracks[1].start_lba, ==, 300 + 2 + 75);
        g_assert_cmpuint(plan.tracks[2].pause_blocks, ==, 0);
        g_assert_cmpint(plan.tracks[2].start_lba, ==, 377 + 450 + 2);
        g_assert_cmpuint(plan.tracks[2].blocks, ==, 1000);
        g_assert_cmpint(plan.leadout_lba, ==, 829 + 1000);

        for (unsigned i = 3; i < AUDIO_TRACKS_MAX; i++)
                g_assert_cmpint(audio_layout_add_track(l, 300, 150), ==, 0);
        g_assert_cmpint(audio_layout_add_track(l, 300, 150), ==, -IMAPI_ERROR_DF2_TAO_TRACK_LIMIT_REACHED);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/audio-codes/mcn", test_mcn);
        g_test_add_func("/audio-codes/isrc", test_isrc);
        g_test_add_func("/audio-codes/text", test_text);
        g_test_add_func("/audio-layout/msf", test_msf);
        g_test_add_func("/audio-layout/layout", test_layout);
        return g_test_run();
}
