/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the emulated drive's write side: CD TAO and multisession, DVD-R incremental and DAO, DVD+R,
 * BD-R, overwrite media, blanking and formatting, Test Write and the write rules with their sense. */
#include <unistd.h>

#include "test-emu-util.h"

static void test_cd_tao_multisession(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[256];
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 0);
        emu_write_pattern(e, 0, 300, 2048, 1);
        /* mid-track: the open track is the incomplete one, the session is incomplete */
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 300);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x05); /* last session incomplete, disc appendable */
        c = emu_sync(e);
        assert_good(c);
        /* the track got 2 run-out blocks, the next one a 150-block pregap */
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 24), ==, 302);
        g_assert_cmphex(p[7] & 0x01, ==, 0);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 452);
        emu_write_pattern(e, 452, 400, 2048, 2);
        c = emu_sync(e);
        assert_good(c);
        c = emu_close(e, 0x2, 0);
        assert_good(c);

        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x01); /* appendable, new session empty */
        g_assert_cmpuint(p[4], ==, 2);
        g_assert_cmpuint(p[5], ==, 3);
        g_assert_cmpuint(p[6], ==, 3);
        /* next session: lead-out 854 + 6750 lead-out + 4500 lead-in + 150 pregap */
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 854 + 11400);
        g_assert_cmpmem(p + 16, 4, ((uint8_t[]){0, 1, 43, 29}), 4); /* lead-in at 854 + 6750 */

        c = emu_in(e, CDB(0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0), p, 100);
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 2 + 3 * 8);
        g_assert_cmpuint(p[2], ==, 1);
        g_assert_cmpuint(p[3], ==, 2);
        g_assert_cmphex(p[5], ==, 0x14);
        g_assert_cmpuint(get_be32(p + 8), ==, 0);
        g_assert_cmpuint(p[4 + 8 + 2], ==, 2);
        g_assert_cmpuint(get_be32(p + 4 + 8 + 4), ==, 452);
        g_assert_cmpuint(p[4 + 16 + 2], ==, 0xaa);
        g_assert_cmpuint(get_be32(p + 4 + 16 + 4), ==, 854);
        /* MSF addresses */
        c = emu_in(e, CDB(0x43, 0x02, 0, 0, 0, 0, 0, 0, 100, 0), p, 100);
        assert_good(c);
        g_assert_cmpmem(p + 8, 4, ((uint8_t[]){0, 0, 2, 0}), 4);

        /* full TOC: A0 A1 A2, two tracks, B0 (next area), C0 */
        c = emu_in(e, CDB(0x43, 0x02, 0x02, 0, 0, 0, 1, 0x01, 0, 0), p, 256);
        assert_good(c);
        g_assert_cmpuint(get_be16(p), ==, 2 + 7 * 11);
        g_assert_cmphex(p[4 + 3], ==, 0xa0);
        g_assert_cmpuint(p[4 + 8], ==, 1);
        g_assert_cmphex(p[4 + 11 + 3], ==, 0xa1);
        g_assert_cmpuint(p[4 + 11 + 8], ==, 2);
        g_assert_cmphex(p[4 + 22 + 3], ==, 0xa2);
        g_assert_cmpmem(p + 4 + 22 + 8, 3, ((uint8_t[]){0, 13, 29}), 3); /* 854 + 150 = 00:13:29 */
        g_assert_cmphex(p[4 + 55 + 1], ==, 0x54);                        /* ADR 5 */
        g_assert_cmphex(p[4 + 55 + 3], ==, 0xb0);
        g_assert_cmpmem(p + 4 + 55 + 4, 3, ((uint8_t[]){2, 45, 29}), 3); /* 12254 + 150 */
        g_assert_cmpmem(p + 4 + 55 + 8, 3, ((uint8_t[]){79, 59, 74}), 3);
        g_assert_cmphex(p[4 + 66 + 3], ==, 0xc0);

        c = emu_in(e, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), p, 8);
        assert_good(c);
        g_assert_cmpuint(get_be32(p), ==, 853);
        emu_check_pattern(e, 0, 300, 1);
        emu_check_pattern(e, 452, 400, 2);
        /* run-out and pregap blocks are not readable */
        {
                g_autofree uint8_t *blk = g_malloc(2048);

                c = emu_in(e, CDB(0x28, 0, 0, 0, 0x01, 0x2c, 0, 0, 1, 0), blk, 2048);
                assert_sense(c, 0x5, 0x21, 0x00);
                g_assert_cmpuint(get_be32(c.sense + 3), ==, 300);
        }

        /* the second session, then finalized */
        emu_page05_tao_data(e, 0, false);
        emu_write_pattern(e, 12254, 320, 2048, 3);
        c = emu_sync(e);
        assert_good(c);
        c = emu_close(e, 0x2, 0);
        assert_good(c);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x0e); /* complete session, finalized disc */
        g_assert_cmpuint(p[4], ==, 2);
        g_assert_cmpuint(p[5], ==, 3);
        g_assert_cmpuint(get_be32(p + 16), ==, 0xffffffff);
        c = emu_track_info(e, 0xff, p);
        assert_sense(c, 0x5, 0x24, 0x00);
        c = emu_in(e, CDB(0x43, 0, 0x01, 0, 0, 0, 0, 0, 12, 0), p, 12);
        assert_good(c);
        g_assert_cmpuint(p[3], ==, 2);
        g_assert_cmpuint(p[6], ==, 3);
        g_assert_cmpuint(get_be32(p + 8), ==, 12254);
        c = emu_write(e, 12254 + 322 + 150, 1, p, 0);
        assert_sense(c, 0x5, 0x21, 0x02);
        emu_check_pattern(e, 12254, 320, 3);
        emu_test_free(e);
}

