/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for the MMC/SPC response parsers: byte-exact answers built from the standards, truncated and
 * garbled answers (-EBADMSG or a partial parse, never a crash), and random bytes into every parser. */
#include "bytes.h"
#include "mmc-config.h"
#include "mmc-disc.h"
#include "mmc-speed.h"
#include "mmc-write.h"
#include "spc.h"

/* Copies into an exactly sized heap buffer, so that ASan sees any read past the end. */
static uint8_t *exact(const void *p, size_t n)
{
        return n > 0 ? g_memdup2(p, n) : NULL;
}

static void test_inquiry(void)
{
        uint8_t b[36] = {0x05, 0x80, 0x05, 0x32, 31};
        InquiryData d;

        memcpy(b + 8, "  PLEXTOR", 8); /* leading spaces are trimmed too */
        memcpy(b + 16, "DVDR   PX-716A  ", 16);
        memcpy(b + 32, "1.1\x01", 4);
        g_assert_cmpint(inquiry_parse(b, sizeof(b), &d), ==, 0);
        g_assert_cmpuint(d.device_type, ==, 5);
        g_assert_true(d.removable);
        g_assert_cmpstr(d.vendor, ==, "PLEXTO");
        g_assert_cmpstr(d.product, ==, "DVDR   PX-716A");
        g_assert_cmpstr(d.revision, ==, "1.1?");

        g_assert_cmpint(inquiry_parse(b, 20, &d), ==, 0); /* cut inside the product */
        g_assert_cmpstr(d.product, ==, "DVDR");
        g_assert_cmpstr(d.revision, ==, "");
        g_assert_cmpint(inquiry_parse(b, 7, &d), ==, -EBADMSG);
}

static void test_mode_page_locate(void)
{
        /* Header with an 8-byte block descriptor, then page 2Ah of 4 bytes (length 2). */
        const uint8_t b[8 + 8 + 4] = {0, 18, 0, 0, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0xaa, 2, 0x11, 0x22};
        size_t off, len;

        g_assert_cmpint(mode_page_locate(b, sizeof(b), 0x2a, &off, &len), ==, 0);
        g_assert_cmpuint(off, ==, 16);
        g_assert_cmpuint(len, ==, 4); /* PS bit (80h) ignored in the page code */
        g_assert_cmpint(mode_page_locate(b, sizeof(b), 0x05, &off, &len), ==, -EBADMSG);
        g_assert_cmpint(mode_page_locate(b, 17, 0x2a, &off, &len), ==, -EBADMSG);
        g_assert_cmpint(mode_page_locate(b, 19, 0x2a, &off, &len), ==, 0);
        g_assert_cmpuint(len, ==, 3); /* cut to the data present */
}

static void test_capabilities(void)
{
        uint8_t p[32 + 8] = {0xaa, 38, 0x3f, 0x37, 0xc0, 0, 0x29};
        MmcCapabilities c;

        be16_put(p + 12, 4096);
        be16_put(p + 18, 8467);
        be16_put(p + 28, 7056);
        be16_put(p + 30, 2);
        be16_put(p + 34, 8467);
        be16_put(p + 38, 4234);
        g_assert_cmpint(mmc_capabilities_parse(p, sizeof(p), &c), ==, 0);
        g_assert_true(c.cd_r_write && c.cd_rw_write && c.test_write && c.dvd_r_write && c.dvd_ram_write);
        g_assert_true(c.bufe);
        g_assert_true(c.multisession);
        g_assert_true(c.lock);
        g_assert_true(c.eject);
        g_assert_cmpuint(c.loading_mechanism, ==, 1);
        g_assert_cmpuint(c.buffer_size_kb, ==, 4096);
        g_assert_cmpuint(c.max_write_kbps, ==, 8467);
        g_assert_cmpuint(c.current_write_kbps, ==, 7056);
        g_assert_cmpuint(c.n_write_kbps, ==, 2);
        g_assert_cmpuint(c.write_kbps[1], ==, 4234);

        /* The descriptor count claims 2, but the page length ends after the first. */
        p[1] = 34;
        g_assert_cmpint(mmc_capabilities_parse(p, sizeof(p), &c), ==, 0);
        g_assert_cmpuint(c.n_write_kbps, ==, 1);
        /* An MMC-1 page (20 bytes): no descriptors, no current speed at 28. */
        p[1] = 18;
        g_assert_cmpint(mmc_capabilities_parse(p, sizeof(p), &c), ==, 0);
        g_assert_cmpuint(c.n_write_kbps, ==, 0);
        g_assert_cmpuint(c.max_write_kbps, ==, 8467);
        g_assert_cmpint(mmc_capabilities_parse(p, 7, &c), ==, -EBADMSG);
        p[0] = 0x05;
        g_assert_cmpint(mmc_capabilities_parse(p, sizeof(p), &c), ==, -EBADMSG);
}

