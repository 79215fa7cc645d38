/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the emulated drive's read side: identity, configuration, media reports, tray and refusals,
 * checked byte by byte against MMC-6 / SPC-4. */
#include "test-emu-util.h"

static void test_inquiry(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[96];
        ScsiCommand c;

        memset(p, 0xaa, sizeof(p));
        c = emu_in(e, CDB(0x12, 0, 0, 0, 96, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmpuint(c.transferred, ==, 36);
        g_assert_cmphex(p[0], ==, 0x05); /* MMC device */
        g_assert_cmphex(p[1], ==, 0x80); /* removable */
        g_assert_cmphex(p[3] & 0x0f, ==, 0x02);
        g_assert_cmpuint(p[4], ==, 31);
        g_assert_cmpmem(p + 8, 8, "IMAPID  ", 8);
        g_assert_cmpmem(p + 16, 16, "Virtual test    ", 16);
        g_assert_cmpmem(p + 32, 4, "1.00", 4);

        /* short allocation: only what was asked */
        c = emu_in(e, CDB(0x12, 0, 0, 0, 5, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmpuint(c.transferred, ==, 5);

        /* VPD 80h: unit serial number */
        c = emu_in(e, CDB(0x12, 1, 0x80, 0, 96, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmphex(p[1], ==, 0x80);
        g_assert_cmpmem(p + 4, p[3], "EMU-test", 8);

        /* a page without EVPD: invalid field, pointer at byte 2 */
        c = emu_in(e, CDB(0x12, 0, 0x80, 0, 96, 0), p, sizeof(p));
        assert_sense(c, 0x5, 0x24, 0x00);
        g_assert_cmphex(c.sense[15], ==, 0xc0); /* SKSV, C/D */
        g_assert_cmpuint(c.sense[17], ==, 2);
        emu_test_free(e);
}

static void test_no_medium(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[64];
        ScsiCommand c;

        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x2, 0x3a, 0x01);
        c = emu_in(e, CDB(0x03, 0, 0, 0, 18, 0), p, 18);
        assert_good(c);
        g_assert_cmphex(p[0], ==, 0x70);
        g_assert_cmphex(p[2], ==, 0x02);
        g_assert_cmphex(p[12], ==, 0x3a);
        c = emu_disc_info(e, p);
        assert_sense(c, 0x2, 0x3a, 0x01);
        c = emu_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, 0, 8, 0), p, 8);
        assert_good(c);
        g_assert_cmphex(get_be16(p + 6), ==, 0x0000); /* no current profile */
        /* READ FORMAT CAPACITIES: descriptor type 3 "no media present" */
        c = emu_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 12, 0), p, 12);
        assert_good(c);
        g_assert_cmphex(p[8] & 0x03, ==, 0x03);
        emu_test_free(e);
}

static void test_unit_attention(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[36];
        ScsiCommand c;

        g_assert_cmpint(emu_drive_load_medium(e->drive, 0x0009), ==, 0);
        /* INQUIRY and GET CONFIGURATION never report it (MMC-6 §4.1.6.2) */
        c = emu_in(e, CDB(0x12, 0, 0, 0, 36, 0), p, 36);
        assert_good(c);
        c = emu_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, 0, 8, 0), p, 8);
        assert_good(c);
        g_assert_cmphex(get_be16(p + 6), ==, 0x0009);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x6, 0x28, 0x00);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_good(c);

        /* REQUEST SENSE reports and clears it too */
        g_assert_cmpint(emu_drive_load_medium(e->drive, 0x000a), ==, 0);
        c = emu_in(e, CDB(0x03, 0, 0, 0, 18, 0), p, 18);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x06);
        g_assert_cmphex(p[12], ==, 0x28);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_good(c);
        c = emu_in(e, CDB(0x03, 0, 0, 0, 18, 0), p, 18);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x00); /* NO SENSE */
        emu_test_free(e);
}

