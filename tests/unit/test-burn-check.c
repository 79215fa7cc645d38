/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The burn engine's pure parts: pre-checks against a MediaInfo (each refusal a named error with a
 * message), the blocks a session takes per medium, the fit check, the duration estimate, action names. */
#include "burn-internal.h"
#include "imapi-error.h"
#include "mmc.h"

static MediaInfo medium(uint16_t profile)
{
        MediaInfo m = {
                .present = true,
                .profile = profile,
                .profile_name = profile_to_name(profile),
                .medium_class = profile_medium_class(profile),
                .write_class = profile_write_class(profile),
                .blank = true,
                .free_blocks = 100000,
                .total_blocks = 100000,
                .incremental = true,
                .test_write = true,
        };

        m.overwrite = m.write_class == WRITE_CLASS_OVERWRITE;
        return m;
}

static void assert_request(BurnKind kind, bool simulate, const MediaInfo *m, int error, const char *part)
{
        BurnRequest req = {.kind = kind, .simulate = simulate};
        g_autofree char *msg = NULL;
        int r = burn_check_request(&req, m, &msg);

        g_assert_cmpint(r, ==, error ? -error : 0);
        if (error) {
                g_assert_nonnull(msg);
                if (part && !strstr(msg, part))
                        g_error("'%s' lacks '%s'", msg, part);
        } else {
                g_assert_null(msg);
        }
}

static void test_medium(void)
{
        MediaInfo m = medium(MMC_PROFILE_CD_R);
        g_autofree char *msg = NULL;

        g_assert_cmpint(burn_check_medium(&m, NULL), ==, 0);
        m.present = false;
        g_assert_cmpint(burn_check_medium(&m, NULL), ==, -IMAPI_ERROR_MEDIUM_NOT_PRESENT);
        m = medium(MMC_PROFILE_DVD_PLUS_R);
        m.unsupported = true;
        g_assert_cmpint(burn_check_medium(&m, &msg), ==, -IMAPI_ERROR_MEDIUM_INVALID_TYPE);
        g_assert_nonnull(strstr(msg, "dvd+r"));
        m = medium(MMC_PROFILE_CD_ROM);
        g_assert_cmpint(burn_check_medium(&m, NULL), ==, -IMAPI_ERROR_MEDIUM_INVALID_TYPE);
        m = medium(MMC_PROFILE_BD_RE);
        m.write_protected = true;
        g_assert_cmpint(burn_check_medium(&m, NULL), ==, -IMAPI_ERROR_RECORDER_MEDIA_WRITE_PROTECTED);
}

static void test_request(void)
{
        MediaInfo m;

        m = medium(MMC_PROFILE_CD_R);
        assert_request(BURN_KIND_DATA, false, &m, 0, NULL);
        assert_request(BURN_KIND_AUDIO, true, &m, 0, NULL);
        assert_request(BURN_KIND_IMAGE, false, &m, 0, NULL);

        /* Closed sequential media; overwrite media report "complete" yet take writes. */
        m.blank = false;
        m.closed = true;
        assert_request(BURN_KIND_DATA, false, &m, IMAPI_ERROR_MEDIUM_CLOSED, "closed");
        m = medium(MMC_PROFILE_DVD_PLUS_RW);
        m.blank = false;
        m.closed = true;
        assert_request(BURN_KIND_DATA, false, &m, 0, NULL);
        assert_request(BURN_KIND_IMAGE, false, &m, 0, NULL); /* at LBA 0 */

        /* Audio: a blank CD only; a DVD is the wrong kind even when closed. */
        m = medium(MMC_PROFILE_DVD_R_SEQ);
        assert_request(BURN_KIND_AUDIO, false, &m, IMAPI_ERROR_MEDIUM_INVALID_TYPE, "CD");
        m.closed = true;
        assert_request(BURN_KIND_AUDIO, false, &m, IMAPI_ERROR_MEDIUM_INVALID_TYPE, "CD");
        m = medium(MMC_PROFILE_CD_RW);
        m.blank = false;
        m.appendable = true;
        assert_request(BURN_KIND_AUDIO, false, &m, IMAPI_ERROR_MEDIUM_NOT_BLANK, "blank");
        /* An image made for LBA 0 on an appendable disc. */
        assert_request(BURN_KIND_IMAGE, false, &m, IMAPI_ERROR_MEDIUM_NOT_BLANK, "blank");
        assert_request(BURN_KIND_DATA, false, &m, 0, NULL);

        /* A DVD-RW that takes one DAO session. */
        m = medium(MMC_PROFILE_DVD_RW_SEQ);
        m.incremental = false;
        assert_request(BURN_KIND_DATA, false, &m, 0, NULL);
        m.blank = false;
        assert_request(BURN_KIND_DATA, false, &m, IMAPI_ERROR_MEDIUM_NOT_BLANK, "Disc-At-Once");

        /* Test Write. */
        m = medium(MMC_PROFILE_DVD_PLUS_R);
        m.test_write = false;
        assert_request(BURN_KIND_DATA, true, &m, IMAPI_ERROR_NOT_SUPPORTED, "Test Write is not available");
        assert_request(BURN_KIND_DATA, false, &m, 0, NULL);
}

