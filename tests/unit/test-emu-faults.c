/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the emulated drive's scripted faults: the grammar, and each fault as a host sees it. */
#include "emu-faults.h"
#include "test-emu-util.h"

static void test_parse(void)
{
        g_autofree char *err = NULL;
        EmuFaults f;

        g_assert_cmpint(emu_faults_parse("sense@lba=1000:3/0C/00, remove@lba=5000; gone@lba=-150 slow=20 "
                                         "becoming-ready=3,erase-time=250,write-protect,sense@op=35:3/0c/09,"
                                         "read-sense@lba=7:3/11/00",
                                         &f, &err),
                        ==, 0);
        g_assert_null(err);
        g_assert_cmpuint(f.n_sense, ==, 3);
        g_assert_cmpint(f.sense[0].lba, ==, 1000);
        g_assert_false(f.sense[0].by_opcode);
        g_assert_cmphex(f.sense[0].key, ==, 0x3);
        g_assert_cmphex(f.sense[0].asc, ==, 0x0c);
        g_assert_cmphex(f.sense[0].ascq, ==, 0x00);
        g_assert_true(f.sense[1].by_opcode);
        g_assert_cmphex(f.sense[1].opcode, ==, 0x35);
        g_assert_true(f.sense[2].read);
        g_assert_cmpint(f.remove_lba, ==, 5000);
        g_assert_cmpint(f.gone_lba, ==, -150);
        g_assert_cmpuint(f.slow_ms, ==, 20);
        g_assert_cmpuint(f.becoming_ready, ==, 3);
        g_assert_true(f.erase_ms_set);
        g_assert_cmpuint(f.erase_ms, ==, 250);
        g_assert_true(f.write_protect);
        g_assert_false(f.gone);

        g_assert_cmpint(emu_faults_parse("", &f, NULL), ==, 0);
        g_assert_cmpuint(f.n_sense, ==, 0);
        g_assert_cmpint(f.remove_lba, ==, INT64_MIN);
        g_assert_cmpint(emu_faults_parse(NULL, &f, NULL), ==, 0);

        static const char *const bad[] = {
                "sense@lba=x:3/0C/00",
                "sense@lba=10:3/0C",
                "sense@lba=10:10/0C/00",
                "sense@lba=10",
                "remove@lba=",
                "slow=-1",
                "slow=abc",
                "becoming-ready",
                "explode",
                "read-sense@op=2a:3/0c/00",
                "sense@track=1:3/0C/00",
        };
        for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
                g_autofree char *msg = NULL;

                g_assert_cmpint(emu_faults_parse(bad[i], &f, &msg), ==, -EINVAL);
                g_assert_nonnull(msg);
                g_assert_nonnull(strstr(msg, bad[i]));
        }
}

static EmuTest *cd_writing(void)
{
        EmuTest *e = emu_test_new();

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        return e;
}

static void test_sense_at_lba(void)
{
        EmuTest *e = cd_writing();
        g_autofree char *err = NULL;
        g_autofree uint8_t *buf = g_malloc0(100 * 2048);
        uint8_t p[48];
        ScsiCommand c;

        g_assert_cmpint(emu_drive_set_faults(e->drive, "sense@lba=1000:3/0C/00", &err), ==, 0);
        for (int32_t lba = 0; lba < 900; lba += 100) {
                c = emu_write(e, lba, 100, buf, 2048);
                assert_good(c);
        }
        c = emu_write(e, 900, 100, buf, 2048);
        assert_good(c);
        c = emu_write(e, 1000, 100, buf, 2048);
        assert_sense(c, 0x3, 0x0c, 0x00);
        g_assert_cmphex(c.sense[0] & 0x80, ==, 0x80);
        g_assert_cmpuint(get_be32(c.sense + 3), ==, 1000);
        c = emu_track_info(e, 1, p);
        assert_good(c);
        g_assert_cmphex(p[5] & 0x20, ==, 0x20); /* the track is damaged */
        /* a bad parse keeps the previous faults */
        g_assert_cmpint(emu_drive_set_faults(e->drive, "nonsense", &err), ==, -EINVAL);
        emu_test_free(e);
}

static void test_sense_by_opcode(void)
{
        EmuTest *e = cd_writing();
        g_autofree char *err = NULL;
        ScsiCommand c;

        emu_write_pattern(e, 0, 300, 2048, 1);
        g_assert_cmpint(emu_drive_set_faults(e->drive, "sense@op=35:3/0C/00", &err), ==, 0);
        c = emu_sync(e);
        assert_sense(c, 0x3, 0x0c, 0x00);
        c = emu_sync(e); /* once */
        assert_good(c);
        emu_test_free(e);
}

