/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tests for master/master-image.c and the layout: exact size for random trees, determinism, session offsets,
 * record placement, continuation areas, changed files, El Torito. */
#include <fcntl.h>
#include <sys/stat.h>

#include "bytes.h"
#include "test-master-util.h"

#define B MASTER_BLOCK_SIZE

static ContentFd *data;
#define DATA_SIZE (4U << 20)

/* ---- a small ISO 9660 walker over an image in memory, checking the structural rules ---- */

typedef struct Walk {
        const GByteArray *img;
        uint32_t start;
        unsigned dirs;
        unsigned files;
        unsigned ce_areas;
        bool rock_ridge;
} Walk;

static const uint8_t *image_block(const Walk *w, uint32_t lba)
{
        g_assert_cmpuint(lba, >=, w->start);
        g_assert_cmpuint((uint64_t) (lba - w->start + 1) * B, <=, w->img->len);
        return w->img->data + (size_t) (lba - w->start) * B;
}

static void susp_walk(Walk *w, const uint8_t *p, size_t len, unsigned depth)
{
        size_t off = 0;

        g_assert_cmpuint(depth, <, 16);
        while (off + 4 <= len) {
                uint8_t l = 0;
                g_assert_cmpint(u8_read(p, len, off + 2, &l), ==, 0);
                if (l == 0)
                        break; /* padding */
                g_assert_cmpuint(l, >=, 4);
                g_assert_cmpuint(off + l, <=, len);
                if (p[off] == 'C' && p[off + 1] == 'E') {
                        uint32_t lba = 0, ce_off = 0, ce_len = 0;
                        g_assert_cmpint(le32_read(p, len, off + 4, &lba), ==, 0);
                        g_assert_cmpint(le32_read(p, len, off + 12, &ce_off), ==, 0);
                        g_assert_cmpint(le32_read(p, len, off + 20, &ce_len), ==, 0);
                        g_assert_cmpuint(ce_off + ce_len, <=, B); /* never across a block */
                        w->ce_areas++;
                        susp_walk(w, image_block(w, lba) + ce_off, ce_len, depth + 1);
                }
                off += l;
        }
}

static void dir_walk(Walk *w, uint32_t lba, uint32_t size, unsigned depth)
{
        g_assert_cmpuint(size % B, ==, 0);
        g_assert_cmpuint(depth, <, 64);
        w->dirs++;
        for (uint32_t blk = 0; blk < size / B; blk++) {
                const uint8_t *b = image_block(w, lba + blk);
                size_t off = 0;
                uint8_t len;

                while (off < B && u8_read(b, B, off, &len) == 0 && len > 0) {
                        uint32_t ext = 0, dsize = 0;
                        uint8_t flags = 0, id_len = 0;
                        g_assert_cmpuint(off + len, <=, B); /* ECMA-119 §6.8.1.1: no record crosses a block */
                        g_assert_cmpuint(len % 2, ==, 0);
                        g_assert_cmpint(le32_read(b, B, off + 2, &ext), ==, 0);
                        g_assert_cmpint(le32_read(b, B, off + 10, &dsize), ==, 0);
                        g_assert_cmpint(u8_read(b, B, off + 25, &flags), ==, 0);
                        g_assert_cmpint(u8_read(b, B, off + 32, &id_len), ==, 0);
                        size_t su = 33 + id_len + (id_len % 2 == 0);
                        g_assert_cmpuint(su, <=, len);
                        if (w->rock_ridge)
                                susp_walk(w, b + off + su, len - su, 0);
                        bool dot = id_len == 1 && (b[off + 33] == 0 || b[off + 33] == 1);
                        if (!dot && (flags & ISO_FLAG_DIRECTORY))
                                dir_walk(w, ext, dsize, depth + 1);
                        else if (!dot) {
                                w->files++;
                                if (dsize > 0)
                                        g_assert_cmpuint((uint64_t) ext - w->start + DIV_ROUND_UP(dsize, B), <=,
                                                         w->img->len / B);
                        }
                        off += len;
                }
        }
}

