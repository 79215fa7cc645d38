/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cross-check of the MMC host side with the emulated drive (daemon/emu): probe every medium the emulator
 * offers, then write, close and re-probe, and check the Recorder properties at each step. Two independent
 * implementations of MMC-6 have to agree here. */
#include "emu-drive.h"
#include "imapi-error.h"
#include "mmc.h"

typedef struct Case {
        uint16_t profile;
        const char *name;
        uint32_t capacity; /* blocks of a blank disc: the real media's figures */
        bool rewritable;
} Case;

static const Case cases[] = {
        {0x09, "cd-r", 359849, false}, /* 80 min: lead-out at 79:59:74 */
        {0x0a, "cd-rw", 359849, true},   {0x11, "dvd-r", 2298496, false},
        {0x14, "dvd-rw", 2298496, true}, {0x15, "dvd-r-dl", 4171712, false},
        {0x1b, "dvd+r", 2295104, false}, {0x2b, "dvd+r-dl", 4173824, false},
        {0x41, "bd-r", 12219392, false}, {0x1a, "dvd+rw", 2295104, true},
        {0x43, "bd-re", 12219392, true}, {0x12, "dvd-ram", 2236704, true},
};

typedef struct Emu {
        EmuDrive *drive;
        Transport *t;
        DriveInfo info;
} Emu;

static Emu *emu_new(void)
{
        Emu *e = g_new0(Emu, 1);
        g_autofree char *err = NULL;
        MmcRetryPolicy p = {
                .ready_budget_ms = 2000, .initial_delay_ms = 1, .max_delay_ms = 10, .attention_retries = 4};

        mmc_set_retry_policy(&p);
        mmc_set_poll_interval_ms(1);
        g_assert_cmpint(emu_drive_new("mmc", NULL, NULL, &e->drive, &err), ==, 0);
        e->t = emu_drive_new_transport(e->drive);
        g_assert_cmpint(mmc_probe_drive(e->t, &e->info), ==, 0);
        return e;
}

static void emu_free(Emu *e)
{
        transport_free(e->t);
        emu_drive_unref(e->drive);
        g_free(e);
        mmc_set_retry_policy(NULL);
        mmc_set_poll_interval_ms(0);
}

static void probe(Emu *e, MediaInfo *m)
{
        g_assert_cmpint(mmc_probe_media(e->t, &e->info, m), ==, 0);
}

static void test_drive(void)
{
        Emu *e = emu_new();
        g_auto(GStrv) names = drive_info_profile_names(&e->info);
        g_autofree char *joined = g_strjoinv(" ", names);
        MediaInfo m;

        g_assert_cmpstr(e->info.vendor, ==, "IMAPID");
        g_assert_cmpstr(e->info.product, ==, "Virtual mmc");
        g_assert_cmpuint(e->info.device_type, ==, 5);
        g_assert_true(e->info.has_get_configuration);
        g_assert_cmpstr(joined, ==,
                        "cd-r cd-rw dvd-r dvd-rw dvd+r dvd+rw dvd+r-dl dvd-r-dl dvd-ram bd-r bd-re");
        g_assert_cmpuint(e->info.recorder_type, ==, IMAPI_RECORDER_CDRW);
        g_assert_true(e->info.features.cd_tao);
        g_assert_true(e->info.features.cd_sao);
        g_assert_true(e->info.features.cd_test_write);
        g_assert_true(e->info.features.bufe);
        g_assert_true(e->info.features.dvd_minus_write);
        g_assert_true(e->info.features.dvd_plus_r);
        g_assert_true(e->info.features.bd_write);
        g_assert_true(e->info.can_eject);
        g_assert_cmpuint(e->info.max_write_speed, >, 0);

        probe(e, &m); /* the tray is empty */
        g_assert_false(m.present);
        g_assert_cmpstr(m.profile_name, ==, "");
        emu_free(e);
}

