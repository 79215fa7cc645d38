/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: the ISO 9660 / UDF volume check of ImageDiscMaster.SetImage (daemon/burn/image-check.c),
 * the only code in the daemon that reads ISO structures from a client: image_has_volume() on the bytes,
 * and image_check_fd() on them as the file a client hands in (a memfd). The daemon writes ISO 9660 (master/)
 * but parses no directory records: there is no such parser to fuzz. */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "fuzz.h"
#include "image-check.h"

#define SECTOR 2048

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        return 0;
}

/* The input is the volume descriptor area: it goes at sector 16, after an empty system area. */
static int image_fd(const uint8_t *data, size_t size)
{
        int fd = memfd_create("fuzz-image", MFD_CLOEXEC);

        if (fd < 0)
                abort();
        if (ftruncate(fd, 16 * SECTOR) < 0 || pwrite(fd, data, size, 16 * SECTOR) != (ssize_t) size)
                abort();
        return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        g_autofree char *message = NULL;
        Content content = {};
        bool has;
        int fd, r;

        (void) image_has_volume(data, size);
        has = image_has_volume(data, MIN(size, 16 * SECTOR)); /* image_check_fd() reads sectors 16..31 */
        fd = image_fd(data, size);
        r = image_check_fd(fd, false, &content, &message);
        /* Whole sectors with a volume are accepted; what has none is refused with a message. */
        if (size % SECTOR == 0 && has != (r >= 0))
                abort();
        if (r < 0 && !message)
                abort();
        close(fd);
        return 0;
}
