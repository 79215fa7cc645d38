/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* polkit CheckAuthorization over sd-bus, asynchronously, with the parked message re-dispatched on reply. */
#include <errno.h>

#include "bus-errors.h"
#include "bus-util.h"
#include "imapi-error.h"
#include "log.h"
#include "polkit.h"

typedef enum QueryResult {
        QUERY_PENDING,
        QUERY_ALLOWED,
        QUERY_DENIED, /* error holds the name */
} QueryResult;

typedef struct PolkitQuery {
        PolkitRegistry *registry;
        sd_bus_message *request;
        sd_bus_slot *slot;
        char *action;
        char *sender;
        QueryResult result;
        int error_code; /* -IMAPI_ERROR_* when denied */
        char *error_message;
} PolkitQuery;

struct PolkitRegistry {
        sd_bus *bus;
        uint64_t timeout_usec;
        unsigned max_pending_per_client;
        GHashTable *queries; /* sd_bus_message* -> PolkitQuery* */
};

static void polkit_query_free(PolkitQuery *q)
{
        if (!q)
                return;
        sd_bus_slot_unref(q->slot);
        sd_bus_message_unref(q->request);
        g_free(q->action);
        g_free(q->sender);
        g_free(q->error_message);
        g_free(q);
}

static void polkit_query_free_void(gpointer q)
{
        polkit_query_free(q);
}

int polkit_registry_new(sd_bus *bus, unsigned timeout_sec, unsigned max_pending_per_client,
                        PolkitRegistry **ret)
{
        PolkitRegistry *reg = g_new0(PolkitRegistry, 1);

        reg->bus = sd_bus_ref(bus);
        reg->timeout_usec = (uint64_t) timeout_sec * 1000000;
        reg->max_pending_per_client = max_pending_per_client;
        reg->queries = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, polkit_query_free_void);
        *ret = reg;
        return 0;
}

PolkitRegistry *polkit_registry_free(PolkitRegistry *reg)
{
        if (!reg)
                return NULL;
        g_hash_table_unref(reg->queries);
        sd_bus_unref(reg->bus);
        g_free(reg);
        return NULL;
}

unsigned polkit_registry_pending(PolkitRegistry *reg)
{
        return g_hash_table_size(reg->queries);
}

static unsigned pending_for_sender(PolkitRegistry *reg, const char *sender)
{
        GHashTableIter it;
        PolkitQuery *q;
        unsigned n = 0;

        g_hash_table_iter_init(&it, reg->queries);
        while (g_hash_table_iter_next(&it, NULL, (gpointer *) &q))
                if (q->result == QUERY_PENDING && g_strcmp0(q->sender, sender) == 0)
                        n++;
        return n;
}

static void query_deny(PolkitQuery *q, int code, char *message)
{
        q->result = QUERY_DENIED;
        q->error_code = -code;
        g_free(q->error_message);
        q->error_message = message;
}

static void query_parse_reply(PolkitQuery *q, sd_bus_message *reply)
{
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        int authorized, challenge, r;
        bool dismissed = false;
        const char *key, *value;

        if (e) {
                if (sd_bus_error_has_name(e, SD_BUS_ERROR_NO_REPLY) ||
                    sd_bus_error_has_name(e, SD_BUS_ERROR_TIMEOUT))
                        query_deny(q, IMAPI_ERROR_POLKIT_TIMEOUT,
                                   g_strdup_printf("polkit did not answer in time for %s", q->action));
                else
                        query_deny(q, IMAPI_ERROR_NOT_AUTHORIZED,
                                   g_strdup_printf("Not authorized for %s: polkit is not available (%s); "
                                                   "only root is allowed",
                                                   q->action, e->message ?: e->name));
                return;
        }
        r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
        if (r >= 0)
                r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "{ss}");
        while (r > 0 && (r = sd_bus_message_read(reply, "{ss}", &key, &value)) > 0)
                if (g_str_equal(key, "polkit.dismissed") && g_str_equal(value, "true"))
                        dismissed = true;
        if (r < 0) {
                query_deny(q, IMAPI_ERROR_NOT_AUTHORIZED,
                           g_strdup_printf("Not authorized for %s: bad answer from polkit", q->action));
                return;
        }
        if (authorized)
                q->result = QUERY_ALLOWED;
        else if (dismissed)
                query_deny(q, IMAPI_ERROR_NOT_AUTHORIZED_DISMISSED,
                           g_strdup_printf("Authentication for %s was dismissed", q->action));
        else if (challenge)
                query_deny(q, IMAPI_ERROR_NOT_AUTHORIZED_CAN_OBTAIN,
                           g_strdup_printf(
                                   "Authentication is required for %s (allow interactive authorization, "
                                   "or ask an administrator)",
                                   q->action));
        else
                query_deny(q, IMAPI_ERROR_NOT_AUTHORIZED,
                           g_strdup_printf("Not authorized for %s", q->action));
}