static void test_configuration(void)
{
        /* Header (current profile 0009h), Profile List (CD-R current, CD-RW), CD TAO, CD Mastering. */
        const uint8_t b[] = {
                0,    0,    0,    32,   0,    0,    0x00, 0x09, 0x00, 0x00, 0x03, 8,    0x00, 0x09, 0x01, 0,
                0x00, 0x0a, 0x00, 0,    0x00, 0x2d, 0x09, 4,    0x46, 0,    0x00, 0xff, 0x00, 0x2e, 0x09, 4,
                0x7c, 0x00, 0x0c, 0x00, 0x00, 0x21, 0x04, 8,    0x01, 0x01, 0x01, 2,    16,   32,   0,    0,
        };
        g_autofree MmcConfiguration *c = g_new0(MmcConfiguration, 1);
        g_autofree uint8_t *cut = NULL;

        g_assert_cmpint(mmc_configuration_parse(b, sizeof(b), c), ==, 0);
        g_assert_cmphex(c->current_profile, ==, 0x09);
        g_assert_cmpuint(c->n_profiles, ==, 2);
        g_assert_true(c->profiles[0].current);
        g_assert_false(c->profiles[1].current);
        g_assert_cmpuint(c->n_features, ==, 3);
        g_assert_true(mmc_configuration_has(c, 0x2d, true));
        g_assert_true(c->cd_tao.bufe && c->cd_tao.test_write && c->cd_tao.cd_rw);
        g_assert_cmphex(c->cd_tao.data_types, ==, 0xff);
        g_assert_true(c->cd_mastering.sao && c->cd_mastering.raw_ms && c->cd_mastering.raw);
        g_assert_cmphex(c->cd_mastering.max_cue_sheet_length, ==, 0x000c00);
        /* The data length counted 32 bytes after itself: the 0021h descriptor is not part of it. */
        g_assert_false(mmc_configuration_has(c, 0x21, false));
        g_assert_true(mmc_configuration_has_profile(c, 0x0a));
        g_assert_false(mmc_configuration_has_profile(c, 0x1b));

        /* Truthful length: 0021h with its two link sizes, not current. */
        uint8_t b2[sizeof(b)];
        memcpy(b2, b, sizeof(b));
        be32_put(b2, sizeof(b) - 4);
        g_assert_cmpint(mmc_configuration_parse(b2, sizeof(b2), c), ==, 0);
        g_assert_true(mmc_configuration_has(c, 0x21, false));
        g_assert_false(mmc_configuration_has(c, 0x21, true));
        g_assert_cmpuint(c->incremental.n_link_sizes, ==, 2);
        g_assert_cmpuint(c->incremental.link_sizes[1], ==, 32);

        /* A descriptor whose additional length runs past the end: parsed as far as it goes. */
        b2[11] = 0xff;
        cut = exact(b2, 24);
        g_assert_cmpint(mmc_configuration_parse(cut, 24, c), ==, 0);
        g_assert_cmpuint(c->n_features, ==, 1);
        g_assert_cmpuint(c->n_profiles, ==, 3); /* whole 4-byte descriptors in 12 bytes */
        g_assert_cmpint(mmc_configuration_parse(b, 7, c), ==, -EBADMSG);
}

