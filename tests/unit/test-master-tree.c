/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for master/master-tree.c: staging, conflicts, transactions, options and their validation. */
#include "test-master-util.h"

static MasterNode *node_at(MasterTree *t, const char *path)
{
        g_auto(GStrv) parts = g_strsplit(path, "/", -1);
        MasterNode *n = t->root;

        for (size_t i = 0; parts[i] && n; i++)
                n = n->dir ? g_hash_table_lookup(n->dir->children, parts[i]) : NULL;
        return n;
}

typedef struct State {
        uint64_t blocks;
        size_t entries;
        char *checksum;
} State;

static State state_of(MasterTree *t)
{
        return (State) {
                .blocks = master_tree_used_blocks(t),
                .entries = master_tree_n_entries(t),
                .checksum = test_image_checksum(t, 0),
        };
}

static void assert_state(MasterTree *t, State *s)
{
        g_autofree char *sum = test_image_checksum(t, 0);

        g_assert_cmpuint(master_tree_used_blocks(t), ==, s->blocks);
        g_assert_cmpuint(master_tree_n_entries(t), ==, s->entries);
        g_assert_cmpstr(sum, ==, s->checksum);
}

/* The call first: its arguments set 'err'. */
#define assert_fails(call, error, err, path)                                                            \
        do {                                                                                            \
                int _r = (call);                                                                        \
                assert_fails_impl(_r, error, err, path);                                                \
        } while (0)

static void assert_fails_impl(int r, int error, char *err, const char *path)
{
        g_assert_cmpint(r, ==, -error);
        g_assert_nonnull(err);
        if (path)
                g_assert_nonnull(strstr(err, path));
}

static ContentFd *data;

static void test_add_implicit_and_explicit(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content c = test_content(data, 0, 5000);
        g_autofree char *err = NULL;

        g_assert_cmpint(test_add_file(t, "a/b/c.txt", &c, 0, NULL), ==, 0);
        g_assert_cmpuint(master_tree_n_entries(t), ==, 3);
        g_assert_false(node_at(t, "a")->p.explicit);
        g_assert_cmpint(master_node_attr(t, node_at(t, "a"))->mode, ==, 0755);
        g_assert_cmpint(master_node_attr(t, node_at(t, "a"))->mtime.tv_sec, ==, master_tree_get_volume_time(t));

        /* an entry for an implicit directory sets its attributes, once */
        g_assert_cmpint(test_add_dir(t, "a", 0, NULL), ==, 0);
        g_assert_true(node_at(t, "a")->p.explicit);
        g_assert_cmpint(master_node_attr(t, node_at(t, "a"))->mode, ==, 0750);
        assert_fails(test_add_dir(t, "a", 0, &err), IMAPI_ERROR_FILE_EXISTS, err, "a");
        g_assert_cmpint(test_add_dir(t, "a", MASTER_ADD_OVERWRITE, NULL), ==, 0);
        g_assert_cmpuint(master_tree_n_entries(t), ==, 3);
        g_assert_cmpuint(master_tree_n_file_bytes(t), ==, 5000);
}