/* Walks the ISO 9660 (joliet=false) or Joliet hierarchy from its volume descriptor. */
static Walk image_walk(const GByteArray *img, uint32_t start, bool joliet, bool rock_ridge)
{
        Walk w = { .img = img, .start = start, .rock_ridge = rock_ridge && !joliet };
        const uint8_t *vd = NULL;
        uint32_t root = 0, root_size = 0, space = 0;

        for (uint32_t i = 16; i < 20; i++) {
                const uint8_t *b = img->data + (size_t) i * B;
                if (b[0] == (joliet ? 2 : 1)) {
                        vd = b;
                        break;
                }
        }
        g_assert_nonnull(vd);
        g_assert_cmpmem(vd + 1, 5, "CD001", 5);
        g_assert_cmpint(le32_read(vd, B, 80, &space), ==, 0);
        g_assert_cmpuint(space, ==, start + img->len / B);
        g_assert_cmpint(le32_read(vd, B, 156 + 2, &root), ==, 0);
        g_assert_cmpint(le32_read(vd, B, 156 + 10, &root_size), ==, 0);
        dir_walk(&w, root, root_size, 0);
        return w;
}

/* ---- random trees ---- */

static const char *const name_pool[] = {
        "a", "A", "readme", "README", "ReadMe.txt", "a-b", "a b", "a_b", "a.b.c", ".hidden", "trailing.",
        "Ébène", "café", "cafe\xcc\x81", "日本語", "x:y", "q?r", "emoji\xf0\x9f\x98\x80",
        "a rather long name that is still fine for joliet", "name.with.a.very.long.extension",
};

static char *random_name(GRand *r)
{
        switch (g_rand_int_range(r, 0, 10)) {
        case 0: {
                size_t n = (size_t) g_rand_int_range(r, 60, 256);
                char *s = g_strnfill(n, (char) ('a' + g_rand_int_range(r, 0, 26)));
                return s;
        }
        case 1:
                return g_strdup_printf("f%u", g_rand_int_range(r, 0, 1000));
        default:
                return g_strdup_printf("%s%s", name_pool[g_rand_int_range(r, 0, G_N_ELEMENTS(name_pool))],
                                       g_rand_boolean(r) ? "" : ".dat");
        }
}

static char *random_target(GRand *r)
{
        GString *s = g_string_new(g_rand_boolean(r) ? "/" : "");
        int n = g_rand_int_range(r, 1, 60);

        for (int i = 0; i < n; i++) {
                const char *parts[] = { "..", ".", "usr", "lib", "x86_64-linux-gnu", "" };
                if (i > 0)
                        g_string_append_c(s, '/');
                if (g_rand_int_range(r, 0, 4) == 0) {
                        g_autofree char *longc = g_strnfill((gsize) g_rand_int_range(r, 1, 300), 'c');
                        g_string_append(s, longc);
                } else
                        g_string_append(s, parts[g_rand_int_range(r, 0, G_N_ELEMENTS(parts))]);
        }
        if (s->len == 0)
                g_string_append(s, "x");
        g_string_truncate(s, 4095);
        return g_string_free(s, false);
}

typedef struct Op {
        char *path;
        MasterEntry e;
        Content c;
        char *target;
} Op;

static void op_free(gpointer p)
{
        Op *op = p;
        g_free(op->path);
        g_free(op->target);
        g_free(op);
}

