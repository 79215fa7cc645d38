/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stash directories, quotas, removable-media and free-space checks, and the StageFiles blob. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "imapi-error.h"
#include "log.h"
#include "stash.h"

struct StashRoot {
        int dir_fd;
        char *path;
        uint64_t reserve_bytes;
        uint64_t max_bytes_per_user;
        GHashTable *user_bytes; /* uid -> uint64_t* */
        GHashTable *stashes;    /* name -> Stash* (borrowed) */
};

struct Stash {
        StashRoot *root;
        char *name;
        uid_t uid;
        int dir_fd;
        uint64_t reserved;
        ContentFd *blob;
        uint64_t blob_size;
};

#define BLOB_NAME "staged-files"

int rm_rf_children(int dir_fd)
{
        g_autofd int fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
        DIR *d;
        struct dirent *de;
        int r = 0;

        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d)
                return -errno;
        fd = -1; /* owned by d now */
        rewinddir(d);
        while ((de = readdir(d))) {
                if (g_str_equal(de->d_name, ".") || g_str_equal(de->d_name, ".."))
                        continue;
                if (unlinkat(dirfd(d), de->d_name, 0) >= 0 || errno == ENOENT)
                        continue;
                if (errno == EISDIR) {
                        g_autofd int sub = openat(dirfd(d), de->d_name,
                                                  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0)
                                (void) rm_rf_children(sub);
                        if (unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR) >= 0)
                                continue;
                }
                if (r == 0)
                        r = -errno;
        }
        closedir(d);
        return r;
}

/* Whether the block device under st_dev (or the disk it is a partition of) is removable. */
static bool device_is_removable(dev_t dev)
{
        char path[128], buf[8] = {};
        FILE *f;

        if (major(dev) == 0)
                return false; /* tmpfs, overlay, btrfs subvolumes: no block device of their own */
        for (int up = 0; up < 2; up++) {
                snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/%sremovable", major(dev), minor(dev),
                         up ? "../" : "");
                f = fopen(path, "re");
                if (!f)
                        continue;
                if (fgets(buf, sizeof(buf), f) && buf[0] == '1') {
                        fclose(f);
                        return true;
                }
                fclose(f);
        }
        return false;
}