static void test_conflicts(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content small = test_content(data, 0, 100), big = test_content(data, 0, 100000);
        g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL;
        State s;

        g_assert_cmpint(test_add_file(t, "dir/file", &small, 0, NULL), ==, 0);
        g_assert_cmpint(test_add_symlink(t, "dir/link", "file", 0, NULL), ==, 0);
        s = state_of(t);

        assert_fails(test_add_file(t, "dir/file", &big, 0, &e1), IMAPI_ERROR_FILE_EXISTS, e1, "dir/file");
        assert_fails(test_add_dir(t, "dir/file", MASTER_ADD_OVERWRITE, &e2), IMAPI_ERROR_NOT_DIR, e2, "dir/file");
        assert_fails(test_add_file(t, "dir", &small, MASTER_ADD_OVERWRITE, &e3), IMAPI_ERROR_NOT_FILE, e3, "dir");
        assert_fails(test_add_file(t, "dir/file/below", &small, 0, &e4), IMAPI_ERROR_NOT_DIR, e4, "dir/file");
        assert_fails(test_add_symlink(t, "dir/link2", "", 0, &e5), IMAPI_ERROR_INVALID_PARAM, e5, "dir/link2");
        assert_state(t, &s);

        /* overwrite: the new content counts, the old does not */
        g_assert_cmpint(test_add_file(t, "dir/file", &big, MASTER_ADD_OVERWRITE, NULL), ==, 0);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, s.blocks + 49 - 1);
        g_assert_cmpint(test_add_symlink(t, "dir/file", "elsewhere", MASTER_ADD_OVERWRITE, NULL), ==, 0);
        g_assert_cmpint(node_at(t, "dir/file")->p.type, ==, MASTER_ENTRY_SYMLINK);
        g_assert_cmpint(test_add_file(t, "dir/link", &small, MASTER_ADD_OVERWRITE, NULL), ==, 0);
        g_free(s.checksum);
}

static void stage_base(MasterTree *t)
{
        for (int i = 0; i < 40; i++) {
                g_autofree char *p = g_strdup_printf("base/d%02d/file%02d.bin", i % 7, i);
                Content c = test_content(data, (uint64_t) i * 100, (uint64_t) i * 997);
                g_assert_cmpint(test_add_file(t, p, &c, 0, NULL), ==, 0);
        }
        g_assert_cmpint(test_add_symlink(t, "base/link", "d00/file00.bin", 0, NULL), ==, 0);
}

static void test_rollback(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content other = test_content(data, 7, 123456);
        State s;

        stage_base(t);
        s = state_of(t);

        g_assert_cmpint(master_tree_begin(t), ==, 0);
        g_assert_cmpint(master_tree_begin(t), ==, -EBUSY);
        for (int i = 0; i < 300; i++) {
                g_autofree char *p = g_strdup_printf("new/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/f%03d", i);
                g_assert_cmpint(test_add_file(t, p, &other, 0, NULL), ==, 0);
        }
        g_assert_cmpint(test_add_file(t, "base/d01/file01.bin", &other, MASTER_ADD_OVERWRITE, NULL), ==, 0);
        g_assert_cmpint(test_add_dir(t, "base/d02", 0, NULL), ==, 0);
        g_assert_cmpint(test_add_symlink(t, "base/link", "changed", MASTER_ADD_OVERWRITE, NULL), ==, 0);
        g_assert_cmpuint(master_tree_used_blocks(t), >, s.blocks); /* what DiscFull is decided on */
        master_tree_rollback(t);

        g_assert_false(master_tree_in_transaction(t));
        g_assert_null(node_at(t, "new"));
        g_assert_null(t->rr_moved);
        g_assert_cmpuint(node_at(t, "base/d01/file01.bin")->p.content.size, ==, 997);
        g_assert_false(node_at(t, "base/d02")->p.explicit);
        g_assert_cmpstr(node_at(t, "base/link")->p.target, ==, "d00/file00.bin");
        assert_state(t, &s);

        /* commit keeps */
        g_assert_cmpint(master_tree_begin(t), ==, 0);
        g_assert_cmpint(test_add_file(t, "kept", &other, 0, NULL), ==, 0);
        master_tree_commit(t);
        master_tree_rollback(t); /* nothing open: nothing to undo */
        g_assert_nonnull(node_at(t, "kept"));
        g_free(s.checksum);
}

static void test_failed_add_is_atomic(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content c = test_content(data, 0, 10);
        g_autofree char *err = NULL;
        State s;

        stage_base(t);
        s = state_of(t);
        g_assert_cmpint(master_tree_begin(t), ==, 0);
        g_assert_cmpint(test_add_file(t, "ok/one", &c, 0, NULL), ==, 0);
        /* fails at its last component: the parents it created go, the earlier add of the call stays */
        assert_fails(test_add_file(t, "x/y/z/bad:name", &c, 0, &err), IMAPI_ERROR_BAD_JOLIET_NAME, err,
                     "x/y/z/bad:name");
        g_assert_null(node_at(t, "x"));
        g_assert_nonnull(node_at(t, "ok/one"));
        master_tree_rollback(t);
        assert_state(t, &s);
        g_free(s.checksum);
}

