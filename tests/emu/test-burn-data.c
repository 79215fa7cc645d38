/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Data and image burns through the burn engine onto every writable profile of the emulated drive, judged
 * by xorriso (-compare_r against the source tree) and by byte comparison for images; the medium state
 * afterwards through mmc_probe_media(); simulation; appended sessions. */
#include "burn-test-util.h"

typedef struct Profile {
        uint16_t number;
        const char *name;
        bool test_write;   /* Test Write exists for the medium */
        bool multisession; /* takes a second session */
} Profile;

static const Profile profiles[] = {
        {MMC_PROFILE_CD_R, "cd-r", true, true},
        {MMC_PROFILE_CD_RW, "cd-rw", true, true},
        {MMC_PROFILE_DVD_R_SEQ, "dvd-r", true, true},
        {MMC_PROFILE_DVD_RW_SEQ, "dvd-rw", true, true},
        {MMC_PROFILE_DVD_R_DL_SEQ, "dvd-r-dl", true, true},
        {MMC_PROFILE_DVD_PLUS_R, "dvd+r", false, true},
        {MMC_PROFILE_DVD_PLUS_R_DL, "dvd+r-dl", false, true},
        {MMC_PROFILE_BD_R_SRM, "bd-r", false, true},
        {MMC_PROFILE_DVD_PLUS_RW, "dvd+rw", false, false},
        {MMC_PROFILE_DVD_RAM, "dvd-ram", false, false},
        {MMC_PROFILE_BD_RE, "bd-re", false, false},
};

/* A tree burn, judged by xorriso; the medium afterwards is closed or appendable as asked. */
static void test_tree(gconstpointer data)
{
        const Profile *p = data;

        for (int close = 0; close <= 1; close++) {
                BurnTest *bt = burn_test_new();
                g_autofree char *src = burn_test_make_tree(bt, "src", 1);
                g_autoptr(MasterTree) tree = burn_test_stage(src);
                g_autofree char *img = NULL;
                BurnRequest req = burn_test_request(bt, BURN_KIND_DATA);
                MediaInfo m;

                g_test_message("%s, close-disc %d", p->name, close);
                burn_test_load(bt, p->number);
                req.tree = tree;
                req.close_disc = close;
                burn_test_run_ok(bt, &req);

                img = burn_test_fetch(bt, "disc.iso", NULL);
                burn_test_xorriso_compare(img, 0, src);
                burn_test_probe(bt, &m);
                g_assert_true(m.present);
                if (m.overwrite) {
                        g_assert_true(m.media_state & IMAPI_MEDIA_STATE_OVERWRITE_ONLY);
                        g_assert_false(m.needs_format);
                } else if (close) {
                        g_assert_true(m.closed);
                        g_assert_true(m.media_state & IMAPI_MEDIA_STATE_FINALIZED);
                        g_assert_false(m.media_flags & IMAPI_MEDIA_FLAG_WRITABLE);
                } else {
                        g_assert_true(m.appendable);
                        g_assert_false(m.closed);
                        g_assert_true(m.media_state & IMAPI_MEDIA_STATE_APPENDABLE);
                        g_assert_cmpuint(m.sessions, ==, 1);
                }
                burn_test_free(bt);
        }
}

/* An ISO made by xorriso -as mkisofs burns byte for byte. */
static void test_image(gconstpointer data)
{
        const Profile *p = data;
        BurnTest *bt = burn_test_new();
        g_autofree char *src = burn_test_make_tree(bt, "src", 2);
        g_autofree char *iso = burn_test_path(bt, "made.iso"), *disc = NULL;
        char *argv[] = {"xorriso", "-as", "mkisofs", "-quiet", "-J", "-R", "-o", iso, src, NULL};
        BurnRequest req = burn_test_request(bt, BURN_KIND_IMAGE);
        Content image = {};
        struct stat st;
        int fd;

        g_assert_cmpint(burn_test_spawn(argv, NULL), ==, 0);
        fd = open(iso, O_RDONLY | O_CLOEXEC);
        g_assert_cmpint(fstat(fd, &st), ==, 0);
        image = (Content){.fd = content_fd_new(fd),
                          .size = (uint64_t) st.st_size,
                          .mtime = st.st_mtim,
                          .verify = true};

        burn_test_load(bt, p->number);
        req.image = &image;
        req.close_disc = true;
        burn_test_run_ok(bt, &req);
        disc = burn_test_fetch(bt, "disc.iso", NULL);
        burn_test_compare_prefix(disc, iso);
        burn_test_xorriso_compare(disc, 0, src);
        content_done(&image);
        burn_test_free(bt);
}

