/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the engine-level burn tests: an emulated drive, generated source trees staged into a
 * MasterTree, running a BurnJob, fetching the disc, and the judges we did not write (xorriso). */
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "burn-job.h"
#include "emu-drive.h"
#include "imapi-error.h"
#include "master-image.h"
#include "master-tree.h"
#include "mmc.h"

#define TEST_VOLUME_TIME 1700000000

typedef struct BurnTest {
        EmuDrive *drive;
        Transport *t;
        DriveInfo info;
        char *dir; /* a private work directory, removed at the end */
} BurnTest;

typedef struct BurnTestDrive {
        unsigned speed;     /* 0: unthrottled */
        size_t buffer_size; /* 0: the default */
        bool no_bufe;       /* a drive without buffer underrun protection */
} BurnTestDrive;

static inline void burn_test_policy(void)
{
        MmcRetryPolicy p = {
                .ready_budget_ms = 5000, .initial_delay_ms = 1, .max_delay_ms = 20, .attention_retries = 4};

        mmc_set_retry_policy(&p);
        mmc_set_poll_interval_ms(2);
}

static inline BurnTest *burn_test_new_full(const BurnTestDrive *d)
{
        BurnTest *bt = g_new0(BurnTest, 1);
        g_autofree char *err = NULL;
        EmuDriveConfig cfg;

        burn_test_policy();
        emu_drive_config_init(&cfg);
        if (d) {
                cfg.speed = d->speed;
                cfg.buffer_size = d->buffer_size;
                cfg.bufe_capable = !d->no_bufe;
        }
        g_assert_cmpint(emu_drive_new("burn", &cfg, NULL, &bt->drive, &err), ==, 0);
        bt->t = emu_drive_new_transport(bt->drive);
        g_assert_cmpint(mmc_probe_drive(bt->t, &bt->info), ==, 0);
        bt->dir = g_dir_make_tmp("burn-test-XXXXXX", NULL);
        g_assert_nonnull(bt->dir);
        return bt;
}

static inline BurnTest *burn_test_new(void)
{
        return burn_test_new_full(NULL);
}

static inline void burn_test_rm_rf(const char *path)
{
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", path);

        g_assert_cmpint(system(cmd), ==, 0);
}

static inline void burn_test_free(BurnTest *bt)
{
        transport_free(bt->t);
        emu_drive_unref(bt->drive);
        burn_test_rm_rf(bt->dir);
        g_free(bt->dir);
        g_free(bt);
}

static inline char *burn_test_path(BurnTest *bt, const char *name)
{
        return g_build_filename(bt->dir, name, NULL);
}

static inline void burn_test_load(BurnTest *bt, uint16_t profile)
{
        g_assert_cmpint(emu_drive_load_medium(bt->drive, profile), ==, 0);
}

static inline void burn_test_probe(BurnTest *bt, MediaInfo *m)
{
        g_assert_cmpint(mmc_probe_media(bt->t, &bt->info, m), ==, 0);
}

/* ---- Source trees ---- */

static inline void write_random_file(const char *path, size_t size, guint32 seed)
{
        g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
        g_autofree uint8_t *buf = g_malloc(size ? size : 1);

        for (size_t i = 0; i < size; i++)
                buf[i] = (uint8_t) g_rand_int(rand);
        g_assert_true(g_file_set_contents(path, (const char *) buf, (gssize) size, NULL));
}

/* A small tree with the shapes that matter: empty and block-edge files, nesting, a symlink, a
 * non-ASCII name, and enough data (~1.6 MB) for a WRITE to fail in the middle. 'salt' varies contents. */
static inline char *burn_test_make_tree(BurnTest *bt, const char *name, guint32 salt)
{
        char *src = burn_test_path(bt, name);
        static const struct {
                const char *path;
                size_t size;
        } files[] = {
                {"a.txt", 17},
                {"empty", 0},
                {"dir1/block.bin", 2048},
                {"dir1/sub/edge.bin", 2049},
                {"dir1/sub/deeper/mid.bin", 300000},
                {"big.bin", 1300000},
                {"\xc3\x9c"
                 "n\xc3\xaf"
                 "code name.txt",
                 4000},
        };

        for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
                g_autofree char *p = g_build_filename(src, files[i].path, NULL);
                g_autofree char *dir = g_path_get_dirname(p);

                g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
                write_random_file(p, files[i].size, salt * 131u + (guint32) i);
        }
        {
                g_autofree char *l = g_build_filename(src, "link", NULL);
                g_assert_cmpint(symlink("a.txt", l), ==, 0);
        }
        return src;
}