static void test_disc_info(void)
{
        /* Appendable CD-RW: erasable, last session empty, disc incomplete; 258 sessions (MSB 1), first
         * track in last session 0x0203, last 0x0203; disc type 00h; lead-in 97:26:66. */
        uint8_t b[34] = {0, 32, 0x10 | 0x00 << 2 | 0x01, 1, 0x02, 0x03, 0x03, 0x20, 0x00, 0x01, 0x02, 0x02};
        MmcDiscInfo d;

        be32_put(b + 16, 0x00611a42);
        be32_put(b + 20, 0x004f3b4a);
        b[32] = 0x42;
        g_assert_cmpint(mmc_disc_info_parse(b, sizeof(b), &d), ==, 0);
        g_assert_true(d.erasable);
        g_assert_cmpuint(d.disc_status, ==, MMC_DISC_STATUS_INCOMPLETE);
        g_assert_cmpuint(d.last_session_state, ==, MMC_SESSION_STATE_EMPTY);
        g_assert_cmpuint(d.sessions, ==, 0x0102);
        g_assert_cmpuint(d.first_track_last_session, ==, 0x0203);
        g_assert_cmpuint(d.last_track_last_session, ==, 0x0203);
        g_assert_true(d.uru);
        g_assert_cmpuint(d.disc_type, ==, 0x00);
        g_assert_cmphex(d.last_session_lead_in, ==, 0x00611a42);
        g_assert_cmphex(d.last_possible_lead_out, ==, 0x004f3b4a);
        g_assert_cmphex(d.disc_application_code, ==, 0x42);

        /* An old drive sending 7 bytes: the LSBs only, disc type undefined. */
        g_assert_cmpint(mmc_disc_info_parse(b, 7, &d), ==, 0);
        g_assert_cmpuint(d.sessions, ==, 2);
        g_assert_cmpuint(d.disc_type, ==, 0xff);
        g_assert_cmpint(mmc_disc_info_parse(b, 6, &d), ==, -EBADMSG);
        /* The length field is believed only as far as it goes: 4 bytes claimed → too short. */
        b[1] = 4;
        g_assert_cmpint(mmc_disc_info_parse(b, sizeof(b), &d), ==, -EBADMSG);
}

static void test_track_info(void)
{
        uint8_t b[36] = {0, 34, 2, 2, 0, 0x04, 0x40 | 0x01, 0x03};
        MmcTrackInfo t;

        be32_put(b + 8, 41400);
        be32_put(b + 12, 41400);
        be32_put(b + 16, 318449);
        be32_put(b + 24, 318449);
        be32_put(b + 28, 41399);
        b[32] = 0x01; /* track MSB: 0x0102 */
        g_assert_cmpint(mmc_track_info_parse(b, sizeof(b), &t), ==, 0);
        g_assert_cmpuint(t.track, ==, 0x0102);
        g_assert_cmpuint(t.session, ==, 2);
        g_assert_cmpuint(t.track_mode, ==, 4);
        g_assert_true(t.blank);
        g_assert_cmpuint(t.data_mode, ==, 1);
        g_assert_true(t.nwa_valid);
        g_assert_true(t.lra_valid);
        g_assert_cmpuint(t.start, ==, 41400);
        g_assert_cmpuint(t.nwa, ==, 41400);
        g_assert_cmpuint(t.free_blocks, ==, 318449);
        g_assert_cmpuint(t.size, ==, 318449);
        g_assert_cmpuint(t.last_recorded, ==, 41399);

        g_assert_cmpint(mmc_track_info_parse(b, 28, &t), ==, 0); /* MMC-1 length */
        g_assert_cmpuint(t.track, ==, 2);
        g_assert_cmpuint(t.last_recorded, ==, 0);
        g_assert_cmpint(mmc_track_info_parse(b, 27, &t), ==, -EBADMSG);
}