/* Test Write: the burn runs through, the medium stays blank. Elsewhere: refused before any write. */
static void test_simulate(gconstpointer data)
{
        const Profile *p = data;
        BurnTest *bt = burn_test_new();
        g_autofree char *src = burn_test_make_tree(bt, "src", 3);
        g_autoptr(MasterTree) tree = burn_test_stage(src);
        BurnRequest req = burn_test_request(bt, BURN_KIND_DATA);
        MediaInfo m;

        burn_test_load(bt, p->number);
        req.tree = tree;
        req.simulate = true;
        if (p->test_write) {
                BurnTestResult res = burn_test_run(bt, &req);

                g_assert_cmpint(res.r, ==, 0);
                g_assert_cmpuint(res.progress.blocks_written, ==, res.progress.blocks_total);
                g_assert_cmpuint(res.emu_blocks, >=, res.progress.blocks_total);
                burn_test_result_done(&res);
                burn_test_probe(bt, &m);
                g_assert_true(m.blank);
                g_assert_true(m.media_state & IMAPI_MEDIA_STATE_BLANK);
                g_assert_cmpuint(m.free_blocks, ==, m.total_blocks);
        } else {
                g_autofree char *msg = burn_test_run_fail(bt, &req, IMAPI_ERROR_NOT_SUPPORTED);

                g_assert_nonnull(strstr(msg, "Test Write"));
        }
        /* A real burn afterwards works and verifies. */
        {
                g_autofree char *img = NULL;

                req.simulate = false;
                burn_test_run_ok(bt, &req);
                img = burn_test_fetch(bt, "disc.iso", NULL);
                burn_test_xorriso_compare(img, 0, src);
        }
        burn_test_free(bt);
}

/* A second session at the next writable address: each session holds its own tree (no import). */
static void test_append(gconstpointer data)
{
        const Profile *p = data;
        BurnTest *bt = burn_test_new();
        g_autofree char *src1 = burn_test_make_tree(bt, "src1", 4);
        g_autofree char *src2 = burn_test_make_tree(bt, "src2", 5);
        g_autoptr(MasterTree) tree1 = burn_test_stage(src1);
        g_autoptr(MasterTree) tree2 = burn_test_stage(src2);
        g_autofree char *img = NULL;
        BurnRequest req = burn_test_request(bt, BURN_KIND_DATA);
        uint32_t second;
        MediaInfo m;

        burn_test_load(bt, p->number);
        req.tree = tree1;
        burn_test_run_ok(bt, &req);
        burn_test_probe(bt, &m);
        g_assert_true(m.appendable);
        second = m.next_writable;
        g_assert_cmpuint(second, >, 0);

        req.tree = tree2;
        req.close_disc = true;
        burn_test_run_ok(bt, &req);
        burn_test_probe(bt, &m);
        g_assert_true(m.closed);
        g_assert_cmpuint(m.sessions, ==, 2);
        g_assert_cmpuint(m.start_address, ==, second);

        img = burn_test_fetch(bt, "disc.iso", NULL);
        burn_test_xorriso_compare(img, 0, src1);
        burn_test_xorriso_compare(img, second, src2);
        burn_test_free(bt);
}

static void add_per_profile(const char *kind, GTestDataFunc func, bool (*want)(const Profile *))
{
        for (size_t i = 0; i < G_N_ELEMENTS(profiles); i++) {
                g_autofree char *name = NULL;

                if (want && !want(&profiles[i]))
                        continue;
                name = g_strdup_printf("/burn/%s/%s", kind, profiles[i].name);
                g_test_add_data_func(name, &profiles[i], func);
        }
}

static bool is_multisession(const Profile *p)
{
        return p->multisession;
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        add_per_profile("tree", test_tree, NULL);
        add_per_profile("image", test_image, NULL);
        add_per_profile("simulate", test_simulate, NULL);
        add_per_profile("append", test_append, is_multisession);
        return g_test_run();
}
