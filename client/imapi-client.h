/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ImapiClient: the connection to imapid: its recorders, their hot-plug events, and opening disc masters. */
#pragma once

#if !defined(IMAPI_INSIDE) && !defined(IMAPI_COMPILATION)
#error "Only <imapi.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * IMAPI_BUS_NAME:
 *
 * The well-known name of imapid on the system bus.
 */
#define IMAPI_BUS_NAME "org.freedesktop.IMAPI1"

/**
 * IMAPI_MANAGER_PATH:
 *
 * The object path of the Manager, which is also the root of imapid's ObjectManager.
 */
#define IMAPI_MANAGER_PATH "/org/freedesktop/IMAPI1"

#define IMAPI_TYPE_CLIENT (imapi_client_get_type())
G_DECLARE_FINAL_TYPE(ImapiClient, imapi_client, IMAPI, CLIENT, GObject)

void imapi_client_new(GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
ImapiClient *imapi_client_new_finish(GAsyncResult *result, GError **error);
ImapiClient *imapi_client_new_sync(GCancellable *cancellable, GError **error);
ImapiClient *imapi_client_new_for_connection_sync(GDBusConnection *connection, GCancellable *cancellable,
                                                  GError **error);

GDBusConnection *imapi_client_get_connection(ImapiClient *client);
GDBusObjectManager *imapi_client_get_object_manager(ImapiClient *client);
ImapiManager *imapi_client_get_manager(ImapiClient *client);
char *imapi_client_dup_name_owner(ImapiClient *client);

gboolean imapi_client_get_interactive_authorization(ImapiClient *client);
void imapi_client_set_interactive_authorization(ImapiClient *client, gboolean allow);
GDBusCallFlags imapi_client_get_call_flags(ImapiClient *client);

GList *imapi_client_get_recorders(ImapiClient *client);
ImapiObject *imapi_client_get_object(ImapiClient *client, const char *object_path);
ImapiObject *imapi_client_lookup_recorder(ImapiClient *client, const char *recorder);

void imapi_client_open_disc_master(ImapiClient *client, const char *client_name, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
ImapiDiscMaster *imapi_client_open_disc_master_finish(ImapiClient *client, GAsyncResult *result,
                                                      GError **error);
ImapiDiscMaster *imapi_client_open_disc_master_sync(ImapiClient *client, const char *client_name,
                                                    GCancellable *cancellable, GError **error);

G_END_DECLS
