/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Per-connection client records: the uid, asked once, and one track that closes the client's disc
 * masters when its connection goes away. */
#include "bus-track.h"
#include "bus-util.h"
#include "disc-master.h"
#include "log.h"

static void bus_client_free(BusClient *c)
{
        if (!c)
                return;
        sd_bus_track_unref(c->track);
        g_free(c->name);
        g_free(c);
}

static void bus_client_free_void(gpointer c)
{
        bus_client_free(c);
}

/* sd_bus_track handler: the connection is gone. */
static int on_client_gone(sd_bus_track *track, void *userdata)
{
        BusClient *c = userdata;
        Manager *m = c->manager;
        g_autoptr(GPtrArray) mine = g_ptr_array_new();
        GHashTableIter it;
        DiscMaster *dm;

        g_hash_table_iter_init(&it, m->disc_masters);
        while (g_hash_table_iter_next(&it, NULL, (gpointer *) &dm))
                if (g_str_equal(dm->owner, c->name))
                        g_ptr_array_add(mine, dm);
        for (size_t i = 0; i < mine->len; i++) {
                dm = mine->pdata[i];
                log_info("Client %s of disc master %u disconnected, closing it", c->name, dm->id);
                disc_master_close(dm);
        }
        /* Frees the record and its track: sd-bus would otherwise call us again and again. */
        g_hash_table_remove(m->clients, c->name);
        return 0;
}

int bus_client_get(Manager *m, sd_bus_message *message, BusClient **ret)
{
        const char *sender = sd_bus_message_get_sender(message);
        BusClient *c;
        int r;

        if (!m->clients)
                m->clients = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, bus_client_free_void);
        c = g_hash_table_lookup(m->clients, sender);
        if (c) {
                *ret = c;
                return 0;
        }

        c = g_new0(BusClient, 1);
        c->manager = m;
        c->name = g_strdup(sender);
        r = bus_message_sender_uid(message, &c->uid);
        if (r >= 0)
                r = sd_bus_track_new(m->bus, &c->track, on_client_gone, c);
        if (r >= 0)
                r = sd_bus_track_add_sender(c->track, message);
        if (r < 0) {
                bus_client_free(c);
                return r;
        }
        g_hash_table_insert(m->clients, c->name, c);
        *ret = c;
        return 0;
}

void bus_clients_free(Manager *m)
{
        g_clear_pointer(&m->clients, g_hash_table_unref);
}