static int mkdir_parents(const char *path)
{
        g_autofree char *parent = g_path_get_dirname(path);

        if (g_mkdir_with_parents(parent, 0755) < 0)
                return -errno;
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

int stash_root_open(const char *path, uint64_t reserve_bytes, uint64_t max_bytes_per_user,
                    bool allow_removable, StashRoot **ret, char **reterr_message)
{
        g_autofd int fd = -1;
        struct stat st;
        StashRoot *root;
        int r;

        r = mkdir_parents(path);
        if (r < 0)
                return error_set_message(reterr_message, r, "Cannot create stash directory %s: %s", path,
                                         g_strerror(-r));
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                return error_set_message(reterr_message, -errno, "Cannot open stash directory %s: %m", path);
        if (st.st_uid != 0 && geteuid() == 0)
                return error_set_message(reterr_message, -EPERM, "Stash directory %s is not owned by root",
                                         path);
        if (fchmod(fd, 0700) < 0)
                return error_set_message(reterr_message, -errno, "Cannot make %s private: %m", path);
        if (!allow_removable && device_is_removable(st.st_dev))
                return error_set_message(reterr_message, -IMAPI_ERROR_REMOVABLE_STASH,
                                         "Stash directory %s is on removable media", path);

        r = rm_rf_children(fd);
        if (r < 0)
                log_debug_errno(r, "Failed to delete some stale stashes in %s, ignoring: %m", path);

        root = g_new0(StashRoot, 1);
        root->dir_fd = g_steal_fd(&fd);
        root->path = g_strdup(path);
        root->reserve_bytes = reserve_bytes;
        root->max_bytes_per_user = max_bytes_per_user;
        root->user_bytes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
        root->stashes = g_hash_table_new(g_str_hash, g_str_equal);
        *ret = root;
        return 0;
}

StashRoot *stash_root_free(StashRoot *root)
{
        if (!root)
                return NULL;
        g_assert(g_hash_table_size(root->stashes) == 0);
        g_hash_table_unref(root->stashes);
        g_hash_table_unref(root->user_bytes);
        safe_close(root->dir_fd);
        g_free(root->path);
        g_free(root);
        return NULL;
}

static uint64_t *user_bytes_slot(StashRoot *root, uid_t uid)
{
        uint64_t *slot = g_hash_table_lookup(root->user_bytes, GUINT_TO_POINTER(uid));

        if (!slot) {
                slot = g_new0(uint64_t, 1);
                g_hash_table_insert(root->user_bytes, GUINT_TO_POINTER(uid), slot);
        }
        return slot;
}

uint64_t stash_root_user_bytes(StashRoot *root, uid_t uid)
{
        uint64_t *slot = g_hash_table_lookup(root->user_bytes, GUINT_TO_POINTER(uid));
        return slot ? *slot : 0;
}

static int stash_root_check_space(StashRoot *root, uint64_t more)
{
        struct statvfs sv;
        uint64_t avail;

        if (fstatvfs(root->dir_fd, &sv) < 0)
                return -errno;
        avail = (uint64_t) sv.f_bavail * sv.f_frsize;
        if (avail < root->reserve_bytes || avail - root->reserve_bytes < more)
                return -IMAPI_ERROR_NOT_ENOUGH_DISK_FOR_STASH;
        return 0;
}

int stash_new(StashRoot *root, const char *name, uid_t uid, Stash **ret)
{
        g_autofd int fd = -1;
        Stash *s;
        int r;

        if (strchr(name, '/') || g_str_equal(name, ".") || g_str_equal(name, "..") ||
            g_hash_table_contains(root->stashes, name))
                return -EINVAL;
        r = stash_root_check_space(root, 0);
        if (r < 0)
                return r;
        if (mkdirat(root->dir_fd, name, 0700) < 0)
                return -errno;
        fd = openat(root->dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
                r = -errno;
                (void) unlinkat(root->dir_fd, name, AT_REMOVEDIR);
                return r;
        }

        s = g_new0(Stash, 1);
        s->root = root;
        s->name = g_strdup(name);
        s->uid = uid;
        s->dir_fd = g_steal_fd(&fd);
        g_hash_table_insert(root->stashes, s->name, s);
        *ret = s;
        return 0;
}

Stash *stash_free(Stash *s)
{
        if (!s)
                return NULL;
        stash_unreserve(s, s->reserved);
        s->blob = content_fd_unref(s->blob);
        (void) rm_rf_children(s->dir_fd);
        safe_close(s->dir_fd);
        if (unlinkat(s->root->dir_fd, s->name, AT_REMOVEDIR) < 0)
                log_debug("Failed to remove stash %s, ignoring: %s", s->name, g_strerror(errno));
        g_hash_table_remove(s->root->stashes, s->name);
        g_free(s->name);
        g_free(s);
        return NULL;
}

int stash_dir_fd(Stash *s)
{
        return s->dir_fd;
}

const char *stash_name(Stash *s)
{
        return s->name;
}

uint64_t stash_bytes(Stash *s)
{
        return s->reserved;
}

int stash_reserve(Stash *s, uint64_t bytes)
{
        uint64_t *used = user_bytes_slot(s->root, s->uid);
        int r;

        if (bytes == 0)
                return 0;
        if (*used > s->root->max_bytes_per_user || bytes > s->root->max_bytes_per_user - *used)
                return -IMAPI_ERROR_LIMITS_EXCEEDED;
        r = stash_root_check_space(s->root, bytes);
        if (r < 0)
                return r;
        *used += bytes;
        s->reserved += bytes;
        return 0;
}

uint64_t stash_available(Stash *s)
{
        uint64_t used = stash_root_user_bytes(s->root, s->uid), quota = 0, space = 0;
        struct statvfs sv;

        if (used < s->root->max_bytes_per_user)
                quota = s->root->max_bytes_per_user - used;
        if (fstatvfs(s->root->dir_fd, &sv) >= 0) {
                uint64_t avail = (uint64_t) sv.f_bavail * sv.f_frsize;
                if (avail > s->root->reserve_bytes)
                        space = avail - s->root->reserve_bytes;
        }
        return MIN(quota, space);
}

void stash_unreserve(Stash *s, uint64_t bytes)
{
        uint64_t *used = user_bytes_slot(s->root, s->uid);

        bytes = MIN(bytes, s->reserved);
        s->reserved -= bytes;
        *used -= MIN(bytes, *used);
}

static int stash_open_blob(Stash *s)
{
        int fd;

        if (s->blob)
                return 0;
        fd = openat(s->dir_fd, BLOB_NAME, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        s->blob = content_fd_new(fd);
        s->blob_size = 0;
        return 0;
}

/* copy_file_range() where the kernel can (same or cooperating file systems), read/write otherwise. */
static int copy_range(int in_fd, int out_fd, uint64_t out_off, uint64_t size, uint64_t *ret_copied)
{
        off_t in_pos = 0, out_pos = (off_t) out_off;
        uint64_t done = 0;
        bool use_cfr = true;
        g_autofree uint8_t *buf = NULL;

        while (done < size) {
                size_t chunk = (size_t) MIN(size - done, (uint64_t) 1 << 30);
                ssize_t n = -1;

                if (use_cfr) {
                        n = copy_file_range(in_fd, &in_pos, out_fd, &out_pos, chunk, 0);
                        if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == EOPNOTSUPP ||
                                      errno == ENOSYS || errno == EBADF)) {
                                use_cfr = false;
                                continue;
                        }
                } else {
                        if (!buf)
                                buf = g_malloc(1 << 20);
                        n = pread(in_fd, buf, MIN(chunk, (size_t) 1 << 20), in_pos);
                        if (n > 0) {
                                ssize_t w = pwrite(out_fd, buf, (size_t) n, out_pos);
                                if (w != n)
                                        return w < 0 ? -errno : -EIO;
                                in_pos += n;
                                out_pos += n;
                        }
                }
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                done += (uint64_t) n;
        }
        *ret_copied = done;
        return 0;
}

int stash_copy_in(Stash *s, int fd, uint64_t size, Content *ret)
{
        uint64_t copied = 0, start;
        struct stat st;
        int r;

        r = stash_open_blob(s);
        if (r < 0)
                return r;
        start = s->blob_size;
        r = copy_range(fd, s->blob->fd, start, size, &copied);
        if (r < 0 || copied != size) {
                (void) ftruncate(s->blob->fd, (off_t) start);
                return r < 0 ? -IMAPI_ERROR_DATA_STREAM_READ_FAILURE
                             : -IMAPI_ERROR_DATA_STREAM_INCONSISTENCY;
        }
        s->blob_size += size;
        if (fstat(s->blob->fd, &st) < 0)
                return -errno;
        *ret = (Content){
                .fd = content_fd_ref(s->blob),
                .offset = start,
                .size = size,
                .mtime = st.st_mtim,
                .verify = false,
        };
        return 0;
}

uint64_t stash_blob_size(Stash *s)
{
        return s->blob_size;
}

int stash_blob_truncate(Stash *s, uint64_t size)
{
        if (!s->blob || size >= s->blob_size)
                return 0;
        if (ftruncate(s->blob->fd, (off_t) size) < 0)
                return -errno;
        s->blob_size = size;
        return 0;
}
