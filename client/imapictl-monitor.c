/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* imapictl monitor: prints every signal of imapid (hot-plug, objects, property changes, progress) as it
 * comes. */
#include <stdio.h>
#include <string.h>

#include "imapictl.h"

#define IFACE_PREFIX "org.freedesktop.IMAPI1."

/* "/org/freedesktop/IMAPI1/Recorder/virtual_5fvirtual0" -> "Recorder/virtual_virtual0" */
static char *short_path(const char *path)
{
        const char *rest = g_str_has_prefix(path, IMAPI_MANAGER_PATH "/")
                                   ? path + strlen(IMAPI_MANAGER_PATH) + 1
                           : g_str_equal(path, IMAPI_MANAGER_PATH) ? "Manager"
                                                                   : path;
        const char *slash = strrchr(rest, '/');
        g_autofree guint8 *name = NULL;

        if (!slash || rest == path)
                return g_strdup(rest);
        name = g_dbus_unescape_object_path(slash + 1);
        if (!name || !g_utf8_validate((const char *) name, -1, NULL))
                return g_strdup(rest);
        return g_strdup_printf("%.*s/%s", (int) (slash - rest), rest, (const char *) name);
}

static const char *short_iface(const char *iface)
{
        return g_str_has_prefix(iface, IFACE_PREFIX) ? iface + strlen(IFACE_PREFIX) : iface;
}

static char *timestamp(void)
{
        g_autoptr(GDateTime) now = g_date_time_new_now_local();
        g_autofree char *hms = g_date_time_format(now, "%H:%M:%S");

        return g_strdup_printf("%s.%03d", hms, g_date_time_get_microsecond(now) / 1000);
}

static void print_properties_changed(const char *when, const char *where, GVariant *params)
{
        g_autoptr(GVariant) changed = NULL;
        g_autofree const char **invalidated = NULL;
        const char *iface;
        GVariantIter iter;
        const char *name;
        GVariant *value;

        g_variant_get(params, "(&s@a{sv}^a&s)", &iface, &changed, &invalidated);
        printf("%s %s %s:", when, where, short_iface(iface));
        g_variant_iter_init(&iter, changed);
        while (g_variant_iter_next(&iter, "{&sv}", &name, &value)) {
                g_autofree char *text = g_variant_print(value, FALSE);

                printf(" %s=%s", name, text);
                g_variant_unref(value);
        }
        for (const char **i = invalidated; i && *i; i++)
                printf(" %s=?", *i);
        printf("\n");
}

static void print_interfaces(const char *when, const char *sign, GVariant *params)
{
        g_autoptr(GVariant) first = g_variant_get_child_value(params, 0);
        g_autoptr(GVariant) second = g_variant_get_child_value(params, 1);
        g_autofree char *where = short_path(g_variant_get_string(first, NULL));
        GString *names = g_string_new(NULL);
        GVariantIter iter;
        GVariant *child;

        g_variant_iter_init(&iter, second);
        while ((child = g_variant_iter_next_value(&iter))) {
                g_autoptr(GVariant) key = g_variant_is_of_type(child, G_VARIANT_TYPE_STRING)
                                                  ? g_variant_ref(child)
                                                  : g_variant_get_child_value(child, 0);

                g_string_append_printf(names, "%s%s", names->len ? ", " : "",
                                       short_iface(g_variant_get_string(key, NULL)));
                g_variant_unref(child);
        }
        printf("%s %s %s (%s)\n", when, sign, where, names->str);
        g_string_free(names, TRUE);
}

static void print_human(const char *path, const char *iface, const char *member, GVariant *params)
{
        g_autofree char *when = timestamp(), *where = short_path(path), *args = NULL;

        if (g_str_equal(member, "PropertiesChanged") &&
            g_variant_is_of_type(params, G_VARIANT_TYPE("(sa{sv}as)")))
                print_properties_changed(when, where, params);
        else if (g_str_equal(member, "InterfacesAdded") &&
                 g_variant_is_of_type(params, G_VARIANT_TYPE("(oa{sa{sv}})")))
                print_interfaces(when, "+", params);
        else if (g_str_equal(member, "InterfacesRemoved") &&
                 g_variant_is_of_type(params, G_VARIANT_TYPE("(oas)")))
                print_interfaces(when, "-", params);
        else {
                args = g_variant_print(params, FALSE);
                printf("%s %s %s.%s%s\n", when, where, short_iface(iface), member, args);
        }
        fflush(stdout);
}

