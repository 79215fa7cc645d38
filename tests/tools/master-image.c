/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* master-image: stages a local directory tree into a MasterTree and writes the image through MasterImage,
 * the engine's own code path, so that tools we did not write can judge the result. A test tool: unlike the
 * daemon it opens paths itself. */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imapi-error.h"
#include "log.h"
#include "master-image.h"
#include "master-tree.h"

#define READ_BLOCKS_DEFAULT 32 /* 64 KiB: the buffer stays in the CPU cache between read and write */
#define streq(a, b) (strcmp((a), (b)) == 0)

typedef struct Source {
        char *path;             /* relative to the source root */
        struct stat st;
        char *target;           /* symlinks */
} Source;

typedef struct Options {
        unsigned fs;
        char *volume;
        time_t time;
        bool have_time;
        bool mangle;
        bool keep_owner;
        bool keep_deep;
        uint32_t start;
        char *boot;
        unsigned boot_platform;
        unsigned boot_emulation;
        char *boot_id;
        unsigned batch;
        int defer;              /* -1 auto, 0 no, 1 yes */
        bool print_blocks;
        unsigned shuffle;
        unsigned read_blocks;
} Options;

static int src_fd = -1;

static void source_free(void *p)
{
        Source *s = p;
        g_free(s->path);
        g_free(s->target);
        g_free(s);
}