static void test_toc(void)
{
        /* Format 0: track 1 data at 0, track 2 audio at 30000, lead-out at 60000. */
        uint8_t b[4 + 24] = {0, 26, 1, 2, 0,    0x14, 1, 0,    0,    0, 0, 0, 0,    0x10,
                             2, 0,  0, 0, 0x75, 0x30, 0, 0x10, 0xaa, 0, 0, 0, 0xea, 0x60};
        g_autofree MmcToc *toc = g_new0(MmcToc, 1);

        g_assert_cmpint(mmc_toc_parse(b, sizeof(b), toc), ==, 0);
        g_assert_cmpuint(toc->first_track, ==, 1);
        g_assert_cmpuint(toc->last_track, ==, 2);
        g_assert_cmpuint(toc->n, ==, 3);
        g_assert_cmpuint(toc->entries[0].adr, ==, 1);
        g_assert_cmpuint(toc->entries[0].control, ==, 4);
        g_assert_cmpuint(toc->entries[1].address, ==, 30000);
        g_assert_cmpuint(toc->entries[2].track, ==, MMC_TOC_LEAD_OUT);
        g_assert_cmpuint(toc->entries[2].address, ==, 60000);
        g_assert_cmpint(mmc_toc_parse(b, 4 + 8 + 5, toc), ==, 0); /* second entry cut */
        g_assert_cmpuint(toc->n, ==, 1);
        g_assert_cmpint(mmc_toc_parse(b, 3, toc), ==, -EBADMSG);
}

static void test_session_info(void)
{
        const uint8_t b[12] = {0, 10, 1, 2, 0, 0x14, 3, 0, 0, 0, 0xa1, 0xb8};
        MmcSessionInfo s;

        g_assert_cmpint(mmc_session_info_parse(b, sizeof(b), &s), ==, 0);
        g_assert_cmpuint(s.first_session, ==, 1);
        g_assert_cmpuint(s.last_session, ==, 2);
        g_assert_cmpuint(s.first_track_last_session, ==, 3);
        g_assert_cmpuint(s.control, ==, 4);
        g_assert_cmpuint(s.start, ==, 41400);
        g_assert_cmpint(mmc_session_info_parse(b, 11, &s), ==, -EBADMSG);
}

static void test_full_toc(void)
{
        /* Session 1: A0 (first track 1), A1 (last track 1), A2 (lead-out 06:40:00), track 1 at 00:02:00. */
        const uint8_t b[4 + 44] = {0,    46, 1,    1,  1, 0x14, 0,    0xa0, 0,    0, 0, 0,    1, 0x00, 0, 1,
                                   0x14, 0,  0xa1, 0,  0, 0,    0,    1,    0,    0, 1, 0x14, 0, 0xa2, 0, 0,
                                   0,    0,  6,    40, 0, 1,    0x14, 0,    0x01, 0, 0, 0,    0, 0,    2, 0};
        g_autofree MmcFullToc *toc = g_new0(MmcFullToc, 1);

        g_assert_cmpint(mmc_full_toc_parse(b, sizeof(b), toc), ==, 0);
        g_assert_cmpuint(toc->n, ==, 4);
        g_assert_cmphex(toc->entries[2].point, ==, 0xa2);
        g_assert_cmpuint(toc->entries[2].pmin, ==, 6);
        g_assert_cmpuint(toc->entries[2].psec, ==, 40);
        g_assert_cmpint(mmc_msf_to_lba(toc->entries[2].pmin, toc->entries[2].psec, toc->entries[2].pframe),
                        ==, 29850);
        g_assert_cmpint(mmc_full_toc_parse(b, 4 + 21, toc), ==, 0);
        g_assert_cmpuint(toc->n, ==, 1);
}

static void test_atip(void)
{
        /* CD-RW (disc type bit), reference speed 2, lead-in 97:26:66, last lead-out 79:59:74. */
        const uint8_t b[28] = {0, 26, 0, 0, 0x52, 0x40, 0xc0 | 0x04, 0, 97, 26, 66, 0, 79, 59, 74, 0};
        MmcAtip a;

        g_assert_cmpint(mmc_atip_parse(b, sizeof(b), &a), ==, 0);
        g_assert_true(a.rewritable);
        g_assert_true(a.uru);
        g_assert_true(a.a1_valid);
        g_assert_cmpuint(a.writing_power, ==, 5);
        g_assert_cmpuint(a.reference_speed, ==, 2);
        g_assert_cmpint(a.lead_in_start, ==, -11634);
        g_assert_cmpint(a.last_lead_out, ==, 359849);
        g_assert_cmpint(mmc_atip_parse(b, 14, &a), ==, -EBADMSG);
}

