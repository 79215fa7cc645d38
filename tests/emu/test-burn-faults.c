/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every way a burn can fail, each with its named error and message, and a recorder that works afterwards:
 * refusals before any write (no medium, full, closed, wrong medium, image on a used disc, boot image on an
 * appendable disc), cancellation mid-burn, the medium removed, a write error at an LBA, a buffer underrun
 * without BUFE (and a pause with it), the device gone, a source file that changed; plus progress while a
 * burn runs and eject after success. */
#include <pthread.h>

#include "burn-test-util.h"

/* The nominal duration: 75 sectors/s per x on CD, else 2048-byte blocks at x times 1385 / 4496 kB/s. */
static uint64_t burn_duration_usec_for_test(MediumClass c, uint32_t x, uint64_t blocks)
{
        if (c == MEDIUM_CLASS_CD)
                return blocks * 1000000 / (75ull * x);
        return blocks * 2048 * 1000 / speed_x_to_kbps(c, x);
}

/* A fresh blank disc in the same drive burns and verifies: the drive was left usable (tray unlocked,
 * no Test Write or half-written state in the way). */
static void assert_recorder_usable(BurnTest *bt, uint16_t profile)
{
        g_autofree char *src = burn_test_make_tree(bt, "again", 99);
        g_autoptr(MasterTree) tree = burn_test_stage(src);
        g_autofree char *img = NULL;
        BurnRequest req = burn_test_request(bt, BURN_KIND_DATA);

        g_assert_cmpint(emu_drive_set_faults(bt->drive, "", NULL), ==, 0);
        burn_test_load(bt, profile); /* fails with -EBUSY if the tray were still locked */
        req.tree = tree;
        burn_test_run_ok(bt, &req);
        img = burn_test_fetch(bt, "again.iso", NULL);
        burn_test_xorriso_compare(img, 0, src);
        burn_test_rm_rf(src);
}

static BurnRequest tree_request(BurnTest *bt, const char *name, guint32 salt, MasterTree **ret_tree,
                                char **ret_src)
{
        BurnRequest req = burn_test_request(bt, BURN_KIND_DATA);

        *ret_src = burn_test_make_tree(bt, name, salt);
        *ret_tree = burn_test_stage(*ret_src);
        req.tree = *ret_tree;
        return req;
}

static void test_no_medium(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL, *msg = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 1, &tree, &src);

        msg = burn_test_run_fail(bt, &req, IMAPI_ERROR_MEDIUM_NOT_PRESENT);
        assert_recorder_usable(bt, MMC_PROFILE_CD_R);
        burn_test_free(bt);
}

/* Content larger than the free space: DiscFull before a single block is written. */
static void test_disc_full(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = burn_test_make_tree(bt, "src", 2);
        g_autofree char *huge = g_build_filename(src, "huge.bin", NULL), *msg = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = burn_test_request(bt, BURN_KIND_DATA);
        BurnTestResult res;
        MediaInfo m;
        int fd;

        fd = open(huge, O_WRONLY | O_CREAT | O_CLOEXEC, 0644); /* sparse: 800 MB of nothing */
        g_assert_cmpint(ftruncate(fd, 800 * 1000 * 1000), ==, 0);
        close(fd);
        tree = burn_test_stage(src);
        req.tree = tree;
        burn_test_load(bt, MMC_PROFILE_CD_R);

        res = burn_test_run(bt, &req);
        g_assert_cmpint(res.r, ==, -IMAPI_ERROR_DISC_FULL);
        g_assert_cmpuint(res.emu_blocks, ==, 0);
        g_assert_cmpuint(res.progress.blocks_written, ==, 0);
        g_assert_nonnull(strstr(res.message, "free"));
        burn_test_result_done(&res);
        burn_test_probe(bt, &m);
        g_assert_true(m.blank);
        assert_recorder_usable(bt, MMC_PROFILE_CD_R);
        burn_test_free(bt);
}

static void test_closed_disc(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL, *msg = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 3, &tree, &src);
        BurnTestResult res;

        burn_test_load(bt, MMC_PROFILE_DVD_PLUS_R);
        req.close_disc = true;
        burn_test_run_ok(bt, &req);
        res = burn_test_run(bt, &req);
        g_assert_cmpint(res.r, ==, -IMAPI_ERROR_MEDIUM_CLOSED);
        g_assert_cmpuint(res.emu_blocks, ==, 0);
        burn_test_result_done(&res);
        assert_recorder_usable(bt, MMC_PROFILE_DVD_PLUS_R);
        burn_test_free(bt);
}

