/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The daemon context: start-up in order, the recorder registry, the main loop and clean shutdown. */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <systemd/sd-daemon.h>

#include "bus-disc-master.h"
#include "bus-image.h"
#include "bus-joliet.h"
#include "bus-redbook.h"
#include "bus-manager.h"
#include "bus-recorder.h"
#include "bus-track.h"
#include "disc-master.h"
#include "imapi-error.h"
#include "log.h"
#include "manager.h"
#include "manager-devices.h"
#include "polkit.h"
#include "recorder.h"
#include "stash.h"
#include "virtual-recorder.h"
#include "worker.h"

static void recorder_unref_void(gpointer r)
{
        recorder_unref(r);
}

int manager_new(Manager **ret)
{
        g_autoptr(Manager) m = g_new0(Manager, 1);
        int r;

        config_init_defaults(&m->config);
        m->recorders = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, recorder_unref_void);
        m->disc_masters = g_hash_table_new(g_direct_hash, g_direct_equal);
        m->disc_masters_per_uid = g_hash_table_new(g_direct_hash, g_direct_equal);
        r = sd_event_default(&m->event);
        if (r < 0)
                return r;
        *ret = g_steal_pointer(&m);
        return 0;
}

static void manager_close_all_disc_masters(Manager *m)
{
        GHashTableIter it;
        DiscMaster *dm;

        while (g_hash_table_size(m->disc_masters) > 0) {
                g_hash_table_iter_init(&it, m->disc_masters);
                if (!g_hash_table_iter_next(&it, NULL, (gpointer *) &dm))
                        break;
                disc_master_close(dm);
        }
}

Manager *manager_free(Manager *m)
{
        if (!m)
                return NULL;
        manager_close_all_disc_masters(m);
        bus_clients_free(m);
        manager_stop_device_monitor(m);
        if (m->event)
                worker_drain_all(m->event);
        g_hash_table_unref(m->recorders);
        g_hash_table_unref(m->disc_masters);
        g_hash_table_unref(m->disc_masters_per_uid);
        m->polkit = polkit_registry_free(m->polkit);
        m->stash_root = stash_root_free(m->stash_root);
        sd_bus_flush_close_unref(m->bus);
        sd_event_unref(m->event);
        config_done(&m->config);
        g_free(m->bus_address);
        g_free(m);
        return NULL;
}

Recorder *manager_find_recorder(Manager *m, const char *id)
{
        return g_hash_table_lookup(m->recorders, id);
}

Recorder *manager_find_recorder_by_path(Manager *m, const char *path)
{
        g_autofree char *id = NULL;

        if (sd_bus_path_decode(path, IMAPI_RECORDER_PATH_PREFIX, &id) <= 0)
                return NULL;
        return manager_find_recorder(m, id);
}

