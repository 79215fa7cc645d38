/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for stash/: directories, stale clean-up, quotas, the StageFiles blob. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imapi-error.h"
#include "stash.h"

typedef struct Fixture {
        char *dir;
        char *root_path;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
        f->dir = g_dir_make_tmp("test-stash-XXXXXX", NULL);
        g_assert_nonnull(f->dir);
        f->root_path = g_build_filename(f->dir, "a", "stash", NULL);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
        g_assert_cmpint(system(cmd), ==, 0);
        g_free(f->root_path);
        g_free(f->dir);
}

static void test_root_created_private_and_cleaned(Fixture *f, gconstpointer data)
{
        g_autoptr(StashRoot) root = NULL;
        g_autofree char *stale = g_build_filename(f->root_path, "old", "deep", NULL);
        g_autofree char *stale_file = g_build_filename(stale, "x", NULL);
        struct stat st;

        g_assert_cmpint(g_mkdir_with_parents(stale, 0755), ==, 0);
        g_assert_true(g_file_set_contents(stale_file, "x", 1, NULL));
        g_assert_cmpint(stash_root_open(f->root_path, 0, 1 << 20, false, &root, NULL), ==, 0);
        g_assert_cmpint(stat(f->root_path, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 07777, ==, 0700);
        g_assert_false(g_file_test(stale, G_FILE_TEST_EXISTS)); /* stale stash deleted at start-up */
}

static void test_stash_lifecycle(Fixture *f, gconstpointer data)
{
        g_autoptr(StashRoot) root = NULL;
        Stash *s = NULL;
        g_autofree char *path = g_build_filename(f->root_path, "1", NULL);

        g_assert_cmpint(stash_root_open(f->root_path, 0, 1 << 20, false, &root, NULL), ==, 0);
        g_assert_cmpint(stash_new(root, "1", 1000, &s), ==, 0);
        g_assert_true(g_file_test(path, G_FILE_TEST_IS_DIR));
        g_assert_cmpint(stash_new(root, "1", 1000, &(Stash *){NULL}), ==, -EINVAL);
        g_assert_cmpint(stash_new(root, "../x", 1000, &(Stash *){NULL}), ==, -EINVAL);
        g_assert_cmpint(openat(stash_dir_fd(s), "pcm", O_CREAT | O_WRONLY | O_CLOEXEC, 0600) >= 0, ==, true);
        s = stash_free(s);
        g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void test_quota_per_user(Fixture *f, gconstpointer data)
{
        g_autoptr(StashRoot) root = NULL;
        g_autoptr(Stash) a = NULL, b = NULL, c = NULL;

        g_assert_cmpint(stash_root_open(f->root_path, 0, 1000, false, &root, NULL), ==, 0);
        g_assert_cmpint(stash_new(root, "a", 1000, &a), ==, 0);
        g_assert_cmpint(stash_new(root, "b", 1000, &b), ==, 0);
        g_assert_cmpint(stash_new(root, "c", 2000, &c), ==, 0);
        g_assert_cmpint(stash_reserve(a, 600), ==, 0);
        g_assert_cmpint(stash_reserve(b, 401), ==, -IMAPI_ERROR_LIMITS_EXCEEDED);
        g_assert_cmpint(stash_root_user_bytes(root, 1000), ==, 600); /* nothing taken by the failure */
        g_assert_cmpint(stash_reserve(b, 400), ==, 0);
        g_assert_cmpint(stash_reserve(c, 1000), ==, 0); /* another user has a quota of their own */
        a = stash_free(a);
        g_assert_cmpint(stash_root_user_bytes(root, 1000), ==, 400);
}

static void test_free_space_reserve(Fixture *f, gconstpointer data)
{
        g_autoptr(StashRoot) root = NULL;
        g_autoptr(Stash) s = NULL;

        /* A reserve larger than any disk: nothing fits. */
        g_assert_cmpint(stash_root_open(f->root_path, UINT64_MAX / 2, UINT64_MAX, false, &root, NULL), ==,
                        0);
        g_assert_cmpint(stash_new(root, "x", 0, &s), ==, -IMAPI_ERROR_NOT_ENOUGH_DISK_FOR_STASH);
}

static void test_copy_in(Fixture *f, gconstpointer data)
{
        g_autoptr(StashRoot) root = NULL;
        g_autoptr(Stash) s = NULL;
        g_autofree char *src = g_build_filename(f->dir, "src", NULL);
        g_autofd int fd = -1;
        Content c1 = {}, c2 = {}, c3 = {};
        char buf[16] = {};

        g_assert_true(g_file_set_contents(src, "hello, world", 12, NULL));
        fd = open(src, O_RDONLY | O_CLOEXEC);
        g_assert_cmpint(stash_root_open(f->root_path, 0, UINT64_MAX, false, &root, NULL), ==, 0);
        g_assert_cmpint(stash_new(root, "s", 0, &s), ==, 0);
        g_assert_cmpint(stash_copy_in(s, fd, 12, &c1), ==, 0);
        g_assert_cmpint(stash_copy_in(s, fd, 5, &c2), ==, 0);
        g_assert_cmpint(stash_blob_size(s), ==, 17);
        g_assert_cmpint(c2.offset, ==, 12);
        g_assert_cmpint(content_read(&c2, 0, buf, 5), ==, 0);
        g_assert_cmpmem(buf, 5, "hello", 5);
        g_assert_cmpint(content_read(&c1, 7, buf, 5), ==, 0);
        g_assert_cmpmem(buf, 5, "world", 5);
        /* The file holds fewer bytes than claimed: refused, blob unchanged. */
        g_assert_cmpint(stash_copy_in(s, fd, 100, &c3), ==, -IMAPI_ERROR_DATA_STREAM_INCONSISTENCY);
        g_assert_cmpint(stash_blob_size(s), ==, 17);
        g_assert_cmpint(stash_blob_truncate(s, 12), ==, 0);
        g_assert_cmpint(stash_blob_size(s), ==, 12);
        content_done(&c1);
        content_done(&c2);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add("/stash/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
        ADD("root-created-private-and-cleaned", test_root_created_private_and_cleaned);
        ADD("lifecycle", test_stash_lifecycle);
        ADD("quota-per-user", test_quota_per_user);
        ADD("free-space-reserve", test_free_space_reserve);
        ADD("copy-in", test_copy_in);
        return g_test_run();
}
