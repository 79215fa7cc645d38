/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Clients on the bus: one record per connection that opened a disc master, with its uid and one
 * sd_bus_track, so that only a connection's first Open waits for the bus to tell who it is, and when the
 * connection goes away (exit, crash, kill -9) everything it owned is closed (STYLE rule 16). */
#pragma once

#include <sys/types.h>

#include <systemd/sd-bus.h>

#include "manager.h"

typedef struct BusClient {
        Manager *manager;
        char *name; /* the unique bus name */
        uid_t uid;
        sd_bus_track *track;
} BusClient;

/* The record of the sender of 'message', created (uid asked, track added) on first use. */
int bus_client_get(Manager *m, sd_bus_message *message, BusClient **ret);

/* Frees every record (at shutdown, after the disc masters are closed). */
void bus_clients_free(Manager *m);