/* Operations with distinct paths; parents are created implicitly unless an entry for them comes along. */
static GPtrArray *random_ops(guint32 seed, int n, unsigned max_depth)
{
        g_autoptr(GRand) r = g_rand_new_with_seed(seed);
        g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GHashTable) used = g_hash_table_new(g_str_hash, g_str_equal);
        GPtrArray *ops = g_ptr_array_new_with_free_func(op_free);

        g_ptr_array_add(dirs, g_strdup(""));
        while ((int) ops->len < n) {
                const char *parent = dirs->pdata[g_rand_int_range(r, 0, (gint32) dirs->len)];
                g_autofree char *name = random_name(r);
                Op *op = g_new0(Op, 1);
                int kind = g_rand_int_range(r, 0, 20);

                op->path = *parent ? g_strconcat(parent, "/", name, NULL) : g_strdup(name);
                if (g_hash_table_contains(used, op->path) || strlen(op->path) > 4000) {
                        op_free(op);
                        continue;
                }
                unsigned depth = 1;
                for (const char *c = op->path; *c; c++)
                        depth += *c == '/';
                if (depth > max_depth) {
                        op_free(op);
                        continue;
                }
                g_hash_table_add(used, op->path);
                op->e.attr = test_attr((mode_t) g_rand_int_range(r, 0, 07777),
                                       (time_t) g_rand_double_range(r, -3e9, 8e9));
                if (kind < 5) {
                        op->e.type = MASTER_ENTRY_DIRECTORY;
                        g_ptr_array_add(dirs, g_strdup(op->path));
                } else if (kind < 7) {
                        op->e.type = MASTER_ENTRY_SYMLINK;
                        op->target = random_target(r);
                        op->e.symlink_target = op->target;
                } else {
                        uint64_t size = kind == 7 ? 0 : (uint64_t) g_rand_int_range(r, 0, 70000);
                        op->e.type = MASTER_ENTRY_FILE;
                        op->c = test_content(data, (uint64_t) g_rand_int_range(r, 0, DATA_SIZE - 300000), size);
                        op->e.content = &op->c;
                }
                g_ptr_array_add(ops, op);
        }
        return ops;
}

/* Adds ops in order (or shuffled); every 'update_every' adds (0: never) asks for the size, so the
 * directories' caches are brought up to date incrementally along the way. */
static void ops_apply(MasterTree *t, GPtrArray *ops, GRand *shuffle, unsigned update_every)
{
        g_autofree guint *order = g_new(guint, ops->len);

        for (guint i = 0; i < ops->len; i++)
                order[i] = i;
        for (guint i = ops->len; shuffle && i > 1; i--) {
                guint k = (guint) g_rand_int_range(shuffle, 0, (gint32) i), tmp = order[i - 1];
                order[i - 1] = order[k];
                order[k] = tmp;
        }
        for (guint i = 0; i < ops->len; i++) {
                Op *op = ops->pdata[order[i]];
                g_autofree char *err = NULL;
                int r = master_tree_add(t, op->path, &op->e, MASTER_ADD_MANGLE_NAMES, &err);
                if (r < 0)
                        g_error("Cannot add %s: %s", op->path, err);
                if (update_every && i % update_every == 0)
                        (void) master_tree_used_blocks(t);
        }
}

/* Many random trees, built in batches some of which are rolled back: the image is exactly the size
 * announced, structurally sound, and the incremental size equals a full recomputation. */
static void test_random_sizes(void)
{
        for (guint32 seed = 1; seed <= 40; seed++) {
                g_autoptr(GRand) r = g_rand_new_with_seed(seed * 7919);
                g_autoptr(MasterTree) t = master_tree_new(NULL);
                g_autoptr(GPtrArray) ops = random_ops(seed, g_rand_int_range(r, 1, 400), 24);
                unsigned fs = MASTER_FS_ISO9660 | (g_rand_boolean(r) ? MASTER_FS_JOLIET : 0) |
                              (seed % 4 ? MASTER_FS_ROCKRIDGE : 0);

                if (!(fs & (MASTER_FS_JOLIET | MASTER_FS_ROCKRIDGE)))
                        fs |= MASTER_FS_JOLIET;
                g_assert_cmpint(master_tree_set_file_systems(t, fs, NULL), ==, 0);
                g_assert_cmpint(master_tree_set_relocate_deep(t, seed % 5 != 0, NULL), ==, 0);
                for (guint i = 0; i < ops->len;) {
                        guint n = (guint) g_rand_int_range(r, 1, 64);
                        g_autoptr(GPtrArray) batch = g_ptr_array_new();
                        uint64_t before = master_tree_used_blocks(t);
                        bool keep = g_rand_int_range(r, 0, 5) != 0;

                        for (guint k = i; k < MIN(ops->len, i + n); k++)
                                g_ptr_array_add(batch, ops->pdata[k]);
                        g_assert_cmpint(master_tree_begin(t), ==, 0);
                        ops_apply(t, batch, NULL, (unsigned) g_rand_int_range(r, 0, 4));
                        (void) master_tree_used_blocks(t);
                        if (keep) {
                                master_tree_commit(t);
                                i += n;
                        } else {
                                master_tree_rollback(t);
                                g_assert_cmpuint(master_tree_used_blocks(t), ==, before);
                        }
                }
                uint64_t used = master_tree_used_blocks(t);
                g_autoptr(GByteArray) img = test_image_read(t, 0, (size_t) g_rand_int_range(r, 1, 300));
                master_tree_mark_all_dirty(t);
                g_assert_cmpuint(master_tree_used_blocks(t), ==, used);
                g_autoptr(GByteArray) again = test_image_read(t, 0, 64);
                g_assert_cmpmem(img->data, img->len, again->data, again->len); /* same names, order, sizes */

                Walk w = image_walk(img, 0, false, fs & MASTER_FS_ROCKRIDGE);
                g_assert_cmpuint(w.dirs, >=, 1);
                if (fs & MASTER_FS_JOLIET)
                        (void) image_walk(img, 0, true, false);
        }
}