/* A medium this drive cannot write (a DriveInfo without DVD+R, as a CD/DVD-R-only drive would have). */
static void test_medium_not_writable(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL, *msg = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 4, &tree, &src);
        DriveInfo limited = bt->info;
        size_t n = 0;

        for (size_t i = 0; i < bt->info.n_writable_profiles; i++)
                if (bt->info.writable_profiles[i] != MMC_PROFILE_DVD_PLUS_R)
                        limited.writable_profiles[n++] = bt->info.writable_profiles[i];
        limited.n_writable_profiles = n;
        limited.features.dvd_plus_r = false;
        burn_test_load(bt, MMC_PROFILE_DVD_PLUS_R);
        req.drive = &limited;
        msg = burn_test_run_fail(bt, &req, IMAPI_ERROR_MEDIUM_INVALID_TYPE);
        g_assert_nonnull(strstr(msg, "dvd+r"));
        burn_test_free(bt);
}

/* An image is laid out for LBA 0: refused on a used sequential disc, taken at 0 by overwrite media. */
static void test_image_on_used_disc(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL, *msg = NULL, *iso = burn_test_path(bt, "made.iso"), *disc = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 5, &tree, &src);
        BurnRequest ireq = burn_test_request(bt, BURN_KIND_IMAGE);
        char *argv[] = {"xorriso", "-as", "mkisofs", "-quiet", "-R", "-o", iso, src, NULL};
        Content image;
        struct stat st;
        int fd;

        g_assert_cmpint(burn_test_spawn(argv, NULL), ==, 0);
        fd = open(iso, O_RDONLY | O_CLOEXEC);
        g_assert_cmpint(fstat(fd, &st), ==, 0);
        image = (Content){.fd = content_fd_new(fd), .size = (uint64_t) st.st_size, .mtime = st.st_mtim};
        ireq.image = &image;

        burn_test_load(bt, MMC_PROFILE_CD_R);
        burn_test_run_ok(bt, &req); /* appendable now */
        msg = burn_test_run_fail(bt, &ireq, IMAPI_ERROR_MEDIUM_NOT_BLANK);
        g_assert_nonnull(strstr(msg, "blank"));

        burn_test_load(bt, MMC_PROFILE_BD_RE);
        burn_test_run_ok(bt, &req);
        burn_test_run_ok(bt, &ireq);
        disc = burn_test_fetch(bt, "disc.iso", NULL);
        burn_test_compare_prefix(disc, iso);
        content_done(&image);
        burn_test_free(bt);
}

/* El Torito only in the first session (master_image_new's rule, checked before anything is written). */
static void test_boot_image_appendable(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL, *src2 = NULL, *msg = NULL;
        g_autoptr(MasterTree) tree = NULL, tree2 = NULL;
        BurnRequest req = tree_request(bt, "src", 6, &tree, &src);
        BurnRequest req2 = tree_request(bt, "src2", 7, &tree2, &src2);
        g_autofree char *boot = burn_test_path(bt, "boot.img");
        MasterBoot b = {.platform = MASTER_BOOT_PLATFORM_X86, .emulation = MASTER_BOOT_EMULATION_NONE};
        BurnTestResult res;
        Content image;
        int fd;

        write_random_file(boot, 4096, 7);
        fd = open(boot, O_RDONLY | O_CLOEXEC);
        image = (Content){.fd = content_fd_new(fd), .size = 4096};
        b.image = &image;
        g_assert_cmpint(master_tree_set_boot(tree2, &b, NULL), ==, 0);
        content_done(&image);

        burn_test_load(bt, MMC_PROFILE_DVD_PLUS_R);
        burn_test_run_ok(bt, &req);
        res = burn_test_run(bt, &req2);
        g_assert_cmpint(res.r, ==, -IMAPI_ERROR_BOOT_IMAGE_AND_NONBLANK_DISC);
        g_assert_cmpuint(res.emu_blocks, ==, 0);
        burn_test_result_done(&res);
        /* On a blank disc the same tree burns. */
        burn_test_load(bt, MMC_PROFILE_DVD_PLUS_R);
        burn_test_run_ok(bt, &req2);
        burn_test_free(bt);
}

typedef struct Hook {
        BurnJob *job;
        uint64_t at;       /* act once blocks_written reaches this */
        unsigned sleep_ms; /* stall instead of cancelling */
        bool fired;
} Hook;

static void on_write(BurnJob *job, uint64_t written, void *userdata)
{
        Hook *h = userdata;

        if (h->fired || written < h->at)
                return;
        h->fired = true;
        if (h->sleep_ms > 0)
                g_usleep(h->sleep_ms * 1000ul);
        else
                burn_job_cancel(job);
}