static void test_data_too_big(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content huge = { .size = UINT64_C(4) << 30 }, max = { .size = (UINT64_C(4) << 30) - 1 };
        g_autofree char *err = NULL;

        assert_fails(test_add_file(t, "dir/huge", &huge, 0, &err), IMAPI_ERROR_DATA_TOO_BIG, err, "dir/huge");
        g_assert_cmpuint(master_tree_n_entries(t), ==, 0);
        g_assert_cmpint(test_add_file(t, "dir/max", &max, 0, NULL), ==, 0);
        g_assert_cmpuint(master_tree_used_blocks(t), >, 2 * 1024 * 1024);
}

static void test_depth(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content c = test_content(data, 0, 10);
        g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL;

        g_assert_cmpint(master_tree_set_file_systems(t, MASTER_FS_ISO9660, NULL), ==, 0);
        /* the root is level 1: seven levels of directories, and files in the eighth */
        g_assert_cmpint(test_add_file(t, "1/2/3/4/5/6/7/file", &c, 0, NULL), ==, 0);
        assert_fails(test_add_file(t, "1/2/3/4/5/6/7/8/file", &c, 0, &e1), IMAPI_ERROR_ISO9660_LEVELS, e1,
                     "1/2/3/4/5/6/7/8");
        g_assert_null(node_at(t, "1/2/3/4/5/6/7/8"));

        g_assert_cmpint(master_tree_set_file_systems(t, MASTER_FS_ISO9660 | MASTER_FS_ROCKRIDGE, NULL), ==, 0);
        g_assert_cmpint(test_add_file(t, "1/2/3/4/5/6/7/8/9/10/file", &c, 0, NULL), ==, 0);
        g_assert_true(node_at(t, "1/2/3/4/5/6/7/8")->relocated);
        g_assert_false(node_at(t, "1/2/3/4/5/6/7/8/9")->relocated);
        g_assert_nonnull(t->rr_moved);
        assert_fails(master_tree_set_file_systems(t, MASTER_FS_ISO9660, &e2), IMAPI_ERROR_ISO9660_LEVELS, e2,
                     NULL);
        g_assert_cmpuint(master_tree_get_file_systems(t), ==, MASTER_FS_ISO9660 | MASTER_FS_ROCKRIDGE);
        assert_fails(master_tree_set_file_systems(t, MASTER_FS_JOLIET, &e3), IMAPI_ERROR_INVALID_PARAM, e3, NULL);

        /* keeping deep directories in place instead */
        g_assert_cmpint(master_tree_set_relocate_deep(t, false, NULL), ==, 0);
        g_assert_false(node_at(t, "1/2/3/4/5/6/7/8")->relocated);
        g_assert_null(t->rr_moved);
        g_autoptr(GByteArray) img = test_image_read(t, 0, 7);
        g_assert_cmpint(master_tree_set_relocate_deep(t, true, NULL), ==, 0);
        g_assert_nonnull(t->rr_moved);
}

