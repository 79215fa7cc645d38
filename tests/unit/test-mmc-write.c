/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the write side (mmc-write.c) and blanking/formatting (mmc-blank.c) against a scripted drive. */
#include "cdb.h"
#include "imapi-error.h"
#include "mmc-blank.h"
#include "mmc-command.h"
#include "mmc-fake-transport.h"
#include "mmc-write.h"

static void setup_fast(void)
{
        MmcRetryPolicy p = {
                .ready_budget_ms = 20, .initial_delay_ms = 1, .max_delay_ms = 2, .attention_retries = 2};
        mmc_set_retry_policy(&p);
        mmc_set_poll_interval_ms(1);
}

static void teardown_fast(void)
{
        mmc_set_retry_policy(NULL);
        mmc_set_poll_interval_ms(0);
}

/* The opcodes the drive saw, in order, as a string like "5B 5B". */
static char *opcodes(FakeTransport *f)
{
        GString *s = g_string_new(NULL);

        for (guint i = 0; i < f->log->len; i++) {
                size_t n;
                const uint8_t *p = g_bytes_get_data(f->log->pdata[i], &n);
                g_string_append_printf(s, "%s%02X", i ? " " : "", p[0]);
        }
        return g_string_free(s, false);
}

static void test_page_cd_data_tao(void)
{
        MmcWriteParameters p;
        uint8_t page[52];

        mmc_write_parameters_cd_data_tao(&p, true, true, true);
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, sizeof(page)), ==, 0);
        g_assert_cmphex(page[0], ==, 0x05);
        g_assert_cmphex(page[1], ==, 0x32);
        g_assert_cmphex(page[2], ==, 0x40 | 0x10 | 0x01); /* BUFE, test write, TAO */
        g_assert_cmphex(page[3], ==, 0xc0 | 0x04);        /* multi-session 11b, track mode 4 */
        g_assert_cmphex(page[4], ==, 0x08);               /* mode 1, 2048 bytes */
        g_assert_cmphex(page[8], ==, 0x00);
        for (size_t i = 9; i < sizeof(page); i++)
                g_assert_cmpuint(page[i], ==, 0);

        mmc_write_parameters_cd_data_tao(&p, false, false, false);
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, sizeof(page)), ==, 0);
        g_assert_cmphex(page[2], ==, 0x01);
        g_assert_cmphex(page[3], ==, 0x04);
}

static void test_page_cd_audio(void)
{
        MmcWriteParameters p;
        uint8_t page[56];

        mmc_write_parameters_cd_audio_sao(&p, false, true, "0123456789012");
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, sizeof(page)), ==, 0);
        g_assert_cmphex(page[1], ==, 0x36); /* the drive's longer page */
        g_assert_cmphex(page[2], ==, 0x40 | 0x02);
        g_assert_cmphex(page[3], ==, 0x00);
        g_assert_cmphex(page[4], ==, 0x00); /* raw 2352 */
        g_assert_cmpuint(page[14] << 8 | page[15], ==, 150);
        g_assert_cmphex(page[16], ==, 0x80); /* MCVAL */
        g_assert_cmpmem(page + 17, 13, "0123456789012", 13);

        mmc_write_parameters_cd_audio_tao(&p, false, false, true);
        g_strlcpy(p.isrc, "USK7Y9812345", sizeof(p.isrc));
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, sizeof(page)), ==, 0);
        g_assert_cmphex(page[2], ==, 0x01);
        g_assert_cmphex(page[3], ==, 0xc0);
        g_assert_cmphex(page[32], ==, 0x80); /* TCVAL */
        g_assert_cmpmem(page + 33, 12, "USK7Y9812345", 12);

        g_strlcpy(p.isrc, "US-K7Y-98", sizeof(p.isrc));
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, sizeof(page)), ==, -EINVAL);
        mmc_write_parameters_cd_audio_sao(&p, false, true, "12345");
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, sizeof(page)), ==, -EINVAL);
        mmc_write_parameters_cd_audio_sao(&p, false, true, NULL);
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, 50), ==, -EINVAL); /* too short */
}