/* The same entries staged in other orders, with the caches updated along the way or not: the same bytes. */
static void test_deterministic(void)
{
        g_autoptr(GPtrArray) ops = random_ops(4242, 1500, 20);
        g_autoptr(GRand) shuffle = g_rand_new_with_seed(99);
        g_autofree char *first = NULL;
        const unsigned update_every[] = { 0, 1, 7, 100 };

        for (size_t round = 0; round < G_N_ELEMENTS(update_every); round++) {
                g_autoptr(MasterTree) t = master_tree_new(NULL);
                g_autofree char *sum = NULL;

                g_assert_cmpint(master_tree_set_volume_time(t, TEST_TIME), ==, 0);
                ops_apply(t, ops, round == 0 ? NULL : shuffle, update_every[round]);
                sum = test_image_checksum(t, 0);
                if (!first)
                        first = g_steal_pointer(&sum);
                else
                        g_assert_cmpstr(sum, ==, first);
        }
}

static GByteArray *block_of(const GByteArray *img, uint32_t rel)
{
        GByteArray *b = g_byte_array_new();
        g_byte_array_append(b, img->data + (size_t) rel * B, B);
        return b;
}

static void test_start_lba(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        Content c = test_content(data, 12345, 70000);
        const uint32_t start = 123456;
        uint8_t expected[70000];

        g_assert_cmpint(test_add_file(t, "dir/f.txt", &c, 0, NULL), ==, 0);
        g_assert_cmpint(test_add_file(t, "top.bin", &c, 0, NULL), ==, 0);
        g_autoptr(GByteArray) first = test_image_read(t, 0, 16);
        g_autoptr(GByteArray) img = test_image_read(t, start, 16);
        g_assert_cmpuint(first->len, ==, img->len);
        Walk w = image_walk(img, start, false, true);
        g_assert_cmpuint(w.files, ==, 2);
        (void) image_walk(img, start, true, false);

        /* the file's extent, offset by the session start */
        g_autoptr(GByteArray) pvd = block_of(img, 16);
        uint32_t root = 0, lba = 0, pt = 0;
        g_assert_cmpint(le32_read(pvd->data, B, 158, &root), ==, 0);
        g_assert_cmpint(le32_read(pvd->data, B, 140, &pt), ==, 0);
        g_assert_cmpuint(pt, >, start);
        const uint8_t *dir = img->data + (size_t) (root - start) * B;
        size_t off = 0;
        while (dir[off] && !(dir[off + 32] == 9 && memcmp(dir + off + 33, "TOP.BIN;1", 9) == 0))
                off += dir[off];
        g_assert_cmpuint(dir[off], >, 0);
        g_assert_cmpint(le32_read(dir, B, off + 2, &lba), ==, 0);
        g_assert_cmpint(content_read(&c, 0, expected, sizeof(expected)), ==, 0);
        g_assert_cmpmem(img->data + (size_t) (lba - start) * B, sizeof(expected), expected, sizeof(expected));
}

