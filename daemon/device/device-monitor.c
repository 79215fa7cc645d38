/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Optical drives from udev: enumeration, hotplug, probing in workers, media change refreshes, removal. */
#include <errno.h>
#include <string.h>

#include <libudev.h>
#include <systemd/sd-bus.h>

#include "device-monitor.h"
#include "log.h"
#include "macros.h"
#include "real-recorder.h"
#include "worker.h"

typedef struct udev_device UdevDevice;
typedef struct udev_enumerate UdevEnumerate;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UdevDevice, udev_device_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(UdevEnumerate, udev_enumerate_unref)

typedef struct DeviceCall DeviceCall;

typedef struct DeviceEntry {
        char *syspath;
        Recorder *recorder; /* made at "add"; handed to the owner once the probe says it writes */
        bool exported;
        bool probed;         /* the drive answered the probe (a recorder or not) */
        DeviceCall *pending; /* the worker running for this drive */
        bool refresh_again;  /* a "change" came while the worker ran */
} DeviceEntry;

struct DeviceMonitor {
        unsigned n_ref; /* the owner's and one per running worker */
        bool stopped;
        sd_event *event;
        char *path_prefix;
        DeviceMonitorCallbacks callbacks;
        void *userdata;
        struct udev *udev;
        struct udev_monitor *udev_monitor;
        sd_event_source *source;
        GHashTable *entries; /* syspath -> DeviceEntry */
};

typedef enum DeviceCallKind {
        DEVICE_CALL_PROBE,
        DEVICE_CALL_REFRESH,
} DeviceCallKind;

struct DeviceCall {
        DeviceMonitor *monitor;
        char *syspath;
        Recorder *recorder;
        DeviceCallKind kind;
        RecorderMedia media; /* read in the worker, applied on the loop */
        MediaInfo info;
        int media_result;
};

static DeviceMonitor *device_monitor_unref(DeviceMonitor *m)
{
        if (!m || --m->n_ref > 0)
                return NULL;
        g_hash_table_unref(m->entries);
        g_free(m->path_prefix);
        g_free(m);
        return NULL;
}

static void device_entry_free(DeviceEntry *e)
{
        recorder_unref(e->recorder);
        g_free(e->syspath);
        g_free(e);
}

char *device_monitor_id_from_properties(const char *id_serial, const char *id_path, const char *sysname)
{
        if (id_serial && *id_serial)
                return g_strdup(id_serial);
        if (id_path && *id_path)
                return g_strdup(id_path);
        return g_strdup(sysname);
}

static bool id_in_use(DeviceMonitor *m, const char *id)
{
        GHashTableIter it;
        DeviceEntry *e;

        g_hash_table_iter_init(&it, m->entries);
        while (g_hash_table_iter_next(&it, NULL, (gpointer *) &e))
                if (g_str_equal(e->recorder->id, id))
                        return true;
        return false;
}

/* ID_SERIAL, unless another drive has the same one (cheap drives share made-up serials): then ID_PATH. */
static char *device_id(DeviceMonitor *m, struct udev_device *d)
{
        const char *serial = udev_device_get_property_value(d, "ID_SERIAL");
        const char *path = udev_device_get_property_value(d, "ID_PATH");
        const char *sysname = udev_device_get_sysname(d);
        char *id = device_monitor_id_from_properties(serial, path, sysname);

        if (id_in_use(m, id)) {
                g_free(id);
                id = device_monitor_id_from_properties(NULL, path, sysname);
        }
        if (id_in_use(m, id)) {
                g_free(id);
                id = g_strdup(sysname);
        }
        return id;
}

/* Workers. */

static int device_call_run(Worker *w, void *userdata)
{
        DeviceCall *c = userdata;
        int k;

        if (c->kind == DEVICE_CALL_PROBE) {
                k = recorder_probe(c->recorder);
                if (k < 0)
                        return k;
        }
        c->media_result = recorder_read_media(c->recorder, &c->media, &c->info);
        return c->kind == DEVICE_CALL_REFRESH ? c->media_result : 0;
}

static void device_call_free(DeviceCall *c)
{
        recorder_media_done(&c->media);
        recorder_unref(c->recorder);
        device_monitor_unref(c->monitor);
        g_free(c->syspath);
        g_free(c);
}

static void device_entry_start(DeviceMonitor *m, DeviceEntry *e, DeviceCallKind kind);