static void test_blocks(void)
{
        MediaInfo cd = medium(MMC_PROFILE_CD_R), dvd = medium(MMC_PROFILE_DVD_R_SEQ),
                  plus = medium(MMC_PROFILE_DVD_PLUS_R), bd = medium(MMC_PROFILE_BD_R_SRM),
                  ro = medium(MMC_PROFILE_DVD_RW_RO), bdre = medium(MMC_PROFILE_BD_RE);

        g_assert_cmpuint(burn_data_blocks_needed(&cd, 20), ==, 300); /* 4 s minimum */
        g_assert_cmpuint(burn_data_blocks_needed(&cd, 301), ==, 301);
        g_assert_cmpuint(burn_data_blocks_needed(&dvd, 17), ==, 32);
        g_assert_cmpuint(burn_data_blocks_needed(&plus, 32), ==, 32);
        g_assert_cmpuint(burn_data_blocks_needed(&bd, 33), ==, 64);
        g_assert_cmpuint(burn_data_blocks_needed(&ro, 1), ==, 16);
        g_assert_cmpuint(burn_data_blocks_needed(&bdre, 33), ==, 33);

        /* Sequential media: the free blocks; overwrite media: the whole capacity. */
        cd.free_blocks = 1000;
        g_assert_cmpint(burn_check_fits(&cd, 1000, NULL), ==, 0);
        g_assert_cmpint(burn_check_fits(&cd, 1001, NULL), ==, -IMAPI_ERROR_DISC_FULL);
        bdre.free_blocks = 0;
        bdre.total_blocks = 5000;
        g_assert_cmpuint(burn_medium_free_blocks(&bdre), ==, 5000);
        g_assert_cmpint(burn_check_fits(&bdre, 5000, NULL), ==, 0);
        {
                g_autofree char *msg = NULL;

                g_assert_cmpint(burn_check_fits(&bdre, 5001, &msg), ==, -IMAPI_ERROR_DISC_FULL);
                g_assert_nonnull(strstr(msg, "5001"));
                g_assert_nonnull(strstr(msg, "5000"));
        }
}

static void test_estimate(void)
{
        BurnRequest req = {.enable_bufe = -1};
        MediaInfo m = medium(MMC_PROFILE_CD_R);

        g_assert_cmpuint(burn_duration_usec(MEDIUM_CLASS_CD, 1, 75), ==, G_USEC_PER_SEC);
        g_assert_cmpuint(burn_duration_usec(MEDIUM_CLASS_CD, 48, 360000), ==, 100 * G_USEC_PER_SEC);
        /* 1x DVD = 1385 kB/s, 1x BD = 4496 kB/s */
        g_assert_cmpuint(burn_duration_usec(MEDIUM_CLASS_DVD, 1, 1385000 / 2048 * 10) / 100000, ==, 99);
        g_assert_cmpuint(burn_duration_usec(MEDIUM_CLASS_BD, 2, 4496000 / 2048 * 2) / 100000, ==, 9);
        g_assert_cmpuint(burn_duration_usec(MEDIUM_CLASS_DVD, 0, 1000), ==, 0);

        m.bufe = true;
        g_assert_true(burn_bufe_wanted(&req, &m));
        req.enable_bufe = 0;
        g_assert_false(burn_bufe_wanted(&req, &m));
        req.enable_bufe = 1;
        m.bufe = false;
        g_assert_false(burn_bufe_wanted(&req, &m)); /* asked for, but the drive cannot */
}

static void test_action_names(void)
{
        g_assert_cmpstr(burn_action_to_string(BURN_ACTION_NONE), ==, "");
        g_assert_cmpstr(burn_action_to_string(BURN_ACTION_PREPARING), ==, "preparing");
        g_assert_cmpstr(burn_action_to_string(BURN_ACTION_WRITING), ==, "writing");
        g_assert_cmpstr(burn_action_to_string(BURN_ACTION_CLOSING), ==, "closing");
        g_assert_cmpstr(burn_action_to_string(BURN_ACTION_VERIFYING), ==, "verifying");
        g_assert_cmpstr(burn_action_to_string(BURN_ACTION_ERASING), ==, "erasing");
        g_assert_cmpstr(burn_action_to_string(_BURN_ACTION_MAX), ==, "");
        g_assert_cmpstr(burn_action_to_string(_BURN_ACTION_INVALID), ==, "");
}

static void test_job_new(void)
{
        BurnRequest req = {.kind = BURN_KIND_DATA};
        BurnJob *job = NULL;

        g_assert_cmpint(burn_job_new(&req, &job), ==, -EINVAL); /* no transport, drive or tree */
        g_assert_null(job);
        g_assert_cmpint(burn_job_new(NULL, &job), ==, -EINVAL);
        g_assert_null(burn_job_free(NULL));
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/burn-check/medium", test_medium);
        g_test_add_func("/burn-check/request", test_request);
        g_test_add_func("/burn-check/blocks", test_blocks);
        g_test_add_func("/burn-check/estimate", test_estimate);
        g_test_add_func("/burn-check/action-names", test_action_names);
        g_test_add_func("/burn-check/job-new", test_job_new);
        return g_test_run();
}