static void test_records_and_continuations(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        g_autofree char *long_name = g_strnfill(255, 'n');
        g_autofree char *long_target = g_strnfill(3000, 't');

        for (int i = 0; i < 3000; i++) {
                g_autofree char *p = g_strdup_printf("many/%s%04d", i % 2 ? "" : "a-much-longer-name-to-vary-sizes-", i);
                g_assert_cmpint(test_add_file(t, p, &(Content) {}, 0, NULL), ==, 0);
        }
        for (int i = 0; i < 40; i++) {
                g_autofree char *p = g_strdup_printf("long/%.*s%02d", 253, long_name, i);
                g_autofree char *l = g_strdup_printf("long/link%02d", i);
                g_assert_cmpint(test_add_file(t, p, &(Content) {}, MASTER_ADD_MANGLE_NAMES, NULL), ==, 0);
                g_assert_cmpint(test_add_symlink(t, l, long_target, 0, NULL), ==, 0);
        }
        g_autoptr(GByteArray) img = test_image_read(t, 0, 5);
        Walk w = image_walk(img, 0, false, true);
        g_assert_cmpuint(w.files, ==, 3080);
        g_assert_cmpuint(w.ce_areas, >=, 80 + 1); /* long names, long links, and the ER of the root */
        Walk j = image_walk(img, 0, true, false);
        g_assert_cmpuint(j.files, ==, 3040); /* symlinks exist only in Rock Ridge */
}

static int open_at_test(const char *path, Content *ret, void *userdata)
{
        *ret = (Content) { .fd = content_fd_ref(userdata) };
        return 0;
}

static void test_changed_files(void)
{
        int fd = memfd_create("changing", MFD_CLOEXEC);
        uint8_t buf[8 * B];
        struct stat st;

        g_assert_cmpint(fd, >=, 0);
        memset(buf, 'x', sizeof(buf));
        g_assert_cmpint(pwrite(fd, buf, 10000, 0), ==, 10000);
        g_assert_cmpint(fstat(fd, &st), ==, 0);
        ContentFd *cfd = content_fd_new(fd);
        Content c = { .fd = cfd, .size = 10000, .mtime = st.st_mtim, .verify = true };

        for (int variant = 0; variant < 3; variant++) {
                g_autoptr(MasterTree) t = master_tree_new(NULL);
                g_autoptr(MasterImage) im = NULL;
                g_autofree char *err = NULL, *err2 = NULL;
                int64_t n;

                g_assert_cmpint(ftruncate(fd, 10000), ==, 0);
                g_assert_cmpint(futimens(fd, (struct timespec[]) { st.st_atim, st.st_mtim }), ==, 0);
                g_assert_cmpint(test_add_file(t, "some/file", &c, 0, NULL), ==, 0);
                g_assert_cmpint(master_image_new(t, 0, &im, NULL), ==, 0);
                if (variant == 0)
                        g_assert_cmpint(ftruncate(fd, 9000), ==, 0); /* shrinks */
                else if (variant == 1)
                        g_assert_cmpint(futimens(fd, (struct timespec[]) { st.st_atim, { .tv_sec = 1 } }), ==, 0);
                else
                        g_assert_cmpint(ftruncate(fd, 20000), ==, 0); /* grows */
                while ((n = master_image_read(im, buf, 8, &err)) > 0)
                        ;
                g_assert_cmpint(n, ==, -IMAPI_ERROR_DATA_STREAM_INCONSISTENCY);
                g_assert_nonnull(strstr(err, "some/file"));
                g_assert_cmpint(master_image_read(im, buf, 8, &err2), ==, n); /* sticky */
        }

        /* deferred content: read through the opener, checked against what was staged */
        g_assert_cmpint(ftruncate(fd, 10000), ==, 0);
        g_assert_cmpint(futimens(fd, (struct timespec[]) { st.st_atim, st.st_mtim }), ==, 0);
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        g_autoptr(MasterImage) im = NULL;
        Content deferred = { .size = 10000, .mtime = st.st_mtim, .verify = true };
        g_autofree char *err = NULL;
        int64_t n;

        g_assert_cmpint(test_add_file(t, "deferred", &deferred, 0, NULL), ==, 0);
        g_assert_cmpint(master_image_new(t, 0, &im, NULL), ==, 0);
        while ((n = master_image_read(im, buf, 8, &err)) > 0)
                ;
        g_assert_cmpint(n, ==, -IMAPI_ERROR_DATA_STREAM_READ_FAILURE); /* no opener */
        im = master_image_free(im);
        g_assert_cmpint(master_image_new(t, 0, &im, NULL), ==, 0);
        master_image_set_content_opener(im, open_at_test, cfd);
        while ((n = master_image_read(im, buf, 8, NULL)) > 0)
                ;
        g_assert_cmpint(n, ==, 0);
        content_fd_unref(cfd);
}