static void test_page_dvd_minus(void)
{
        MmcWriteParameters p;
        uint8_t page[52];

        mmc_write_parameters_dvd_minus(&p, true, false, true, true, 0);
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, sizeof(page)), ==, 0);
        g_assert_cmphex(page[2], ==, 0x40 | 0x20 | 0x00); /* BUFE, LS_V, incremental */
        g_assert_cmphex(page[3], ==, 0xc0 | 0x20 | 0x05); /* multi-session, FP, track mode 5 */
        g_assert_cmphex(page[4], ==, 0x08);
        g_assert_cmpuint(page[5], ==, 16);  /* link size default */
        g_assert_cmpuint(page[13], ==, 16); /* packet size */

        mmc_write_parameters_dvd_minus(&p, false, true, false, true, 16); /* DAO: no multi-session */
        g_assert_cmpint(mmc_write_parameters_page_build(&p, page, sizeof(page)), ==, 0);
        g_assert_cmphex(page[2], ==, 0x10 | 0x02);
        g_assert_cmphex(page[3], ==, 0x05);
        g_assert_cmpuint(page[13], ==, 0);
}

static void test_set_write_parameters_uses_drive_length(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        uint8_t sense[8 + 56] = {0, 62, 0, 0, 0, 0, 0, 0, 0x85, 0x36};
        MmcWriteParameters p;
        size_t n;

        fake_data(f, SCSI_OP_MODE_SENSE_10, 2, 0x05, sense, sizeof(sense));
        fake_good(f, SCSI_OP_MODE_SELECT_10);
        mmc_write_parameters_cd_data_tao(&p, false, true, false);
        g_assert_cmpint(mmc_set_write_parameters(t, &p), ==, 0);
        g_assert_cmpuint(f->out->len, ==, 1);
        const uint8_t *d = g_bytes_get_data(f->out->pdata[0], &n);
        g_assert_cmpuint(n, ==, 8 + 56);
        g_assert_cmphex(d[8], ==, 0x05); /* PS cleared */
        g_assert_cmphex(d[9], ==, 0x36);
        g_assert_cmphex(d[10], ==, 0x41);
        const uint8_t *cdb = fake_last_cdb(f, SCSI_OP_MODE_SELECT_10);
        g_assert_cmpuint(cdb[7] << 8 | cdb[8], ==, 64);

        /* A drive that refuses the parameters: the MODE SELECT-specific error. */
        fake_sense(f, SCSI_OP_MODE_SELECT_10, 0x5, 0x26, 0x00, 1);
        g_assert_cmpint(mmc_set_write_parameters(t, &p), ==, -IMAPI_ERROR_RECORDER_INVALID_MODE_PARAMETERS);
}

static void test_write_and_read(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        g_autofree uint8_t *buf = g_malloc0(70000 * 2048ul);
        const uint8_t *cdb;

        fake_good(f, SCSI_OP_WRITE_10);
        fake_good(f, SCSI_OP_WRITE_12);
        fake_data(f, SCSI_OP_READ_10, -1, 0, "\x42", 1);
        fake_good(f, SCSI_OP_READ_12);
        fake_good(f, SCSI_OP_READ_CD);
        g_assert_cmpint(mmc_write(t, 1000, buf, 16, 2048, false), ==, 0);
        cdb = fake_last_cdb(f, SCSI_OP_WRITE_10);
        g_assert_cmpuint(cdb[7] << 8 | cdb[8], ==, 16);
        g_assert_cmpint(mmc_write(t, 1000, buf, 70000, 2048, false), ==, 0);
        g_assert_cmpint(mmc_write(t, 1000, buf, 16, 2048, true), ==, 0);
        g_assert_cmpuint(fake_count(f, SCSI_OP_WRITE_12), ==, 2);
        cdb = fake_last_cdb(f, SCSI_OP_WRITE_12);
        g_assert_cmphex(cdb[10], ==, 0x80);
        g_assert_cmpint(mmc_write(t, 0, buf, 0, 2048, false), ==, -EINVAL);

        g_assert_cmpint(mmc_read(t, 16, buf, 1, 2048), ==, 0);
        g_assert_cmphex(buf[0], ==, 0x42);
        g_assert_cmpint(mmc_read(t, 16, buf, 70000, 2048), ==, 0);
        g_assert_cmpuint(fake_count(f, SCSI_OP_READ_12), ==, 1);
        g_assert_cmpint(mmc_read_cd(t, 0, buf, 10, 2352), ==, 0);
        cdb = fake_last_cdb(f, SCSI_OP_READ_CD);
        g_assert_cmpuint(cdb[8], ==, 10);

        /* A full disc on WRITE. */
        fake_sense(f, SCSI_OP_WRITE_10, 0x5, 0x21, 0x00, 1);
        g_assert_cmpint(mmc_write(t, 359849, buf, 1, 2048, false), ==, -IMAPI_ERROR_DISC_FULL);
}

