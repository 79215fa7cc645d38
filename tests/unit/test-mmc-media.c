/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for mmc_probe_drive()/mmc_probe_media() against a scripted fake drive with spec-built answers. */
#include "cdb.h"
#include "imapi-error.h"
#include "mmc-command.h"
#include "mmc-fake-transport.h"
#include "mmc-media.h"

/* ---- Canned answers, byte by byte from MMC-6/SPC-3 ------------------------------------------- */

static void answer_inquiry(FakeTransport *f)
{
        uint8_t b[36] = {0x05, 0x80, 0x05, 0x32, 31};

        memcpy(b + 8, "HL-DT-ST", 8);
        memcpy(b + 16, "DVDRAM GH24NSD1 ", 16);
        memcpy(b + 32, "LG00", 4);
        fake_data(f, SCSI_OP_INQUIRY, -1, 0, b, sizeof(b));
}

typedef struct Config {
        GByteArray *b;
} Config;

static void config_feature(GByteArray *b, uint16_t code, uint8_t flags, const uint8_t *data, uint8_t len)
{
        uint8_t h[4] = {code >> 8, code & 0xff, flags, len};
        g_byte_array_append(b, h, 4);
        g_byte_array_append(b, data, len);
}

/* A DVD burner: CD-R/RW, DVD±R/RW, DVD-RAM, DVD+R DL, DVD-R DL. current: the medium's profile. */
static void answer_configuration(FakeTransport *f, uint16_t current, bool incremental_current)
{
        static const uint16_t profiles[] = {0x12, 0x11, 0x15, 0x14, 0x13, 0x1a,
                                            0x1b, 0x2b, 0x10, 0x0a, 0x09, 0x08};
        g_autoptr(GByteArray) b = g_byte_array_new();
        uint8_t head[8] = {0, 0, 0, 0, 0, 0, current >> 8, current & 0xff};
        uint8_t plist[4 * G_N_ELEMENTS(profiles)] = {};

        g_byte_array_append(b, head, 8);
        for (size_t i = 0; i < G_N_ELEMENTS(profiles); i++) {
                be16_put(plist + 4 * i, profiles[i]);
                plist[4 * i + 2] = profiles[i] == current;
        }
        config_feature(b, 0x0000, 0x03, plist, sizeof(plist));
        config_feature(b, 0x0001, 0x0b, (const uint8_t[]){0, 0, 0, 2, 1, 0, 0, 0}, 8);
        /* Removable medium: tray (001b), load, eject, lock. */
        config_feature(b, 0x0003, 0x03, (const uint8_t[]){0x20 | 0x10 | 0x08 | 0x01, 0, 0, 0}, 4);
        config_feature(b, 0x0004, 0x01, (const uint8_t[]){0x01, 0, 0, 0}, 4);
        /* Incremental streaming writable: block types 0x0101 (0 and 8), BUF, one link size: 16. */
        config_feature(b, 0x0021, incremental_current ? 0x05 : 0x04,
                       (const uint8_t[]){0x01, 0x01, 0x01, 0x01, 16, 0, 0, 0}, 8);
        config_feature(b, 0x0023, 0x00, (const uint8_t[]){0, 0, 0, 0}, 4);
        /* CD TAO: BUF, test write, CD-RW; data types. */
        config_feature(b, 0x002d, current == 0x09 || current == 0x0a ? 0x09 : 0x08,
                       (const uint8_t[]){0x40 | 0x04 | 0x02, 0, 0x00, 0xff}, 4);
        /* CD mastering: BUF, SAO, raw, test write, CD-RW; max cue sheet 0x000c00. */
        config_feature(b, 0x002e, current == 0x09 || current == 0x0a ? 0x09 : 0x08,
                       (const uint8_t[]){0x40 | 0x20 | 0x08 | 0x04 | 0x02, 0x00, 0x0c, 0x00}, 4);
        /* DVD-R/-RW write: BUF, test write, DVD-RW. */
        config_feature(b, 0x002f, 0x04 | (current == 0x11 || current == 0x14 ? 1 : 0),
                       (const uint8_t[]){0x40 | 0x04 | 0x02, 0, 0, 0}, 4);
        config_feature(b, 0x002a, 0x04, (const uint8_t[]){0x01, 0x00, 0, 0}, 4);
        config_feature(b, 0x002b, 0x00, (const uint8_t[]){0x01, 0, 0, 0}, 4);
        config_feature(b, 0x003b, 0x00, (const uint8_t[]){0x01, 0, 0, 0}, 4);
        /* Real time streaming: WSPD and SW. */
        config_feature(b, 0x0107, 0x0d, (const uint8_t[]){0x03, 0, 0, 0}, 4);
        be32_put(b->data, b->len - 4);
        fake_data(f, SCSI_OP_GET_CONFIGURATION, -1, 0, b->data, b->len);
}

