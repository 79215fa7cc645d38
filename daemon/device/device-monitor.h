/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Real recorders from udev: the optical drives present at start-up (block devices with ID_CDROM=1) and
 * those plugged later (a udev monitor as an sd-event I/O source). Each drive is probed through the MMC
 * layer in a worker thread (INQUIRY, GET CONFIGURATION, mode page 2Ah, then the disc) and handed to the
 * owner as a Recorder when it can write some profile. "change" events re-read the disc, in a worker too;
 * "remove" marks the Recorder gone (its commands fail with DeviceNotPresent) and takes it away.
 *
 * Recorder ids are stable across restarts and re-plugs: udev's ID_SERIAL, else ID_PATH, else the kernel
 * name; the object path is the id path-encoded. No D-Bus here: the owner (manager-devices.c) exports. */
#pragma once

#include <systemd/sd-event.h>

#include "recorder.h"

typedef struct DeviceMonitor DeviceMonitor;

typedef struct DeviceMonitorCallbacks {
        /* A probed recorder: the owner exports it and takes its own reference. < 0 refuses it. */
        int (*recorder_added)(Recorder *r, void *userdata);
        /* Gone from the system (already marked gone): the owner unexports it. */
        void (*recorder_removed)(Recorder *r, void *userdata);
        /* The disc's properties were re-read and differ. */
        void (*media_changed)(Recorder *r, void *userdata);
} DeviceMonitorCallbacks;

/* Starts watching (udev monitor first, then the enumeration, so nothing is missed) on 'event'; object
 * paths are 'path_prefix'/<encoded id>. Probes run in workers; callbacks come from the loop. */
int device_monitor_new(sd_event *event, const char *path_prefix, const DeviceMonitorCallbacks *callbacks,
                       void *userdata, DeviceMonitor **ret);
/* Stops at once: no callback runs afterwards, probes still running end without effect. */
DeviceMonitor *device_monitor_free(DeviceMonitor *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DeviceMonitor, device_monitor_free)

/* The stable id udev gives a drive (ID_SERIAL, else ID_PATH, else 'sysname'); exposed for tests. */
char *device_monitor_id_from_properties(const char *id_serial, const char *id_path, const char *sysname);