static void test_cd_text(void)
{
        uint8_t b[4 + 18 * 2 + 5] = {0, 2 + 18 * 2 + 5};
        MmcCdTextPacks p;

        b[4] = 0x80;
        b[22] = 0x81;
        g_assert_cmpint(mmc_cd_text_parse(b, sizeof(b), &p), ==, 0);
        g_assert_cmpuint(p.n, ==, 2);
        g_assert_cmphex(p.packs[18], ==, 0x81);
        g_assert_cmpint(mmc_cd_text_parse(b, 1, &p), ==, -EBADMSG);
}

static void test_capacity_and_formats(void)
{
        const uint8_t cap[8] = {0x00, 0x05, 0x7d, 0xa8, 0, 0, 0x08, 0x00};
        /* Unformatted BD-RE: max 12,219,392 blocks; 30h with 0x3000 spare parameter; 31h. */
        uint8_t f[4 + 8 * 3] = {0, 0, 0, 24};
        MmcCapacity c;
        MmcFormatCapacities fc;

        g_assert_cmpint(mmc_capacity_parse(cap, sizeof(cap), &c), ==, 0);
        g_assert_cmpuint(c.last_lba, ==, 359848);
        g_assert_cmpuint(c.block_length, ==, 2048);
        g_assert_cmpint(mmc_capacity_parse(cap, 7, &c), ==, -EBADMSG);

        be32_put(f + 4, 12219392);
        f[8] = MMC_CAPACITY_UNFORMATTED;
        be24_put(f + 9, 2048);
        be32_put(f + 12, 11826176);
        f[16] = 0x30 << 2;
        be24_put(f + 17, 0x3000);
        be32_put(f + 20, 12219392);
        f[24] = 0x31 << 2;
        be24_put(f + 25, 2048);
        g_assert_cmpint(mmc_format_capacities_parse(f, sizeof(f), &fc), ==, 0);
        g_assert_cmpuint(fc.current_blocks, ==, 12219392);
        g_assert_cmpuint(fc.current_type, ==, MMC_CAPACITY_UNFORMATTED);
        g_assert_cmpuint(fc.current_block_length, ==, 2048);
        g_assert_cmpuint(fc.n, ==, 2);
        g_assert_nonnull(mmc_format_capacities_find(&fc, 0x31));
        g_assert_cmphex(mmc_format_capacities_find(&fc, 0x30)->parameter, ==, 0x3000);
        g_assert_null(mmc_format_capacities_find(&fc, 0x26));
        f[3] = 12; /* list length: current descriptor and half of the next */
        g_assert_cmpint(mmc_format_capacities_parse(f, sizeof(f), &fc), ==, 0);
        g_assert_cmpuint(fc.n, ==, 0);
        f[3] = 4;
        g_assert_cmpint(mmc_format_capacities_parse(f, sizeof(f), &fc), ==, -EBADMSG);
}

static void test_write_protection_and_events(void)
{
        const uint8_t wp[8] = {0, 6, 0, 0, 0x0a};
        const uint8_t ev[8] = {0, 6, 0x04, 0x5e, 0x02, 0x02, 0, 0};
        const uint8_t nea[4] = {0, 2, 0x80, 0x5e};
        MmcWriteProtection w;
        MmcMediaEvent e;

        g_assert_cmpint(mmc_write_protection_parse(wp, sizeof(wp), &w), ==, 0);
        g_assert_true(w.mswi);
        g_assert_true(w.pwp);
        g_assert_false(w.cwp);
        g_assert_false(w.swpp);
        g_assert_cmpint(mmc_write_protection_parse(wp, 4, &w), ==, -EBADMSG);

        g_assert_cmpint(mmc_media_event_parse(ev, sizeof(ev), &e), ==, 0);
        g_assert_false(e.nea);
        g_assert_cmpuint(e.notification_class, ==, 4);
        g_assert_cmpuint(e.event_code, ==, 2);
        g_assert_true(e.media_present);
        g_assert_false(e.tray_open);
        g_assert_cmpint(mmc_media_event_parse(ev, 5, &e), ==, -EBADMSG);
        g_assert_cmpint(mmc_media_event_parse(nea, sizeof(nea), &e), ==, 0);
        g_assert_true(e.nea);
}