static void test_blank_media(void)
{
        Emu *e = emu_new();

        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
                const Case *c = &cases[i];
                MediaInfo m;

                g_test_message("%s", c->name);
                g_assert_cmpint(emu_drive_load_medium(e->drive, c->profile), ==, 0);
                probe(e, &m);
                g_assert_true(m.present);
                g_assert_cmphex(m.profile, ==, c->profile);
                g_assert_cmpstr(m.profile_name, ==, c->name);
                g_assert_cmpint(m.media_type, ==, profile_is_cd(c->profile) ? 1 : 6);
                g_assert_cmpuint(m.total_blocks, ==, c->capacity);
                g_assert_cmpuint(m.free_blocks, ==, c->capacity);
                g_assert_cmpuint(m.next_writable, ==, 0);
                g_assert_cmpuint(m.start_address, ==, 0);
                g_assert_cmpuint(m.last_track, ==, m.sessions);
                g_assert_true(m.media_flags & IMAPI_MEDIA_FLAG_WRITABLE);
                g_assert_false(m.media_flags & IMAPI_MEDIA_FLAG_UNUSABLE);
                g_assert_cmpuint(!!(m.media_flags & IMAPI_MEDIA_FLAG_RW), ==, c->rewritable);
                g_assert_cmpuint(m.media_state & IMAPI_MEDIA_STATE_UNSUPPORTED_MASK, ==, 0);
                g_assert_cmpuint(m.n_write_speeds, >, 0);
                g_assert_cmpuint(m.max_write_speed, ==, m.write_speeds[0].x);
                for (size_t k = 1; k < m.n_write_speeds; k++)
                        g_assert_cmpuint(m.write_speeds[k - 1].x, >, m.write_speeds[k].x);
                if (m.overwrite) {
                        g_assert_true(m.media_state & IMAPI_MEDIA_STATE_OVERWRITE_ONLY);
                } else {
                        /* A fresh sequential disc: blank, nothing written. */
                        g_assert_cmphex(m.media_flags & ~IMAPI_MEDIA_FLAG_RW, ==,
                                        IMAPI_MEDIA_FLAG_BLANK | IMAPI_MEDIA_FLAG_WRITABLE);
                        g_assert_true(m.media_state & IMAPI_MEDIA_STATE_BLANK);
                        g_assert_cmpuint(m.sessions, ==, 0);
                        g_assert_true(m.nwa_valid);
                        g_assert_cmpuint(m.next_track, ==, 1);
                }
        }
        emu_free(e);
}

/* Writes one data track of `blocks` blocks the way the burn engine will, and closes it. */
static void write_session(Emu *e, uint32_t blocks, bool keep_open)
{
        g_autofree uint8_t *buf = g_malloc0(32 * 2048);
        MmcWriteParameters p;
        MmcTrackInfo ti;
        MediaInfo m;
        uint32_t lba = 0;

        probe(e, &m);
        g_assert_cmpint(mmc_media_set_write_speed(e->t, &m, 0), ==, 0);
        if (m.write_class == WRITE_CLASS_CD) {
                mmc_write_parameters_cd_data_tao(&p, false, m.bufe, keep_open);
                g_assert_cmpint(mmc_set_write_parameters(e->t, &p), ==, 0);
        } else if (m.write_class == WRITE_CLASS_DVD_MINUS_SEQ) {
                mmc_write_parameters_dvd_minus(&p, m.incremental, false, m.bufe, keep_open, m.link_size);
                g_assert_cmpint(mmc_set_write_parameters(e->t, &p), ==, 0);
        }
        if (m.needs_format) {
                MmcFormatRequest f;
                g_assert_cmpint(mmc_format_request_for_medium(&m, &f), ==, 0);
                g_assert_cmpint(mmc_format_unit(e->t, &f, 0, NULL, NULL), ==, 0);
        }
        if (!m.overwrite) {
                g_assert_cmpint(mmc_read_track_information(e->t, MMC_TRACK_ADDRESS_TRACK, m.next_track, &ti),
                                ==, 0);
                g_assert_true(ti.nwa_valid);
                g_assert_cmpuint(ti.nwa, ==, m.next_writable);
                lba = ti.nwa;
        }
        for (uint32_t done = 0; done < blocks; done += 32)
                g_assert_cmpint(mmc_write(e->t, lba + done, buf, MIN(32u, blocks - done), 2048, false), ==,
                                0);
        g_assert_cmpint(mmc_synchronize_cache(e->t, 0), ==, 0);
        g_assert_cmpint(mmc_close_after_write(e->t, &m, m.next_track, !keep_open, false), ==, 0);
}

static void test_sequential_sessions(void)
{
        Emu *e = emu_new();

        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
                const Case *c = &cases[i];
                MediaInfo m;
                uint32_t second_start;

                if (profile_write_class(c->profile) == WRITE_CLASS_OVERWRITE)
                        continue;
                g_test_message("%s", c->name);
                g_assert_cmpint(emu_drive_load_medium(e->drive, c->profile), ==, 0);

                write_session(e, 320, true);
                probe(e, &m);
                g_assert_true(m.appendable);
                g_assert_cmphex(m.media_state & IMAPI_MEDIA_STATE_INFORMATIONAL_MASK &
                                        ~IMAPI_MEDIA_STATE_FINAL_SESSION,
                                ==, IMAPI_MEDIA_STATE_APPENDABLE);
                g_assert_cmphex(m.media_flags & ~IMAPI_MEDIA_FLAG_RW, ==, IMAPI_MEDIA_FLAG_WRITABLE);
                g_assert_cmpuint(m.sessions, ==, 1);
                g_assert_cmpuint(m.last_track, ==, 1);
                g_assert_cmpuint(m.start_address, ==, 0);
                g_assert_cmpuint(m.next_track, ==, 2);
                g_assert_cmpuint(m.next_writable, >=, 320);
                g_assert_cmpuint(m.total_blocks, ==, c->capacity);
                g_assert_cmpuint(m.next_writable + m.free_blocks, ==, c->capacity);
                if (profile_is_cd(c->profile)) /* TAO: 2 run-out blocks, lead-out 6750, lead-in 4500, pre-gap
                                                  150 */
                        g_assert_cmpuint(m.next_writable, ==, 320 + 2 + 6750 + 4500 + 150);
                second_start = m.next_writable;

                write_session(e, 320, false);
                probe(e, &m);
                g_assert_true(m.closed);
                g_assert_cmphex(m.media_state & ~IMAPI_MEDIA_STATE_ERASE_REQUIRED, ==,
                                IMAPI_MEDIA_STATE_FINALIZED);
                g_assert_cmpuint(!!(m.media_state & IMAPI_MEDIA_STATE_ERASE_REQUIRED), ==, c->rewritable);
                g_assert_cmphex(m.media_flags & IMAPI_MEDIA_FLAG_WRITABLE, ==, 0);
                g_assert_cmpuint(m.sessions, ==, 2);
                g_assert_cmpuint(m.last_track, ==, 2);
                g_assert_cmpuint(m.start_address, ==, second_start);
                g_assert_cmpuint(m.free_blocks, ==, 0);
                g_assert_cmpuint(m.next_writable, ==, 0);
                g_assert_cmpuint(m.total_blocks, >=, second_start + 320);
        }
        emu_free(e);
}

