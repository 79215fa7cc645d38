/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the mastering unit tests: entries backed by a memfd, images read into memory. */
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include "imapi-error.h"
#include "master-image.h"
#include "master-internal.h"
#include "master-tree.h"

#define TEST_TIME 1700000000

/* A memfd of 'size' pseudo-random bytes: file contents are ranges of it. */
static inline ContentFd *test_memfd_new(size_t size, guint32 seed)
{
        g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
        g_autofree uint8_t *buf = g_malloc(size);
        int fd = memfd_create("master-test", MFD_CLOEXEC);

        g_assert_cmpint(fd, >=, 0);
        for (size_t i = 0; i < size; i++)
                buf[i] = (uint8_t) g_rand_int(rand);
        g_assert_cmpint(pwrite(fd, buf, size, 0), ==, (ssize_t) size);
        return content_fd_new(fd);
}

static inline Content test_content(ContentFd *fd, uint64_t offset, uint64_t size)
{
        return (Content) {
                .fd = size > 0 ? fd : NULL,
                .offset = offset,
                .size = size,
        };
}

static inline MasterAttributes test_attr(mode_t mode, time_t t)
{
        return (MasterAttributes) {
                .mode = mode,
                .uid = 1000,
                .gid = 1000,
                .atime = { .tv_sec = t },
                .mtime = { .tv_sec = t },
                .ctime = { .tv_sec = t },
        };
}

static inline int test_add_file(MasterTree *t, const char *path, const Content *c, MasterAddFlags flags,
                                char **err)
{
        MasterEntry e = { .type = MASTER_ENTRY_FILE, .attr = test_attr(0644, TEST_TIME), .content = c };
        return master_tree_add(t, path, &e, flags, err);
}

static inline int test_add_dir(MasterTree *t, const char *path, MasterAddFlags flags, char **err)
{
        MasterEntry e = { .type = MASTER_ENTRY_DIRECTORY, .attr = test_attr(0750, TEST_TIME) };
        return master_tree_add(t, path, &e, flags, err);
}

static inline int test_add_symlink(MasterTree *t, const char *path, const char *target, MasterAddFlags flags,
                                   char **err)
{
        MasterEntry e = { .type = MASTER_ENTRY_SYMLINK, .attr = test_attr(0777, TEST_TIME),
                          .symlink_target = target };
        return master_tree_add(t, path, &e, flags, err);
}

/* The whole image, read in chunks of 'chunk' blocks; asserts its size is master_tree_used_blocks(). */
static inline GByteArray *test_image_read(MasterTree *t, uint32_t start, size_t chunk)
{
        g_autoptr(MasterImage) im = NULL;
        g_autofree char *err = NULL;
        uint64_t used = master_tree_used_blocks(t);
        GByteArray *out = g_byte_array_new();
        g_autofree uint8_t *buf = g_malloc(chunk * MASTER_BLOCK_SIZE);
        int64_t n;

        g_assert_cmpint(master_image_new(t, start, &im, &err), ==, 0);
        g_assert_cmpuint(master_image_get_blocks(im), ==, used);
        g_assert_cmpuint(master_tree_used_blocks(t), ==, used); /* frozen: the cached value */
        while ((n = master_image_read(im, buf, chunk, &err)) > 0)
                g_byte_array_append(out, buf, (guint) (n * MASTER_BLOCK_SIZE));
        g_assert_cmpint(n, ==, 0);
        g_assert_cmpuint(out->len, ==, used * MASTER_BLOCK_SIZE);
        return out;
}

static inline char *test_image_checksum(MasterTree *t, uint32_t start)
{
        g_autoptr(GByteArray) img = test_image_read(t, start, 64);
        return g_compute_checksum_for_data(G_CHECKSUM_SHA256, img->data, img->len);
}