static void test_event_status(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[8];
        ScsiCommand c;

        g_assert_cmpint(emu_drive_load_medium(e->drive, 0x0009), ==, 0);
        c = emu_in(e, CDB(0x4a, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0), p, 8);
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 6);
        g_assert_cmphex(p[2], ==, 0x04);
        g_assert_cmphex(p[3], ==, 0x10);
        g_assert_cmphex(p[4], ==, 0x02); /* NewMedia */
        g_assert_cmphex(p[5], ==, 0x02); /* present, tray closed */
        c = emu_in(e, CDB(0x4a, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0), p, 8);
        assert_good(c);
        g_assert_cmphex(p[4], ==, 0x00); /* reported once */
        /* another class only: NEA */
        c = emu_in(e, CDB(0x4a, 0x01, 0, 0, 0x02, 0, 0, 0, 8, 0), p, 8);
        assert_good(c);
        g_assert_cmpuint(c.transferred, ==, 4);
        g_assert_cmphex(p[2], ==, 0x80);
        /* asynchronous mode is refused */
        c = emu_in(e, CDB(0x4a, 0x00, 0, 0, 0x10, 0, 0, 0, 8, 0), p, 8);
        assert_sense(c, 0x5, 0x24, 0x00);
        emu_test_free(e);
}

static void test_cd_r_blank(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[48], atip[28];
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 32);
        g_assert_cmphex(p[2], ==, 0x00); /* not erasable, last session empty, disc blank */
        g_assert_cmpuint(p[3], ==, 1);   /* first track */
        g_assert_cmpuint(p[4], ==, 1);   /* sessions: the empty one */
        g_assert_cmpuint(p[5], ==, 1);
        g_assert_cmpuint(p[6], ==, 1);
        g_assert_cmpmem(p + 16, 4, ((uint8_t[]){0, 97, 26, 65}), 4); /* ATIP lead-in start */
        g_assert_cmpmem(p + 20, 4, ((uint8_t[]){0, 79, 59, 74}), 4); /* last possible lead-out */

        c = emu_track_info(e, 0xff, p);
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 46);
        g_assert_cmpuint(p[2], ==, 1);
        g_assert_cmpuint(p[3], ==, 1);
        g_assert_cmphex(p[6] & 0x40, ==, 0x40); /* blank */
        g_assert_cmphex(p[7], ==, 0x01);        /* NWA_V */
        g_assert_cmpuint(get_be32(p + 8), ==, 0);
        g_assert_cmpuint(get_be32(p + 12), ==, 0);      /* NWA */
        g_assert_cmpuint(get_be32(p + 16), ==, 359849); /* free blocks */
        g_assert_cmpuint(get_be32(p + 24), ==, 359849); /* track size */
        /* the same track by number and by LBA */
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 16), ==, 359849);
        c = emu_in(e, CDB(0x52, 0x00, 0, 0, 0x10, 0, 0, 0, 48, 0), p, 48);
        assert_good(c);
        g_assert_cmpuint(p[2], ==, 1);
        c = emu_track_info(e, 2, p);
        assert_sense(c, 0x5, 0x24, 0x00);

        c = emu_in(e, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), p, 8);
        assert_good(c);
        g_assert_cmpuint(get_be32(p), ==, 0);
        g_assert_cmpuint(get_be32(p + 4), ==, 2048);

        /* no complete session: no TOC */
        c = emu_in(e, CDB(0x43, 0, 0, 0, 0, 0, 0, 0, 12, 0), p, 12);
        assert_sense(c, 0x5, 0x24, 0x00);
        c = emu_in(e, CDB(0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 28, 0), atip, sizeof(atip));
        assert_good(c);
        g_assert_cmpuint(get_be16(atip), ==, 26);
        g_assert_cmphex(atip[6] & 0x40, ==, 0); /* CD-R */
        g_assert_cmpmem(atip + 8, 3, ((uint8_t[]){97, 26, 65}), 3);
        g_assert_cmpmem(atip + 12, 3, ((uint8_t[]){79, 59, 74}), 3);
        emu_test_free(e);
}

static void test_cd_rw_blank(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[34], atip[28];
        ScsiCommand c;

        emu_test_load(e, 0x000a);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x10); /* erasable, blank */
        c = emu_in(e, CDB(0x43, 0x02, 0x04, 0, 0, 0, 0, 0, 28, 0), atip, sizeof(atip));
        assert_good(c);
        g_assert_cmphex(atip[6] & 0x40, ==, 0x40); /* CD-RW */
        emu_test_free(e);
}

typedef struct Capacity {
        uint16_t profile;
        uint32_t free_blocks;
        uint8_t disc_status;
} Capacity;

