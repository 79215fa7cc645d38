/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests of the emulated drive's persistence: a drive created on the same state directory resumes the
 * same disc, tray and data. */
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "test-emu-util.h"

static char *make_dir(void)
{
        g_autoptr(GError) error = NULL;
        char *dir = g_dir_make_tmp("test-emu-persist-XXXXXX", &error);

        g_assert_no_error(error);
        return dir;
}

static void remove_dir(const char *dir)
{
        static const char *const files[] = {"state.ini", "user.img", "audio.img"};

        for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
                g_autofree char *p = g_build_filename(dir, files[i], NULL);
                (void) g_unlink(p);
        }
        g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void test_resume_cd(void)
{
        g_autofree char *dir = make_dir();
        uint8_t before[256], after[256], p[48];
        EmuTest *e = emu_test_new_full(NULL, 0, 0, true, dir);
        ScsiCommand c;
        size_t n;

        emu_test_load(e, 0x0009);
        emu_page05_tao_data(e, 3, false);
        emu_write_pattern(e, 0, 400, 2048, 5);
        assert_good(emu_sync(e));
        assert_good(emu_close(e, 0x2, 0));
        emu_write_pattern(e, 402 + 11400, 64, 2048, 6); /* an open track of the second session */
        c = emu_in(e, CDB(0x43, 0x02, 0x02, 0, 0, 0, 1, 0x01, 0, 0), before, sizeof(before));
        assert_good(c);
        n = c.transferred;
        emu_test_free(e);

        e = emu_test_new_full(NULL, 0, 0, true, dir);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0)); /* resumed: no unit attention */
        assert_good(c);
        c = emu_in(e, CDB(0x43, 0x02, 0x02, 0, 0, 0, 1, 0x01, 0, 0), after, sizeof(after));
        assert_good(c);
        g_assert_cmpmem(after, c.transferred, before, n);
        emu_check_pattern(e, 0, 400, 5);
        emu_check_pattern(e, 402 + 11400, 64, 6);
        c = emu_disc_info(e, p);
        assert_good(c);
        g_assert_cmphex(p[2], ==, 0x05); /* the second session is still open */
        g_assert_cmpuint(emu_nwa(e, 0xff), ==, 402 + 11400 + 64);
        emu_test_free(e);
        remove_dir(dir);
}

static void test_resume_tray_and_overwrite(void)
{
        g_autofree char *dir = make_dir();
        EmuTest *e = emu_test_new_full(NULL, 0, 0, true, dir);
        uint8_t fmt[12] = {0, 0x80, 0, 8, 0xff, 0xff, 0xff, 0xff, 0x26 << 2};
        ScsiCommand c;
        int fd;

        emu_test_load(e, 0x001a);
        c = emu_out(e, CDB(0x04, 0x11, 0, 0, 0, 0), fmt, sizeof(fmt));
        assert_good(c);
        emu_write_pattern(e, 5000, 64, 2048, 9);
        assert_good(emu_none(e, CDB(0x1b, 0, 0, 0, 0x02, 0))); /* eject */
        emu_test_free(e);

        e = emu_test_new_full(NULL, 0, 0, true, dir);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x2, 0x3a, 0x02); /* still open */
        assert_good(emu_none(e, CDB(0x1b, 0, 0, 0, 0x03, 0)));
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_sense(c, 0x6, 0x28, 0x00);
        emu_check_pattern(e, 5000, 64, 9);
        g_assert_cmpint(emu_drive_open_image(e->drive, &fd, NULL), ==, 0);
        g_assert_cmpint(lseek(fd, 0, SEEK_END), ==, (off_t) 5064 * 2048);
        close(fd);
        emu_test_free(e);
        remove_dir(dir);
}

static void test_resume_not_writable(void)
{
        static const uint16_t cd_only[] = {0x0009, 0};
        g_autofree char *dir = make_dir();
        EmuTest *e = emu_test_new_full(NULL, 0, 0, true, dir);
        uint8_t buf[2048] = {};
        ScsiCommand c;

        emu_test_load(e, 0x001b);
        emu_test_free(e);
        /* the same disc in a drive that cannot write DVD+R */
        e = emu_test_new_full(cd_only, 0, 0, true, dir);
        c = emu_write(e, 0, 1, buf, 2048);
        assert_sense(c, 0x5, 0x30, 0x05);
        emu_test_free(e);
        remove_dir(dir);
}

static void test_corrupt_state(void)
{
        g_autofree char *dir = make_dir();
        g_autofree char *state = g_build_filename(dir, "state.ini", NULL);
        g_autofree char *err = NULL;
        EmuDrive *d = NULL;

        g_assert_true(g_file_set_contents(state, "[drive]\nversion=1\nmedium=cd-r\n[medium]\nprofile=9\n",
                                          -1, NULL));
        g_assert_cmpint(emu_drive_new("test", NULL, dir, &d, &err), ==, -EBADMSG);
        g_assert_null(d);
        g_assert_nonnull(err);
        g_assert_true(g_file_set_contents(state, "[drive]\nversion=7\n", -1, NULL));
        g_clear_pointer(&err, g_free);
        g_assert_cmpint(emu_drive_new("test", NULL, dir, &d, &err), ==, -EBADMSG);
        g_assert_cmpint(emu_drive_new("bad name!", NULL, dir, &d, NULL), ==, -EINVAL);
        remove_dir(dir);
}

static void test_temporary(void)
{
        EmuTest *e = emu_test_new();
        ScsiCommand c;

        emu_test_load(e, 0x0043);
        c = emu_none(e, CDB(0x00, 0, 0, 0, 0, 0));
        assert_good(c);
        emu_test_free(e); /* removes its directory; nothing to check but ASan and the tmp dir */
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/emu/persist/resume-cd", test_resume_cd);
        g_test_add_func("/emu/persist/resume-tray-and-overwrite", test_resume_tray_and_overwrite);
        g_test_add_func("/emu/persist/resume-not-writable", test_resume_not_writable);
        g_test_add_func("/emu/persist/corrupt-state", test_corrupt_state);
        g_test_add_func("/emu/persist/temporary", test_temporary);
        return g_test_run();
}