static int on_check_authorization_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error)
{
        PolkitQuery *q = userdata;
        int r;

        q->slot = sd_bus_slot_unref(q->slot);
        query_parse_reply(q, reply);
        log_debug("polkit answered for %s from %s: %s", q->action, q->sender,
                  q->result == QUERY_ALLOWED ? "allowed" : q->error_message);

        /* Dispatch the parked call again; its handler finds this answer. */
        r = sd_bus_message_rewind(q->request, true);
        if (r >= 0)
                r = sd_bus_enqueue_for_read(q->registry->bus, q->request);
        if (r < 0) {
                log_debug_errno(r, "Failed to re-dispatch a call after polkit answered, dropping it: %m");
                g_hash_table_remove(q->registry->queries, q->request);
        }
        return 0;
}

static int append_details(sd_bus_message *c, const char *const *details)
{
        int r = sd_bus_message_open_container(c, 'a', "{ss}");
        for (size_t i = 0; r >= 0 && details && details[i] && details[i + 1]; i += 2)
                r = sd_bus_message_append(c, "{ss}", details[i], details[i + 1]);
        if (r >= 0)
                r = sd_bus_message_close_container(c);
        return r;
}

static int polkit_start_query(PolkitRegistry *reg, sd_bus_message *m, const char *action,
                              const char *const *details)
{
        g_autoptr(sd_bus_message) call = NULL;
        const char *sender = sd_bus_message_get_sender(m);
        uint32_t flags = sd_bus_message_get_allow_interactive_authorization(m) > 0 ? 1 : 0;
        PolkitQuery *q;
        int r;

        r = sd_bus_message_new_method_call(reg->bus, &call, "org.freedesktop.PolicyKit1",
                                           "/org/freedesktop/PolicyKit1/Authority",
                                           "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization");
        if (r >= 0)
                r = sd_bus_message_append(call, "(sa{sv})s", "system-bus-name", 1, "name", "s", sender,
                                          action);
        if (r >= 0)
                r = append_details(call, details);
        if (r >= 0)
                r = sd_bus_message_append(call, "us", flags, "");
        if (r < 0)
                return r;

        q = g_new0(PolkitQuery, 1);
        q->registry = reg;
        q->request = sd_bus_message_ref(m);
        q->action = g_strdup(action);
        q->sender = g_strdup(sender);
        r = sd_bus_call_async(reg->bus, &q->slot, call, on_check_authorization_reply, q, reg->timeout_usec);
        if (r < 0) {
                polkit_query_free(q);
                return r;
        }
        g_hash_table_insert(reg->queries, m, q);
        return 0;
}

static int sender_is_root(sd_bus_message *m)
{
        uid_t uid;
        int r = bus_message_sender_uid(m, &uid);

        return r < 0 ? r : uid == 0;
}

int polkit_check(PolkitRegistry *reg, sd_bus_message *m, const char *action, const char *const *details,
                 sd_bus_error *error)
{
        PolkitQuery *q = g_hash_table_lookup(reg->queries, m);
        int r;

        if (q) {
                if (q->result == QUERY_PENDING)
                        return 0;
                if (!g_str_equal(q->action, action))
                        return -ESTALE; /* a handler asking twice for different actions: a bug in us */
                if (q->result == QUERY_ALLOWED) {
                        g_hash_table_remove(reg->queries, m);
                        return 1;
                }
                r = bus_error_set(error, q->error_code, q->error_message);
                g_hash_table_remove(reg->queries, m);
                return r;
        }

        /* polkit allows root anyway; answering here keeps root working without polkitd. */
        r = sender_is_root(m);
        if (r < 0)
                return r;
        if (r > 0)
                return 1;

        if (pending_for_sender(reg, sd_bus_message_get_sender(m)) >= reg->max_pending_per_client)
                return bus_error_setf(error, -IMAPI_ERROR_LIMITS_EXCEEDED,
                                      "Too many calls waiting for authorization from this client");
        r = polkit_start_query(reg, m, action, details);
        if (r < 0)
                return bus_error_setf(error, -IMAPI_ERROR_NOT_AUTHORIZED,
                                      "Not authorized for %s: cannot ask polkit (%s); only root is allowed",
                                      action, g_strerror(-r));
        return 0;
}