/* MODE SENSE(10) page 2Ah: writes CD-R, CD-RW, DVD-R with test write; BUF; tray, eject, lock; 48x max
 * with descriptors 48x/40x/24x. */
static void answer_page_2a(FakeTransport *f)
{
        uint8_t b[8 + 44] = {};
        uint8_t *p = b + 8;

        be16_put(b, sizeof(b) - 2);
        p[0] = 0x2a;
        p[1] = 42;
        p[2] = 0x3b;
        p[3] = 0x01 | 0x02 | 0x04 | 0x10 | 0x20;
        p[4] = 0x80 | 0x40;
        p[6] = 0x20 | 0x08 | 0x01;
        be16_put(p + 12, 2048);
        be16_put(p + 18, 8467);
        be16_put(p + 28, 8467);
        be16_put(p + 30, 3);
        be16_put(p + 32 + 2, 8467);
        be16_put(p + 36 + 2, 7056);
        be16_put(p + 40 + 2, 4234);
        fake_data(f, SCSI_OP_MODE_SENSE_10, 2, 0x2a, b, sizeof(b));
}

typedef struct DiscInfoArgs {
        uint8_t status, session_state;
        bool erasable;
        uint8_t sessions, first_last, last_last, disc_type;
} DiscInfoArgs;

static void answer_disc_info(FakeTransport *f, DiscInfoArgs a)
{
        uint8_t b[34] = {};

        be16_put(b, 32);
        b[2] = (uint8_t) ((a.erasable ? 0x10 : 0) | a.session_state << 2 | a.status);
        b[3] = 1;
        b[4] = a.sessions;
        b[5] = a.first_last;
        b[6] = a.last_last;
        b[7] = 0x20; /* URU */
        b[8] = a.disc_type;
        be32_put(b + 16, 0x00611b45); /* lead-in 97:27:69 */
        be32_put(b + 20, 0x004f3b4a); /* last possible lead-out 79:59:74 */
        fake_data(f, SCSI_OP_READ_DISC_INFORMATION, -1, 0, b, sizeof(b));
}

typedef struct TrackInfoArgs {
        uint8_t track, session;
        bool blank, nwa_valid;
        uint32_t start, nwa, free_blocks, size;
} TrackInfoArgs;

/* Answers READ TRACK INFORMATION when cdb[1] (address type) and cdb[5] (address LSB) match. */
static void answer_track_info(FakeTransport *f, uint8_t address_type, TrackInfoArgs a)
{
        uint8_t b[36] = {};

        be16_put(b, 34);
        b[2] = a.track;
        b[3] = a.session;
        b[5] = 0x04; /* data, uninterrupted */
        b[6] = (a.blank ? 0x40 : 0) | 0x01;
        b[7] = a.nwa_valid ? 0x01 : 0;
        be32_put(b + 8, a.start);
        be32_put(b + 12, a.nwa);
        be32_put(b + 16, a.free_blocks);
        be32_put(b + 24, a.size);
        FakeAnswer ans = {.opcode = SCSI_OP_READ_TRACK_INFORMATION,
                          .match_offset = 1,
                          .match_value = address_type,
                          .match2 = true,
                          .match_offset2 = 5,
                          .match_value2 = address_type == MMC_TRACK_ADDRESS_SESSION ? a.session : a.track};
        ans.data = g_bytes_new(b, sizeof(b));
        g_array_append_val(f->answers, ans);
}

/* GET PERFORMANCE type 03h: speeds in kB/s, fastest first. */
static void answer_write_speeds(FakeTransport *f, uint32_t end_lba, const uint32_t *kbps, size_t n)
{
        g_autofree uint8_t *b = g_malloc0(8 + 16 * n);

        be32_put(b, 4 + 16 * n);
        for (size_t i = 0; i < n; i++) {
                be32_put(b + 8 + 16 * i + 4, end_lba);
                be32_put(b + 8 + 16 * i + 8, kbps[i]);
                be32_put(b + 8 + 16 * i + 12, kbps[i]);
        }
        fake_data(f, SCSI_OP_GET_PERFORMANCE, -1, 0, b, 8 + 16 * n);
}

