/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Content: file data as a range of a shared fd, read with pread and checked for changes. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content.h"
#include "imapi-error.h"
#include "macros.h"

ContentFd *content_fd_new(int fd)
{
        ContentFd *c = g_new(ContentFd, 1);
        c->fd = fd;
        c->n_ref = 1;
        return c;
}

ContentFd *content_fd_ref(ContentFd *c)
{
        if (c)
                c->n_ref++;
        return c;
}

ContentFd *content_fd_unref(ContentFd *c)
{
        if (c && --c->n_ref == 0) {
                safe_close(c->fd);
                g_free(c);
        }
        return NULL;
}

void content_done(Content *c)
{
        c->fd = content_fd_unref(c->fd);
}

void content_copy(Content *dst, const Content *src)
{
        *dst = *src;
        dst->fd = content_fd_ref(src->fd);
}

int content_check_unchanged(const Content *c)
{
        struct stat st;

        if (!c->verify || !c->fd)
                return 0;
        if (fstat(c->fd->fd, &st) < 0)
                return -errno;
        if ((uint64_t) st.st_size != c->size || st.st_mtim.tv_sec != c->mtime.tv_sec ||
            st.st_mtim.tv_nsec != c->mtime.tv_nsec)
                return -IMAPI_ERROR_DATA_STREAM_INCONSISTENCY;
        return 0;
}

int content_read(const Content *c, uint64_t pos, void *buf, size_t size)
{
        uint8_t *p = buf;

        if (pos > c->size || size > c->size - pos)
                return -EINVAL;
        while (size > 0) {
                ssize_t n = pread(c->fd->fd, p, size, (off_t) (c->offset + pos));
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -IMAPI_ERROR_DATA_STREAM_READ_FAILURE;
                }
                if (n == 0)
                        return -IMAPI_ERROR_DATA_STREAM_INCONSISTENCY;
                p += n;
                pos += (uint64_t) n;
                size -= (size_t) n;
        }
        return 0;
}
