/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the emulated drive's buffer and recording rate: the model with a fake clock, then underruns,
 * BUFE pauses and a full buffer through the Transport. The host sleeps far longer than the buffer lasts,
 * and the timing checks are lower bounds only. */
#include "emu-throttle.h"
#include "test-emu-util.h"

static void test_model(void)
{
        EmuThrottle t;
        int64_t until;

        emu_throttle_init(&t, 2000);
        emu_throttle_set_rate(&t, 1000, 0);
        g_assert_cmpint(emu_throttle_begin_write(&t, 1000, false, 0, &until), ==, EMU_THROTTLE_OK);
        g_assert_cmpint(until, ==, 0);
        emu_throttle_accept(&t, 1000, 0);
        /* 1000 + 1500 > 2000: wait until 500 bytes drained */
        g_assert_cmpint(emu_throttle_begin_write(&t, 1500, false, 0, &until), ==, EMU_THROTTLE_OK);
        g_assert_cmpint(until, ==, 500000);
        emu_throttle_accept(&t, 1500, 500000);
        g_assert_cmpuint(emu_throttle_fill(&t, 500000), ==, 2000);
        g_assert_cmpint(emu_throttle_empty_at(&t, 500000), ==, 2500000);
        g_assert_cmpuint(emu_throttle_fill(&t, 1500000), ==, 1000);
        /* the host comes back after the buffer ran dry mid-track */
        g_assert_cmpint(emu_throttle_begin_write(&t, 100, false, 3000000, &until), ==,
                        EMU_THROTTLE_UNDERRUN);
        g_assert_false(t.streaming);
        /* a new stream: nothing drains until the buffer is full (the drive waits for it to start) */
        g_assert_cmpint(emu_throttle_begin_write(&t, 100, false, 10000000, &until), ==, EMU_THROTTLE_OK);
        emu_throttle_accept(&t, 100, 10000000);
        g_assert_cmpuint(emu_throttle_fill(&t, 12000000), ==, 100);
        g_assert_cmpint(emu_throttle_begin_write(&t, 2000, false, 12000000, &until), ==, EMU_THROTTLE_OK);
        g_assert_cmpint(until, ==, 12100000); /* full: recording starts, 100 bytes must drain first */
        emu_throttle_accept(&t, 2000, 12100000);
        /* with BUFE the dry buffer is a pause, and the drive waits to be full again */
        g_assert_cmpint(emu_throttle_begin_write(&t, 100, true, 20000000, &until), ==, EMU_THROTTLE_PAUSED);
        emu_throttle_accept(&t, 100, 20000000);
        g_assert_cmpuint(emu_throttle_fill(&t, 21000000), ==, 100);
        /* a flush starts recording; a stalled drive does not drain */
        emu_throttle_flush(&t, 21000000);
        emu_throttle_stall(&t, 5000000);
        g_assert_cmpuint(emu_throttle_fill(&t, 26000000), ==, 100);
        g_assert_cmpint(emu_throttle_empty_at(&t, 26000000), ==, 26100000);
        emu_throttle_stop(&t, 26000000);
        g_assert_cmpuint(emu_throttle_fill(&t, 26000000), ==, 0);
        g_assert_false(t.streaming);
        /* unthrottled: never waits, never runs dry */
        emu_throttle_set_rate(&t, 0, 30000000);
        g_assert_cmpint(emu_throttle_begin_write(&t, 1 << 30, false, 30000000, &until), ==, EMU_THROTTLE_OK);
        g_assert_cmpint(until, ==, 30000000);
}

static const uint16_t cd_r[] = {0x0009, 0};

static void test_underrun(void)
{
        EmuTest *e = emu_test_new_full(cd_r, 1, 64 * 1024, true, NULL);
        EmuDriveStats stats;
        uint8_t p[48];
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        emu_write_pattern(e, 0, 32, 2048, 1); /* a full buffer: the drive starts recording */
        g_usleep(1500 * 1000);                 /* 64 KiB last 0.43 s at 1x */
        {
                g_autofree uint8_t *buf = g_malloc0(16 * 2048);

                c = emu_write(e, 32, 16, buf, 2048);
                assert_sense(c, 0x3, 0x0c, 0x09);
                g_assert_cmpuint(get_be32(c.sense + 3), ==, 32);
                c = emu_write(e, 32, 16, buf, 2048);
                assert_sense(c, 0x5, 0x21, 0x02);
        }
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmphex(p[5] & 0x20, ==, 0x20); /* damaged */
        g_assert_cmphex(p[7] & 0x01, ==, 0x00); /* no NWA */
        emu_drive_get_stats(e->drive, &stats);
        g_assert_cmpuint(stats.underruns, ==, 1);
        g_assert_cmpuint(stats.bufe_pauses, ==, 0);
        emu_test_free(e);
}