static void answer_capacity(FakeTransport *f, uint32_t last_lba)
{
        uint8_t b[8];

        be32_put(b, last_lba);
        be32_put(b + 4, 2048);
        fake_data(f, SCSI_OP_READ_CAPACITY, -1, 0, b, sizeof(b));
}

static FakeTransport *fake_burner(uint16_t current, bool incremental_current)
{
        FakeTransport *f = fake_new();

        answer_inquiry(f);
        answer_configuration(f, current, incremental_current);
        answer_page_2a(f);
        fake_good(f, SCSI_OP_TEST_UNIT_READY);
        fake_good(f, SCSI_OP_START_STOP_UNIT);
        return f;
}

static void fast_retries(void)
{
        MmcRetryPolicy p = {
                .ready_budget_ms = 20, .initial_delay_ms = 1, .max_delay_ms = 4, .attention_retries = 4};
        mmc_set_retry_policy(&p);
}

/* ---- Drive ------------------------------------------------------------------------------------ */

static void test_probe_drive(void)
{
        g_autoptr(Transport) t = &fake_burner(0x0000, false)->base;
        g_auto(GStrv) names = NULL;
        g_autofree char *joined = NULL;
        DriveInfo d;

        g_assert_cmpint(mmc_probe_drive(t, &d), ==, 0);
        g_assert_cmpstr(d.vendor, ==, "HL-DT-ST");
        g_assert_cmpstr(d.product, ==, "DVDRAM GH24NSD1");
        g_assert_cmpstr(d.revision, ==, "LG00");
        g_assert_cmpuint(d.device_type, ==, 5);
        g_assert_true(d.has_get_configuration);
        g_assert_cmpuint(d.n_profiles, ==, 12);
        g_assert_cmpuint(d.n_writable_profiles, ==, 10); /* not DVD-ROM, not CD-ROM */
        g_assert_true(drive_info_can_write(&d, 0x1b));
        g_assert_false(drive_info_can_write(&d, 0x43));
        names = drive_info_profile_names(&d);
        joined = g_strjoinv(" ", names);
        g_assert_cmpstr(joined, ==, "cd-r cd-rw dvd-r dvd-rw dvd+r dvd+rw dvd+r-dl dvd-r-dl dvd-ram");
        g_assert_cmpuint(d.recorder_type, ==, 2);
        g_assert_true(d.features.cd_tao);
        g_assert_true(d.features.cd_sao);
        g_assert_true(d.features.cd_raw);
        g_assert_true(d.features.cd_test_write);
        g_assert_true(d.features.bufe);
        g_assert_true(d.features.incremental_streaming);
        g_assert_true(d.features.dvd_minus_write);
        g_assert_true(d.features.dvd_minus_test_write);
        g_assert_true(d.features.dvd_plus_r);
        g_assert_true(d.features.dvd_plus_rw);
        g_assert_true(d.features.dvd_plus_r_dl);
        g_assert_false(d.features.bd_write);
        g_assert_true(d.features.formattable);
        g_assert_true(d.features.real_time_streaming);
        g_assert_true(d.features.streaming_write_speed);
        g_assert_cmpuint(d.features.link_size, ==, 16);
        g_assert_cmpuint(d.features.max_cue_sheet_length, ==, 0x0c00);
        g_assert_true(d.can_eject);
        g_assert_true(d.can_load);
        g_assert_true(d.can_lock);
        g_assert_cmpuint(d.max_write_kbps, ==, 8467);
        g_assert_cmpuint(d.max_write_speed, ==, 48);
        g_assert_cmpuint(d.buffer_size_kb, ==, 2048);
}

static void test_probe_drive_without_get_configuration(void)
{
        g_autoptr(Transport) t = NULL;
        FakeTransport *f = fake_new();
        DriveInfo d;

        /* An old CD-RW writer: no GET CONFIGURATION (the fake answers 5/20/00), page 2Ah only. */
        answer_inquiry(f);
        answer_page_2a(f);
        t = &f->base;
        g_assert_cmpint(mmc_probe_drive(t, &d), ==, 0);
        g_assert_false(d.has_get_configuration);
        g_assert_true(drive_info_can_write(&d, MMC_PROFILE_CD_R));
        g_assert_true(drive_info_can_write(&d, MMC_PROFILE_CD_RW));
        g_assert_true(drive_info_can_write(&d, MMC_PROFILE_DVD_R_SEQ));
        g_assert_cmpuint(d.recorder_type, ==, 2);
        g_assert_true(d.features.cd_tao);
        g_assert_true(d.features.cd_test_write);
        g_assert_true(d.features.bufe);
}