static void test_write_speeds_and_buffer(void)
{
        uint8_t b[8 + 32] = {};
        const uint8_t bc[12] = {0, 10, 0, 0, 0, 0x20, 0, 0, 0, 0x30, 0, 0};
        MmcWriteSpeeds s;
        MmcBufferCapacity c;

        be32_put(b, 4 + 32);
        b[8] = 0x02 | 0x08; /* exact, CAV */
        be32_put(b + 12, 2295103);
        be32_put(b + 16, 22160);
        be32_put(b + 20, 22160);
        be32_put(b + 24 + 4, 2295103);
        be32_put(b + 24 + 12, 0); /* a zero speed is skipped */
        g_assert_cmpint(mmc_write_speeds_parse(b, sizeof(b), &s), ==, 0);
        g_assert_cmpuint(s.n, ==, 1);
        g_assert_true(s.d[0].exact);
        g_assert_cmpuint(s.d[0].wrc, ==, 1);
        g_assert_cmpuint(s.d[0].end_lba, ==, 2295103);
        g_assert_cmpuint(s.d[0].write_kbps, ==, 22160);
        g_assert_cmpint(mmc_write_speeds_parse(b, 7, &s), ==, -EBADMSG);
        g_assert_cmpint(mmc_write_speeds_parse(b, 8 + 15, &s), ==, 0);
        g_assert_cmpuint(s.n, ==, 0);

        g_assert_cmpint(mmc_buffer_capacity_parse(bc, sizeof(bc), &c), ==, 0);
        g_assert_cmpuint(c.size, ==, 0x200000);
        g_assert_cmpuint(c.blank, ==, 0x200000); /* claimed 3 MiB free of 2 MiB: clamped */
        g_assert_cmpint(mmc_buffer_capacity_parse(bc, 11, &c), ==, -EBADMSG);
}

/* ---- Every parser against truncation and random bytes ---------------------------------------- */

typedef int (*Parser)(const uint8_t *buf, size_t len, void *ret);

#define WRAP(f, T)                                                                                          \
        static int wrap_##f(const uint8_t *buf, size_t len, void *ret)                                      \
        {                                                                                                   \
                return f(buf, len, (T *) ret);                                                              \
        }

WRAP(inquiry_parse, InquiryData)
WRAP(mmc_capabilities_parse, MmcCapabilities)
WRAP(mmc_configuration_parse, MmcConfiguration)
WRAP(mmc_disc_info_parse, MmcDiscInfo)
WRAP(mmc_track_info_parse, MmcTrackInfo)
WRAP(mmc_toc_parse, MmcToc)
WRAP(mmc_session_info_parse, MmcSessionInfo)
WRAP(mmc_full_toc_parse, MmcFullToc)
WRAP(mmc_atip_parse, MmcAtip)
WRAP(mmc_cd_text_parse, MmcCdTextPacks)
WRAP(mmc_capacity_parse, MmcCapacity)
WRAP(mmc_format_capacities_parse, MmcFormatCapacities)
WRAP(mmc_write_protection_parse, MmcWriteProtection)
WRAP(mmc_media_event_parse, MmcMediaEvent)
WRAP(mmc_write_speeds_parse, MmcWriteSpeeds)
WRAP(mmc_buffer_capacity_parse, MmcBufferCapacity)