static void test_synchronize_cache_polls(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        g_autofree char *ops = NULL;

        setup_fast();
        fake_good(f, SCSI_OP_SYNCHRONIZE_CACHE);
        fake_good(f, SCSI_OP_TEST_UNIT_READY);
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x04, 0x08, 3); /* long write in progress */
        g_assert_cmpint(mmc_synchronize_cache(t, 0), ==, 0);
        ops = opcodes(f);
        g_assert_cmpstr(ops, ==, "35 00 00 00 00");
        const uint8_t *cdb = fake_last_cdb(f, SCSI_OP_SYNCHRONIZE_CACHE);
        g_assert_cmphex(cdb[1], ==, 0x02); /* Immed */
        teardown_fast();
}

static void test_wait_ready_errors(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;

        setup_fast();
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x04, 0x07, 0);
        g_assert_cmpint(mmc_wait_ready(t, 20, NULL, NULL), ==, -IMAPI_ERROR_RECORDER_COMMAND_TIMEOUT);
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x3, 0x0c, 0x00, 1); /* a real failure ends the wait */
        g_assert_cmpint(mmc_wait_ready(t, 1000, NULL, NULL), ==, -IMAPI_ERROR_MEDIUM_ERROR);
        fake_transport_error(f, SCSI_OP_TEST_UNIT_READY, -ENODEV, 1);
        g_assert_cmpint(mmc_wait_ready(t, 1000, NULL, NULL), ==, -IMAPI_ERROR_DEVICE_NOT_PRESENT);
        teardown_fast();
}

typedef struct ProgressLog {
        unsigned calls;
        unsigned valid;
        uint32_t last;
        int stop_after;
} ProgressLog;

static int progress_cb(bool valid, uint32_t done, void *userdata)
{
        ProgressLog *l = userdata;

        l->calls++;
        if (valid) {
                g_assert_cmpuint(done, >=, l->last); /* progress only grows here */
                l->valid++;
                l->last = done;
        }
        if (l->stop_after > 0 && (int) l->calls >= l->stop_after)
                return -ECANCELED;
        return 0;
}

static void test_blank_with_progress(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        ProgressLog l = {};
        FakeAnswer a = {.opcode = SCSI_OP_TEST_UNIT_READY,
                        .match_offset = -1,
                        .check = true,
                        .key = 0x2,
                        .asc = 0x04,
                        .ascq = 0x07,
                        .progress_valid = true,
                        .progress = 0x4000,
                        .uses = 1};

        setup_fast();
        fake_good(f, SCSI_OP_BLANK);
        fake_good(f, SCSI_OP_TEST_UNIT_READY);
        /* 1st poll: progress in the TUR sense; 2nd and 3rd: only through REQUEST SENSE. */
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x04, 0x07, 2);
        g_array_prepend_val(f->answers, a);
        fake_request_sense_progress(f, 0x0, 0x00, 0x00, 0xc000, 1);
        fake_request_sense_progress(f, 0x2, 0x04, 0x07, 0x8000, 1);
        g_assert_cmpint(mmc_blank(t, MMC_BLANK_MINIMAL, 0, 0, progress_cb, &l), ==, 0);
        g_assert_cmpuint(l.calls, ==, 3);
        g_assert_cmpuint(l.valid, ==, 3);
        g_assert_cmpuint(l.last, ==, 0xc000);
        const uint8_t *cdb = fake_last_cdb(f, SCSI_OP_BLANK);
        g_assert_cmphex(cdb[1], ==, 0x11); /* Immed, minimal */
        g_assert_cmpint(mmc_blank(t, 9, 0, 0, NULL, NULL), ==, -EINVAL);

        /* The callback may stop the wait. */
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x04, 0x07, 0);
        l = (ProgressLog){.stop_after = 2};
        g_assert_cmpint(mmc_blank(t, MMC_BLANK_FULL, 0, 0, progress_cb, &l), ==, -ECANCELED);
        g_assert_cmpuint(l.calls, ==, 2);
        teardown_fast();
}