static void test_bufe_pause(void)
{
        EmuTest *e = emu_test_new_full(cd_r, 1, 64 * 1024, true, NULL);
        EmuTestPage05 w = {
                .write_type = 1, .multisession = 3, .track_mode = 4, .data_block_type = 8, .bufe = true};
        EmuDriveStats stats;
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        c = emu_page05(e, &w);
        assert_good(c);
        emu_write_pattern(e, 0, 32, 2048, 1); /* a full buffer: recording starts */
        g_usleep(1500 * 1000);
        emu_write_pattern(e, 32, 16, 2048, 1);
        assert_good(emu_sync(e));
        emu_drive_get_stats(e->drive, &stats);
        g_assert_cmpuint(stats.underruns, ==, 0);
        g_assert_cmpuint(stats.bufe_pauses, ==, 1);
        emu_check_pattern(e, 0, 48, 1);
        emu_test_free(e);
}

/* A host that is late before the buffer ever filled causes no underrun: the drive had not started. */
static void test_no_underrun_before_the_buffer_fills(void)
{
        EmuTest *e = emu_test_new_full(cd_r, 1, 64 * 1024, true, NULL);
        EmuDriveStats stats;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        emu_write_pattern(e, 0, 16, 2048, 1);
        g_usleep(800 * 1000); /* 32 KiB would have lasted 0.21 s had recording started */
        emu_write_pattern(e, 16, 16, 2048, 1);
        assert_good(emu_sync(e));
        emu_drive_get_stats(e->drive, &stats);
        g_assert_cmpuint(stats.underruns, ==, 0);
        emu_check_pattern(e, 0, 32, 1);
        emu_test_free(e);
}

static void test_bufe_not_capable(void)
{
        EmuTest *e = emu_test_new_full(cd_r, 1, 64 * 1024, false, NULL);
        EmuTestPage05 w = {.write_type = 1, .track_mode = 4, .data_block_type = 8, .bufe = true};
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        c = emu_page05(e, &w);
        assert_sense(c, 0x5, 0x26, 0x00);
        emu_test_free(e);
}

static void test_full_buffer_blocks(void)
{
        EmuTest *e = emu_test_new_full(cd_r, 1, 64 * 1024, true, NULL);
        uint8_t p[12];
        int64_t t0, t1;
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        /* BUFE on: a host delayed by a loaded machine makes the drive pause, not fail; this test is about
         * a full buffer making WRITE wait. */
        c = emu_page05(e, &(EmuTestPage05) { .write_type = 1, .multisession = 3, .track_mode = 4,
                                             .data_block_type = 8, .bufe = true });
        assert_good(c);
        c = emu_in(e, CDB(0x5c, 0, 0, 0, 0, 0, 0, 0, 12, 0), p, 12);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 4), ==, 64 * 1024);
        g_assert_cmpuint(get_be32(p + 8), ==, 64 * 1024);
        t0 = g_get_monotonic_time();
        emu_write_pattern(e, 0, 32, 2048, 1); /* fills the buffer */
        c = emu_in(e, CDB(0x5c, 0x01, 0, 0, 0, 0, 0, 0, 12, 0), p, 12);
        assert_good(c);
        g_assert_cmpuint(get_be32(p + 8), <, 32); /* blocks free */
        emu_write_pattern(e, 32, 32, 2048, 1);    /* waits for room: 64 KiB at 153.6 kB/s */
        t1 = g_get_monotonic_time();
        g_assert_cmpint(t1 - t0, >=, 350 * 1000);
        assert_good(emu_sync(e)); /* waits until the buffer is on the disc */
        g_assert_cmpint(g_get_monotonic_time() - t1, >=, 300 * 1000);
        emu_test_free(e);
}