static void test_sequential_capacities(void)
{
        static const Capacity media[] = {
                {0x0011, 2298496, 0}, {0x0014, 2298496, 0}, {0x0015, 4171712, 0},
                {0x001b, 2295104, 0}, {0x002b, 4173824, 0}, {0x0041, 12219392, 0},
        };
        EmuTest *e = emu_test_new();

        for (size_t i = 0; i < G_N_ELEMENTS(media); i++) {
                uint8_t p[48], cfg[8];
                ScsiCommand c;

                emu_test_load(e, media[i].profile);
                c = emu_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, 0, 8, 0), cfg, 8);
                assert_good(c);
                g_assert_cmphex(get_be16(cfg + 6), ==, media[i].profile);
                c = emu_disc_info(e, p);
                assert_good(c);
                g_assert_cmphex(p[2] & 0x0f, ==, media[i].disc_status);
                c = emu_track_info(e, p[6], p);
                assert_good(c);
                g_assert_cmpuint(get_be32(p + 12), ==, 0);
                g_assert_cmpuint(get_be32(p + 16), ==, media[i].free_blocks);
        }
        emu_test_free(e);
}

static void test_overwrite_media(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[64];
        ScsiCommand c;

        /* BD-RE: sold unformatted; formats 00h, 30h ×3, 31h */
        emu_test_load(e, 0x0043);
        c = emu_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64, 0), p, 64);
        assert_good(c);
        g_assert_cmpuint(p[3], ==, 6 * 8);
        g_assert_cmpuint(get_be32(p + 4), ==, 12219392);
        g_assert_cmphex(p[8] & 0x03, ==, 0x01); /* unformatted */
        g_assert_cmpuint(get_be32(p + 12), ==, 11826176);
        g_assert_cmphex(p[16] >> 2, ==, 0x00);
        g_assert_cmphex(p[16 + 3 * 8] >> 2, ==, 0x30);
        g_assert_cmphex(p[16 + 4 * 8] >> 2, ==, 0x31);
        g_assert_cmpuint(get_be32(p + 12 + 4 * 8), ==, 12219392);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x10); /* erasable, blank */

        /* DVD+RW: format 26h offered */
        emu_test_load(e, 0x001a);
        c = emu_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64, 0), p, 64);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 4), ==, 2295104);
        g_assert_cmphex(p[16] >> 2, ==, 0x26);

        /* DVD-RAM: formatted, disc status "others", one track, READ CAPACITY = formatted size - 1 */
        emu_test_load(e, 0x0012);
        c = emu_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64, 0), p, 64);
        assert_good(c);
        g_assert_cmphex(p[8] & 0x03, ==, 0x02);
        g_assert_cmpuint(get_be32(p + 4), ==, 2236704);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2] & 0x03, ==, 0x03);
        c = emu_in(e, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), p, 8);
        assert_good(c);
        g_assert_cmpuint(get_be32(p), ==, 2236704 - 1);
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 24), ==, 2236704);
        emu_test_free(e);
}

/* Finds feature 'code' in a GET CONFIGURATION reply; NULL if absent. */
static const uint8_t *find_feature(const uint8_t *p, size_t len, uint16_t code)
{
        size_t end = MIN(len, get_be32(p) + 4);

        for (size_t off = 8; off + 4 <= end; off += 4 + p[off + 3])
                if (get_be16(p + off) == code)
                        return p + off;
        return NULL;
}