static void test_read_sense(void)
{
        EmuTest *e = cd_writing();
        g_autofree char *err = NULL;
        g_autofree uint8_t *buf = g_malloc(8 * 2048);
        ScsiCommand c;

        emu_write_pattern(e, 0, 300, 2048, 1);
        assert_good(emu_sync(e));
        g_assert_cmpint(emu_drive_set_faults(e->drive, "read-sense@lba=5:3/11/00", &err), ==, 0);
        c = emu_in(e, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0), buf, 8 * 2048);
        assert_sense(c, 0x3, 0x11, 0x00);
        g_assert_cmpuint(get_be32(c.sense + 3), ==, 5);
        c = emu_in(e, CDB(0x28, 0, 0, 0, 0, 0, 0, 0, 8, 0), buf, 8 * 2048);
        assert_good(c);
        emu_test_free(e);
}

static void test_remove(void)
{
        EmuTest *e = cd_writing();
        g_autofree char *err = NULL;
        g_autofree uint8_t *buf = g_malloc0(64 * 2048);
        int fd;
        ScsiCommand c;

        g_assert_cmpint(emu_drive_set_faults(e->drive, "remove@lba=100", &err), ==, 0);
        c = emu_write(e, 0, 64, buf, 2048);
        assert_good(c);
        c = emu_write(e, 64, 64, buf, 2048);
        assert_sense(c, 0x2, 0x3a, 0x02);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x2, 0x3a, 0x02);
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, NULL), ==, -ENOMEDIUM);
        /* a new disc works */
        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        c = emu_write(e, 0, 64, buf, 2048);
        assert_good(c);
        emu_test_free(e);
}

static void test_gone(void)
{
        EmuTest *e = cd_writing();
        g_autofree char *err = NULL;
        g_autofree uint8_t *buf = g_malloc0(64 * 2048);
        ScsiCommand c;

        g_assert_cmpint(emu_drive_set_faults(e->drive, "gone@lba=100", &err), ==, 0);
        c = emu_write(e, 0, 64, buf, 2048);
        assert_good(c);
        g_assert_cmpint(emu_run(e, CDB(0x2a, 0, 0, 0, 0, 64, 0, 0, 64, 0), TRANSPORT_DIRECTION_TO_DEVICE,
                                buf, 64 * 2048, &c),
                        ==, -ENODEV);
        g_assert_cmpint(emu_run(e, CDB(0x00, 0, 0, 0, 0, 0), TRANSPORT_DIRECTION_NONE, NULL, 0, &c), ==,
                        -ENODEV);
        g_assert_cmpint(emu_run(e, CDB(0x12, 0, 0, 0, 36, 0), TRANSPORT_DIRECTION_FROM_DEVICE, buf, 36, &c),
                        ==, -ENODEV);
        emu_test_free(e);
}

static void test_disconnect(void)
{
        EmuTest *e = cd_writing();
        ScsiCommand c;
        uint8_t p[36];

        emu_drive_disconnect(e->drive);
        g_assert_cmpint(emu_run(e, CDB(0x12, 0, 0, 0, 36, 0), TRANSPORT_DIRECTION_FROM_DEVICE, p, 36, &c),
                        ==, -ENODEV);
        emu_test_free(e);
}

static void test_slow(void)
{
        EmuTest *e = cd_writing();
        g_autofree char *err = NULL;
        int64_t t0;

        g_assert_cmpint(emu_drive_set_faults(e->drive, "slow=50", &err), ==, 0);
        t0 = g_get_monotonic_time();
        emu_write_pattern(e, 0, 4 * 32, 2048, 1); /* four WRITEs */
        g_assert_cmpint(g_get_monotonic_time() - t0, >=, 200 * 1000);
        emu_test_free(e);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/emu/faults/parse", test_parse);
        g_test_add_func("/emu/faults/sense-at-lba", test_sense_at_lba);
        g_test_add_func("/emu/faults/sense-by-opcode", test_sense_by_opcode);
        g_test_add_func("/emu/faults/read-sense", test_read_sense);
        g_test_add_func("/emu/faults/remove", test_remove);
        g_test_add_func("/emu/faults/gone", test_gone);
        g_test_add_func("/emu/faults/disconnect", test_disconnect);
        g_test_add_func("/emu/faults/slow", test_slow);
        return g_test_run();
}