static void test_joliet_revalidation(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content c = test_content(data, 0, 10);
        g_autofree char *err = NULL;
        uint64_t blocks;

        g_assert_cmpint(master_tree_set_file_systems(t, MASTER_FS_ISO9660 | MASTER_FS_ROCKRIDGE, NULL), ==, 0);
        g_assert_cmpint(test_add_file(t, "dir/a:b", &c, 0, NULL), ==, 0);
        g_assert_cmpint(test_add_file(t, "dir/c?d", &c, MASTER_ADD_MANGLE_NAMES, NULL), ==, 0);
        blocks = master_tree_used_blocks(t);
        assert_fails(master_tree_set_file_systems(t, MASTER_FS_ALL, &err), IMAPI_ERROR_BAD_JOLIET_NAME, err,
                     "dir/a:b");
        g_assert_cmpuint(master_tree_get_file_systems(t), ==, MASTER_FS_ISO9660 | MASTER_FS_ROCKRIDGE);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, blocks);

        g_assert_cmpint(test_add_file(t, "dir/a:b", &c, MASTER_ADD_OVERWRITE | MASTER_ADD_MANGLE_NAMES, NULL), ==,
                        0);
        g_assert_cmpint(master_tree_set_file_systems(t, MASTER_FS_ALL, NULL), ==, 0);
        g_assert_cmpuint(master_tree_used_blocks(t), >, blocks); /* SVD, path tables, directories */
        g_assert_cmpint(master_tree_set_file_systems(t, MASTER_FS_ISO9660 | MASTER_FS_ROCKRIDGE, NULL), ==, 0);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, blocks);
}

static void test_limits(void)
{
        MasterLimits l = MASTER_LIMITS_DEFAULT;
        g_autoptr(MasterTree) t = NULL;
        Content c = test_content(data, 0, 10);
        g_autofree char *err = NULL;

        l.max_entries = 5;
        t = master_tree_new(&l);
        g_assert_cmpint(test_add_file(t, "a/b/c/d", &c, 0, NULL), ==, 0);
        assert_fails(test_add_file(t, "a/x/y", &c, 0, &err), IMAPI_ERROR_LIMITS_EXCEEDED, err, "a/x");
        g_assert_null(node_at(t, "a/x"));
        g_assert_cmpint(test_add_file(t, "a/e", &c, 0, NULL), ==, 0);
}

static void test_too_many_dirs(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        g_autofree char *err = NULL;
        char p[32];

        for (unsigned i = 1; i < MASTER_MAX_DIRS; i++) {
                (void) snprintf(p, sizeof(p), "%u", i);
                g_assert_cmpint(test_add_dir(t, p, 0, NULL), ==, 0);
        }
        assert_fails(test_add_dir(t, "one-more", 0, &err), IMAPI_ERROR_TOO_MANY_DIRS, err, "one-more");
        g_assert_cmpint(test_add_file(t, "1/a-file-is-fine", &(Content) {}, 0, NULL), ==, 0);
}

static void test_frozen(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        g_autoptr(MasterImage) im = NULL;
        g_autoptr(MasterImage) second = NULL;
        Content c = test_content(data, 0, 10);
        g_autofree char *e1 = NULL, *e2 = NULL;
        uint64_t blocks;

        g_assert_cmpint(test_add_file(t, "f", &c, 0, NULL), ==, 0);
        blocks = master_tree_used_blocks(t);
        g_assert_cmpint(master_image_new(t, 0, &im, NULL), ==, 0);
        assert_fails(test_add_file(t, "g", &c, 0, &e1), IMAPI_ERROR_BUSY, e1, "g");
        g_assert_cmpint(master_tree_begin(t), ==, -EBUSY);
        g_assert_cmpint(master_tree_set_volume_name(t, "X", NULL), ==, -IMAPI_ERROR_BUSY);
        g_assert_cmpint(master_tree_set_file_systems(t, MASTER_FS_ISO9660, NULL), ==, -IMAPI_ERROR_BUSY);
        g_assert_cmpint(master_tree_set_boot(t, NULL, NULL), ==, -IMAPI_ERROR_BUSY);
        assert_fails(master_image_new(t, 0, &second, &e2), IMAPI_ERROR_BUSY, e2, NULL);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, blocks);
        im = master_image_free(im);
        g_assert_cmpint(test_add_file(t, "g", &c, 0, NULL), ==, 0);
}