static void test_fast_host(void)
{
        static const uint8_t zeros[32 * 2048];
        static const uint16_t dvd[] = {0x0011, 0};
        EmuTest *e = emu_test_new_full(dvd, 2, 8 * 1024 * 1024, true, NULL);
        EmuTestPage05 w = {.write_type = 0, .multisession = 3, .track_mode = 5, .data_block_type = 8};
        EmuDriveStats stats;
        int64_t t0 = g_get_monotonic_time();
        ScsiCommand c;

        emu_test_load(e, 0x0011);
        c = emu_page05(e, &w);
        assert_good(c);
        /* 11.5 MB at 2x DVD (2.77 MB/s), 8 MiB (3 s) of buffer. The host only hands over a ready buffer,
         * so it stays fast even on a loaded machine under sanitizers. */
        for (uint32_t done = 0; done < 5600; done += 32)
                assert_good(emu_write(e, (int32_t) done, MIN(32u, 5600 - done), zeros, 2048));
        emu_drive_get_stats(e->drive, &stats);
        g_assert_cmpint(g_get_monotonic_time() - t0, >=, 700 * 1000);
        g_assert_cmpuint(stats.underruns, ==, 0);
        g_assert_cmpuint(stats.bufe_pauses, ==, 0);
        g_assert_cmpuint(stats.blocks_written, ==, 5600);
        g_assert_cmpuint(stats.buffer_min_fill, >, 4 * 1024 * 1024);
        emu_test_free(e);
}

static void test_speed_change(void)
{
        EmuTest *e = emu_test_new_full(cd_r, 0, 0, true, NULL);
        int64_t t0;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        t0 = g_get_monotonic_time();
        emu_write_pattern(e, 0, 4000, 2048, 1); /* unthrottled: 8 MB right away */
        g_assert_cmpint(g_get_monotonic_time() - t0, <, 30 * 1000 * 1000);
        emu_drive_set_speed(e->drive, 4);
        g_assert_cmpuint(emu_drive_get_speed(e->drive), ==, 4);
        emu_test_free(e);
}

typedef struct Writer {
        EmuTest *e;
        ScsiCommand c;
} Writer;

static gpointer writer_thread(gpointer userdata)
{
        Writer *w = userdata;
        g_autofree uint8_t *buf = g_malloc0(16 * 2048);

        w->c = emu_write(w->e, 0, 16, buf, 2048);
        return NULL;
}

/* A WRITE sleeping in the drive does not hold up the product API; it ends when the disc goes. */
static void test_product_call_during_write(void)
{
        EmuTest *e = emu_test_new_full(cd_r, 1, 64 * 1024, true, NULL);
        g_autofree char *err = NULL;
        Writer w = { .e = e };
        GThread *thread;
        uint8_t p[36];
        ScsiCommand c;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        g_assert_cmpint(emu_drive_set_faults(e->drive, "slow=30000", &err), ==, 0);
        thread = g_thread_new("writer", writer_thread, &w);
        g_usleep(200 * 1000);
        g_assert_cmpint(emu_drive_remove_medium(e->drive), ==, 0); /* does not wait 30 s */
        g_thread_join(thread);
        assert_sense(w.c, 0x2, 0x3a, 0x02);
        c = emu_in(e, CDB(0x12, 0, 0, 0, 36, 0), p, 36);
        assert_good(c);
        emu_test_free(e);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/emu/throttle/model", test_model);
        g_test_add_func("/emu/throttle/underrun", test_underrun);
        g_test_add_func("/emu/throttle/bufe-pause", test_bufe_pause);
        g_test_add_func("/emu/throttle/bufe-not-capable", test_bufe_not_capable);
        g_test_add_func("/emu/throttle/no-underrun-before-the-buffer-fills", test_no_underrun_before_the_buffer_fills);
        g_test_add_func("/emu/throttle/full-buffer-blocks", test_full_buffer_blocks);
        g_test_add_func("/emu/throttle/fast-host", test_fast_host);
        g_test_add_func("/emu/throttle/speed-change", test_speed_change);
        g_test_add_func("/emu/throttle/product-call-during-write", test_product_call_during_write);
        return g_test_run();
}
