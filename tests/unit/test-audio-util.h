/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers for the audio tests: a throw-away stash directory and recognisable PCM. */
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "audio-layout.h"
#include "macros.h"

typedef struct TestStash {
        char *path;
        int fd;
} TestStash;

static inline void test_stash_init(TestStash *s)
{
        g_autoptr(GError) error = NULL;

        s->path = g_dir_make_tmp("imapid-audio-XXXXXX", &error);
        g_assert_no_error(error);
        s->fd = open(s->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        g_assert_cmpint(s->fd, >=, 0);
}

/* The number of entries in the stash directory. */
static inline unsigned test_stash_count(const TestStash *s)
{
        g_autoptr(GDir) dir = g_dir_open(s->path, 0, NULL);
        unsigned n = 0;

        g_assert_nonnull(dir);
        while (g_dir_read_name(dir))
                n++;
        return n;
}

static inline void test_stash_done(TestStash *s)
{
        g_autoptr(GDir) dir = g_dir_open(s->path, 0, NULL);
        const char *name;

        while (dir && (name = g_dir_read_name(dir))) {
                g_autofree char *p = g_build_filename(s->path, name, NULL);
                (void) g_unlink(p);
        }
        (void) g_rmdir(s->path);
        s->fd = safe_close(s->fd);
        g_clear_pointer(&s->path, g_free);
}

/* PCM that differs per track and per byte (never all zero, so gaps are told apart). */
static inline uint8_t test_pcm_byte(unsigned track, uint64_t i)
{
        uint32_t x = (uint32_t) (i * 2654435761u) ^ (track * 0x9e3779b9u) ^ (uint32_t) (i >> 9);
        return (uint8_t) ((x >> 13) | 1);
}

static inline uint8_t *test_pcm_new(unsigned track, uint64_t first_block, uint32_t blocks)
{
        uint8_t *p = g_malloc((size_t) blocks * AUDIO_BLOCK_SIZE);

        for (size_t i = 0; i < (size_t) blocks * AUDIO_BLOCK_SIZE; i++)
                p[i] = test_pcm_byte(track, first_block * AUDIO_BLOCK_SIZE + i);
        return p;
}
