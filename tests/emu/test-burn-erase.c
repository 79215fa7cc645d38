/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Erase jobs on every erasable medium of the emulated drive: BLANK (minimal and full) for CD-RW and
 * DVD-RW, FORMAT UNIT for DVD+RW, DVD-RAM and BD-RE; the medium afterwards (blank, or no file system
 * left), a burn on it that verifies, progress while the drive works, and refusal elsewhere. */
#include "burn-test-util.h"

static void burn_tree(BurnTest *bt, const char *name, guint32 salt, bool close)
{
        uint32_t session = 0;
        MediaInfo m;

        g_autofree char *src = burn_test_make_tree(bt, name, salt), *img = NULL;
        g_autoptr(MasterTree) tree = burn_test_stage(src);
        BurnRequest req = burn_test_request(bt, BURN_KIND_DATA);

        burn_test_probe(bt, &m);
        if (m.appendable)
                session = m.next_writable;
        req.tree = tree;
        req.close_disc = close;
        burn_test_run_ok(bt, &req);
        img = burn_test_fetch(bt, "disc.iso", NULL);
        burn_test_xorriso_compare(img, session, src);
        burn_test_rm_rf(src);
}

static void erase(BurnTest *bt, bool full)
{
        BurnRequest req = burn_test_request(bt, BURN_KIND_ERASE);
        BurnTestResult res;

        req.erase_full = full;
        res = burn_test_run(bt, &req);
        g_assert_cmpint(res.r, ==, 0);
        g_assert_true(res.progress.erase_progress_valid);
        g_assert_cmpuint(res.progress.erase_done, ==, 65536);
        burn_test_result_done(&res);
}

/* No ISO 9660 volume left at the start of the disc (xorriso finds none). */
static void assert_no_volume(BurnTest *bt)
{
        g_autofree char *img = burn_test_fetch(bt, "erased.iso", NULL), *out = NULL;
        char *argv[] = {"xorriso", "-abort_on", "NEVER", "-indev", img, "-toc", NULL};
        g_autofree char *data = NULL;
        gsize len = 0;

        g_assert_true(g_file_get_contents(img, &data, &len, NULL));
        for (gsize i = 0; i < MIN(len, (gsize) 288 * 2048); i++)
                if (data[i] != 0)
                        g_error("byte %zu of the erased disc is not zero", i);
        (void) burn_test_spawn(argv, &out);
        g_assert_null(strstr(out, "ISO session"));
}

/* CD-RW and DVD-RW: closed or appendable, erased minimally or fully, blank again, writable again. */
static void test_blank(gconstpointer data)
{
        uint16_t profile = GPOINTER_TO_UINT(data);

        for (int full = 0; full <= 1; full++) {
                BurnTest *bt = burn_test_new();
                MediaInfo m;

                burn_test_load(bt, profile);
                burn_tree(bt, "src", 1, true);
                burn_test_probe(bt, &m);
                g_assert_true(m.closed);
                g_assert_true(m.media_state & IMAPI_MEDIA_STATE_ERASE_REQUIRED);
                erase(bt, full);
                burn_test_probe(bt, &m);
                g_assert_true(m.blank);
                g_assert_true(m.media_state & IMAPI_MEDIA_STATE_BLANK);
                g_assert_cmpuint(m.free_blocks, ==, m.total_blocks);
                if (profile == MMC_PROFILE_DVD_RW_SEQ) /* a minimal blank leaves a DAO-only DVD-RW */
                        g_assert_cmpuint(!!(m.media_state & IMAPI_MEDIA_STATE_FINAL_SESSION), ==, !full);
                /* Writable again; a DAO-only DVD-RW takes one closed session. */
                burn_tree(bt, "src2", 2, false);
                burn_test_probe(bt, &m);
                if (profile == MMC_PROFILE_DVD_RW_SEQ && !full)
                        g_assert_true(m.closed);
                else
                        g_assert_true(m.appendable);
                burn_test_free(bt);
        }
}

/* DVD-RW in restricted overwrite (after FORMAT UNIT): written from LBA 0 in ECC blocks, blanked back to
 * sequential recording. */
static void test_dvd_rw_restricted_overwrite(void)
{
        BurnTest *bt = burn_test_new();
        MmcFormatRequest f;
        MediaInfo m;

        burn_test_load(bt, MMC_PROFILE_DVD_RW_SEQ);
        burn_test_probe(bt, &m);
        /* The probe reads the format capacities of overwrite media only. */
        g_assert_cmpint(mmc_read_format_capacities(bt->t, &m.formats), ==, 0);
        m.formats_valid = true;
        g_assert_cmpint(mmc_format_request_for_medium(&m, &f), ==, 0);
        g_assert_cmpint(mmc_format_unit(bt->t, &f, 0, NULL, NULL), ==, 0);
        burn_test_probe(bt, &m);
        g_assert_cmphex(m.profile, ==, MMC_PROFILE_DVD_RW_RO);
        burn_tree(bt, "src", 3, false);
        erase(bt, false);
        burn_test_probe(bt, &m);
        g_assert_cmphex(m.profile, ==, MMC_PROFILE_DVD_RW_SEQ);
        g_assert_true(m.blank);
        burn_test_free(bt);
}

