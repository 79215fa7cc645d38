/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the bytes of a staged file live: a range of an open file descriptor.
 *
 * Either the fd the client sent (held until the burn reads it, then checked for changes), or the
 * disc master's stash blob, into which StageFiles copied the data. The daemon never opens a path a
 * client named: every Content starts as an fd the client opened. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

typedef struct ContentFd ContentFd; /* a shared, reference-counted fd */

struct ContentFd {
        int fd;
        unsigned n_ref;
};

ContentFd *content_fd_new(int fd); /* takes ownership of fd */
ContentFd *content_fd_ref(ContentFd *c);
ContentFd *content_fd_unref(ContentFd *c);

typedef struct Content {
        ContentFd *fd;         /* NULL for empty files */
        uint64_t offset;       /* where the data starts in fd */
        uint64_t size;         /* bytes */
        struct timespec mtime; /* as fstat() saw it when staged */
        bool verify;           /* re-check size and mtime before reading (client fds) */
} Content;

void content_done(Content *c);                       /* drops the fd reference; the struct may be reused */
void content_copy(Content *dst, const Content *src); /* takes a new reference */

/* Reads size bytes at offset 'pos' within the content into buf (pread, retried on EINTR).
 * -IMAPI_ERROR_DATA_STREAM_INCONSISTENCY when the file is shorter than staged or (verify) changed. */
int content_read(const Content *c, uint64_t pos, void *buf, size_t size);

/* With verify: fstat the fd and compare size and mtime against what was staged. */
int content_check_unchanged(const Content *c);