static Content boot_content(const uint8_t *bytes, size_t size)
{
        int fd = memfd_create("boot", MFD_CLOEXEC);
        g_assert_cmpint(pwrite(fd, bytes, size, 0), ==, (ssize_t) size);
        return (Content) { .fd = content_fd_new(fd), .size = size };
}

static void assert_boot_error(MasterTree *t, uint8_t platform, uint8_t emulation, const char *id, Content *image,
                              int error)
{
        MasterBoot b = { .platform = platform, .emulation = emulation, .manufacturer = id, .image = image };
        g_autofree char *err = NULL;

        g_assert_cmpint(master_tree_set_boot(t, &b, &err), ==, -error);
        g_assert_nonnull(err);
        g_assert_false(master_tree_has_boot(t));
}

static void test_eltorito(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);
        g_autofree uint8_t *floppy = g_malloc0(1474560);
        uint8_t mbr[4096] = { [510] = 0x55, [511] = 0xAA, [446 + 4] = 0x0C, [446 + 16 + 4] = 0x83 };
        uint8_t code[3000];
        Content small = boot_content(code, 100);
        Content fl = boot_content(floppy, 1474560), fl_short = boot_content(floppy, 1474560 - 1);
        Content two = boot_content(mbr, sizeof(mbr));

        for (size_t i = 0; i < sizeof(code); i++)
                code[i] = (uint8_t) (i * 7);
        Content noemu = boot_content(code, sizeof(code));
        uint64_t before = master_tree_used_blocks(t);

        assert_boot_error(t, 3, 0, NULL, &noemu, IMAPI_ERROR_INVALID_PARAM);
        assert_boot_error(t, 0, 5, NULL, &noemu, IMAPI_ERROR_INVALID_PARAM);
        assert_boot_error(t, 0, 0, "0123456789012345678901234", &noemu, IMAPI_ERROR_INVALID_PARAM);
        assert_boot_error(t, 0, 0, NULL, &(Content) {}, IMAPI_ERROR_INVALID_PARAM);
        assert_boot_error(t, 0, 1, NULL, &fl, IMAPI_ERROR_BOOT_EMULATION_IMAGE_SIZE_MISMATCH);
        assert_boot_error(t, 0, 2, NULL, &fl_short, IMAPI_ERROR_BOOT_EMULATION_IMAGE_SIZE_MISMATCH);
        assert_boot_error(t, 0, 4, NULL, &small, IMAPI_ERROR_BOOT_IMAGE_DATA);
        assert_boot_error(t, 0, 4, NULL, &two, IMAPI_ERROR_BOOT_IMAGE_DATA); /* two partitions */
        assert_boot_error(t, 0, 4, NULL, &(Content) { .size = (UINT64_C(4) << 30) }, IMAPI_ERROR_DATA_TOO_BIG);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, before);

        MasterBoot b = { .platform = 0xEF, .emulation = 0, .manufacturer = "imapid unit test", .image = &noemu };
        g_assert_cmpint(master_tree_set_boot(t, &b, NULL), ==, 0);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, before + 2 + 2); /* record, catalog, image */
        g_autoptr(GByteArray) img = test_image_read(t, 0, 3);

        const uint8_t *br = img->data + 17 * B;
        uint32_t catalog = 0, load = 0;
        uint16_t sum = 0, sectors = 0;
        g_assert_cmpmem(br + 7, 23, "EL TORITO SPECIFICATION", 23);
        g_assert_cmpint(le32_read(br, B, 71, &catalog), ==, 0);
        const uint8_t *cat = img->data + (size_t) catalog * B;
        for (size_t i = 0; i < 32; i += 2)
                sum = (uint16_t) (sum + (cat[i] | cat[i + 1] << 8));
        g_assert_cmpuint(sum, ==, 0);
        g_assert_cmpuint(cat[1], ==, 0xEF);
        g_assert_cmpmem(cat + 4, 16, "imapid unit test", 16);
        g_assert_cmpuint(cat[30], ==, 0x55);
        g_assert_cmpuint(cat[31], ==, 0xAA);
        g_assert_cmpuint(cat[32], ==, 0x88);
        g_assert_cmpuint(cat[33], ==, 0);
        g_assert_cmpint(le16_read(cat, B, 38, &sectors), ==, 0);
        g_assert_cmpuint(sectors, ==, 8); /* the whole image, in whole blocks */
        g_assert_cmpint(le32_read(cat, B, 40, &load), ==, 0);
        g_assert_cmpmem(img->data + (size_t) load * B, sizeof(code), code, sizeof(code));

        /* hard-disk emulation records the partition type; boot only in the first session */
        mbr[446 + 16 + 4] = 0;
        Content one = boot_content(mbr, sizeof(mbr));
        b = (MasterBoot) { .platform = 0, .emulation = 4, .image = &one };
        g_assert_cmpint(master_tree_set_boot(t, &b, NULL), ==, 0);
        g_assert_cmpuint(t->boot_system_type, ==, 0x0C);
        g_autoptr(MasterImage) im = NULL;
        g_autofree char *err = NULL;
        g_assert_cmpint(master_image_new(t, 1000, &im, &err), ==, -IMAPI_ERROR_BOOT_IMAGE_AND_NONBLANK_DISC);
        g_assert_cmpint(master_tree_set_boot(t, NULL, NULL), ==, 0);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, before);

        Content *all[] = { &small, &fl, &fl_short, &two, &noemu, &one };
        for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
                content_done(all[i]);
}

