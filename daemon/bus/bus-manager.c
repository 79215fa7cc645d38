/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.freedesktop.IMAPI1.Manager: Version, Recorders, Formats; Open; virtual recorders; PnPActivity. */
#include <errno.h>

#include "build-config.h"
#include "bus-errors.h"
#include "bus-manager.h"
#include "bus-util.h"
#include "disc-master.h"
#include "imapi-error.h"
#include "log.h"
#include "polkit-actions.h"
#include "polkit.h"
#include "recorder.h"
#include "virtual-recorder.h"

#define CLIENT_NAME_MAX 128

static int property_get_recorders(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                  sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        g_auto(GStrv) paths = manager_recorder_paths(userdata);
        int k = sd_bus_message_open_container(reply, 'a', "o");

        for (char **p = paths; k >= 0 && *p; p++)
                k = sd_bus_message_append_basic(reply, 'o', *p);
        if (k >= 0)
                k = sd_bus_message_close_container(reply);
        return k;
}

static int property_get_formats(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return sd_bus_message_append(reply, "as", 3, "joliet", "redbook", "image");
}

static bool client_name_is_valid(const char *name)
{
        if (strlen(name) > CLIENT_NAME_MAX || !g_utf8_validate(name, -1, NULL))
                return false;
        for (const char *p = name; *p; p = g_utf8_next_char(p))
                if (!g_unichar_isprint(g_utf8_get_char(p)))
                        return false;
        return true;
}

static int method_open(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        Manager *m = userdata;
        g_autofree char *client_name = NULL, *message = NULL;
        const BusOption options[] = {
                {"client-name", BUS_OPTION_STRING, &client_name},
        };
        DiscMaster *dm;
        int k;

        k = bus_read_options(msg, options, ELEMENTSOF(options), false, NULL, error);
        if (k < 0)
                return k;
        if (client_name && !client_name_is_valid(client_name))
                return bus_error_setf(error, -EINVAL,
                                      "client-name must be printable UTF-8 of at most %d bytes",
                                      CLIENT_NAME_MAX);

        k = disc_master_new(m, msg, client_name, &dm, &message);
        if (k < 0)
                return bus_error_set(error, k, message);
        log_info("Opened disc master %u for '%s' (%s, uid %u)", dm->id, dm->client_name, dm->owner,
                 (unsigned) dm->uid);
        return sd_bus_reply_method_return(msg, "o", dm->object_path);
}

static int method_create_virtual_recorder(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        Manager *m = userdata;
        VirtualRecorderConfig vc = {};
        bool persistent = false;
        g_autofree char *message = NULL;
        const char *name;
        const BusOption options[] = {
                {"profiles", BUS_OPTION_STRV, &vc.profiles}, {"medium", BUS_OPTION_STRING, &vc.medium},
                {"speed", BUS_OPTION_UINT32, &vc.speed},     {"persistent", BUS_OPTION_BOOLEAN, &persistent},
                {"faults", BUS_OPTION_STRING, &vc.faults},
        };
        Recorder *r = NULL;
        int k;

        k = sd_bus_message_read(msg, "s", &name);
        if (k >= 0)
                k = bus_read_options(msg, options, ELEMENTSOF(options), false, NULL, error);
        if (k >= 0 && !vc.medium) /* the documented default: a blank CD-R, or the first profile offered */
                vc.medium =
                        g_strdup(!vc.profiles || !vc.profiles[0] ||
                                                 g_strv_contains((const char *const *) vc.profiles, "cd-r")
                                         ? "cd-r"
                                         : vc.profiles[0]);
        if (k >= 0)
                k = virtual_recorder_config_validate(name, &vc, &message);
        if (k >= 0 && m->n_virtual_recorders >= m->config.max_virtual_recorders)
                k = error_set_message(&message, IMAPI_ERROR_LIMITS_EXCEEDED,
                                      "There are already %u virtual recorders (VirtualRecorders)",
                                      m->config.max_virtual_recorders);
        if (k >= 0) {
                k = polkit_check(m->polkit, msg, POLKIT_ACTION_MANAGE_VIRTUAL_RECORDERS, NULL, error);
                if (k == 0)
                        k = 1; /* asked polkit */
                else if (k > 0) {
                        vc.name = g_strdup(name);
                        k = manager_create_virtual_recorder(m, &vc, persistent, &r, &message);
                        if (k >= 0) {
                                log_info("Created virtual recorder %s", r->id);
                                k = sd_bus_reply_method_return(msg, "o", r->object_path);
                        }
                }
        }
        g_free(vc.name);
        g_strfreev(vc.profiles);
        g_free(vc.medium);
        g_free(vc.faults);
        if (k < 0 && !sd_bus_error_is_set(error))
                return bus_error_set(error, k, message);
        return k;
}

static int method_remove_virtual_recorder(sd_bus_message *msg, void *userdata, sd_bus_error *error)
{
        Manager *m = userdata;
        const char *path;
        Recorder *r;
        int k;

        k = sd_bus_message_read(msg, "o", &path);
        if (k < 0)
                return k;
        k = bus_read_options(msg, NULL, 0, false, NULL, error);
        if (k < 0)
                return k;
        r = manager_find_recorder_by_path(m, path);
        if (!r)
                return bus_error_setf(error, -IMAPI_ERROR_DEVICE_NOT_PRESENT, "No recorder at %s", path);
        if (!r->is_virtual)
                return bus_error_setf(error, -EINVAL, "Recorder %s is not a virtual recorder", r->id);
        if (r->holder)
                return bus_error_setf(error, -IMAPI_ERROR_DEVICE_STILL_IN_USE,
                                      "Recorder %s is in use by '%s'", r->id, r->owner);
        k = polkit_check(m->polkit, msg, POLKIT_ACTION_MANAGE_VIRTUAL_RECORDERS, NULL, error);
        if (k <= 0)
                return k < 0 ? k : 1;

        log_info("Removing virtual recorder %s", r->id);
        virtual_recorder_forget(r); /* a persistent one's disc is deleted too */
        manager_remove_recorder(m, r);
        return sd_bus_reply_method_return(msg, NULL);
}

static int property_get_version(sd_bus *bus, const char *path, const char *iface, const char *prop,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error)
{
        return sd_bus_message_append(reply, "s", PACKAGE_VERSION);
}

static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Version", "s", property_get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Recorders", "ao", property_get_recorders, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Formats", "as", property_get_formats, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("Open", SD_BUS_ARGS("a{sv}", options), SD_BUS_RESULT("o", disc_master),
                                method_open, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("CreateVirtualRecorder", SD_BUS_ARGS("s", name, "a{sv}", options),
                                SD_BUS_RESULT("o", recorder), method_create_virtual_recorder,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("RemoveVirtualRecorder", SD_BUS_ARGS("o", recorder, "a{sv}", options),
                                SD_BUS_NO_RESULT, method_remove_virtual_recorder,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL("PnPActivity", "", 0),
        SD_BUS_VTABLE_END,
};

int bus_manager_register(Manager *m)
{
        int k;

        k = sd_bus_add_object_manager(m->bus, NULL, IMAPI_ROOT_PATH);
        if (k < 0)
                return k;
        return sd_bus_add_object_vtable(m->bus, NULL, IMAPI_ROOT_PATH, IMAPI_MANAGER_INTERFACE,
                                        manager_vtable, m);
}