static void test_probe_drive_gone(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        DriveInfo d;

        fake_transport_error(f, SCSI_OP_INQUIRY, -ENODEV, 0);
        g_assert_cmpint(mmc_probe_drive(t, &d), ==, -IMAPI_ERROR_DEVICE_NOT_PRESENT);
}

/* ---- Media ------------------------------------------------------------------------------------ */

static void probe_both(Transport *t, DriveInfo *d, MediaInfo *m)
{
        g_assert_cmpint(mmc_probe_drive(t, d), ==, 0);
        g_assert_cmpint(mmc_probe_media(t, d, m), ==, 0);
}

static void test_blank_cd_r(void)
{
        static const uint32_t speeds[] = {8467, 7056, 4234, 4235};
        FakeTransport *f = fake_burner(0x09, false);
        g_autoptr(Transport) t = &f->base;
        DriveInfo d;
        MediaInfo m;

        answer_disc_info(
                f, (DiscInfoArgs){
                           .status = 0, .session_state = 0, .sessions = 1, .first_last = 1, .last_last = 1});
        answer_track_info(f, MMC_TRACK_ADDRESS_TRACK,
                          (TrackInfoArgs){.track = 1,
                                          .session = 1,
                                          .blank = true,
                                          .nwa_valid = true,
                                          .free_blocks = 359849,
                                          .size = 359849});
        answer_write_speeds(f, 359848, speeds, G_N_ELEMENTS(speeds));
        probe_both(t, &d, &m);

        g_assert_true(m.present);
        g_assert_cmphex(m.profile, ==, 0x09);
        g_assert_cmpstr(m.profile_name, ==, "cd-r");
        g_assert_cmpint(m.media_type, ==, IMAPI_MEDIA_TYPE_CDDA_CDROM);
        g_assert_cmphex(m.media_flags, ==, IMAPI_MEDIA_FLAG_BLANK | IMAPI_MEDIA_FLAG_WRITABLE);
        g_assert_cmphex(m.media_state, ==, IMAPI_MEDIA_STATE_BLANK);
        g_assert_cmpuint(m.sessions, ==, 0);
        g_assert_cmpuint(m.last_track, ==, 0);
        g_assert_cmpuint(m.start_address, ==, 0);
        g_assert_cmpuint(m.next_writable, ==, 0);
        g_assert_cmpuint(m.free_blocks, ==, 359849);
        g_assert_cmpuint(m.total_blocks, ==, 359849);
        g_assert_cmpuint(m.n_write_speeds, ==, 3); /* 4234 and 4235 kB/s are both 24x */
        g_assert_cmpuint(m.write_speeds[0].x, ==, 48);
        g_assert_cmpuint(m.write_speeds[1].x, ==, 40);
        g_assert_cmpuint(m.write_speeds[2].x, ==, 24);
        g_assert_cmpuint(m.write_speeds[0].end_lba, ==, 359848);
        g_assert_cmpuint(m.max_write_speed, ==, 48);
        g_assert_true(m.test_write);
        g_assert_true(m.bufe);
        g_assert_cmpint(m.write_class, ==, WRITE_CLASS_CD);
        g_assert_cmpuint(m.next_track, ==, 1);
        /* The CD path asked READ TRACK INFORMATION for track 1 by number. */
        const uint8_t *cdb = fake_last_cdb(f, SCSI_OP_READ_TRACK_INFORMATION);
        g_assert_nonnull(cdb);
        g_assert_cmphex(cdb[1], ==, MMC_TRACK_ADDRESS_TRACK);
        g_assert_cmpuint(cdb[5], ==, 1);
}

static void test_no_medium(void)
{
        FakeTransport *f = fake_burner(0x00, false);
        g_autoptr(Transport) t = &f->base;
        DriveInfo d;
        MediaInfo m;

        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x3a, 0x01, 0);
        probe_both(t, &d, &m);
        g_assert_false(m.present);
        g_assert_cmpstr(m.profile_name, ==, "");
        g_assert_cmpuint(m.media_flags, ==, 0);
        g_assert_cmpuint(m.media_state, ==, 0);
        g_assert_cmpint(m.media_type, ==, 0);
        g_assert_cmpuint(m.n_write_speeds, ==, 0);
        g_assert_cmpuint(fake_count(f, SCSI_OP_READ_DISC_INFORMATION), ==, 0);
}

