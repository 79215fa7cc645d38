/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.ImageDiscMaster: SetImage takes a client-opened image file and checks it. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bus-disc-master.h"
#include "bus-errors.h"
#include "bus-image.h"
#include "bus-util.h"
#include "disc-master.h"
#include "image-check.h"
#include "imapi-error.h"
#include "log.h"

static int property_get_image_blocks(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                     sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        uint32_t blocks = (uint32_t) MIN(dm->image_blocks, UINT32_MAX);
        return sd_bus_message_append_basic(reply, 'u', &blocks);
}

static int method_set_image(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        DiscMaster *dm = userdata;
        g_autofree char *message = NULL;
        g_autofd int fd = -1;
        bool raw = false;
        const BusOption options[] = {
                {"raw", BUS_OPTION_BOOLEAN, &raw},
        };
        int client_fd, k;
        Content c = {};

        k = sd_bus_message_read(msg, "h", &client_fd);
        if (k < 0)
                return k;
        k = bus_read_options(msg, options, ELEMENTSOF(options), false, NULL, error);
        if (k < 0)
                return k;
        if ((k = bus_disc_master_check_owner(dm, msg, error)) < 0 ||
            (k = bus_disc_master_check_format(dm, DISC_FORMAT_IMAGE, error)) < 0)
                return k;

        fd = fcntl(client_fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return -errno;
        k = image_check_fd(fd, raw, &c, &message);
        if (k < 0)
                return bus_error_set(error, k, message);

        c.fd = content_fd_new(g_steal_fd(&fd));
        content_done(&dm->image);
        dm->image = c;
        dm->image_blocks = c.size / 2048;
        log_info("Disc master %u: image of %" G_GUINT64_FORMAT " blocks", dm->id, dm->image_blocks);
        (void) sd_bus_emit_properties_changed(dm->manager->bus, dm->object_path,
                                              IMAPI_IMAGE_DISC_MASTER_INTERFACE, "ImageBlocks", NULL);
        return sd_bus_reply_method_return(msg, NULL);
}

static const sd_bus_vtable image_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("ImageBlocks", "u", property_get_image_blocks, 0,
                        SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_METHOD_WITH_ARGS("SetImage", SD_BUS_ARGS("h", fd, "a{sv}", options), SD_BUS_NO_RESULT,
                                method_set_image, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_VTABLE_END,
};

int bus_image_register(Manager *m)
{
        return sd_bus_add_fallback_vtable(m->bus, NULL, IMAPI_DISC_MASTER_PATH_PREFIX,
                                          IMAPI_IMAGE_DISC_MASTER_INTERFACE, image_vtable,
                                          bus_disc_master_find, m);
}
