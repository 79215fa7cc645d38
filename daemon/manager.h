/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The daemon's context: the event loop, the bus connection, the configuration, and every object it exports
 * (recorders and disc masters). One per process; all of it lives on the event-loop thread. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "config.h"
#include "macros.h"

typedef struct Manager Manager;
typedef struct Recorder Recorder;
typedef struct DiscMaster DiscMaster;
typedef struct PolkitRegistry PolkitRegistry;
typedef struct StashRoot StashRoot;
typedef struct DeviceMonitor DeviceMonitor;

#define IMAPI_BUS_NAME                "org.freedesktop.IMAPI1"
#define IMAPI_ROOT_PATH               "/org/freedesktop/IMAPI1"
#define IMAPI_RECORDER_PATH_PREFIX    IMAPI_ROOT_PATH "/Recorder"
#define IMAPI_DISC_MASTER_PATH_PREFIX IMAPI_ROOT_PATH "/DiscMaster"

struct Manager {
        sd_event *event;
        sd_bus *bus;
        char *bus_address; /* NULL: the system bus */
        Config config;
        PolkitRegistry *polkit;
        StashRoot *stash_root;
        DeviceMonitor *device_monitor;

        GHashTable *recorders;            /* id -> Recorder* (owned) */
        GHashTable *disc_masters;         /* GUINT id -> DiscMaster* (owned) */
        GHashTable *disc_masters_per_uid; /* GUINT uid -> GUINT count */
        GHashTable *clients;              /* unique bus name -> BusClient* (bus/bus-track.c) */
        unsigned next_disc_master_id;
        unsigned n_virtual_recorders;

        bool exiting;
};

int manager_new(Manager **ret);
Manager *manager_free(Manager *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Manager, manager_free)

/* Loads the configuration, prepares the stash and the state directory, connects to the bus, exports the
 * objects, creates the configured virtual recorders and takes the bus name. */
int manager_startup(Manager *m, const char *config_path, bool config_must_exist);
int manager_run(Manager *m);

/* Recorders, by id or object path. */
Recorder *manager_find_recorder(Manager *m, const char *id);
Recorder *manager_find_recorder_by_path(Manager *m, const char *path);
/* Takes ownership; exports it, emits InterfacesAdded, PnPActivity and Recorders. */
int manager_add_recorder(Manager *m, Recorder *r);
/* Unexports and drops the manager's reference; a disc master holding it keeps its own. */
void manager_remove_recorder(Manager *m, Recorder *r);
/* Sorted object paths of the recorders (a NULL-terminated strv, free with g_strfreev). */
char **manager_recorder_paths(Manager *m);

DiscMaster *manager_find_disc_master_by_path(Manager *m, const char *path);

/* Creates a virtual recorder; 'persistent' keeps its disc under StateDirectory. */
int manager_create_virtual_recorder(Manager *m, const VirtualRecorderConfig *vc, bool persistent,
                                    Recorder **ret, char **reterr_message);

void manager_emit_pnp_activity(Manager *m);