static void probe_done(DeviceMonitor *m, DeviceEntry *e, DeviceCall *c, int result)
{
        Recorder *r = e->recorder;
        int k;

        if (result == -EOPNOTSUPP) {
                e->probed = true;
                log_debug("%s (%s) reads but writes no profile: not a recorder", r->device, r->id);
                return;
        }
        if (result < 0) {
                log_debug_errno(result, "Failed to probe %s, trying again at its next change event: %m",
                                r->device);
                return;
        }
        e->probed = true;
        if (c->media_result >= 0)
                (void) recorder_apply_media(r, &c->media, &c->info);
        k = m->callbacks.recorder_added ? m->callbacks.recorder_added(r, m->userdata) : 0;
        if (k < 0)
                log_debug_errno(k, "Recorder %s on %s refused, ignoring: %m", r->id, r->device);
        else
                e->exported = true;
}

static void device_call_done(int result, void *userdata)
{
        DeviceCall *c = userdata;
        DeviceMonitor *m = c->monitor;
        DeviceEntry *e = m->stopped ? NULL : g_hash_table_lookup(m->entries, c->syspath);

        if (!e || e->pending != c) { /* stopped, or the drive went away meanwhile */
                device_call_free(c);
                return;
        }
        e->pending = NULL;
        if (c->kind == DEVICE_CALL_PROBE)
                probe_done(m, e, c, result);
        else if (result < 0)
                log_debug_errno(result, "Failed to read the disc in %s, ignoring: %m", e->recorder->device);
        else if (recorder_apply_media(e->recorder, &c->media, &c->info) > 0 && e->exported &&
                 m->callbacks.media_changed)
                m->callbacks.media_changed(e->recorder, m->userdata);
        device_call_free(c);

        if (e->refresh_again) {
                e->refresh_again = false;
                device_entry_start(m, e, e->probed ? DEVICE_CALL_REFRESH : DEVICE_CALL_PROBE);
        }
}

static void device_entry_start(DeviceMonitor *m, DeviceEntry *e, DeviceCallKind kind)
{
        DeviceCall *c;
        int k;

        if (e->pending) {
                e->refresh_again = true;
                return;
        }
        c = g_new0(DeviceCall, 1);
        c->monitor = m;
        m->n_ref++;
        c->syspath = g_strdup(e->syspath);
        c->recorder = recorder_ref(e->recorder);
        c->kind = kind;
        k = worker_start(m->event, kind == DEVICE_CALL_PROBE ? "probe" : "media", device_call_run,
                         device_call_done, c, NULL);
        if (k < 0) {
                log_debug_errno(k, "Failed to start a worker for %s, ignoring: %m", e->syspath);
                device_call_free(c);
                return;
        }
        e->pending = c;
}

/* Events. */

static bool is_optical_disk(struct udev_device *d)
{
        return g_strcmp0(udev_device_get_property_value(d, "ID_CDROM"), "1") == 0 &&
               g_strcmp0(udev_device_get_devtype(d), "disk") == 0 && udev_device_get_devnode(d);
}

static void device_add(DeviceMonitor *m, struct udev_device *d)
{
        const char *syspath = udev_device_get_syspath(d), *devnode = udev_device_get_devnode(d);
        g_autofree char *id = device_id(m, d), *path = NULL;
        DeviceEntry *e;
        Recorder *r;
        int k;

        k = sd_bus_path_encode(m->path_prefix, id, &path);
        if (k >= 0)
                k = real_recorder_new(id, path, devnode, syspath, &r);
        if (k < 0) {
                log_debug_errno(k, "Cannot use %s, ignoring: %m", devnode);
                return;
        }
        e = g_new0(DeviceEntry, 1);
        e->syspath = g_strdup(syspath);
        e->recorder = r;
        g_hash_table_insert(m->entries, e->syspath, e);
        log_debug("Optical drive %s (%s), id %s: probing", devnode, syspath, id);
        device_entry_start(m, e, DEVICE_CALL_PROBE);
}

static void device_remove(DeviceMonitor *m, DeviceEntry *e)
{
        Recorder *r = e->recorder;

        real_recorder_set_gone(r);
        log_debug("Optical drive %s (%s) removed", r->device, r->id);
        if (e->exported && m->callbacks.recorder_removed)
                m->callbacks.recorder_removed(r, m->userdata);
        g_hash_table_remove(m->entries, e->syspath); /* a running worker finds no entry and ends quietly */
}