static inline void stage_dir(MasterTree *t, int dir_fd, const char *prefix)
{
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        int fd = dup(dir_fd);
        DIR *d = fdopendir(fd);
        struct dirent *de;

        g_assert_nonnull(d);
        while ((de = readdir(d)))
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        g_ptr_array_add(names, g_strdup(de->d_name));
        closedir(d);

        for (guint i = 0; i < names->len; i++) {
                const char *name = names->pdata[i];
                g_autofree char *path = *prefix ? g_strconcat(prefix, "/", name, NULL) : g_strdup(name);
                g_autofree char *target = NULL, *err = NULL;
                MasterEntry e = {};
                Content c = {};
                struct stat st;

                g_assert_cmpint(fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW), ==, 0);
                e.attr = (MasterAttributes){.mode = st.st_mode & 07777,
                                            .uid = st.st_uid,
                                            .gid = st.st_gid,
                                            .atime = st.st_atim,
                                            .mtime = st.st_mtim,
                                            .ctime = st.st_ctim};
                if (S_ISDIR(st.st_mode)) {
                        e.type = MASTER_ENTRY_DIRECTORY;
                } else if (S_ISLNK(st.st_mode)) {
                        char buf[4096];
                        ssize_t n = readlinkat(dir_fd, name, buf, sizeof(buf) - 1);

                        g_assert_cmpint(n, >, 0);
                        target = g_strndup(buf, (gsize) n);
                        e.type = MASTER_ENTRY_SYMLINK;
                        e.symlink_target = target;
                } else {
                        int ffd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC);

                        g_assert_cmpint(ffd, >=, 0);
                        c = (Content){.fd = st.st_size > 0 ? content_fd_new(ffd) : NULL,
                                      .size = (uint64_t) st.st_size,
                                      .mtime = st.st_mtim,
                                      .verify = true};
                        if (st.st_size == 0)
                                close(ffd);
                        e.type = MASTER_ENTRY_FILE;
                        e.content = &c;
                }
                g_assert_cmpint(master_tree_add(t, path, &e, 0, &err), ==, 0);
                content_done(&c);
                if (S_ISDIR(st.st_mode)) {
                        int sub = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                        g_assert_cmpint(sub, >=, 0);
                        stage_dir(t, sub, path);
                        close(sub);
                }
        }
}

/* Stages the local directory 'src' the way AddData would (one fd per file), the root with src's
 * attributes. */
static inline MasterTree *burn_test_stage(const char *src)
{
        MasterTree *t = master_tree_new(&MASTER_LIMITS_DEFAULT);
        int fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct stat st;
        MasterAttributes root;

        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(fstat(fd, &st), ==, 0);
        root = (MasterAttributes){.mode = st.st_mode & 07777,
                                  .uid = st.st_uid,
                                  .gid = st.st_gid,
                                  .atime = st.st_atim,
                                  .mtime = st.st_mtim,
                                  .ctime = st.st_ctim};
        g_assert_cmpint(master_tree_set_root_attributes(t, &root), ==, 0);
        g_assert_cmpint(master_tree_set_volume_time(t, TEST_VOLUME_TIME), ==, 0);
        g_assert_cmpint(master_tree_set_keep_owner(t, true), ==, 0);
        stage_dir(t, fd, "");
        close(fd);
        return t;
}

/* ---- Running a job ---- */

typedef struct BurnTestResult {
        int r;
        char *message;
        BurnProgress progress; /* at the end */
        uint64_t emu_blocks;   /* blocks the drive accepted during the job */
} BurnTestResult;

static inline void burn_test_result_done(BurnTestResult *res)
{
        g_free(res->message);
}

static inline BurnRequest burn_test_request(BurnTest *bt, BurnKind kind)
{
        return (BurnRequest){
                .kind = kind,
                .transport = bt->t,
                .drive = &bt->info,
                .enable_bufe = -1,
        };
}