static void test_get_configuration(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[1024];
        const uint8_t *f;
        ScsiCommand c;
        uint16_t prev = 0xffff;

        emu_test_load(e, 0x0009);
        c = emu_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, 0x04, 0, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmphex(get_be16(p + 6), ==, 0x0009);
        f = find_feature(p, c.transferred, 0x0000);
        g_assert_nonnull(f);
        g_assert_cmphex(f[2], ==, 0x03); /* persistent, current */
        for (unsigned i = 0; i < f[3] / 4u; i++) {
                uint16_t prof = get_be16(f + 4 + 4 * i);

                g_assert_cmphex(prof, <, prev); /* descending */
                g_assert_cmphex(f[4 + 4 * i + 2], ==, prof == 0x0009 ? 1 : 0);
                prev = prof;
        }
        g_assert_cmphex(prev, ==, 0x0008); /* CD-ROM listed */
        f = find_feature(p, c.transferred, 0x002d);
        g_assert_nonnull(f);
        g_assert_cmphex(f[2] & 0x01, ==, 1);
        g_assert_cmphex(f[4] & 0x44, ==, 0x44); /* BUF, Test Write */
        f = find_feature(p, c.transferred, 0x002e);
        g_assert_nonnull(f);
        g_assert_cmphex(f[4] & 0x24, ==, 0x24); /* SAO, Test Write */
        f = find_feature(p, c.transferred, 0x0021);
        g_assert_nonnull(f);
        g_assert_cmphex(f[2] & 0x01, ==, 1);
        f = find_feature(p, c.transferred, 0x002b);
        g_assert_nonnull(f);
        g_assert_cmphex(f[2] & 0x01, ==, 0);
        /* features ascend */
        for (size_t off = 8, last = 0; off + 4 <= c.transferred; off += 4 + p[off + 3]) {
                g_assert_cmpuint(get_be16(p + off), >=, last);
                last = get_be16(p + off);
        }

        /* RT 01b: current only; RT 10b: exactly one */
        c = emu_in(e, CDB(0x46, 0x01, 0, 0, 0, 0, 0, 0x04, 0, 0), p, sizeof(p));
        assert_good(c);
        g_assert_null(find_feature(p, c.transferred, 0x002b));
        g_assert_nonnull(find_feature(p, c.transferred, 0x002d));
        c = emu_in(e, CDB(0x46, 0x02, 0, 0x21, 0, 0, 0, 0, 20, 0), p, 20);
        assert_good(c);
        g_assert_cmpuint(get_be32(p), ==, 4 + 12);
        g_assert_cmphex(get_be16(p + 8), ==, 0x0021);
        g_assert_cmpuint(p[8 + 7], ==, 1); /* one link size */
        g_assert_cmpuint(p[8 + 8], ==, 7); /* CD: 7 */

        /* DVD+R: 002Bh current, 002Dh not */
        emu_test_load(e, 0x001b);
        c = emu_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, 0x04, 0, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmphex(find_feature(p, c.transferred, 0x002b)[2] & 1, ==, 1);
        g_assert_cmphex(find_feature(p, c.transferred, 0x002d)[2] & 1, ==, 0);
        emu_test_free(e);
}

static void test_cd_only_drive(void)
{
        static const uint16_t cd[] = {0x0009, 0x000a, 0};
        EmuTest *e = emu_test_new_full(cd, 0, 0, false, NULL);
        uint8_t p[512];
        ScsiCommand c;

        g_assert_cmpint(emu_drive_load_medium(e->drive, 0x001b), ==, -EMEDIUMTYPE);
        g_assert_cmpint(emu_drive_load_medium(e->drive, 0x0013), ==, -EINVAL);
        c = emu_in(e, CDB(0x46, 0, 0, 0, 0, 0, 0, 0x02, 0, 0), p, sizeof(p));
        assert_good(c);
        g_assert_null(find_feature(p, c.transferred, 0x001f));
        g_assert_null(find_feature(p, c.transferred, 0x0040));
        g_assert_cmphex(find_feature(p, c.transferred, 0x002d)[4] & 0x40, ==, 0); /* no BUF */
        emu_test_free(e);
}