static void test_cd_tao_rules(void)
{
        EmuTest *e = emu_test_new();
        g_autofree uint8_t *buf = g_malloc0(16 * 2352);
        uint8_t p[48];
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        c = emu_write(e, 16, 16, buf, 2048);
        assert_sense(c, 0x5, 0x21, 0x02);      /* not the NWA */
        g_assert_cmphex(c.sense[0], ==, 0xf0); /* VALID: information = LBA */
        g_assert_cmpuint(get_be32(c.sense + 3), ==, 16);
        c = emu_write(e, 359849, 1, buf, 2048);
        assert_sense(c, 0x5, 0x21, 0x00); /* beyond the last possible lead-out */
        /* the data length must match the blocks */
        g_assert_cmpint(emu_run(e, CDB(0x2a, 0, 0, 0, 0, 0, 0, 0, 2, 0), TRANSPORT_DIRECTION_TO_DEVICE, buf,
                                2048, &c),
                        ==, -EINVAL);
        /* SAO without a cue sheet */
        {
                EmuTestPage05 w = {.write_type = 2, .track_mode = 4, .data_block_type = 8};

                c = emu_page05(e, &w);
                assert_good(c);
                c = emu_write(e, 0, 16, buf, 2048);
                assert_sense(c, 0x5, 0x2c, 0x00);
        }
        /* mode page checks: TAO audio needs raw blocks, raw writing is not offered, no saved pages */
        {
                EmuTestPage05 w = {.write_type = 1, .track_mode = 0, .data_block_type = 8};

                c = emu_page05(e, &w);
                assert_sense(c, 0x5, 0x26, 0x00);
                w.write_type = 3;
                w.data_block_type = 0;
                c = emu_page05(e, &w);
                assert_sense(c, 0x5, 0x26, 0x00);
                w.write_type = 1;
                w.multisession = 2;
                c = emu_page05(e, &w);
                assert_sense(c, 0x5, 0x26, 0x00);
        }
        /* one block descriptor is accepted and ignored (wodim sets 2048-byte blocks), two are not */
        {
                uint8_t bd[8 + 16] = {0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x08, 0};

                c = emu_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 16, 0), bd, 16);
                assert_good(c);
                bd[7] = 16;
                c = emu_out(e, CDB(0x55, 0x10, 0, 0, 0, 0, 0, 0, 24, 0), bd, 24);
                assert_sense(c, 0x5, 0x26, 0x00);
        }
        /* a short track is padded to 4 s */
        emu_page05_tao_data(e, 3, false);
        emu_write_pattern(e, 0, 16, 2048, 7);
        c = emu_sync(e);
        assert_good(c);
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 24), ==, 302);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 452);
        /* CLOSE TRACK of a closed track is accepted; an unknown one is not */
        c = emu_close(e, 0x1, 1);
        assert_good(c);
        c = emu_close(e, 0x1, 7);
        assert_sense(c, 0x5, 0x24, 0x00);
        /* an audio track (pregap: the audio pause length), which a data page cannot continue */
        {
                EmuTestPage05 w = {
                        .write_type = 1, .track_mode = 0, .data_block_type = 0, .audio_pause = 75};

                c = emu_page05(e, &w);
                assert_good(c);
                g_assert_cmpuint(emu_nwa(e, 0xff), ==, 302 + 75);
                c = emu_write(e, 377, 1, buf, 2352);
                assert_good(c);
                emu_page05_tao_data(e, 3, false);
                c = emu_write(e, 378, 1, buf, 2048);
                assert_sense(c, 0x5, 0x64, 0x00);
        }
        emu_test_free(e);
}