static void test_becoming_ready_then_blank(void)
{
        FakeTransport *f = fake_burner(0x09, false);
        g_autoptr(Transport) t = &f->base;
        DriveInfo d;
        MediaInfo m;

        fast_retries();
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x6, 0x28, 0x00, 1); /* unit attention: medium changed */
        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x04, 0x01, 2); /* becoming ready, twice */
        answer_disc_info(f, (DiscInfoArgs){.sessions = 1, .first_last = 1, .last_last = 1});
        answer_track_info(
                f, MMC_TRACK_ADDRESS_TRACK,
                (TrackInfoArgs){
                        .track = 1, .session = 1, .blank = true, .nwa_valid = true, .free_blocks = 359849});
        probe_both(t, &d, &m);
        mmc_set_retry_policy(NULL);
        g_assert_true(m.present);
        g_assert_cmphex(m.media_flags, ==, 5);
        g_assert_cmpuint(fake_count(f, SCSI_OP_TEST_UNIT_READY), ==, 4);
        /* No GET PERFORMANCE answer: the speeds come from mode page 2Ah. */
        g_assert_cmpuint(m.n_write_speeds, ==, 3);
        g_assert_cmpuint(m.max_write_speed, ==, 48);
}

static void test_appendable_cd_r(void)
{
        FakeTransport *f = fake_burner(0x09, false);
        g_autoptr(Transport) t = &f->base;
        uint8_t toc[4 + 16] = {0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0, 0, 0x14, 0xaa, 0, 0, 0, 0x75, 0x30};
        DriveInfo d;
        MediaInfo m;

        /* One closed session with track 1 (LBA 0..29999), the second session empty: track 2 at
         * 41,400 (after the 11,400-block lead-out/lead-in/pre-gap overhead), 318,449 free. */
        answer_disc_info(f, (DiscInfoArgs){.status = 1,
                                           .session_state = 0,
                                           .sessions = 2,
                                           .first_last = 2,
                                           .last_last = 2,
                                           .disc_type = 0x00});
        answer_track_info(f, MMC_TRACK_ADDRESS_SESSION,
                          (TrackInfoArgs){.track = 1, .session = 1, .start = 0, .size = 30000});
        answer_track_info(f, MMC_TRACK_ADDRESS_TRACK,
                          (TrackInfoArgs){.track = 2,
                                          .session = 2,
                                          .blank = true,
                                          .nwa_valid = true,
                                          .start = 41400,
                                          .nwa = 41400,
                                          .free_blocks = 318449});
        fake_data(f, SCSI_OP_READ_TOC_PMA_ATIP, -1, 0, toc, sizeof(toc));
        probe_both(t, &d, &m);

        g_assert_cmphex(m.media_flags, ==, IMAPI_MEDIA_FLAG_WRITABLE);
        g_assert_cmphex(m.media_state, ==, IMAPI_MEDIA_STATE_APPENDABLE);
        g_assert_cmpuint(m.sessions, ==, 1);
        g_assert_cmpuint(m.last_track, ==, 1);
        g_assert_cmpuint(m.start_address, ==, 0);
        g_assert_cmpuint(m.next_writable, ==, 41400);
        g_assert_cmpuint(m.free_blocks, ==, 318449);
        g_assert_cmpuint(m.total_blocks, ==, 359849);
        g_assert_cmpint(m.media_type, ==, IMAPI_MEDIA_TYPE_CDDA_CDROM);
        g_assert_true(m.has_data);
        g_assert_false(m.has_audio);
}