/* Overwrite media: an unformatted disc is formatted by the erase; a written one loses its file system. */
static void test_format(gconstpointer data)
{
        uint16_t profile = GPOINTER_TO_UINT(data);

        for (int full = 0; full <= 1; full++) {
                BurnTest *bt = burn_test_new();
                MediaInfo m;

                burn_test_load(bt, profile);
                erase(bt, full);
                burn_test_probe(bt, &m);
                g_assert_false(m.needs_format);
                burn_tree(bt, "src", 4, false);
                erase(bt, full);
                burn_test_probe(bt, &m);
                g_assert_false(m.needs_format);
                g_assert_true(m.media_state & IMAPI_MEDIA_STATE_OVERWRITE_ONLY);
                assert_no_volume(bt);
                burn_tree(bt, "src2", 5, false);
                burn_test_free(bt);
        }
}

static void test_not_erasable(gconstpointer data)
{
        uint16_t profile = GPOINTER_TO_UINT(data);
        BurnTest *bt = burn_test_new();
        BurnRequest req = burn_test_request(bt, BURN_KIND_ERASE);
        g_autofree char *msg = NULL;

        burn_test_load(bt, profile);
        burn_tree(bt, "src", 6, false);
        msg = burn_test_run_fail(bt, &req, IMAPI_ERROR_ERASE_MEDIA_IS_NOT_ERASABLE);
        g_assert_nonnull(strstr(msg, profile_to_name(profile)));
        burn_tree(bt, "src2", 7, true); /* untouched: still appendable */
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

/* A full blank that takes the drive 600 ms: the action is "erasing" and the progress grows. */
static void test_progress(void)
{
        BurnTest *bt = burn_test_new();
        BurnRequest req = burn_test_request(bt, BURN_KIND_ERASE);
        g_autoptr(BurnJob) job = NULL;
        uint32_t last = 0, n_between = 0;
        Watch w = {};
        GThread *thread;
        BurnProgress p;

        burn_test_load(bt, MMC_PROFILE_CD_RW);
        g_assert_cmpint(emu_drive_set_faults(bt->drive, "erase-time=600", NULL), ==, 0);
        req.erase_full = true;
        g_assert_cmpint(burn_job_new(&req, &job), ==, 0);
        w.job = job;
        thread = g_thread_new("erase", run_thread, &w);
        while (!g_atomic_int_get(&w.done)) {
                burn_job_get_progress(job, &p);
                if (p.erase_progress_valid) {
                        g_assert_cmpuint(p.erase_done, >=, last);
                        last = p.erase_done;
                        if (p.action == BURN_ACTION_ERASING && p.erase_done > 0 && p.erase_done < 65536)
                                n_between++;
                }
                g_usleep(10000);
        }
        g_thread_join(thread);
        g_assert_cmpint(w.r, ==, 0);
        g_assert_cmpuint(n_between, >, 0);
        burn_test_free(bt);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        g_test_add_data_func("/erase/blank/cd-rw", GUINT_TO_POINTER(MMC_PROFILE_CD_RW), test_blank);
        g_test_add_data_func("/erase/blank/dvd-rw", GUINT_TO_POINTER(MMC_PROFILE_DVD_RW_SEQ), test_blank);
        g_test_add_func("/erase/blank/dvd-rw-restricted-overwrite", test_dvd_rw_restricted_overwrite);
        g_test_add_data_func("/erase/format/dvd+rw", GUINT_TO_POINTER(MMC_PROFILE_DVD_PLUS_RW), test_format);
        g_test_add_data_func("/erase/format/dvd-ram", GUINT_TO_POINTER(MMC_PROFILE_DVD_RAM), test_format);
        g_test_add_data_func("/erase/format/bd-re", GUINT_TO_POINTER(MMC_PROFILE_BD_RE), test_format);
        g_test_add_data_func("/erase/not-erasable/cd-r", GUINT_TO_POINTER(MMC_PROFILE_CD_R),
                             test_not_erasable);
        g_test_add_data_func("/erase/not-erasable/dvd+r", GUINT_TO_POINTER(MMC_PROFILE_DVD_PLUS_R),
                             test_not_erasable);
        g_test_add_data_func("/erase/not-erasable/bd-r", GUINT_TO_POINTER(MMC_PROFILE_BD_R_SRM),
                             test_not_erasable);
        g_test_add_func("/erase/progress", test_progress);
        return g_test_run();
}