static void test_cd_test_write(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[48];
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, true);
        emu_write_pattern(e, 0, 500, 2048, 9);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 500); /* the drive plays along */
        c = emu_sync(e);
        assert_good(c);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 652);
        c = emu_close(e, 0x2, 0);
        assert_good(c);
        /* ... and the disc is untouched */
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x00);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 0);
        c = emu_in(e, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0), p, 0);
        assert_sense(c, 0x5, 0x21, 0x00);
        /* switching Test Write off mid-way also drops the simulation */
        emu_page05_tao_data(e, 3, true);
        emu_write_pattern(e, 0, 32, 2048, 9);
        emu_page05_tao_data(e, 3, false);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 0);
        /* DVD+R has no Test Write */
        emu_test_load(e, 0x001b);
        {
                EmuTestPage05 w = {
                        .write_type = 0, .track_mode = 5, .data_block_type = 8, .test_write = true};

                c = emu_page05(e, &w);
                assert_sense(c, 0x5, 0x26, 0x00);
        }
        emu_test_free(e);
}

static void test_dvd_r_incremental(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[48];
        ScsiCommand c;
        EmuTestPage05 w = {.write_type = 0, .multisession = 3, .track_mode = 5, .data_block_type = 8};

        emu_test_load(e, 0x0011);
        c = emu_page05(e, &w);
        assert_good(c);
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmphex(p[6] & 0x70, ==, 0x70); /* blank, incremental, fixed packets */
        g_assert_cmpuint(get_be32(p + 20), ==, 16);
        emu_write_pattern(e, 0, 100, 2048, 4);
        c = emu_sync(e);
        assert_good(c);
        g_assert_cmpuint(emu_nwa(e, 1), ==, 100); /* SYNCHRONIZE CACHE does not close a DVD track */
        c = emu_close(e, 0x1, 1);
        assert_good(c);
        c = emu_close(e, 0x2, 0);
        assert_good(c);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2] & 0x0f, ==, 0x01);
        g_assert_cmpuint(p[6], ==, 2);
        g_assert_cmpuint(emu_nwa(e, 2), ==, 112 + 16384); /* 16-block aligned track + border */
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 24), ==, 112);
        emu_check_pattern(e, 0, 100, 4);
        /* formatted TOC of a DVD: one track per closed session */
        c = emu_in(e, CDB(0x43, 0, 0, 0, 0, 0, 0, 0, 20, 0), p, 20);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 4 + 8 + 4), ==, 112);
        emu_test_free(e);
}