static void test_closed_cd_rw(void)
{
        FakeTransport *f = fake_burner(0x0a, false);
        g_autoptr(Transport) t = &f->base;
        /* Audio session (tracks 1-2), data session (track 3): CD Extra. */
        uint8_t toc[4 + 32] = {0, 34,   1,    3,    0, 0x10, 1,    0,    0, 0,    0,    0,
                               0, 0x10, 2,    0,    0, 0,    0x4e, 0x20, 0, 0x14, 3,    0,
                               0, 1,    0x11, 0x70, 0, 0x14, 0xaa, 0,    0, 1,    0x86, 0xa0};
        DriveInfo d;
        MediaInfo m;

        answer_disc_info(f, (DiscInfoArgs){.status = 2,
                                           .session_state = 3,
                                           .erasable = true,
                                           .sessions = 2,
                                           .first_last = 3,
                                           .last_last = 3,
                                           .disc_type = 0x20});
        answer_track_info(f, MMC_TRACK_ADDRESS_SESSION,
                          (TrackInfoArgs){.track = 3, .session = 2, .start = 70000, .size = 30000});
        answer_capacity(f, 99999);
        fake_data(f, SCSI_OP_READ_TOC_PMA_ATIP, -1, 0, toc, sizeof(toc));
        probe_both(t, &d, &m);

        g_assert_cmphex(m.media_flags, ==, IMAPI_MEDIA_FLAG_RW);
        g_assert_cmphex(m.media_state, ==, IMAPI_MEDIA_STATE_FINALIZED | IMAPI_MEDIA_STATE_ERASE_REQUIRED);
        g_assert_cmpuint(m.sessions, ==, 2);
        g_assert_cmpuint(m.last_track, ==, 3);
        g_assert_cmpuint(m.start_address, ==, 70000);
        g_assert_cmpuint(m.next_writable, ==, 0);
        g_assert_cmpuint(m.free_blocks, ==, 0);
        g_assert_cmpuint(m.total_blocks, ==, 100000);
        g_assert_cmpint(m.media_type, ==, IMAPI_MEDIA_TYPE_CD_EXTRA);
        g_assert_true(m.closed);
        g_assert_true(m.erasable);
}

static void test_unformatted_dvd_plus_rw(void)
{
        FakeTransport *f = fake_burner(0x1a, false);
        g_autoptr(Transport) t = &f->base;
        static const uint32_t speeds[] = {5540, 11080};
        uint8_t caps[4 + 8 + 8] = {0, 0, 0, 16};
        uint8_t wp[8] = {0, 6, 0, 0, 0x00};
        DriveInfo d;
        MediaInfo m;

        /* Current: 2,295,104 blocks unformatted; formattable type 26h with the same size. */
        be32_put(caps + 4, 2295104);
        caps[8] = MMC_CAPACITY_UNFORMATTED;
        be24_put(caps + 9, 2048);
        be32_put(caps + 12, 2295104);
        caps[16] = 0x26 << 2;
        fake_data(f, SCSI_OP_READ_FORMAT_CAPACITIES, -1, 0, caps, sizeof(caps));
        fake_data(f, SCSI_OP_READ_DISC_STRUCTURE, -1, 0, wp, sizeof(wp));
        answer_disc_info(
                f, (DiscInfoArgs){
                           .status = 0, .session_state = 0, .sessions = 1, .first_last = 1, .last_last = 1});
        answer_write_speeds(f, 2295103, speeds, G_N_ELEMENTS(speeds));
        probe_both(t, &d, &m);

        g_assert_cmpstr(m.profile_name, ==, "dvd+rw");
        g_assert_true(m.needs_format);
        g_assert_true(m.overwrite);
        g_assert_cmphex(m.media_flags, ==,
                        IMAPI_MEDIA_FLAG_BLANK | IMAPI_MEDIA_FLAG_RW | IMAPI_MEDIA_FLAG_WRITABLE);
        g_assert_cmphex(m.media_state, ==, IMAPI_MEDIA_STATE_OVERWRITE_ONLY | IMAPI_MEDIA_STATE_BLANK);
        g_assert_cmpuint(m.total_blocks, ==, 2295104);
        g_assert_cmpuint(m.free_blocks, ==, 2295104);
        g_assert_cmpuint(m.next_writable, ==, 0);
        g_assert_cmpint(m.media_type, ==, IMAPI_MEDIA_TYPE_SPECIAL);
        g_assert_cmpuint(m.n_write_speeds, ==, 2);
        g_assert_cmpuint(m.write_speeds[0].x, ==, 8);
        g_assert_cmpuint(m.write_speeds[1].x, ==, 4);
        g_assert_cmpuint(fake_count(f, SCSI_OP_READ_CAPACITY), ==, 0);
        g_assert_false(m.write_protected);
}