static const struct {
        const char *name;
        Parser parse;
} parsers[] = {
        {"inquiry", wrap_inquiry_parse},
        {"capabilities", wrap_mmc_capabilities_parse},
        {"configuration", wrap_mmc_configuration_parse},
        {"disc-info", wrap_mmc_disc_info_parse},
        {"track-info", wrap_mmc_track_info_parse},
        {"toc", wrap_mmc_toc_parse},
        {"session-info", wrap_mmc_session_info_parse},
        {"full-toc", wrap_mmc_full_toc_parse},
        {"atip", wrap_mmc_atip_parse},
        {"cd-text", wrap_mmc_cd_text_parse},
        {"capacity", wrap_mmc_capacity_parse},
        {"format-capacities", wrap_mmc_format_capacities_parse},
        {"write-protection", wrap_mmc_write_protection_parse},
        {"media-event", wrap_mmc_media_event_parse},
        {"write-speeds", wrap_mmc_write_speeds_parse},
        {"buffer-capacity", wrap_mmc_buffer_capacity_parse},
};

/* Big enough for any of the result structs. */
static union {
        MmcConfiguration config;
        MmcFullToc full_toc;
        MmcToc toc;
        uint8_t bytes[1];
} result;

static void test_random_bytes(void)
{
        GRand *rand = g_rand_new_with_seed(0x1a2b3c4d);
        unsigned ok = 0;

        for (size_t p = 0; p < G_N_ELEMENTS(parsers); p++)
                for (unsigned i = 0; i < 3000; i++) {
                        size_t len = (size_t) g_rand_int_range(rand, 0, 400);
                        g_autofree uint8_t *buf = len > 0 ? g_malloc(len) : NULL;
                        int r;

                        for (size_t k = 0; k < len; k++)
                                buf[k] = (uint8_t) g_rand_int(rand);
                        /* Often plausible: small length fields, the page code 2Ah. */
                        if (len >= 2 && i % 2 == 0) {
                                buf[0] = 0;
                                buf[1] = (uint8_t) MIN(len, 255);
                        }
                        if (len >= 1 && p == 1 && i % 3 == 0)
                                buf[0] = 0x2a;
                        r = parsers[p].parse(buf, len, &result);
                        g_assert_true(r == 0 || r == -EBADMSG);
                        ok += r == 0;
                }
        g_assert_cmpuint(ok, >, 1000); /* the plausible ones do get parsed */
        g_rand_free(rand);
}

static void test_every_prefix(void)
{
        /* A realistic answer for each parser, cut at every length: no crash, and the result of the
         * full answer is 0. */
        uint8_t big[512];

        for (size_t p = 0; p < G_N_ELEMENTS(parsers); p++) {
                memset(big, 0, sizeof(big));
                big[1] = 200; /* 2-byte lengths */
                big[3] = 200; /* 1-byte list length (format capacities), 4-byte lengths */
                big[0] = p == 1 ? 0x2a : p == 0 ? 0x05 : 0;
                for (size_t len = 0; len <= sizeof(big); len++) {
                        g_autofree uint8_t *buf = exact(big, len);
                        int r = parsers[p].parse(buf, len, &result);
                        g_assert_true(r == 0 || r == -EBADMSG);
                }
                g_assert_cmpint(parsers[p].parse(big, sizeof(big), &result), ==, 0);
        }
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/mmc-parse/inquiry", test_inquiry);
        g_test_add_func("/mmc-parse/mode-page-locate", test_mode_page_locate);
        g_test_add_func("/mmc-parse/capabilities", test_capabilities);
        g_test_add_func("/mmc-parse/configuration", test_configuration);
        g_test_add_func("/mmc-parse/disc-info", test_disc_info);
        g_test_add_func("/mmc-parse/track-info", test_track_info);
        g_test_add_func("/mmc-parse/toc", test_toc);
        g_test_add_func("/mmc-parse/session-info", test_session_info);
        g_test_add_func("/mmc-parse/full-toc", test_full_toc);
        g_test_add_func("/mmc-parse/atip", test_atip);
        g_test_add_func("/mmc-parse/cd-text", test_cd_text);
        g_test_add_func("/mmc-parse/capacity-and-formats", test_capacity_and_formats);
        g_test_add_func("/mmc-parse/write-protection-and-events", test_write_protection_and_events);
        g_test_add_func("/mmc-parse/write-speeds-and-buffer", test_write_speeds_and_buffer);
        g_test_add_func("/mmc-parse/random-bytes", test_random_bytes);
        g_test_add_func("/mmc-parse/every-prefix", test_every_prefix);
        return g_test_run();
}