static void test_dvd_r_dao(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[48], buf[2048] = {};
        ScsiCommand c;
        EmuTestPage05 w = {.write_type = 2, .track_mode = 5, .data_block_type = 8};

        emu_test_load(e, 0x0014);
        c = emu_page05(e, &w);
        assert_good(c);
        c = emu_write(e, 0, 1, buf, 2048);
        assert_sense(c, 0x5, 0x2c, 0x00); /* DAO needs the reservation */
        c = emu_reserve(e, 1000);
        assert_good(c);
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmphex(p[6] & 0xc0, ==, 0xc0); /* reserved, blank */
        g_assert_cmpuint(get_be32(p + 24), ==, 1008);
        emu_write_pattern(e, 0, 1008, 2048, 5);
        c = emu_write(e, 1008, 1, buf, 2048);
        assert_sense(c, 0x5, 0x2c, 0x00); /* no track beyond a DAO reservation */
        c = emu_sync(e);
        assert_good(c);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2] & 0x0f, ==, 0x0e);
        emu_check_pattern(e, 0, 1008, 5);
        emu_test_free(e);
}

static void test_dvd_plus_r(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[48];
        ScsiCommand c;

        emu_test_load(e, 0x001b);
        c = emu_reserve(e, 3200);
        assert_good(c);
        /* two open tracks: the reserved one and the incomplete one after it */
        g_assert_cmpuint(emu_nwa(e, 1), ==, 0);
        g_assert_cmpuint(emu_nwa(e, 2), ==, 3200);
        emu_write_pattern(e, 3200, 64, 2048, 8);
        emu_write_pattern(e, 0, 1000, 2048, 7);
        c = emu_reserve(e, 16);
        assert_sense(c, 0x5, 0x2c, 0x00); /* not while the incomplete track is written */
        c = emu_close(e, 0x1, 1);         /* padded to the reservation */
        assert_good(c);
        c = emu_close(e, 0x1, 2);
        assert_good(c);
        c = emu_close(e, 0x2, 0);
        assert_good(c);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2] & 0x0f, ==, 0x01);
        g_assert_cmpuint(p[4], ==, 2);
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 3264 + 2048);
        emu_check_pattern(e, 0, 1000, 7);
        emu_check_pattern(e, 3200, 64, 8);
        /* finalize "with minimal radius" */
        emu_write_pattern(e, 3264 + 2048, 32, 2048, 9);
        c = emu_close(e, 0x1, 3);
        assert_good(c);
        c = emu_close(e, 0x5, 0);
        assert_good(c);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2] & 0x0f, ==, 0x0e);
        c = emu_close(e, 0x2, 0);
        assert_sense(c, 0x5, 0x2c, 0x00);
        emu_test_free(e);
}

static void test_bd_r(void)
{
        EmuTest *e = emu_test_new();
        uint8_t p[64];
        ScsiCommand c;

        emu_test_load(e, 0x0041);
        emu_write_pattern(e, 0, 40, 2048, 1);
        c = emu_close(e, 0x2, 0); /* closes the track too */
        assert_good(c);
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 24), ==, 64); /* 32-block clusters */
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 64);
        /* no formatting once written */
        c = emu_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64, 0), p, 64);
        assert_good(c);
        g_assert_cmpuint(p[3], ==, 8);
        emu_write_pattern(e, 64, 32, 2048, 2);
        c = emu_close(e, 0x6, 0);
        assert_good(c);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2] & 0x0f, ==, 0x0e);
        emu_check_pattern(e, 64, 32, 2);
        emu_test_free(e);
}

/* FORMAT UNIT with one descriptor. */
static ScsiCommand format_unit(EmuTest *e, uint32_t blocks, uint8_t type, uint8_t subtype, bool immed)
{
        uint8_t p[12] = {0, immed ? 0x82 : 0x80, 0, 8};

        be32_put(p + 4, blocks);
        p[8] = (uint8_t) (type << 2 | subtype);
        return emu_out(e, CDB(0x04, 0x11, 0, 0, 0, 0), p, sizeof(p));
}