static void test_volume_name(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        g_autofree char *e1 = NULL, *e2 = NULL;

        g_assert_cmpint(master_tree_set_volume_time(t, 1700000000), ==, 0); /* 2023-11-14 22:13:20 UTC */
        g_assert_cmpstr(master_tree_get_volume_name(t), ==, "20231114_2213");
        g_assert_cmpint(master_tree_set_volume_name(t, "Ferienfotos Sommer 2024", NULL), ==, 0);
        g_assert_cmpstr(master_tree_get_volume_name(t), ==, "Ferienfotos Sommer 2024");
        assert_fails(master_tree_set_volume_name(t, "with\nnewline", &e1), IMAPI_ERROR_INVALID_VOLUME_NAME, e1,
                     NULL);
        assert_fails(master_tree_set_volume_name(t, "0123456789abcdef0123456789abcdefX", &e2),
                     IMAPI_ERROR_INVALID_VOLUME_NAME, e2, NULL);
        g_assert_cmpstr(master_tree_get_volume_name(t), ==, "Ferienfotos Sommer 2024");
        g_assert_cmpint(master_tree_set_volume_name(t, NULL, NULL), ==, 0);
        g_assert_cmpstr(master_tree_get_volume_name(t), ==, "20231114_2213");
}

static void test_source_date_epoch(void)
{
        g_setenv("SOURCE_DATE_EPOCH", "123456789", true);
        g_assert_cmpint(master_volume_time_default(), ==, 123456789);
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        g_assert_cmpint(master_tree_get_volume_time(t), ==, 123456789);
        g_setenv("SOURCE_DATE_EPOCH", "not a number", true);
        g_assert_cmpint(ABS(master_volume_time_default() - time(NULL)), <, 1000);
        g_unsetenv("SOURCE_DATE_EPOCH");
}

/* A batch into one directory of a big tree recomputes that directory, not the tree. */
static void test_incremental(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content c = test_content(data, 0, 3000);
        uint64_t blocks;

        for (int i = 0; i < 20000; i++) {
                g_autofree char *p = g_strdup_printf("d%03d/sub%d/file%05d.dat", i % 400, i % 3, i);
                g_assert_cmpint(test_add_file(t, p, &c, 0, NULL), ==, 0);
        }
        blocks = master_tree_used_blocks(t);
        t->n_dir_updates = 0;
        g_assert_cmpint(master_tree_begin(t), ==, 0);
        for (int i = 0; i < 256; i++) {
                g_autofree char *p = g_strdup_printf("d007/sub1/new%03d", i);
                g_assert_cmpint(test_add_file(t, p, &c, 0, NULL), ==, 0);
        }
        g_assert_cmpuint(master_tree_used_blocks(t), >=, blocks + 256 * 2);
        g_assert_cmpuint(t->n_dir_updates, <=, 2);
        master_tree_rollback(t);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, blocks);
        g_assert_cmpuint(t->n_dir_updates, <=, 4);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        data = test_memfd_new(1 << 20, 42);
        g_test_add_func("/master-tree/implicit-explicit", test_add_implicit_and_explicit);
        g_test_add_func("/master-tree/conflicts", test_conflicts);
        g_test_add_func("/master-tree/rollback", test_rollback);
        g_test_add_func("/master-tree/failed-add-atomic", test_failed_add_is_atomic);
        g_test_add_func("/master-tree/data-too-big", test_data_too_big);
        g_test_add_func("/master-tree/depth", test_depth);
        g_test_add_func("/master-tree/joliet-revalidation", test_joliet_revalidation);
        g_test_add_func("/master-tree/limits", test_limits);
        g_test_add_func("/master-tree/too-many-dirs", test_too_many_dirs);
        g_test_add_func("/master-tree/frozen", test_frozen);
        g_test_add_func("/master-tree/volume-name", test_volume_name);
        g_test_add_func("/master-tree/source-date-epoch", test_source_date_epoch);
        g_test_add_func("/master-tree/incremental", test_incremental);
        int r = g_test_run();
        content_fd_unref(data);
        return r;
}
