/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What newer GLib has and Debian 12's 2.74 lacks: g_autofd. */
#pragma once

#include <errno.h>
#include <glib.h>
#include <unistd.h>

#if !GLIB_CHECK_VERSION(2, 76, 0)
static inline void imapi_autofd_close(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                (void) close(*fd);
                errno = saved;
        }
}
#define g_autofd __attribute__((cleanup(imapi_autofd_close)))
#endif

/* Close an fd and set it to -1; accepts -1. */
static inline int safe_close(int fd)
{
        if (fd >= 0) {
                int saved = errno;
                (void) close(fd);
                errno = saved;
        }
        return -1;
}