/* Polls TEST UNIT READY until the drive is ready; returns how many NOT READY answers it saw. */
static unsigned wait_ready(EmuTest *e, uint8_t asc, uint8_t ascq)
{
        unsigned busy = 0;

        for (int i = 0; i < 1000; i++) {
                ScsiCommand c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));

                if (c.status == SCSI_STATUS_GOOD)
                        return busy;
                assert_sense(c, 0x2, asc, ascq);
                busy++;
                g_usleep(10000);
        }
        g_assert_not_reached();
}

static void test_dvd_plus_rw(void)
{
        EmuTest *e = emu_test_new();
        g_autofree uint8_t *zero = g_malloc0(2048), *buf = g_malloc(2048);
        uint8_t p[64];
        ScsiCommand c;

        emu_test_load(e, 0x001a);
        c = emu_write(e, 0, 1, zero, 2048);
        assert_sense(c, 0x5, 0x30, 0x05); /* not formatted */
        c = format_unit(e, 0xffffffff, 0x26, 0, true);
        assert_good(c);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x1e); /* erasable, complete */
        g_assert_cmphex(p[7] & 0x03, ==, 0x03);
        c = emu_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64, 0), p, 64);
        assert_good(c);
        g_assert_cmphex(p[8] & 0x03, ==, 0x02);
        /* random access */
        emu_write_pattern(e, 1000, 64, 2048, 3);
        emu_write_pattern(e, 0, 32, 2048, 4);
        emu_write_pattern(e, 1016, 16, 2048, 5);
        emu_check_pattern(e, 0, 32, 4);
        emu_check_pattern(e, 1000, 16, 3);
        emu_check_pattern(e, 1016, 16, 5);
        c = emu_in(e, CDB(0x28, 0, 0, 0, 0x01, 0, 0, 0, 1, 0), buf, 2048);
        assert_good(c);
        g_assert_cmpmem(buf, 2048, zero, 2048); /* formatted, never written */
        c = emu_write(e, 2295104 - 1, 2, buf, 2048);
        assert_sense(c, 0x5, 0x21, 0x00);
        c = emu_close(e, 0x2, 0);
        assert_good(c);
        c = emu_in(e, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), p, 8);
        assert_good(c);
        g_assert_cmpuint(get_be32(p), ==, 2295104 - 1);
        /* no BLANK for DVD+RW, no FORMAT for DVD+R */
        c = emu_none(e, CDB(0xa1, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assert_sense(c, 0x5, 0x30, 0x05);
        emu_test_load(e, 0x001b);
        c = format_unit(e, 0xffffffff, 0x26, 0, false);
        assert_sense(c, 0x5, 0x30, 0x06);
        emu_test_free(e);
}

static void test_bd_re_format(void)
{
        EmuTest *e = emu_test_new();
        g_autofree char *err = NULL;
        uint8_t p[64];
        ScsiCommand c;
        unsigned busy;

        emu_test_load(e, 0x0043);
        g_assert_cmpint(emu_drive_set_faults(e->drive, "erase-time=400", &err), ==, 0);
        c = format_unit(e, 12000000, 0x30, 0, true);
        assert_good(c);
        /* while it formats: 2/04/04 with a progress indication */
        c = emu_in(e, CDB(0x03, 0, 0, 0, 18, 0), p, 18);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x02);
        g_assert_cmphex(p[12], ==, 0x04);
        g_assert_cmphex(p[13], ==, 0x04);
        g_assert_cmphex(p[15], ==, 0x80);
        c = emu_disc_info(e, p);
        assert_sense(c, 0x2, 0x04, 0x04);
        busy = wait_ready(e, 0x04, 0x04);
        g_assert_cmpuint(busy, >=, 1);
        c = emu_in(e, CDB(0x23, 0, 0, 0, 0, 0, 0, 0, 64, 0), p, 64);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 4), ==, 12000000);
        g_assert_cmphex(p[8] & 0x03, ==, 0x02);
        emu_write_pattern(e, 11999000, 64, 2048, 6);
        emu_check_pattern(e, 11999000, 64, 6);
        /* sizes outside the 30h range are refused */
        c = format_unit(e, 100, 0x30, 0, false);
        assert_sense(c, 0x5, 0x26, 0x00);
        g_assert_cmpint(emu_drive_set_faults(e->drive, "", &err), ==, 0);
        c = format_unit(e, 12219392, 0x31, 0, false);
        assert_good(c);
        c = emu_in(e, CDB(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), p, 8);
        assert_good(c);
        g_assert_cmpuint(get_be32(p), ==, 12219392 - 1);
        emu_test_free(e);
}