static void test_write_protected_dvd_ram(void)
{
        FakeTransport *f = fake_burner(0x12, false);
        g_autoptr(Transport) t = &f->base;
        uint8_t caps[4 + 8] = {0, 0, 0, 8};
        uint8_t wp[8] = {0, 6, 0, 0, 0x04}; /* CWP: cartridge write protect */
        DriveInfo d;
        MediaInfo m;

        be32_put(caps + 4, 2236704);
        caps[8] = MMC_CAPACITY_FORMATTED;
        be24_put(caps + 9, 2048);
        fake_data(f, SCSI_OP_READ_FORMAT_CAPACITIES, -1, 0, caps, sizeof(caps));
        fake_data(f, SCSI_OP_READ_DISC_STRUCTURE, -1, 0, wp, sizeof(wp));
        answer_capacity(f, 2236703);
        answer_disc_info(f, (DiscInfoArgs){.status = 3,
                                           .session_state = 3,
                                           .erasable = true,
                                           .sessions = 1,
                                           .first_last = 1,
                                           .last_last = 1});
        probe_both(t, &d, &m);

        g_assert_true(m.write_protected);
        g_assert_cmphex(m.media_state, ==,
                        IMAPI_MEDIA_STATE_OVERWRITE_ONLY | IMAPI_MEDIA_STATE_WRITE_PROTECTED);
        g_assert_cmphex(m.media_flags, ==, IMAPI_MEDIA_FLAG_RW);
        g_assert_cmpuint(m.total_blocks, ==, 2236704);
        g_assert_cmpuint(m.sessions, ==, 1);
        const uint8_t *cdb = fake_last_cdb(f, SCSI_OP_READ_DISC_STRUCTURE);
        g_assert_cmphex(cdb[7], ==, 0xc0);
}

static void test_dvd_rw_dao_only(void)
{
        FakeTransport *f = fake_burner(0x14, false); /* incremental not current: fast-blanked DVD-RW */
        g_autoptr(Transport) t = &f->base;
        DriveInfo d;
        MediaInfo m;

        answer_disc_info(
                f, (DiscInfoArgs){
                           .status = 0, .erasable = true, .sessions = 1, .first_last = 1, .last_last = 1});
        answer_track_info(
                f, MMC_TRACK_ADDRESS_TRACK,
                (TrackInfoArgs){
                        .track = 1, .session = 1, .blank = true, .nwa_valid = true, .free_blocks = 2297888});
        probe_both(t, &d, &m);
        g_assert_false(m.incremental);
        g_assert_cmpuint(m.link_size, ==, 16);
        g_assert_true(m.test_write);
        g_assert_cmphex(m.media_state, ==, IMAPI_MEDIA_STATE_BLANK | IMAPI_MEDIA_STATE_FINAL_SESSION);
        g_assert_cmphex(m.media_flags, ==,
                        IMAPI_MEDIA_FLAG_BLANK | IMAPI_MEDIA_FLAG_RW | IMAPI_MEDIA_FLAG_WRITABLE);
        g_assert_cmpuint(m.total_blocks, ==, 2297888);
}

static void test_dvd_rom_unsupported(void)
{
        FakeTransport *f = fake_burner(0x10, false);
        g_autoptr(Transport) t = &f->base;
        DriveInfo d;
        MediaInfo m;

        answer_disc_info(
                f, (DiscInfoArgs){
                           .status = 2, .session_state = 3, .sessions = 1, .first_last = 1, .last_last = 1});
        answer_capacity(f, 2000000 - 1);
        probe_both(t, &d, &m);
        g_assert_cmpstr(m.profile_name, ==, "dvd-rom");
        g_assert_true(m.unsupported);
        g_assert_cmphex(m.media_flags, ==, IMAPI_MEDIA_FLAG_UNUSABLE);
        g_assert_cmphex(m.media_state & IMAPI_MEDIA_STATE_UNSUPPORTED_MEDIA, !=, 0);
        g_assert_cmpuint(m.total_blocks, ==, 2000000);
        g_assert_cmpuint(m.sessions, ==, 1);
        g_assert_cmpuint(fake_count(f, SCSI_OP_GET_PERFORMANCE), ==, 0);
}

static void test_incompatible_medium(void)
{
        FakeTransport *f = fake_burner(0x00, false);
        g_autoptr(Transport) t = &f->base;
        DriveInfo d;
        MediaInfo m;

        fake_sense(f, SCSI_OP_TEST_UNIT_READY, 0x2, 0x30, 0x00, 0);
        probe_both(t, &d, &m);
        g_assert_true(m.present);
        g_assert_cmpstr(m.profile_name, ==, "unknown");
        g_assert_cmphex(m.media_flags, ==, IMAPI_MEDIA_FLAG_UNUSABLE);
        g_assert_cmphex(m.media_state, ==, IMAPI_MEDIA_STATE_UNSUPPORTED_MEDIA);
}