DiscMaster *manager_find_disc_master_by_path(Manager *m, const char *path)
{
        const char *p = g_str_has_prefix(path, IMAPI_DISC_MASTER_PATH_PREFIX "/")
                                ? path + strlen(IMAPI_DISC_MASTER_PATH_PREFIX "/")
                                : NULL;
        guint64 id;

        if (!p || !g_ascii_string_to_unsigned(p, 10, 1, UINT_MAX, &id, NULL))
                return NULL;
        return g_hash_table_lookup(m->disc_masters, GUINT_TO_POINTER((unsigned) id));
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

char **manager_recorder_paths(Manager *m)
{
        GPtrArray *paths = g_ptr_array_new();
        GHashTableIter it;
        Recorder *r;

        g_hash_table_iter_init(&it, m->recorders);
        while (g_hash_table_iter_next(&it, NULL, (gpointer *) &r))
                g_ptr_array_add(paths, g_strdup(r->object_path));
        g_ptr_array_sort(paths, compare_strings);
        g_ptr_array_add(paths, NULL);
        return (char **) g_ptr_array_free(paths, false);
}

void manager_emit_pnp_activity(Manager *m)
{
        (void) sd_bus_emit_signal(m->bus, IMAPI_ROOT_PATH, IMAPI_MANAGER_INTERFACE, "PnPActivity", NULL);
        (void) sd_bus_emit_properties_changed(m->bus, IMAPI_ROOT_PATH, IMAPI_MANAGER_INTERFACE, "Recorders",
                                              NULL);
}

int manager_add_recorder(Manager *m, Recorder *r)
{
        if (g_hash_table_contains(m->recorders, r->id))
                return -EEXIST;
        r->manager = m;
        g_hash_table_insert(m->recorders, r->id, r);
        if (r->is_virtual)
                m->n_virtual_recorders++;
        if (m->bus) {
                (void) sd_bus_emit_object_added(m->bus, r->object_path);
                manager_emit_pnp_activity(m);
        }
        return 0;
}

void manager_remove_recorder(Manager *m, Recorder *r)
{
        DiscMaster *holder = r->holder;

        if (g_hash_table_lookup(m->recorders, r->id) != r)
                return;
        r->gone = true;
        (void) sd_bus_emit_object_removed(m->bus, r->object_path);
        if (r->is_virtual)
                m->n_virtual_recorders--;
        /* The disc master that held it survives and may choose another recorder; a burn running on it
         * ends with DeviceNotPresent and lets go of it then (bus-burn.c). The holder keeps a reference. */
        if (holder && !holder->burn)
                disc_master_release_gone_recorder(holder);
        g_hash_table_remove(m->recorders, r->id); /* drops our reference: r may be gone now */
        manager_emit_pnp_activity(m);
}

int manager_create_virtual_recorder(Manager *m, const VirtualRecorderConfig *vc, bool persistent,
                                    Recorder **ret, char **reterr_message)
{
        g_autofree char *id = g_strdup_printf("virtual_%s", vc->name);
        g_autofree char *path = NULL, *dir = NULL;
        Recorder *r;
        int k;

        if (manager_find_recorder(m, id))
                return error_set_message(reterr_message, EINVAL, "A recorder %s exists already", id);
        k = sd_bus_path_encode(IMAPI_RECORDER_PATH_PREFIX, id, &path);
        if (k < 0)
                return k;
        dir = g_build_filename(m->config.state_directory, persistent ? "virtual" : "virtual-volatile",
                               vc->name, NULL);
        k = virtual_recorder_new(vc, dir, persistent, path, &r, reterr_message);
        if (k < 0)
                return k;
        bus_recorder_refresh_media(m, r);
        k = manager_add_recorder(m, r);
        if (k < 0) {
                recorder_unref(r);
                return k;
        }
        if (ret)
                *ret = r;
        return 0;
}

static int manager_create_configured_virtual_recorders(Manager *m)
{
        g_autofree char *dir = g_build_filename(m->config.state_directory, "virtual", NULL);
        VirtualRecorderConfig *saved = NULL;
        size_t n_saved = 0;
        int k;

        for (size_t i = 0; i < m->config.n_virtual_recorders; i++) {
                g_autofree char *message = NULL;
                k = manager_create_virtual_recorder(m, &m->config.virtual_recorders[i], true, NULL,
                                                    &message);
                if (k < 0)
                        return log_error_errno(k, "Failed to create virtual recorder %s: %s",
                                               m->config.virtual_recorders[i].name,
                                               message ?: error_to_string(k));
        }

        k = virtual_recorder_list_persistent(dir, &saved, &n_saved);
        if (k < 0)
                log_warning_errno(k, "Failed to list saved virtual recorders in %s, ignoring: %m", dir);
        for (size_t i = 0; i < n_saved; i++) {
                g_autofree char *message = NULL;
                g_autofree char *id = g_strdup_printf("virtual_%s", saved[i].name);
                if (!manager_find_recorder(m, id)) {
                        k = manager_create_virtual_recorder(m, &saved[i], true, NULL, &message);
                        if (k < 0)
                                log_warning_errno(k, "Failed to restore virtual recorder %s, ignoring: %s",
                                                  saved[i].name, message ?: error_to_string(k));
                }
                g_free(saved[i].name);
                g_strfreev(saved[i].profiles);
                g_free(saved[i].medium);
                g_free(saved[i].faults);
        }
        g_free(saved);
        return 0;
}

static int manager_connect_bus(Manager *m)
{
        int r;

        if (!m->bus_address)
                return sd_bus_open_system_with_description(&m->bus, "imapid");
        r = sd_bus_new(&m->bus);
        if (r < 0)
                return r;
        (void) sd_bus_set_description(m->bus, "imapid");
        r = sd_bus_set_address(m->bus, m->bus_address);
        if (r >= 0)
                r = sd_bus_set_bus_client(m->bus, true);
        if (r >= 0)
                r = sd_bus_negotiate_fds(m->bus, true);
        if (r >= 0)
                r = sd_bus_start(m->bus);
        return r;
}

static int manager_export(Manager *m)
{
        int r;

        if ((r = bus_manager_register(m)) < 0 || (r = bus_recorder_register(m)) < 0 ||
            (r = bus_virtual_recorder_register(m)) < 0 || (r = bus_disc_master_register(m)) < 0 ||
            (r = bus_image_register(m)) < 0 || (r = bus_joliet_register(m)) < 0 ||
            (r = bus_redbook_register(m)) < 0)
                return r;
        return 0;
}

static int prepare_state_directory(Manager *m)
{
        g_autofree char *volatile_dir =
                g_build_filename(m->config.state_directory, "virtual-volatile", NULL);
        g_autofd int fd = -1;

        if (g_mkdir_with_parents(m->config.state_directory, 0755) < 0)
                return -errno;
        /* Virtual recorders made without "persistent" do not outlive the daemon. */
        fd = open(volatile_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
                (void) rm_rf_children(fd);
        return 0;
}

int manager_startup(Manager *m, const char *config_path, bool config_must_exist)
{
        g_autofree char *message = NULL;
        int r;

        r = config_load(&m->config, config_path, config_must_exist, &message);
        if (r < 0)
                return log_error_errno(r, "Invalid configuration: %s", message);
        r = stash_root_open(m->config.stash_directory, m->config.stash_reserve_bytes,
                            m->config.max_stash_bytes_per_user, m->config.allow_removable_stash,
                            &m->stash_root, &message);
        if (r < 0)
                return log_error_errno(r, "Cannot use the stash: %s", message);
        r = prepare_state_directory(m);
        if (r < 0)
                return log_error_errno(r, "Cannot create the state directory %s: %m",
                                       m->config.state_directory);

        r = manager_connect_bus(m);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to the %s bus: %m", m->bus_address ?: "system");
        r = polkit_registry_new(m->bus, m->config.polkit_timeout_sec,
                                m->config.max_pending_polkit_per_client, &m->polkit);
        if (r < 0)
                return r;
        r = manager_export(m);
        if (r < 0)
                return log_error_errno(r, "Failed to export the D-Bus objects: %m");

        r = manager_create_configured_virtual_recorders(m);
        if (r < 0)
                return r;
        if (m->config.enable_udev) {
                r = manager_start_device_monitor(m);
                if (r < 0)
                        return r;
        }

        r = sd_bus_attach_event(m->bus, m->event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0)
                return r;
        r = sd_bus_request_name(m->bus, IMAPI_BUS_NAME, 0);
        if (r < 0)
                return log_error_errno(r, "Failed to acquire the bus name %s: %m", IMAPI_BUS_NAME);
        return 0;
}

int manager_run(Manager *m)
{
        sigset_t mask;
        int r;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return -errno;
        r = sd_event_add_signal(m->event, NULL, SIGTERM, NULL, NULL);
        if (r >= 0)
                r = sd_event_add_signal(m->event, NULL, SIGINT, NULL, NULL);
        if (r >= 0)
                r = sd_event_set_watchdog(m->event, true);
        if (r < 0)
                return r;

        (void) sd_notify(false, "READY=1\nSTATUS=Serving recorders");
        log_info("Ready: %u recorder(s)", g_hash_table_size(m->recorders));
        r = sd_event_loop(m->event);
        (void) sd_notify(false, "STOPPING=1");
        log_info("Shutting down");
        return r;
}