static void print_json(Ctl *c, const char *path, const char *iface, const char *member, GVariant *params)
{
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *when = g_date_time_format_iso8601(now);
        Json *j = c->out;

        json_begin_object(j);
        json_kv_string(j, "time", when);
        json_kv_string(j, "path", path);
        json_kv_string(j, "interface", iface);
        json_kv_string(j, "signal", member);
        json_key(j, "args");
        json_variant(j, params);
        json_end_object(j);
        json_print(j);
}

static void on_signal(GDBusConnection *connection, const char *sender, const char *path, const char *iface,
                      const char *member, GVariant *params, gpointer user_data)
{
        Ctl *c = user_data;

        if (c->quiet)
                return;
        if (c->json)
                print_json(c, path, iface, member, params);
        else
                print_human(path, iface, member, params);
}

static void on_owner_changed(GDBusConnection *connection, const char *sender, const char *path,
                             const char *iface, const char *member, GVariant *params, gpointer user_data)
{
        Ctl *c = user_data;
        const char *name, *old_owner, *new_owner;

        g_variant_get(params, "(&s&s&s)", &name, &old_owner, &new_owner);
        on_signal(connection, sender, path, iface, member, params, user_data);
        if (!new_owner[0] && !c->json && !c->quiet)
                fprintf(stderr, "imapictl: imapid left the bus; waiting for it to come back\n");
}

int verb_monitor(Ctl *c, int argc, char **argv)
{
        GDBusConnection *bus;
        g_autofree char *owner = NULL;
        guint id, owner_id;
        int r;

        if ((r = ctl_parse_options(
                     c, &argc, &argv, "",
                     "Print imapid's signals as they come: recorders appearing and going, state and "
                     "media changes, disc masters, progress of burns and erases. Ctrl-C stops.",
                     NULL, 0, 0)) >= 0)
                return r;
        if ((r = ctl_connect(c)) >= 0)
                return r;
        bus = imapi_client_get_connection(c->client);
        id = g_dbus_connection_signal_subscribe(bus, IMAPI_BUS_NAME, NULL, NULL, NULL, NULL,
                                                G_DBUS_SIGNAL_FLAGS_NONE, on_signal, c, NULL);
        owner_id = g_dbus_connection_signal_subscribe(bus, "org.freedesktop.DBus", "org.freedesktop.DBus",
                                                      "NameOwnerChanged", "/org/freedesktop/DBus",
                                                      IMAPI_BUS_NAME, G_DBUS_SIGNAL_FLAGS_NONE,
                                                      on_owner_changed, c, NULL);
        /* Once the match rules are in place (a round trip to the bus), say so: tests wait for this line. */
        g_dbus_connection_call_sync(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus.Peer", "Ping", NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
                                    -1, NULL, NULL);
        owner = imapi_client_dup_name_owner(c->client);
        if (c->json) {
                json_begin_object(c->out);
                json_kv_string(c->out, "event", "monitoring");
                json_kv_string(c->out, "owner", owner);
                json_end_object(c->out);
                json_print(c->out);
        } else if (!c->quiet) {
                printf("Monitoring imapid (%s). Press Ctrl-C to stop.\n", owner ? owner : "not running");
                fflush(stdout);
        }
        while (!g_cancellable_is_cancelled(c->cancellable))
                g_main_context_iteration(NULL, TRUE);
        g_dbus_connection_signal_unsubscribe(bus, id);
        g_dbus_connection_signal_unsubscribe(bus, owner_id);
        return CTL_EXIT_OK;
}