static void test_device_gone_during_media_probe(void)
{
        FakeTransport *f = fake_burner(0x09, false);
        g_autoptr(Transport) t = &f->base;
        DriveInfo d;
        MediaInfo m = {.sessions = 77};

        g_assert_cmpint(mmc_probe_drive(t, &d), ==, 0);
        fake_transport_error(f, SCSI_OP_TEST_UNIT_READY, -ENODEV, 0);
        g_assert_cmpint(mmc_probe_media(t, &d, &m), ==, -IMAPI_ERROR_DEVICE_NOT_PRESENT);
        g_assert_cmpuint(m.sessions, ==, 77); /* untouched on failure */
}

static void test_set_write_speed(void)
{
        FakeTransport *f = fake_new();
        g_autoptr(Transport) t = &f->base;
        MediaInfo m = {.present = true,
                       .medium_class = MEDIUM_CLASS_DVD,
                       .n_write_speeds = 2,
                       .write_speeds = {{8, 11080, 2295103}, {4, 5540, 2295103}},
                       .total_blocks = 2295104};
        const uint8_t *cdb;

        fake_good(f, SCSI_OP_SET_STREAMING);
        fake_good(f, SCSI_OP_SET_CD_SPEED);
        g_assert_cmpint(mmc_media_set_write_speed(t, &m, 6), ==, 0); /* 6x is not offered: 4x */
        g_assert_cmpuint(f->out->len, ==, 1);
        size_t n;
        const uint8_t *d = g_bytes_get_data(f->out->pdata[0], &n);
        g_assert_cmpuint(n, ==, 28);
        uint32_t v = 0;
        g_assert_cmpint(be32_read(d, n, 8, &v), ==, 0);
        g_assert_cmpuint(v, ==, 2295103);
        g_assert_cmpint(be32_read(d, n, 20, &v), ==, 0);
        g_assert_cmpuint(v, ==, 5540);
        g_assert_cmpint(be32_read(d, n, 24, &v), ==, 0);
        g_assert_cmpuint(v, ==, 1000);

        /* CD: SET CD SPEED with the kB/s the drive listed. */
        m.medium_class = MEDIUM_CLASS_CD;
        m.write_speeds[0] = (MmcSpeed){48, 8467, 359848};
        m.n_write_speeds = 1;
        g_assert_cmpint(mmc_media_set_write_speed(t, &m, 0), ==, 0);
        cdb = fake_last_cdb(f, SCSI_OP_SET_CD_SPEED);
        g_assert_nonnull(cdb);
        g_assert_cmphex(cdb[2] << 8 | cdb[3], ==, 0xffff);
        g_assert_cmpuint(cdb[4] << 8 | cdb[5], ==, 8467);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/mmc-media/probe-drive", test_probe_drive);
        g_test_add_func("/mmc-media/probe-drive-without-get-configuration",
                        test_probe_drive_without_get_configuration);
        g_test_add_func("/mmc-media/probe-drive-gone", test_probe_drive_gone);
        g_test_add_func("/mmc-media/blank-cd-r", test_blank_cd_r);
        g_test_add_func("/mmc-media/no-medium", test_no_medium);
        g_test_add_func("/mmc-media/becoming-ready", test_becoming_ready_then_blank);
        g_test_add_func("/mmc-media/appendable-cd-r", test_appendable_cd_r);
        g_test_add_func("/mmc-media/closed-cd-rw-cd-extra", test_closed_cd_rw);
        g_test_add_func("/mmc-media/unformatted-dvd+rw", test_unformatted_dvd_plus_rw);
        g_test_add_func("/mmc-media/write-protected-dvd-ram", test_write_protected_dvd_ram);
        g_test_add_func("/mmc-media/dvd-rw-dao-only", test_dvd_rw_dao_only);
        g_test_add_func("/mmc-media/dvd-rom", test_dvd_rom_unsupported);
        g_test_add_func("/mmc-media/incompatible-medium", test_incompatible_medium);
        g_test_add_func("/mmc-media/device-gone", test_device_gone_during_media_probe);
        g_test_add_func("/mmc-media/set-write-speed", test_set_write_speed);
        return g_test_run();
}