static void test_mode_sense(void)
{
        static const uint16_t cd[] = {0x0009, 0};
        EmuTest *e = emu_test_new_full(cd, 16, 2 * 1024 * 1024, true, NULL);
        uint8_t p[256];
        const uint8_t *page;
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        c = emu_in(e, CDB(0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 255, 0), p, sizeof(p));
        assert_good(c);
        page = p + 8;
        g_assert_cmpuint(get_be16(p), ==, c.transferred - 2);
        g_assert_cmphex(page[0], ==, 0x2a);
        /* speeds 4, 8, 16: three descriptors, fastest first */
        g_assert_cmpuint(get_be16(page + 30), ==, 3);
        g_assert_cmpuint(page[1], ==, 30 + 4 * 3);
        g_assert_cmpuint(get_be16(page + 32 + 2), ==, 2822);
        g_assert_cmpuint(get_be16(page + 36 + 2), ==, 1411);
        g_assert_cmpuint(get_be16(page + 40 + 2), ==, 706);
        g_assert_cmpuint(get_be16(page + 12), ==, 2048); /* buffer KiB */
        g_assert_cmpuint(get_be16(page + 28), ==, 2822); /* current write speed */
        g_assert_cmphex(page[3] & 0x05, ==, 0x05);       /* CD-R write, test write */
        g_assert_cmphex(page[4] & 0x80, ==, 0x80);       /* BUF */

        /* SET CD SPEED 10x: the drive rounds down to 8x */
        c = emu_none(e, CDB(0xbb, 0, 0xff, 0xff, 1764 >> 8, 1764 & 0xff, 0, 0, 0, 0, 0, 0));
        assert_good(c);
        c = emu_in(e, CDB(0x1a, 0, 0x2a, 0, 255, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmpuint(p[0], ==, c.transferred - 1);
        g_assert_cmpuint(get_be16(p + 4 + 28), ==, 1411);

        /* page 05h defaults: TAO, mode 1 */
        c = emu_in(e, CDB(0x5a, 0, 0x05, 0, 0, 0, 0, 0, 60, 0), p, 60);
        assert_good(c);
        g_assert_cmphex(p[8], ==, 0x05);
        g_assert_cmpuint(p[9], ==, 0x32);
        g_assert_cmphex(p[10] & 0x0f, ==, 1);
        g_assert_cmphex(p[11] & 0x0f, ==, 4);
        g_assert_cmpuint(p[12], ==, 8);
        g_assert_cmpuint(get_be16(p + 8 + 14), ==, 150);

        c = emu_in(e, CDB(0x5a, 0, 0x0e, 0, 0, 0, 0, 0, 60, 0), p, 60);
        assert_sense(c, 0x5, 0x24, 0x00);
        c = emu_in(e, CDB(0x5a, 0, 0xc5, 0, 0, 0, 0, 0, 60, 0), p, 60);
        assert_sense(c, 0x5, 0x39, 0x00);
        emu_test_free(e);
}

static void test_get_performance(void)
{
        static const uint16_t cd[] = {0x0009, 0};
        EmuTest *e = emu_test_new_full(cd, 0, 0, true, NULL);
        uint8_t p[8 + 16 * 16];
        ScsiCommand c;

        c = emu_in(e, CDB(0xac, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0x03, 0), p, sizeof(p));
        assert_sense(c, 0x2, 0x3a, 0x01);
        emu_test_load(e, 0x0009);
        c = emu_in(e, CDB(0xac, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0x03, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmpuint(get_be32(p), ==, 4 + 7 * 16);
        g_assert_cmpuint(get_be32(p + 8 + 4), ==, 359848); /* end LBA */
        g_assert_cmpuint(get_be32(p + 8 + 12), ==, 8467);  /* 48x */
        g_assert_cmpuint(get_be32(p + 8 + 6 * 16 + 12), ==, 706);
        /* asked for 2: the length still tells all 7, only 2 come */
        c = emu_in(e, CDB(0xac, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0x03, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmpuint(get_be32(p), ==, 4 + 7 * 16);
        g_assert_cmpuint(c.transferred, ==, 8 + 2 * 16);
        c = emu_in(e, CDB(0xac, 0x04, 0, 0, 0, 0, 0, 0, 0, 1, 0x00, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmphex(p[4], ==, 0x02); /* write */
        g_assert_cmpuint(get_be32(p + 8 + 4), ==, 8467);
        c = emu_in(e, CDB(0xac, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x05, 0), p, sizeof(p));
        assert_sense(c, 0x5, 0x24, 0x00);
        emu_test_free(e);
}

static void test_tray(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[8];
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        /* eject: tray open, the disc on it */
        c = emu_none(e, CDB(0x1b, 0, 0, 0, 0x02, 0));
        assert_good(c);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x2, 0x3a, 0x02);
        c = emu_in(e, CDB(0x4a, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0), p, 8);
        assert_good(c);
        g_assert_cmphex(p[4], ==, 0x03); /* MediaRemoval */
        g_assert_cmphex(p[5], ==, 0x01); /* tray open, no medium present */
        /* close: the same disc is back, with a unit attention */
        c = emu_none(e, CDB(0x1b, 0, 0, 0, 0x03, 0));
        assert_good(c);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x6, 0x28, 0x00);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_good(c);

        /* prevented: eject refused, and the product API too */
        c = emu_none(e, CDB(0x1e, 0, 0, 0, 0x01, 0));
        assert_good(c);
        c = emu_none(e, CDB(0x1b, 0, 0, 0, 0x02, 0));
        assert_sense(c, 0x5, 0x53, 0x02);
        g_assert_cmpint(emu_drive_load_medium(e->drive, 0x000a), ==, -EBUSY);
        g_assert_cmpint(emu_drive_remove_medium(e->drive), ==, -EBUSY);
        c = emu_none(e, CDB(0x1e, 0, 0, 0, 0x00, 0));
        assert_good(c);
        g_assert_cmpint(emu_drive_remove_medium(e->drive), ==, 0);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x2, 0x3a, 0x02);
        /* closing an empty tray */
        c = emu_none(e, CDB(0x1b, 0, 0, 0, 0x03, 0));
        assert_good(c);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x2, 0x3a, 0x01);
        emu_test_free(e);
}

static void test_refusals(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[64];
        ScsiCommand c;

        c = emu_none(e, CDB(0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assert_sense(c, 0x5, 0x20, 0x00);
        c = emu_in(e, CDB(0x03, 0x01, 0, 0, 18, 0), p, 18);
        assert_sense(c, 0x5, 0x24, 0x00);
        /* data in to a command that has none: a host bug */
        g_assert_cmpint(emu_run(e, CDB(0x00, 0, 0, 0, 0, 0), TRANSPORT_DIRECTION_FROM_DEVICE, p, 8, &c), ==,
                        -EINVAL);
        emu_test_load(e, 0x0009);
        c = emu_in(e, CDB(0x51, 0x01, 0, 0, 0, 0, 0, 0, 34, 0), p, 34);
        assert_sense(c, 0x5, 0x24, 0x00);
        c = emu_in(e, CDB(0x52, 0x03, 0, 0, 0, 1, 0, 0, 48, 0), p, 48);
        assert_sense(c, 0x5, 0x24, 0x00);
        c = emu_in(e, CDB(0xad, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0), p, 64);
        assert_sense(c, 0x5, 0x30, 0x02); /* no DVD structures on a CD */
        emu_test_free(e);
}

static void test_becoming_ready(void)
{
        EmuTest *e = emu_test_new();
        g_autofree char *err = NULL;
        ScsiCommand c;

        emu_test_load(e, 0x0011);
        g_assert_cmpint(emu_drive_set_faults(e->drive, "becoming-ready=2", &err), ==, 0);
        for (int i = 0; i < 2; i++) {
                c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
                assert_sense(c, 0x2, 0x04, 0x01);
        }
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_good(c);
        emu_test_free(e);
}

static void test_disc_structure(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[2052];
        ScsiCommand c;

        emu_test_load(e, 0x001b);
        c = emu_in(e, CDB(0xad, 0, 0, 0, 0, 0, 0, 0x00, 0x08, 0x04, 0, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 2050);
        g_assert_cmphex(p[4], ==, 0xa1);                                 /* DVD+R */
        g_assert_cmphex(get_be32(p + 4 + 4), ==, 0x30000);               /* start PSN */
        g_assert_cmphex(get_be32(p + 4 + 8), ==, 0x30000 + 2295104 - 1); /* end PSN */
        /* the medium's identification: ADIP of DVD+R, DI of BD */
        c = emu_in(e, CDB(0xad, 0, 0, 0, 0, 0, 0, 0x11, 0x01, 0x04, 0, 0), p, 260);
        assert_good(c);
        g_assert_cmpmem(p + 4 + 19, 8, "IMAPIDEM", 8);
        c = emu_in(e, CDB(0xad, 0, 0, 0, 0, 0, 0, 0x0e, 0, 44, 0, 0), p, 44);
        assert_sense(c, 0x5, 0x24, 0x00); /* DVD-R only */
        emu_test_load(e, 0x0043);
        c = emu_in(e, CDB(0xad, 0x01, 0, 0, 0, 0, 0, 0x0a, 0, 16, 0, 0), p, 16);
        assert_good(c);
        c = emu_in(e, CDB(0xad, 0x01, 0, 0, 0, 0, 0, 0x00, 0, 116, 0, 0), p, 116);
        assert_good(c);
        g_assert_cmpmem(p + 4, 2, "DI", 2);
        emu_test_free(e);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/emu/read/inquiry", test_inquiry);
        g_test_add_func("/emu/read/no-medium", test_no_medium);
        g_test_add_func("/emu/read/unit-attention", test_unit_attention);
        g_test_add_func("/emu/read/event-status", test_event_status);
        g_test_add_func("/emu/read/cd-r-blank", test_cd_r_blank);
        g_test_add_func("/emu/read/cd-rw-blank", test_cd_rw_blank);
        g_test_add_func("/emu/read/sequential-capacities", test_sequential_capacities);
        g_test_add_func("/emu/read/overwrite-media", test_overwrite_media);
        g_test_add_func("/emu/read/get-configuration", test_get_configuration);
        g_test_add_func("/emu/read/cd-only-drive", test_cd_only_drive);
        g_test_add_func("/emu/read/mode-sense", test_mode_sense);
        g_test_add_func("/emu/read/get-performance", test_get_performance);
        g_test_add_func("/emu/read/tray", test_tray);
        g_test_add_func("/emu/read/refusals", test_refusals);
        g_test_add_func("/emu/read/becoming-ready", test_becoming_ready);
        g_test_add_func("/emu/read/disc-structure", test_disc_structure);
        return g_test_run();
}