/* A change: a disc went in or out. Not while the drive burns or erases: the job holds the drive and
 * re-reads the disc itself when it ends. */
static void device_change(DeviceMonitor *m, DeviceEntry *e)
{
        RecorderState s = e->recorder->state;

        if (!e->probed) {
                device_entry_start(m, e, DEVICE_CALL_PROBE);
                return;
        }
        if (!e->exported || s == RECORDER_STATE_BURNING || s == RECORDER_STATE_ERASING)
                return;
        device_entry_start(m, e, DEVICE_CALL_REFRESH);
}

static void device_event(DeviceMonitor *m, struct udev_device *d)
{
        const char *action = udev_device_get_action(d);
        DeviceEntry *e = g_hash_table_lookup(m->entries, udev_device_get_syspath(d));

        if (g_strcmp0(action, "remove") == 0) {
                if (e)
                        device_remove(m, e);
                return;
        }
        if (!is_optical_disk(d))
                return;
        if (!e)
                device_add(m, d);
        else if (g_strcmp0(action, "change") == 0)
                device_change(m, e);
}

static int on_udev_event(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        DeviceMonitor *m = userdata;

        for (;;) {
                g_autoptr(UdevDevice) d = udev_monitor_receive_device(m->udev_monitor);

                if (!d)
                        break;
                device_event(m, d);
        }
        return 0;
}

static int device_monitor_listen(DeviceMonitor *m)
{
        int k;

        m->udev_monitor = udev_monitor_new_from_netlink(m->udev, "udev");
        if (!m->udev_monitor)
                return -errno_of(errno ?: ENOMEM);
        k = udev_monitor_filter_add_match_subsystem_devtype(m->udev_monitor, "block", "disk");
        if (k >= 0)
                k = udev_monitor_enable_receiving(m->udev_monitor);
        if (k >= 0)
                k = sd_event_add_io(m->event, &m->source, udev_monitor_get_fd(m->udev_monitor), EPOLLIN,
                                    on_udev_event, m);
        return k < 0 ? k : 0;
}

static int device_monitor_enumerate(DeviceMonitor *m)
{
        g_autoptr(UdevEnumerate) en = udev_enumerate_new(m->udev);
        struct udev_list_entry *item;
        int k;

        if (!en)
                return -ENOMEM;
        k = udev_enumerate_add_match_subsystem(en, "block");
        if (k >= 0)
                k = udev_enumerate_add_match_property(en, "ID_CDROM", "1");
        if (k >= 0)
                k = udev_enumerate_scan_devices(en);
        if (k < 0)
                return k;
        udev_list_entry_foreach(item, udev_enumerate_get_list_entry(en))
        {
                const char *syspath = udev_list_entry_get_name(item);
                g_autoptr(UdevDevice) d = udev_device_new_from_syspath(m->udev, syspath);

                if (d && is_optical_disk(d) && !g_hash_table_contains(m->entries, syspath))
                        device_add(m, d);
        }
        return 0;
}

int device_monitor_new(sd_event *event, const char *path_prefix, const DeviceMonitorCallbacks *callbacks,
                       void *userdata, DeviceMonitor **ret)
{
        g_autoptr(DeviceMonitor) m = g_new0(DeviceMonitor, 1);
        int k;

        m->n_ref = 1;
        m->event = event;
        m->path_prefix = g_strdup(path_prefix);
        m->callbacks = *callbacks;
        m->userdata = userdata;
        m->entries =
                g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify) device_entry_free);
        m->udev = udev_new();
        if (!m->udev)
                return -ENOMEM;
        k = device_monitor_listen(m);
        if (k < 0)
                return log_debug_errno(k, "Failed to watch udev: %m");
        k = device_monitor_enumerate(m);
        if (k < 0)
                return log_debug_errno(k, "Failed to enumerate optical drives: %m");
        *ret = g_steal_pointer(&m);
        return 0;
}

DeviceMonitor *device_monitor_free(DeviceMonitor *m)
{
        if (!m)
                return NULL;
        m->stopped = true;
        m->source = sd_event_source_disable_unref(m->source);
        m->udev_monitor = udev_monitor_unref(m->udev_monitor);
        m->udev = udev_unref(m->udev);
        g_hash_table_remove_all(m->entries);
        return device_monitor_unref(m);
}