static void test_overwrite_media(void)
{
        Emu *e = emu_new();
        g_autofree uint8_t *back = g_malloc0(2048);

        for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
                const Case *c = &cases[i];
                MediaInfo m;

                if (profile_write_class(c->profile) != WRITE_CLASS_OVERWRITE)
                        continue;
                g_test_message("%s", c->name);
                g_assert_cmpint(emu_drive_load_medium(e->drive, c->profile), ==, 0);
                write_session(e, 64, false);
                probe(e, &m);
                g_assert_false(m.needs_format);
                g_assert_cmphex(m.media_state, ==, IMAPI_MEDIA_STATE_OVERWRITE_ONLY);
                g_assert_cmphex(m.media_flags, ==, IMAPI_MEDIA_FLAG_RW | IMAPI_MEDIA_FLAG_WRITABLE);
                g_assert_cmpuint(m.sessions, ==, 1);
                g_assert_cmpuint(m.next_writable, ==, 0);
                g_assert_cmpuint(m.free_blocks, ==, m.total_blocks);
                g_assert_cmpuint(m.total_blocks, >, 0);
                g_assert_cmpuint(m.total_blocks, <=, c->capacity);
                g_assert_cmpint(mmc_read(e->t, 63, back, 1, 2048), ==, 0);
        }
        emu_free(e);
}

typedef struct Progress {
        unsigned calls;
} Progress;

static int on_progress(bool valid, uint32_t done, void *userdata)
{
        ((Progress *) userdata)->calls++;
        return 0;
}

static void test_erase(void)
{
        Emu *e = emu_new();
        Progress p = {};
        MediaInfo m;

        g_assert_cmpint(emu_drive_load_medium(e->drive, MMC_PROFILE_CD_RW), ==, 0);
        write_session(e, 320, false);
        probe(e, &m);
        g_assert_true(m.closed);
        g_assert_true(m.erasable);
        g_assert_cmpint(mmc_blank(e->t, MMC_BLANK_MINIMAL, 0, 0, on_progress, &p), ==, 0);
        probe(e, &m);
        g_assert_true(m.blank);
        g_assert_cmphex(m.media_flags, ==,
                        IMAPI_MEDIA_FLAG_BLANK | IMAPI_MEDIA_FLAG_RW | IMAPI_MEDIA_FLAG_WRITABLE);
        g_assert_cmpuint(m.free_blocks, ==, 359849);

        /* BLANK is for CD-RW and DVD-RW only. */
        g_assert_cmpint(emu_drive_load_medium(e->drive, MMC_PROFILE_CD_R), ==, 0);
        probe(e, &m);
        g_assert_cmpint(mmc_blank(e->t, MMC_BLANK_MINIMAL, 0, 0, NULL, NULL), <, 0);
        emu_free(e);
}

static void test_media_changes_and_faults(void)
{
        Emu *e = emu_new();
        MediaInfo m;

        g_assert_cmpint(emu_drive_load_medium(e->drive, MMC_PROFILE_DVD_PLUS_R), ==, 0);
        probe(e, &m); /* the unit attention of the load is absorbed by the retries */
        g_assert_true(m.present);
        g_assert_cmpint(emu_drive_remove_medium(e->drive), ==, 0);
        probe(e, &m);
        g_assert_false(m.present);
        emu_drive_disconnect(e->drive);
        g_assert_cmpint(mmc_probe_media(e->t, &e->info, &m), ==, -IMAPI_ERROR_DEVICE_NOT_PRESENT);
        emu_free(e);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/mmc-emu/drive", test_drive);
        g_test_add_func("/mmc-emu/blank-media", test_blank_media);
        g_test_add_func("/mmc-emu/sequential-sessions", test_sequential_sessions);
        g_test_add_func("/mmc-emu/overwrite-media", test_overwrite_media);
        g_test_add_func("/mmc-emu/erase", test_erase);
        g_test_add_func("/mmc-emu/media-changes", test_media_changes_and_faults);
        return g_test_run();
}