/* Cancel mid-burn: UserAbort, part of the data written, the session closed so the disc stays appendable
 * (where the medium allows) and the drive usable. */
static void test_cancel(gconstpointer data)
{
        uint16_t profile = GPOINTER_TO_UINT(data);
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 8, &tree, &src);
        Hook h = {.at = 200};
        BurnTestResult res;
        MediaInfo m;

        burn_test_load(bt, profile);
        req.write_hook = on_write;
        req.write_hook_userdata = &h;
        req.close_disc = true; /* cancelling must not finalize */
        res = burn_test_run(bt, &req);
        g_assert_cmpint(res.r, ==, -IMAPI_ERROR_USER_ABORT);
        g_assert_true(h.fired);
        g_assert_cmpuint(res.emu_blocks, >=, 200);
        g_assert_cmpuint(res.progress.blocks_written, <, res.progress.blocks_total);
        g_assert_nonnull(strstr(res.message, "cancelled"));
        burn_test_result_done(&res);

        burn_test_probe(bt, &m);
        g_assert_true(m.present);
        if (!m.overwrite) {
                g_assert_true(m.appendable);
                g_assert_false(m.closed);
                /* Another session goes on the same disc. */
                req.write_hook = NULL;
                burn_test_run_ok(bt, &req);
        }
        assert_recorder_usable(bt, profile);
        burn_test_free(bt);
}

typedef struct FaultCase {
        const char *spec;
        int error;
        const char *message; /* a part of the message */
} FaultCase;

static const FaultCase fault_cases[] = {
        {"remove@lba=600", IMAPI_ERROR_MEDIUM_NOT_PRESENT, "removed while writing at LBA"},
        {"sense@lba=600:3/0C/00", IMAPI_ERROR_MEDIUM_ERROR, "Write error at LBA 600"},
        {"sense@lba=600:3/0C/09", IMAPI_ERROR_LOSS_OF_STREAMING, "LBA 600"},
        {"write-protect", IMAPI_ERROR_RECORDER_MEDIA_WRITE_PROTECTED, "write-protected (WRITE at LBA 0"},
};

static void test_fault(gconstpointer data)
{
        const FaultCase *f = data;

        for (size_t i = 0; i < 2; i++) {
                uint16_t profile = i == 0 ? MMC_PROFILE_CD_R : MMC_PROFILE_BD_R_SRM;
                BurnTest *bt = burn_test_new();
                g_autofree char *src = NULL, *msg = NULL;
                g_autoptr(MasterTree) tree = NULL;
                BurnRequest req = tree_request(bt, "src", 9, &tree, &src);

                burn_test_load(bt, profile);
                g_assert_cmpint(emu_drive_set_faults(bt->drive, f->spec, NULL), ==, 0);
                msg = burn_test_run_fail(bt, &req, f->error);
                if (!strstr(msg, f->message))
                        g_error("message '%s' lacks '%s'", msg, f->message);
                assert_recorder_usable(bt, profile);
                burn_test_free(bt);
        }
}

/* The drive goes away mid-write: DeviceNotPresent, and the job ends (no hang on a dead drive). */
static void test_device_gone(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL, *msg = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 10, &tree, &src);

        burn_test_load(bt, MMC_PROFILE_DVD_R_SEQ);
        g_assert_cmpint(emu_drive_set_faults(bt->drive, "gone@lba=600", NULL), ==, 0);
        msg = burn_test_run_fail(bt, &req, IMAPI_ERROR_DEVICE_NOT_PRESENT);
        g_assert_nonnull(strstr(msg, "disappeared"));
        /* Gone before the job starts. */
        g_free(msg);
        msg = burn_test_run_fail(bt, &req, IMAPI_ERROR_DEVICE_NOT_PRESENT);
        burn_test_free(bt);
}

/* A throttled CD at 8x with a 256 KiB buffer (a third of a second of data) and a source that stalls for
 * 1.5 s: without BUFE the buffer runs dry (LossOfStreaming); with BUFE the drive pauses and the disc
 * verifies. The stall is five times the buffer's time, so a busy machine only makes it longer. */