static inline BurnTestResult burn_test_run(BurnTest *bt, const BurnRequest *req)
{
        g_autoptr(BurnJob) job = NULL;
        BurnTestResult res = {};
        EmuDriveStats before, after;

        emu_drive_get_stats(bt->drive, &before);
        g_assert_cmpint(burn_job_new(req, &job), ==, 0);
        res.r = burn_job_run(job, NULL);
        res.message = g_strdup(burn_job_get_error_message(job));
        burn_job_get_progress(job, &res.progress);
        emu_drive_get_stats(bt->drive, &after);
        res.emu_blocks = after.blocks_written - before.blocks_written;
        if (res.r < 0)
                g_test_message("burn failed: %s (%s)", res.message, imapi_error_name(res.r));
        g_assert_cmpint(res.progress.action, ==, BURN_ACTION_NONE);
        g_assert_cmpuint(res.progress.blocks_written, <=, res.progress.blocks_total);
        if (res.r == 0)
                g_assert_null(res.message);
        else
                g_assert_nonnull(res.message);
        return res;
}

/* Runs and asserts success with every block written. */
static inline void burn_test_run_ok(BurnTest *bt, const BurnRequest *req)
{
        BurnTestResult res = burn_test_run(bt, req);

        g_assert_cmpint(res.r, ==, 0);
        if (req->kind != BURN_KIND_ERASE) {
                g_assert_cmpuint(res.progress.blocks_total, >, 0);
                g_assert_cmpuint(res.progress.blocks_written, ==, res.progress.blocks_total);
        }
        burn_test_result_done(&res);
}

/* Runs and asserts the named error; returns the message (to be freed). */
static inline char *burn_test_run_fail(BurnTest *bt, const BurnRequest *req, int error)
{
        BurnTestResult res = burn_test_run(bt, req);

        if (res.r != -error)
                g_error("expected %s, got %s (%d): %s", imapi_error_name(error),
                        imapi_error_name(res.r) ?: "?", res.r, res.message);
        return res.message;
}

/* ---- The result, judged ---- */

/* The disc as emu_drive_open_image() gives it, copied to a file in the work directory. */
static inline char *burn_test_fetch(BurnTest *bt, const char *name, char **ret_cue)
{
        char *path = burn_test_path(bt, name);
        g_autofree uint8_t *buf = g_malloc(1 << 20);
        int fd = -1, out;
        ssize_t n;

        g_assert_cmpint(emu_drive_open_image(bt->drive, &fd, ret_cue), ==, 0);
        out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        g_assert_cmpint(out, >=, 0);
        while ((n = read(fd, buf, 1 << 20)) > 0)
                g_assert_cmpint(write(out, buf, (size_t) n), ==, n);
        g_assert_cmpint(n, ==, 0);
        close(fd);
        close(out);
        return path;
}

static inline int burn_test_spawn(char **argv, char **ret_out)
{
        g_autoptr(GError) error = NULL;
        g_autofree char *out = NULL, *err = NULL;
        int status = 0;

        g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                                   &error));
        if (ret_out)
                *ret_out = g_strconcat(out ?: "", err ?: "", NULL);
        return status;
}

/* xorriso -compare_r of the session whose superblock is at 'session_lba' (0: the first) against src. */
static inline void burn_test_xorriso_compare(const char *image, uint32_t session_lba, const char *src)
{
        g_autofree char *sb = g_strdup_printf("%u", session_lba);
        g_autofree char *out = NULL;
        char *argv_first[] = {"xorriso",    "-abort_on",  "NEVER", "-indev", (char *) image,
                              "-compare_r", (char *) src, "/",     NULL};
        char *argv_sb[] = {"xorriso", "-abort_on",    "NEVER",      "-load",      "sbsector", sb,
                           "-indev",  (char *) image, "-compare_r", (char *) src, "/",        NULL};
        int status = burn_test_spawn(session_lba ? argv_sb : argv_first, &out);

        if (status != 0 || !strstr(out, "Both file objects match as far as expectable"))
                g_error("xorriso -compare_r %s (session at %u) against %s failed:\n%s", image, session_lba,
                        src, out);
}

/* The first 'size' bytes of the disc image equal the file; what follows (padding) is zeros. */
static inline void burn_test_compare_prefix(const char *disc, const char *file)
{
        g_autofree char *a = NULL, *b = NULL;
        gsize la = 0, lb = 0;

        g_assert_true(g_file_get_contents(disc, &a, &la, NULL));
        g_assert_true(g_file_get_contents(file, &b, &lb, NULL));
        g_assert_cmpuint(la, >=, lb);
        g_assert_true(memcmp(a, b, lb) == 0);
        for (gsize i = lb; i < la; i++)
                if (a[i] != 0)
                        g_error("byte %zu of the disc after the image is not zero", i);
}