static void test_dvd_rw_modes(void)
{
        EmuTest *e = emu_test_new();
        g_autofree uint8_t *buf = g_malloc0(16 * 2048);
        uint8_t p[512];
        ScsiCommand c;
        EmuTestPage05 inc = {.write_type = 0, .multisession = 3, .track_mode = 5, .data_block_type = 8};

        emu_test_load(e, 0x0014);
        c = format_unit(e, 2298496, 0x00, 0, false);
        assert_good(c);
        c = emu_in(e, CDB(0x46, 0x01, 0, 0, 0, 0, 0, 0x02, 0, 0), p, sizeof(p));
        assert_good(c);
        g_assert_cmphex(get_be16(p + 6), ==, 0x0013); /* restricted overwrite */
        c = emu_write(e, 8, 16, buf, 2048);
        assert_sense(c, 0x5, 0x21, 0x02); /* 32 KiB aligned only */
        emu_write_pattern(e, 32, 32, 2048, 1);
        emu_check_pattern(e, 32, 32, 1);
        /* full blank: back to sequential */
        c = emu_none(e, CDB(0xa1, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assert_good(c);
        c = emu_in(e, CDB(0x46, 0x02, 0, 0x21, 0, 0, 0, 0, 20, 0), p, 20);
        assert_good(c);
        g_assert_cmphex(get_be16(p + 6), ==, 0x0014);
        g_assert_cmphex(p[8 + 2] & 0x01, ==, 0x01); /* incremental current */
        c = emu_page05(e, &inc);
        assert_good(c);
        /* minimal blank: DAO only */
        c = emu_none(e, CDB(0xa1, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assert_good(c);
        c = emu_in(e, CDB(0x46, 0x02, 0, 0x21, 0, 0, 0, 0, 20, 0), p, 20);
        assert_good(c);
        g_assert_cmphex(p[8 + 2] & 0x01, ==, 0x00);
        c = emu_page05(e, &inc);
        assert_sense(c, 0x5, 0x26, 0x00);
        emu_test_free(e);
}

static void test_cd_rw_blank(void)
{
        EmuTest *e = emu_test_new();
        g_autofree char *err = NULL;
        uint8_t p[34];
        uint16_t last = 0;
        ScsiCommand c;
        int progress_seen = 0;

        emu_test_load(e, 0x000a);
        emu_page05_tao_data(e, 0, false);
        emu_write_pattern(e, 0, 300, 2048, 1);
        c = emu_sync(e);
        assert_good(c);
        c = emu_close(e, 0x2, 0);
        assert_good(c);
        g_assert_cmpint(emu_drive_set_faults(e->drive, "erase-time=500", &err), ==, 0);
        c = emu_none(e, CDB(0xa1, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)); /* Immed, minimal */
        assert_good(c);
        /* no ejecting meanwhile; progress grows */
        c = emu_none(e, CDB(0x1b, 0, 0, 0, 0x02, 0));
        assert_sense(c, 0x2, 0x04, 0x07);
        g_assert_cmpint(emu_drive_load_medium(e->drive, 0x0009), ==, -EBUSY);
        for (int i = 0; i < 1000; i++) {
                c = emu_in(e, CDB(0x03, 0, 0, 0, 18, 0), p, 18);
                assert_good(c);
                if (p[2] == 0x00)
                        break;
                g_assert_cmphex(p[12], ==, 0x04);
                g_assert_cmphex(p[13], ==, 0x07);
                g_assert_cmphex(p[15], ==, 0x80);
                g_assert_cmpuint(get_be16(p + 16), >=, last);
                last = get_be16(p + 16);
                progress_seen++;
                g_usleep(20000);
        }
        g_assert_cmpint(progress_seen, >=, 1);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x10); /* erasable, blank */
        /* without Immed the command returns when done */
        g_assert_cmpint(emu_drive_set_faults(e->drive, "erase-time=50", &err), ==, 0);
        c = emu_none(e, CDB(0xa1, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assert_good(c);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_good(c);
        /* CD-R cannot be blanked */
        emu_test_load(e, 0x0009);
        c = emu_none(e, CDB(0xa1, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assert_sense(c, 0x5, 0x30, 0x05);
        emu_test_free(e);
}

static void test_write_protect(void)
{
        EmuTest *e = emu_test_new();
        g_autofree char *err = NULL;
        uint8_t buf[2048] = {};
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        g_assert_cmpint(emu_drive_set_faults(e->drive, "write-protect", &err), ==, 0);
        c = emu_write(e, 0, 1, buf, 2048);
        assert_sense(c, 0x7, 0x27, 0x00);
        emu_test_free(e);
}

static void test_open_image_data(void)
{
        EmuTest *e = emu_test_new();
        g_autofree uint8_t *want = g_malloc(32 * 2048), *got = g_malloc(32 * 2048);
        g_autofree char *cue = NULL;
        int fd = -1;
        off_t size;

        emu_test_load(e, 0x0009);
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, &cue), ==, 0);
        g_assert_cmpint(lseek(fd, 0, SEEK_END), ==, 0); /* blank: empty */
        close(fd);
        emu_page05_tao_data(e, 3, false);
        emu_write_pattern(e, 0, 320, 2048, 11);
        assert_good(emu_sync(e));
        emu_write_pattern(e, 472, 32, 2048, 12);
        assert_good(emu_sync(e));
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, &cue), ==, 0);
        g_assert_null(cue);
        size = lseek(fd, 0, SEEK_END);
        g_assert_cmpint(size, ==, (off_t) (472 + 300) * 2048); /* the second track padded to 300 */
        g_assert_cmpint(pread(fd, got, 32 * 2048, 0), ==, 32 * 2048);
        emu_fill(want, 0, 32, 2048, 11);
        g_assert_cmpmem(got, 32 * 2048, want, 32 * 2048);
        g_assert_cmpint(pread(fd, got, 32 * 2048, 472 * 2048), ==, 32 * 2048);
        emu_fill(want, 472, 32, 2048, 12);
        g_assert_cmpmem(got, 32 * 2048, want, 32 * 2048);
        g_assert_cmpint(pread(fd, got, 2048, 400 * 2048), ==, 2048); /* the gap reads as zeros */
        g_assert_cmpuint(got[0] | got[100] | got[2047], ==, 0);
        close(fd);
        g_assert_cmpint(emu_drive_remove_medium(e->drive), ==, 0);
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, &cue), ==, -ENOMEDIUM);
        emu_test_free(e);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/emu/write/cd-tao-multisession", test_cd_tao_multisession);
        g_test_add_func("/emu/write/cd-tao-rules", test_cd_tao_rules);
        g_test_add_func("/emu/write/cd-test-write", test_cd_test_write);
        g_test_add_func("/emu/write/dvd-r-incremental", test_dvd_r_incremental);
        g_test_add_func("/emu/write/dvd-r-dao", test_dvd_r_dao);
        g_test_add_func("/emu/write/dvd+r", test_dvd_plus_r);
        g_test_add_func("/emu/write/bd-r", test_bd_r);
        g_test_add_func("/emu/write/dvd+rw", test_dvd_plus_rw);
        g_test_add_func("/emu/write/bd-re-format", test_bd_re_format);
        g_test_add_func("/emu/write/dvd-rw-modes", test_dvd_rw_modes);
        g_test_add_func("/emu/write/cd-rw-blank", test_cd_rw_blank);
        g_test_add_func("/emu/write/write-protect", test_write_protect);
        g_test_add_func("/emu/write/open-image-data", test_open_image_data);
        return g_test_run();
}