static MediaInfo formats_medium(uint16_t profile)
{
        MediaInfo m = {.present = true, .profile = profile, .formats_valid = true};

        m.formats = (MmcFormatCapacities){
                .current_blocks = 2295104,
                .current_type = MMC_CAPACITY_UNFORMATTED,
                .n = 4,
                .formats = {{2295104, 0x26, 0},
                            {11826176, 0x30, 0x3000},
                            {12219392, 0x31, 2048},
                            {2236704, 0x00, 2048}},
        };
        return m;
}

static void test_format(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        MmcFormatRequest r;
        MediaInfo m;
        uint8_t list[12];
        size_t n;

        m = formats_medium(MMC_PROFILE_DVD_PLUS_RW);
        g_assert_cmpint(mmc_format_request_for_medium(&m, &r), ==, 0);
        g_assert_cmphex(r.type, ==, 0x26);
        g_assert_cmpuint(r.blocks, ==, 2295104);
        g_assert_cmpuint(r.parameter, ==, 0);
        m = formats_medium(MMC_PROFILE_BD_RE);
        g_assert_cmpint(mmc_format_request_for_medium(&m, &r), ==, 0);
        g_assert_cmphex(r.type, ==, 0x30);
        g_assert_cmphex(r.parameter, ==, 0x3000);
        m = formats_medium(MMC_PROFILE_DVD_RAM);
        g_assert_cmpint(mmc_format_request_for_medium(&m, &r), ==, 0);
        g_assert_cmphex(r.type, ==, 0x00);
        m = formats_medium(MMC_PROFILE_CD_RW);
        g_assert_cmpint(mmc_format_request_for_medium(&m, &r), ==, -IMAPI_ERROR_NOT_SUPPORTED);
        m = formats_medium(MMC_PROFILE_DVD_RW_SEQ); /* no 13h/15h descriptor offered */
        g_assert_cmpint(mmc_format_request_for_medium(&m, &r), ==, -IMAPI_ERROR_RECORDER_MEDIA_INCOMPATIBLE);

        r = (MmcFormatRequest){.type = 0x30, .subtype = 3, .blocks = 11826176, .parameter = 0x3000};
        mmc_format_list_build(list, &r, true);
        const uint8_t want[12] = {0, 0x82, 0, 8, 0x00, 0xb4, 0x74, 0x00, 0xc3, 0x00, 0x30, 0x00};
        g_assert_cmpmem(list, 12, want, 12);

        setup_fast();
        fake_good(f, SCSI_OP_FORMAT_UNIT);
        fake_good(f, SCSI_OP_TEST_UNIT_READY);
        g_assert_cmpint(mmc_format_unit(t, &r, 0, NULL, NULL), ==, 0);
        const uint8_t *d = g_bytes_get_data(f->out->pdata[0], &n);
        g_assert_cmpmem(d, n, want, 12);
        teardown_fast();
}

typedef struct CloseCase {
        uint16_t profile;
        bool finalize, dao;
        const char *cdbs; /* the CLOSE TRACK/SESSION CDBs' bytes 2 and 5, "fn/number ..." */
} CloseCase;