static void test_volume_descriptors(void)
{
        g_autoptr(MasterTree) t = master_tree_new(NULL);

        g_assert_cmpint(master_tree_set_volume_name(t, "Ferien-Fotos 2024 été", NULL), ==, 0);
        g_assert_cmpint(master_tree_set_volume_time(t, TEST_TIME), ==, 0);
        g_autoptr(GByteArray) img = test_image_read(t, 0, 1);
        const uint8_t *pvd = img->data + 16 * B, *svd = img->data + 17 * B, *term = img->data + 18 * B;

        g_assert_cmpmem(pvd + 40, 32, "FERIEN_FOTOS_2024_ETE           ", 32);
        g_assert_cmpmem(pvd + 813, 16, "2023111422132000", 16);
        g_assert_cmpuint(svd[0], ==, 2);
        g_assert_cmpmem(svd + 88, 3, "%/E", 3);
        g_assert_cmpmem(svd + 40, 6, "\0F\0e\0r", 6);
        g_assert_cmpuint(term[0], ==, 255);
        g_assert_cmpuint(img->len, ==, master_tree_used_blocks(t) * B);
}

int main(int argc, char *argv[])
{
        g_test_init(&argc, &argv, NULL);
        data = test_memfd_new(DATA_SIZE, 7);
        g_test_add_func("/master-image/random-sizes", test_random_sizes);
        g_test_add_func("/master-image/deterministic", test_deterministic);
        g_test_add_func("/master-image/start-lba", test_start_lba);
        g_test_add_func("/master-image/records-and-continuations", test_records_and_continuations);
        g_test_add_func("/master-image/changed-files", test_changed_files);
        g_test_add_func("/master-image/eltorito", test_eltorito);
        g_test_add_func("/master-image/volume-descriptors", test_volume_descriptors);
        int r = g_test_run();
        content_fd_unref(data);
        return r;
}