static int walk(int dir_fd, const char *prefix, GPtrArray *out)
{
        g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
        int fd = dup(dir_fd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;

        if (!d)
                return -errno;
        while ((de = readdir(d)))
                if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
                        g_ptr_array_add(names, g_strdup(de->d_name));
        closedir(d);

        for (guint i = 0; i < names->len; i++) {
                Source *s = g_new0(Source, 1);
                const char *name = names->pdata[i];
                s->path = *prefix ? g_strconcat(prefix, "/", name, NULL) : g_strdup(name);
                g_ptr_array_add(out, s);
                if (fstatat(dir_fd, name, &s->st, AT_SYMLINK_NOFOLLOW) < 0)
                        return -errno;
                if (S_ISLNK(s->st.st_mode)) {
                        char buf[PATH_MAX];
                        ssize_t n = readlinkat(dir_fd, name, buf, sizeof(buf) - 1);
                        if (n < 0)
                                return -errno;
                        s->target = g_strndup(buf, (gsize) n);
                } else if (S_ISDIR(s->st.st_mode)) {
                        g_autofd int sub = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0)
                                return -errno;
                        int r = walk(sub, s->path, out);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int source_compare(const void *a, const void *b)
{
        return strcmp((*(Source *const *) a)->path, (*(Source *const *) b)->path);
}

static void content_from_stat(const struct stat *st, ContentFd *fd, Content *ret)
{
        *ret = (Content) {
                .fd = fd,
                .size = (uint64_t) st->st_size,
                .mtime = st->st_mtim,
                .verify = true,
        };
}

static int open_deferred(const char *path, Content *ret, void *userdata)
{
        int fd = openat(src_fd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

        if (fd < 0)
                return -IMAPI_ERROR_DATA_STREAM_READ_FAILURE;
        (void) posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        *ret = (Content) { .fd = content_fd_new(fd) };
        return 0;
}

static int entry_make(const Source *s, bool defer, MasterEntry *e, Content *c)
{
        *e = (MasterEntry) {
                .attr = {
                        .mode = s->st.st_mode & 07777,
                        .uid = s->st.st_uid,
                        .gid = s->st.st_gid,
                        .atime = s->st.st_atim,
                        .mtime = s->st.st_mtim,
                        .ctime = s->st.st_ctim,
                },
        };
        if (S_ISDIR(s->st.st_mode)) {
                e->type = MASTER_ENTRY_DIRECTORY;
                return 0;
        }
        if (S_ISLNK(s->st.st_mode)) {
                e->type = MASTER_ENTRY_SYMLINK;
                e->symlink_target = s->target;
                return 0;
        }
        if (!S_ISREG(s->st.st_mode))
                return -EBADF;
        e->type = MASTER_ENTRY_FILE;
        e->content = c;
        if (defer || s->st.st_size == 0) {
                content_from_stat(&s->st, NULL, c);
                return 0;
        }
        int fd = openat(src_fd, s->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        content_from_stat(&s->st, content_fd_new(fd), c);
        return 0;
}

static int stage_one(MasterTree *t, const Source *s, bool defer, MasterAddFlags flags)
{
        g_autofree char *msg = NULL;
        MasterEntry e;
        Content c = {};
        int r;

        r = entry_make(s, defer, &e, &c);
        if (r == -EBADF) {
                fprintf(stderr, "Skipping '%s': not a file, directory or symlink\n", s->path);
                return 0;
        }
        if (r < 0) {
                fprintf(stderr, "Cannot open '%s': %s\n", s->path, g_strerror(-r));
                return r;
        }
        r = master_tree_add(t, s->path, &e, flags, &msg);
        content_done(&c);
        if (r < 0)
                fprintf(stderr, "Cannot stage '%s': %s (%s)\n", s->path, msg ?: error_to_string(r),
                        imapi_error_name(r) ?: "errno");
        return r;
}

static int stage_all(MasterTree *t, GPtrArray *sources, const Options *o, bool defer)
{
        MasterAddFlags flags = o->mangle ? MASTER_ADD_MANGLE_NAMES : 0;

        for (guint i = 0; i < sources->len; i += o->batch) {
                int r = master_tree_begin(t);
                if (r < 0)
                        return r;
                for (guint k = i; k < MIN(sources->len, i + o->batch); k++) {
                        r = stage_one(t, sources->pdata[k], defer, flags);
                        if (r < 0) {
                                master_tree_rollback(t);
                                return r;
                        }
                }
                (void) master_tree_used_blocks(t); /* what the bus layer asks after every AddData */
                master_tree_commit(t);
        }
        return 0;
}

static int options_apply(MasterTree *t, const Options *o)
{
        g_autofree char *msg = NULL;
        int r;

        r = master_tree_set_file_systems(t, o->fs, &msg);
        if (r >= 0 && o->volume)
                r = master_tree_set_volume_name(t, o->volume, &msg);
        if (r >= 0 && o->have_time)
                r = master_tree_set_volume_time(t, o->time);
        if (r >= 0)
                r = master_tree_set_keep_owner(t, o->keep_owner);
        if (r >= 0)
                r = master_tree_set_relocate_deep(t, !o->keep_deep, &msg);
        if (r < 0)
                fprintf(stderr, "Bad options: %s\n", msg ?: error_to_string(r));
        return r;
}

static int boot_apply(MasterTree *t, const Options *o)
{
        g_autofree char *msg = NULL;
        struct stat st;
        Content c;
        int fd, r;

        if (!o->boot)
                return 0;
        fd = open(o->boot, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0) {
                fprintf(stderr, "Cannot open boot image %s: %m\n", o->boot);
                return -errno;
        }
        content_from_stat(&st, content_fd_new(fd), &c);
        MasterBoot b = {
                .platform = (uint8_t) o->boot_platform,
                .emulation = (uint8_t) o->boot_emulation,
                .manufacturer = o->boot_id,
                .image = &c,
        };
        r = master_tree_set_boot(t, &b, &msg);
        content_done(&c);
        if (r < 0)
                fprintf(stderr, "Bad boot image: %s\n", msg ?: error_to_string(r));
        return r;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
        while (n > 0) {
                ssize_t k = write(fd, p, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

static int image_write(MasterTree *t, const Options *o, const char *out_path, const char *src)
{
        g_autoptr(MasterImage) im = NULL;
        g_autofree char *msg = NULL;
        g_autofree uint8_t *buf = g_malloc((size_t) o->read_blocks * MASTER_BLOCK_SIZE);
        g_autofd int out = -1;
        int64_t n;
        int r;

        r = master_image_new(t, o->start, &im, &msg);
        if (r < 0) {
                fprintf(stderr, "Cannot lay out the image: %s\n", msg ?: error_to_string(r));
                return r;
        }
        master_image_set_content_opener(im, open_deferred, NULL);
        out = streq(out_path, "-") ? dup(STDOUT_FILENO)
                                   : open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0) {
                fprintf(stderr, "Cannot create %s: %m\n", out_path);
                return -errno;
        }
        while ((n = master_image_read(im, buf, o->read_blocks, &msg)) > 0) {
                r = write_all(out, buf, (size_t) n * MASTER_BLOCK_SIZE);
                if (r < 0) {
                        fprintf(stderr, "Cannot write %s: %s\n", out_path, g_strerror(-r));
                        return r;
                }
        }
        if (n < 0) {
                fprintf(stderr, "Mastering failed: %s (%s)\n", msg ?: error_to_string((int) n),
                        imapi_error_name((int) n) ?: "errno");
                return (int) n;
        }
        if (master_image_get_position(im) != master_image_get_blocks(im)) {
                fprintf(stderr, "Image ended after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " blocks\n",
                        master_image_get_position(im), master_image_get_blocks(im));
                return -EIO;
        }
        return 0;
}

static unsigned fs_parse(const char *s)
{
        g_auto(GStrv) parts = g_strsplit(s, ",", -1);
        unsigned mask = 0;

        for (size_t i = 0; parts[i]; i++) {
                if (streq(parts[i], "iso9660"))
                        mask |= MASTER_FS_ISO9660;
                else if (streq(parts[i], "joliet"))
                        mask |= MASTER_FS_JOLIET;
                else if (streq(parts[i], "rockridge"))
                        mask |= MASTER_FS_ROCKRIDGE;
                else
                        return 0;
        }
        return mask;
}

static void usage(void)
{
        fprintf(stderr,
                "usage: master-image [options] SOURCE-DIR OUTPUT|-\n"
                "  --fs=iso9660[,joliet][,rockridge]  file systems (default all three)\n"
                "  --volume=NAME --time=EPOCH --mangle --keep-owner --start=LBA\n"
                "  --keep-deep (no relocation of directories deeper than 8 levels)\n"
                "  --boot=FILE --boot-platform=N --boot-emulation=N --boot-id=STRING\n"
                "  --batch=N (entries per transaction) --defer=auto|yes|no (open files while mastering)\n"
                "  --shuffle=SEED (stage in a shuffled order) --read-blocks=N --print-blocks\n");
}

static int options_parse(int argc, char *argv[], Options *o)
{
        static const struct option opts[] = {
                { "fs", required_argument, NULL, 'f' },         { "volume", required_argument, NULL, 'V' },
                { "time", required_argument, NULL, 't' },       { "mangle", no_argument, NULL, 'm' },
                { "keep-owner", no_argument, NULL, 'k' },       { "keep-deep", no_argument, NULL, 'K' },
                { "start", required_argument, NULL, 's' },
                { "boot", required_argument, NULL, 'b' },       { "boot-platform", required_argument, NULL, 'P' },
                { "boot-emulation", required_argument, NULL, 'E' },
                { "boot-id", required_argument, NULL, 'I' },    { "batch", required_argument, NULL, 'B' },
                { "defer", required_argument, NULL, 'D' },      { "print-blocks", no_argument, NULL, 'p' },
                { "shuffle", required_argument, NULL, 'S' },    { "read-blocks", required_argument, NULL, 'R' },
                {},
        };
        int c;

        *o = (Options) { .fs = MASTER_FS_ALL, .batch = 256, .defer = -1, .read_blocks = READ_BLOCKS_DEFAULT };
        while ((c = getopt_long(argc, argv, "", opts, NULL)) >= 0) {
                switch (c) {
                case 'f': o->fs = fs_parse(optarg); break;
                case 'V': o->volume = optarg; break;
                case 't': o->time = (time_t) strtoll(optarg, NULL, 10), o->have_time = true; break;
                case 'm': o->mangle = true; break;
                case 'k': o->keep_owner = true; break;
                case 'K': o->keep_deep = true; break;
                case 's': o->start = (uint32_t) strtoul(optarg, NULL, 10); break;
                case 'b': o->boot = optarg; break;
                case 'P': o->boot_platform = (unsigned) strtoul(optarg, NULL, 0); break;
                case 'E': o->boot_emulation = (unsigned) strtoul(optarg, NULL, 0); break;
                case 'I': o->boot_id = optarg; break;
                case 'B': o->batch = MAX(1U, (unsigned) strtoul(optarg, NULL, 10)); break;
                case 'D': o->defer = streq(optarg, "yes") ? 1 : streq(optarg, "no") ? 0 : -1; break;
                case 'p': o->print_blocks = true; break;
                case 'S': o->shuffle = (unsigned) strtoul(optarg, NULL, 10); break;
                case 'R': o->read_blocks = MAX(1U, (unsigned) strtoul(optarg, NULL, 10)); break;
                default: return -EINVAL;
                }
        }
        if (argc - optind != 2 || o->fs == 0)
                return -EINVAL;
        return 0;
}

static bool defer_needed(GPtrArray *sources, int defer)
{
        struct rlimit rl;
        guint files = 0;

        if (defer >= 0)
                return defer;
        for (guint i = 0; i < sources->len; i++)
                files += S_ISREG(((Source *) sources->pdata[i])->st.st_mode);
        return getrlimit(RLIMIT_NOFILE, &rl) == 0 && files + 64 > rl.rlim_cur;
}

static int root_attributes_apply(MasterTree *t)
{
        Source root = {};
        MasterEntry e;
        int r;

        if (fstat(src_fd, &root.st) < 0)
                return -errno;
        r = entry_make(&root, false, &e, NULL);
        if (r < 0)
                return r;
        return master_tree_set_root_attributes(t, &e.attr);
}

static void sources_shuffle(GPtrArray *s, unsigned seed)
{
        g_autoptr(GRand) rand = g_rand_new_with_seed(seed);

        for (guint i = s->len; i > 1; i--) {
                guint k = (guint) g_rand_int_range(rand, 0, (gint32) i);
                gpointer tmp = s->pdata[i - 1];
                s->pdata[i - 1] = s->pdata[k];
                s->pdata[k] = tmp;
        }
}

int main(int argc, char *argv[])
{
        g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func(source_free);
        g_autoptr(MasterTree) t = NULL;
        Options o;
        bool defer;
        int r;

        if (options_parse(argc, argv, &o) < 0) {
                usage();
                return 2;
        }
        src_fd = open(argv[optind], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (src_fd < 0 || (r = walk(src_fd, "", sources)) < 0) {
                fprintf(stderr, "Cannot read %s: %m\n", argv[optind]);
                return 1;
        }
        g_ptr_array_sort(sources, source_compare); /* parents before children */
        if (o.shuffle)
                sources_shuffle(sources, o.shuffle);
        defer = defer_needed(sources, o.defer);

        t = master_tree_new(NULL);
        if (root_attributes_apply(t) < 0 || options_apply(t, &o) < 0 || boot_apply(t, &o) < 0 || stage_all(t, sources, &o, defer) < 0)
                return 1;
        if (o.print_blocks)
                printf("%" G_GUINT64_FORMAT "\n", master_tree_used_blocks(t));
        fprintf(stderr, "Staged %zu entries (%s), %" G_GUINT64_FORMAT " blocks\n", master_tree_n_entries(t),
                defer ? "files opened while mastering" : "files held open", master_tree_used_blocks(t));
        if (image_write(t, &o, argv[optind + 1], argv[optind]) < 0)
                return 1;
        return 0;
}