static void test_underrun(gconstpointer data)
{
        bool bufe = GPOINTER_TO_UINT(data);
        BurnTestDrive d = {.speed = 8, .buffer_size = 256 * 1024};
        BurnTest *bt = burn_test_new_full(&d);
        g_autofree char *src = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 11, &tree, &src);
        Hook h = {.at = 300, .sleep_ms = 1500};
        EmuDriveStats stats;
        BurnTestResult res;

        burn_test_load(bt, MMC_PROFILE_CD_R);
        req.write_hook = on_write;
        req.write_hook_userdata = &h;
        req.enable_bufe = bufe ? 1 : 0;
        emu_drive_reset_stats(bt->drive);
        res = burn_test_run(bt, &req);
        emu_drive_get_stats(bt->drive, &stats);
        if (bufe) {
                g_autofree char *img = NULL;

                g_assert_cmpint(res.r, ==, 0);
                g_assert_true(h.fired);
                g_assert_cmpuint(stats.bufe_pauses, >=, 1);
                g_assert_cmpuint(stats.underruns, ==, 0);
                img = burn_test_fetch(bt, "disc.iso", NULL);
                burn_test_xorriso_compare(img, 0, src);
        } else { /* (a machine busy enough to starve the drive before the stall fails the same way) */
                g_assert_cmpint(res.r, ==, -IMAPI_ERROR_LOSS_OF_STREAMING);
                g_assert_cmpuint(stats.underruns, >=, 1);
                g_assert_nonnull(strstr(res.message, "underrun"));
        }
        burn_test_result_done(&res);
        emu_drive_set_speed(bt->drive, 0);
        assert_recorder_usable(bt, MMC_PROFILE_CD_R);
        burn_test_free(bt);
}

/* A staged file changes before the burn reads it: DataStreamInconsistency, never a silent short file. */
static void test_source_changed(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL, *msg = NULL, *big = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 12, &tree, &src);

        big = g_build_filename(src, "big.bin", NULL);
        g_assert_cmpint(truncate(big, 1000), ==, 0); /* the staged fd's file is shorter now */
        burn_test_load(bt, MMC_PROFILE_DVD_PLUS_R);
        msg = burn_test_run_fail(bt, &req, IMAPI_ERROR_DATA_STREAM_INCONSISTENCY);
        assert_recorder_usable(bt, MMC_PROFILE_DVD_PLUS_R);
        burn_test_free(bt);
}

typedef struct Watch {
        BurnJob *job;
        int r;
        gint done;
} Watch;

static gpointer run_thread(gpointer data)
{
        Watch *w = data;

        w->r = burn_job_run(w->job, NULL);
        g_atomic_int_set(&w->done, 1);
        return NULL;
}

/* Progress seen from another thread while a throttled burn runs: monotonic, within the total, tracks
 * 1 of 1, actions preparing → writing → closing, an estimate; the last value is the total. */
static void test_progress(void)
{
        BurnTestDrive d = {.speed = 24, .buffer_size = 256 * 1024};
        BurnTest *bt = burn_test_new_full(&d);
        g_autofree char *src = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 13, &tree, &src);
        g_autoptr(BurnJob) job = NULL;
        bool seen[_BURN_ACTION_MAX] = {};
        uint64_t last = 0;
        Watch w = {};
        GThread *thread;
        BurnProgress p;

        burn_test_load(bt, MMC_PROFILE_CD_R);
        g_assert_cmpint(burn_job_new(&req, &job), ==, 0);
        w.job = job;
        thread = g_thread_new("burn", run_thread, &w);
        while (!g_atomic_int_get(&w.done)) {
                burn_job_get_progress(job, &p);
                seen[p.action] = true;
                g_assert_cmpuint(p.blocks_written, >=, last);
                g_assert_cmpuint(p.blocks_written, <=, p.blocks_total);
                last = p.blocks_written;
                if (p.action == BURN_ACTION_WRITING) {
                        g_assert_cmpuint(p.track, ==, 1);
                        g_assert_cmpuint(p.n_tracks, ==, 1);
                        g_assert_cmpuint(p.estimated_usec, >, 0);
                }
                g_usleep(5000);
        }
        g_thread_join(thread);
        g_assert_cmpint(w.r, ==, 0);
        burn_job_get_progress(job, &p);
        g_assert_cmpuint(p.blocks_written, ==, p.blocks_total);
        g_assert_cmpuint(p.blocks_total, ==, master_tree_used_blocks(tree));
        g_assert_true(seen[BURN_ACTION_WRITING]);
        burn_test_free(bt);
}

typedef struct SpeedHook {
        uint64_t estimate_at_start;
        bool seen;
} SpeedHook;

static void on_first_write(BurnJob *job, uint64_t written, void *userdata)
{
        SpeedHook *h = userdata;
        BurnProgress p;

        if (h->seen)
                return;
        h->seen = true;
        burn_job_get_progress(job, &p);
        h->estimate_at_start = p.estimated_usec;
}