static void test_close_recipes(void)
{
        static const CloseCase cases[] = {
                {MMC_PROFILE_CD_R, false, false, "2/0"},
                {MMC_PROFILE_CD_RW, true, false, "2/0"},
                {MMC_PROFILE_CD_R, true, true, ""},
                {MMC_PROFILE_DVD_R_SEQ, false, false, "1/3 2/0"},
                {MMC_PROFILE_DVD_RW_SEQ, true, true, ""},
                {MMC_PROFILE_DVD_PLUS_R, false, false, "1/3 2/0"},
                {MMC_PROFILE_DVD_PLUS_R, true, false, "1/3 5/0"},
                {MMC_PROFILE_DVD_PLUS_R_DL, true, false, "1/3 5/0"},
                {MMC_PROFILE_BD_R_SRM, true, false, "1/3 6/0"},
                {MMC_PROFILE_BD_R_SRM, false, false, "1/3 2/0"},
                {MMC_PROFILE_DVD_PLUS_RW, false, false, "2/0"},
                {MMC_PROFILE_DVD_RW_RO, false, false, "2/0"},
                {MMC_PROFILE_BD_RE, false, false, ""},
                {MMC_PROFILE_DVD_RAM, true, false, ""},
        };

        setup_fast();
        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
                FakeTransport *f = fake_new();
                g_autoptr(Transport) t = &f->base;
                g_autoptr(GString) got = g_string_new(NULL);
                MediaInfo m = {.present = true, .profile = cases[i].profile};

                fake_good(f, SCSI_OP_CLOSE_TRACK_SESSION);
                fake_good(f, SCSI_OP_TEST_UNIT_READY);
                g_assert_cmpint(mmc_close_after_write(t, &m, 3, cases[i].finalize, cases[i].dao), ==, 0);
                for (guint k = 0; k < f->log->len; k++) {
                        size_t n;
                        const uint8_t *p = g_bytes_get_data(f->log->pdata[k], &n);
                        if (p[0] != SCSI_OP_CLOSE_TRACK_SESSION)
                                continue;
                        g_assert_cmphex(p[1], ==, 0x01); /* Immed, then polled */
                        g_string_append_printf(got, "%s%u/%u", got->len ? " " : "", p[2], p[5]);
                }
                g_test_message("profile %04x", cases[i].profile);
                g_assert_cmpstr(got->str, ==, cases[i].cdbs);
        }
        {
                FakeTransport *f = fake_new();
                g_autoptr(Transport) t = &f->base;
                MediaInfo m = {.present = true, .profile = MMC_PROFILE_DVD_ROM};
                g_assert_cmpint(mmc_close_after_write(t, &m, 1, false, false), ==,
                                -IMAPI_ERROR_NOT_SUPPORTED);
        }
        teardown_fast();
}

static void test_reserve_cue_buffer(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        const uint8_t bc[12] = {0, 10, 0, 0, 0x00, 0x40, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00};
        uint8_t cue[16] = {0x01, 0x00, 0x00, 0x01};
        MmcBufferCapacity c;
        size_t n;

        fake_good(f, SCSI_OP_RESERVE_TRACK);
        fake_good(f, SCSI_OP_SEND_CUE_SHEET);
        fake_data(f, SCSI_OP_READ_BUFFER_CAPACITY, -1, 0, bc, sizeof(bc));
        g_assert_cmpint(mmc_reserve_track(t, 2295104), ==, 0);
        const uint8_t *cdb = fake_last_cdb(f, SCSI_OP_RESERVE_TRACK);
        uint32_t v = 0;
        g_assert_cmpint(be32_read(cdb, 10, 5, &v), ==, 0);
        g_assert_cmpuint(v, ==, 2295104);

        g_assert_cmpint(mmc_send_cue_sheet(t, cue, sizeof(cue)), ==, 0);
        const uint8_t *d = g_bytes_get_data(f->out->pdata[0], &n);
        g_assert_cmpmem(d, n, cue, sizeof(cue));
        g_assert_cmpint(mmc_send_cue_sheet(t, cue, 12), ==, -EINVAL);
        g_assert_cmpint(mmc_send_cue_sheet(t, cue, 0), ==, -EINVAL);

        g_assert_cmpint(mmc_read_buffer_capacity(t, &c), ==, 0);
        g_assert_cmpuint(c.size, ==, 4u * 1024 * 1024);
        g_assert_cmpuint(c.blank, ==, 1u * 1024 * 1024);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/mmc-write/page-cd-data-tao", test_page_cd_data_tao);
        g_test_add_func("/mmc-write/page-cd-audio", test_page_cd_audio);
        g_test_add_func("/mmc-write/page-dvd-minus", test_page_dvd_minus);
        g_test_add_func("/mmc-write/set-write-parameters", test_set_write_parameters_uses_drive_length);
        g_test_add_func("/mmc-write/write-and-read", test_write_and_read);
        g_test_add_func("/mmc-write/synchronize-cache", test_synchronize_cache_polls);
        g_test_add_func("/mmc-write/wait-ready-errors", test_wait_ready_errors);
        g_test_add_func("/mmc-write/blank-progress", test_blank_with_progress);
        g_test_add_func("/mmc-write/format", test_format);
        g_test_add_func("/mmc-write/close-recipes", test_close_recipes);
        g_test_add_func("/mmc-write/reserve-cue-buffer", test_reserve_cue_buffer);
        return g_test_run();
}
