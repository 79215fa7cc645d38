/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Glue between device/device-monitor.c and the bus: export, PnPActivity, media properties, removal. */
#include "bus-recorder.h"
#include "device-monitor.h"
#include "log.h"
#include "manager-devices.h"

static int on_recorder_added(Recorder *r, void *userdata)
{
        Manager *m = userdata;
        int k;

        k = manager_add_recorder(m, recorder_ref(r)); /* InterfacesAdded, PnPActivity, Recorders */
        if (k < 0) {
                recorder_unref(r);
                return log_warning_errno(k, "Failed to add recorder %s on %s: %m", r->id, r->device);
        }
        log_info("Recorder %s on %s: %s %s %s", r->id, r->device, r->identity.vendor, r->identity.product,
                 r->identity.revision);
        return 0;
}

static void on_recorder_removed(Recorder *r, void *userdata)
{
        Manager *m = userdata;

        log_info("Recorder %s on %s removed%s", r->id, r->device, r->holder ? " while held" : "");
        manager_remove_recorder(m, r); /* InterfacesRemoved, PnPActivity, Recorders */
}

static void on_media_changed(Recorder *r, void *userdata)
{
        bus_recorder_emit_changed(userdata, r, "MediaPresent", "MediaProfile", "MediaType", "MediaFlags",
                                  "MediaState", "Sessions", "LastTrack", "StartAddress", "NextWritable",
                                  "FreeBlocks", "TotalBlocks", "WriteSpeeds", "MaxWriteSpeed", NULL);
}

int manager_start_device_monitor(Manager *m)
{
        static const DeviceMonitorCallbacks callbacks = {
                .recorder_added = on_recorder_added,
                .recorder_removed = on_recorder_removed,
                .media_changed = on_media_changed,
        };
        int k;

        k = device_monitor_new(m->event, IMAPI_RECORDER_PATH_PREFIX, &callbacks, m, &m->device_monitor);
        if (k < 0)
                return log_error_errno(k, "Failed to watch for optical drives: %m");
        return 0;
}

void manager_stop_device_monitor(Manager *m)
{
        m->device_monitor = device_monitor_free(m->device_monitor);
}
