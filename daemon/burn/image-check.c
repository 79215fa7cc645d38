/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Image validation for ImageDiscMaster.SetImage (ECMA-119 §8, ECMA-167 2/9.1). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image-check.h"
#include "imapi-error.h"
#include "macros.h"

#define SECTOR      2048
#define VRS_FIRST   16
#define VRS_SECTORS 16 /* look at sectors 16..31 for descriptors */

bool image_has_volume(const uint8_t *sectors, size_t size)
{
        for (size_t s = 0; (s + 1) * SECTOR <= size; s++) {
                const uint8_t *d = sectors + s * SECTOR;
                /* ECMA-119 §8.4: type 1 primary volume descriptor "CD001" version 1. */
                if (d[0] == 1 && memcmp(d + 1, "CD001", 5) == 0 && d[6] == 1)
                        return true;
                /* ECMA-167 2/9.1: NSR02 or NSR03 in the volume recognition sequence. */
                if (d[0] == 0 && (memcmp(d + 1, "NSR02", 5) == 0 || memcmp(d + 1, "NSR03", 5) == 0))
                        return true;
                if (d[0] == 0xFF && memcmp(d + 1, "CD001", 5) == 0)
                        break; /* set terminator, no PVD before it */
        }
        return false;
}

static int read_volume_area(int fd, uint8_t *buf, size_t size, size_t *ret_read)
{
        size_t done = 0;

        while (done < size) {
                ssize_t n = pread(fd, buf + done, size - done, (off_t) (VRS_FIRST * SECTOR + done));
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                done += (size_t) n;
        }
        *ret_read = done;
        return 0;
}

int image_check_fd(int fd, bool raw, Content *ret, char **reterr_message)
{
        g_autofree uint8_t *buf = g_malloc(VRS_SECTORS * SECTOR);
        size_t got = 0;
        struct stat st;
        int flags, r;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return error_set_message(reterr_message, EINVAL, "The image must be a regular file");
        flags = fcntl(fd, F_GETFL);
        if (flags < 0)
                return -errno;
        if ((flags & O_ACCMODE) == O_WRONLY)
                return error_set_message(reterr_message, EINVAL,
                                         "The image's file descriptor is not readable");
        if (st.st_size == 0)
                return error_set_message(reterr_message, IMAPI_ERROR_INVALID_IMAGE, "The image is empty");
        if (st.st_size % SECTOR != 0)
                return error_set_message(reterr_message, IMAPI_ERROR_IMAGE_MANAGER_IMAGE_NOT_ALIGNED,
                                         "The image's size %" G_GINT64_FORMAT
                                         " is not a multiple of 2048 bytes",
                                         (gint64) st.st_size);
        if (!raw) {
                r = read_volume_area(fd, buf, VRS_SECTORS * SECTOR, &got);
                if (r < 0)
                        return error_set_message(reterr_message, IMAPI_ERROR_DATA_STREAM_READ_FAILURE,
                                                 "Cannot read the image: %s", g_strerror(-r));
                if (!image_has_volume(buf, got))
                        return error_set_message(reterr_message, IMAPI_ERROR_IMAGE_MANAGER_NO_VALID_VD_FOUND,
                                                 "The image holds no ISO 9660 or UDF volume (use the option "
                                                 "raw to burn it anyway)");
        }
        *ret = (Content){
                .offset = 0,
                .size = (uint64_t) st.st_size,
                .mtime = st.st_mtim,
                .verify = true,
        };
        return 0;
}