/* WriteSpeed reaches the drive (SET CD SPEED / SET STREAMING): page 2Ah reports it afterwards, and the
 * estimate before the first WRITE is the session's size at that speed. */
static void test_write_speed(gconstpointer data)
{
        uint16_t profile = GPOINTER_TO_UINT(data);
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 15, &tree, &src);
        SpeedHook h = {};
        MmcCapabilities caps;
        MediaInfo m;
        uint32_t x = 0;
        uint64_t blocks = master_tree_used_blocks(tree);

        burn_test_load(bt, profile);
        burn_test_probe(bt, &m);
        g_assert_cmpuint(m.n_write_speeds, >=, 1);
        x = m.write_speeds[m.n_write_speeds - 1].x; /* the slowest the medium offers */
        req.write_speed = x;
        req.write_hook = on_first_write;
        req.write_hook_userdata = &h;
        burn_test_run_ok(bt, &req);
        g_assert_cmpint(mmc_read_capabilities(bt->t, &caps), ==, 0);
        g_assert_cmpuint(speed_kbps_to_x(m.medium_class, caps.current_write_kbps), ==, x);
        g_assert_true(h.seen);
        g_assert_cmpuint(h.estimate_at_start, ==, burn_duration_usec_for_test(m.medium_class, x, blocks));
        burn_test_free(bt);
}

static void test_eject_after(void)
{
        BurnTest *bt = burn_test_new();
        g_autofree char *src = NULL;
        g_autoptr(MasterTree) tree = NULL;
        BurnRequest req = tree_request(bt, "src", 14, &tree, &src);
        MediaInfo m;

        burn_test_load(bt, MMC_PROFILE_BD_R_SRM);
        req.eject_after = true;
        burn_test_run_ok(bt, &req);
        burn_test_probe(bt, &m);
        g_assert_false(m.present);
        burn_test_free(bt);
}

int main(int argc, char *argv[])
{
        static const uint16_t cancel_profiles[] = {MMC_PROFILE_CD_R, MMC_PROFILE_DVD_R_SEQ,
                                                   MMC_PROFILE_DVD_PLUS_R, MMC_PROFILE_BD_R_SRM,
                                                   MMC_PROFILE_BD_RE};

        g_test_init(&argc, &argv, NULL);
        g_test_add_func("/burn/fail/no-medium", test_no_medium);
        g_test_add_func("/burn/fail/disc-full", test_disc_full);
        g_test_add_func("/burn/fail/closed-disc", test_closed_disc);
        g_test_add_func("/burn/fail/medium-not-writable", test_medium_not_writable);
        g_test_add_func("/burn/fail/image-on-used-disc", test_image_on_used_disc);
        g_test_add_func("/burn/fail/boot-image-appendable", test_boot_image_appendable);
        for (size_t i = 0; i < G_N_ELEMENTS(cancel_profiles); i++) {
                g_autofree char *name =
                        g_strdup_printf("/burn/fail/cancel/%s", profile_to_name(cancel_profiles[i]));
                g_test_add_data_func(name, GUINT_TO_POINTER(cancel_profiles[i]), test_cancel);
        }
        g_test_add_data_func("/burn/fail/fault/removed", &fault_cases[0], test_fault);
        g_test_add_data_func("/burn/fail/fault/write-error", &fault_cases[1], test_fault);
        g_test_add_data_func("/burn/fail/fault/loss-of-streaming-sense", &fault_cases[2], test_fault);
        g_test_add_data_func("/burn/fail/fault/write-protected", &fault_cases[3], test_fault);
        g_test_add_func("/burn/fail/device-gone", test_device_gone);
        g_test_add_data_func("/burn/fail/underrun-without-bufe", GUINT_TO_POINTER(0), test_underrun);
        g_test_add_data_func("/burn/fail/underrun-with-bufe", GUINT_TO_POINTER(1), test_underrun);
        g_test_add_func("/burn/fail/source-changed", test_source_changed);
        g_test_add_func("/burn/progress", test_progress);
        g_test_add_func("/burn/eject-after", test_eject_after);
        g_test_add_data_func("/burn/write-speed/cd-r", GUINT_TO_POINTER(MMC_PROFILE_CD_R), test_write_speed);
        g_test_add_data_func("/burn/write-speed/dvd+r", GUINT_TO_POINTER(MMC_PROFILE_DVD_PLUS_R),
                             test_write_speed);
        g_test_add_data_func("/burn/write-speed/bd-re", GUINT_TO_POINTER(MMC_PROFILE_BD_RE),
                             test_write_speed);
        return g_test_run();
}
