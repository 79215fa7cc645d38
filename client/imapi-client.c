/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ImapiClient: wraps a GDBusObjectManagerClient on imapid's root and adds lookups, signals and Open(). */
#include <stdlib.h>

#include "imapi.h"
#include "imapi-private.h"

struct _ImapiClient {
        GObject parent_instance;

        GDBusConnection *connection;
        GDBusObjectManager *object_manager;
        ImapiManager *manager;
        gboolean interactive_authorization;
        gboolean initialized;
};

enum {
        PROP_0,
        PROP_CONNECTION,
        PROP_OBJECT_MANAGER,
        PROP_MANAGER,
        PROP_INTERACTIVE_AUTHORIZATION,
        N_PROPS,
};

enum {
        SIGNAL_RECORDER_ADDED,
        SIGNAL_RECORDER_REMOVED,
        SIGNAL_PNP_ACTIVITY,
        N_SIGNALS,
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void imapi_client_initable_iface_init(GInitableIface *iface);
static void imapi_client_async_initable_iface_init(GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(ImapiClient, imapi_client, G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE, imapi_client_initable_iface_init)
                                      G_IMPLEMENT_INTERFACE(G_TYPE_ASYNC_INITABLE,
                                                            imapi_client_async_initable_iface_init))

static void imapi_client_finalize(GObject *object)
{
        ImapiClient *self = IMAPI_CLIENT(object);

        if (self->object_manager)
                g_signal_handlers_disconnect_by_data(self->object_manager, self);
        if (self->manager)
                g_signal_handlers_disconnect_by_data(self->manager, self);
        g_clear_object(&self->manager);
        g_clear_object(&self->object_manager);
        g_clear_object(&self->connection);
        G_OBJECT_CLASS(imapi_client_parent_class)->finalize(object);
}

static void imapi_client_get_property(GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
        ImapiClient *self = IMAPI_CLIENT(object);

        switch (id) {
        case PROP_CONNECTION:
                g_value_set_object(value, self->connection);
                break;
        case PROP_OBJECT_MANAGER:
                g_value_set_object(value, self->object_manager);
                break;
        case PROP_MANAGER:
                g_value_set_object(value, self->manager);
                break;
        case PROP_INTERACTIVE_AUTHORIZATION:
                g_value_set_boolean(value, self->interactive_authorization);
                break;
        default:
                G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
        }
}

static void imapi_client_set_property(GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
        ImapiClient *self = IMAPI_CLIENT(object);

        switch (id) {
        case PROP_CONNECTION:
                self->connection = g_value_dup_object(value);
                break;
        case PROP_INTERACTIVE_AUTHORIZATION:
                imapi_client_set_interactive_authorization(self, g_value_get_boolean(value));
                break;
        default:
                G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
        }
}

static void imapi_client_class_init(ImapiClientClass *klass)
{
        GObjectClass *object_class = G_OBJECT_CLASS(klass);

        /* Errors of calls made through this client arrive in the ImapiError domain. */
        (void) imapi_error_quark();
        object_class->finalize = imapi_client_finalize;
        object_class->get_property = imapi_client_get_property;
        object_class->set_property = imapi_client_set_property;

        /**
         * ImapiClient:connection:
         *
         * The bus connection; %NULL at construction means the system bus (which honours
         * DBUS_SYSTEM_BUS_ADDRESS).
         */
        props[PROP_CONNECTION] =
                g_param_spec_object("connection", NULL, NULL, G_TYPE_DBUS_CONNECTION,
                                    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
        /**
         * ImapiClient:object-manager:
         *
         * The #GDBusObjectManagerClient on imapid's root; its objects are #ImapiObject.
         */
        props[PROP_OBJECT_MANAGER] =
                g_param_spec_object("object-manager", NULL, NULL, G_TYPE_DBUS_OBJECT_MANAGER,
                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
        /**
         * ImapiClient:manager:
         *
         * The proxy of org.freedesktop.IMAPI1.Manager.
         */
        props[PROP_MANAGER] = g_param_spec_object("manager", NULL, NULL, IMAPI_TYPE_MANAGER,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
        /**
         * ImapiClient:interactive-authorization:
         *
         * Whether calls that may need polkit authorization carry the ALLOW_INTERACTIVE_AUTHORIZATION
         * flag, so that an authentication agent may ask the user. Default: %FALSE.
         */
        props[PROP_INTERACTIVE_AUTHORIZATION] =
                g_param_spec_boolean("interactive-authorization", NULL, NULL, FALSE,
                                     G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
        g_object_class_install_properties(object_class, N_PROPS, props);

        /**
         * ImapiClient::recorder-added:
         * @client: the client
         * @recorder: the #ImapiObject of the new recorder
         *
         * A recorder appeared (plugged in, created, or imapid started).
         */
        signals[SIGNAL_RECORDER_ADDED] =
                g_signal_new("recorder-added", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                             NULL, G_TYPE_NONE, 1, IMAPI_TYPE_OBJECT);
        /**
         * ImapiClient::recorder-removed:
         * @client: the client
         * @recorder: the #ImapiObject of the recorder that went away
         *
         * A recorder disappeared (unplugged, removed, or imapid stopped).
         */
        signals[SIGNAL_RECORDER_REMOVED] =
                g_signal_new("recorder-removed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                             NULL, G_TYPE_NONE, 1, IMAPI_TYPE_OBJECT);
        /**
         * ImapiClient::pnp-activity:
         * @client: the client
         *
         * imapid's Manager.PnPActivity: the recorder list changed (IMAPI's NotifyPnPActivity).
         */
        signals[SIGNAL_PNP_ACTIVITY] = g_signal_new("pnp-activity", G_TYPE_FROM_CLASS(klass),
                                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void imapi_client_init(ImapiClient *self)
{
}

static void on_object_added(GDBusObjectManager *manager, GDBusObject *object, gpointer user_data)
{
        ImapiClient *self = user_data;

        if (imapi_object_peek_recorder(IMAPI_OBJECT(object)))
                g_signal_emit(self, signals[SIGNAL_RECORDER_ADDED], 0, object);
}

static void on_object_removed(GDBusObjectManager *manager, GDBusObject *object, gpointer user_data)
{
        ImapiClient *self = user_data;

        if (imapi_object_peek_recorder(IMAPI_OBJECT(object)))
                g_signal_emit(self, signals[SIGNAL_RECORDER_REMOVED], 0, object);
}

static void on_pnp_activity(ImapiManager *manager, gpointer user_data)
{
        g_signal_emit(IMAPI_CLIENT(user_data), signals[SIGNAL_PNP_ACTIVITY], 0);
}

static void client_connect_signals(ImapiClient *self)
{
        g_signal_connect(self->object_manager, "object-added", G_CALLBACK(on_object_added), self);
        g_signal_connect(self->object_manager, "object-removed", G_CALLBACK(on_object_removed), self);
        g_signal_connect(self->manager, "pnp-activity", G_CALLBACK(on_pnp_activity), self);
        self->initialized = TRUE;
}

static gboolean imapi_client_initable_init(GInitable *initable, GCancellable *cancellable, GError **error)
{
        ImapiClient *self = IMAPI_CLIENT(initable);

        if (self->initialized)
                return TRUE;
        if (!self->connection) {
                self->connection = g_bus_get_sync(G_BUS_TYPE_SYSTEM, cancellable, error);
                if (!self->connection)
                        return FALSE;
        }
        self->object_manager = imapi_object_manager_client_new_sync(
                self->connection, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE, IMAPI_BUS_NAME,
                IMAPI_MANAGER_PATH, cancellable, error);
        if (!self->object_manager)
                return FALSE;
        self->manager = imapi_manager_proxy_new_sync(self->connection, G_DBUS_PROXY_FLAGS_NONE,
                                                     IMAPI_BUS_NAME, IMAPI_MANAGER_PATH, cancellable, error);
        if (!self->manager)
                return error_normalize_false(error);
        client_connect_signals(self);
        return TRUE;
}

static void imapi_client_initable_iface_init(GInitableIface *iface)
{
        iface->init = imapi_client_initable_init;
}

/* The asynchronous twin: bus → object manager → Manager proxy, each step in the caller's context. */
static void init_got_manager(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        ImapiClient *self = g_task_get_source_object(task);
        GError *error = NULL;

        self->manager = imapi_manager_proxy_new_finish(result, &error);
        if (!self->manager) {
                imapi_error_normalize(error);
                g_task_return_error(task, error);
                return;
        }
        client_connect_signals(self);
        g_task_return_boolean(task, TRUE);
}

static void init_got_object_manager(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        ImapiClient *self = g_task_get_source_object(task);
        GCancellable *cancellable;
        GError *error = NULL;

        self->object_manager = imapi_object_manager_client_new_finish(result, &error);
        if (!self->object_manager) {
                g_task_return_error(task, error);
                return;
        }
        cancellable = g_task_get_cancellable(task);
        imapi_manager_proxy_new(self->connection, G_DBUS_PROXY_FLAGS_NONE, IMAPI_BUS_NAME,
                                IMAPI_MANAGER_PATH, cancellable, init_got_manager, g_steal_pointer(&task));
}

static void init_step_object_manager(GTask *task)
{
        ImapiClient *self = g_task_get_source_object(task);

        imapi_object_manager_client_new(self->connection, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_NONE,
                                        IMAPI_BUS_NAME, IMAPI_MANAGER_PATH, g_task_get_cancellable(task),
                                        init_got_object_manager, task);
}

static void init_got_bus(GObject *source, GAsyncResult *result, gpointer user_data)
{
        GTask *task = user_data;
        ImapiClient *self = g_task_get_source_object(task);
        GError *error = NULL;

        self->connection = g_bus_get_finish(result, &error);
        if (!self->connection) {
                g_task_return_error(task, error);
                g_object_unref(task);
                return;
        }
        init_step_object_manager(task);
}

static void imapi_client_init_async(GAsyncInitable *initable, int io_priority, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
        ImapiClient *self = IMAPI_CLIENT(initable);
        GTask *task = g_task_new(self, cancellable, callback, user_data);

        g_task_set_source_tag(task, imapi_client_init_async);
        if (self->initialized) {
                g_task_return_boolean(task, TRUE);
                g_object_unref(task);
        } else if (!self->connection)
                g_bus_get(G_BUS_TYPE_SYSTEM, cancellable, init_got_bus, task);
        else
                init_step_object_manager(task);
}

static gboolean imapi_client_init_finish(GAsyncInitable *initable, GAsyncResult *result, GError **error)
{
        return g_task_propagate_boolean(G_TASK(result), error);
}

static void imapi_client_async_initable_iface_init(GAsyncInitableIface *iface)
{
        iface->init_async = imapi_client_init_async;
        iface->init_finish = imapi_client_init_finish;
}

/**
 * imapi_client_new:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the client is ready
 * @user_data: data for @callback
 *
 * Connects to imapid on the system bus (DBUS_SYSTEM_BUS_ADDRESS is honoured) without blocking. D-Bus
 * activation starts imapid if it is not running. Finish with imapi_client_new_finish().
 */
void imapi_client_new(GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
        g_async_initable_new_async(IMAPI_TYPE_CLIENT, G_PRIORITY_DEFAULT, cancellable, callback, user_data,
                                   NULL);
}

/**
 * imapi_client_new_finish:
 * @result: the #GAsyncResult given to the callback of imapi_client_new()
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the client, or %NULL with @error set.
 */
ImapiClient *imapi_client_new_finish(GAsyncResult *result, GError **error)
{
        g_autoptr(GObject) source = g_async_result_get_source_object(result);
        GObject *object = g_async_initable_new_finish(G_ASYNC_INITABLE(source), result, error);

        return object ? IMAPI_CLIENT(object) : NULL;
}

/**
 * imapi_client_new_sync:
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Connects to imapid on the system bus, blocking. See imapi_client_new().
 *
 * Returns: (transfer full) (nullable): the client, or %NULL with @error set.
 */
ImapiClient *imapi_client_new_sync(GCancellable *cancellable, GError **error)
{
        return g_initable_new(IMAPI_TYPE_CLIENT, cancellable, error, NULL);
}

/**
 * imapi_client_new_for_connection_sync:
 * @connection: a message bus connection on which imapid is reachable
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Like imapi_client_new_sync() on a connection of the caller's choosing (tests, private buses).
 *
 * Returns: (transfer full) (nullable): the client, or %NULL with @error set.
 */
ImapiClient *imapi_client_new_for_connection_sync(GDBusConnection *connection, GCancellable *cancellable,
                                                  GError **error)
{
        g_return_val_if_fail(G_IS_DBUS_CONNECTION(connection), NULL);

        return g_initable_new(IMAPI_TYPE_CLIENT, cancellable, error, "connection", connection, NULL);
}

/**
 * imapi_client_get_connection:
 * @client: an #ImapiClient
 *
 * Returns: (transfer none): the bus connection.
 */
GDBusConnection *imapi_client_get_connection(ImapiClient *client)
{
        g_return_val_if_fail(IMAPI_IS_CLIENT(client), NULL);
        return client->connection;
}

/**
 * imapi_client_get_object_manager:
 * @client: an #ImapiClient
 *
 * Returns: (transfer none): the object manager; its objects are #ImapiObject instances.
 */
GDBusObjectManager *imapi_client_get_object_manager(ImapiClient *client)
{
        g_return_val_if_fail(IMAPI_IS_CLIENT(client), NULL);
        return client->object_manager;
}

/**
 * imapi_client_get_manager:
 * @client: an #ImapiClient
 *
 * Returns: (transfer none): the proxy of org.freedesktop.IMAPI1.Manager.
 */
ImapiManager *imapi_client_get_manager(ImapiClient *client)
{
        g_return_val_if_fail(IMAPI_IS_CLIENT(client), NULL);
        return client->manager;
}

/**
 * imapi_client_dup_name_owner:
 * @client: an #ImapiClient
 *
 * Returns: (transfer full) (nullable): the unique bus name of the running imapid, or %NULL when it is
 *   not running (and could not be activated).
 */
char *imapi_client_dup_name_owner(ImapiClient *client)
{
        g_return_val_if_fail(IMAPI_IS_CLIENT(client), NULL);
        return g_dbus_object_manager_client_get_name_owner(
                G_DBUS_OBJECT_MANAGER_CLIENT(client->object_manager));
}

/**
 * imapi_client_get_interactive_authorization:
 * @client: an #ImapiClient
 *
 * Returns: the #ImapiClient:interactive-authorization property.
 */
gboolean imapi_client_get_interactive_authorization(ImapiClient *client)
{
        g_return_val_if_fail(IMAPI_IS_CLIENT(client), FALSE);
        return client->interactive_authorization;
}

/**
 * imapi_client_set_interactive_authorization:
 * @client: an #ImapiClient
 * @allow: whether polkit may ask the user for authentication
 *
 * Sets the #ImapiClient:interactive-authorization property. Disc masters opened afterwards use it.
 */
void imapi_client_set_interactive_authorization(ImapiClient *client, gboolean allow)
{
        g_return_if_fail(IMAPI_IS_CLIENT(client));

        allow = !!allow;
        if (client->interactive_authorization == allow)
                return;
        client->interactive_authorization = allow;
        g_object_notify_by_pspec(G_OBJECT(client), props[PROP_INTERACTIVE_AUTHORIZATION]);
}

/**
 * imapi_client_get_call_flags:
 * @client: an #ImapiClient
 *
 * Returns: the flags for calls that may need authorization:
 * %G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION when #ImapiClient:interactive-authorization is set,
 * else %G_DBUS_CALL_FLAGS_NONE.
 */
GDBusCallFlags imapi_client_get_call_flags(ImapiClient *client)
{
        g_return_val_if_fail(IMAPI_IS_CLIENT(client), G_DBUS_CALL_FLAGS_NONE);
        return client->interactive_authorization ? G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION
                                                 : G_DBUS_CALL_FLAGS_NONE;
}

static int compare_recorder_ids(gconstpointer a, gconstpointer b)
{
        ImapiRecorder *ra = imapi_object_peek_recorder(IMAPI_OBJECT((gpointer) a));
        ImapiRecorder *rb = imapi_object_peek_recorder(IMAPI_OBJECT((gpointer) b));
        int r = g_strcmp0(imapi_recorder_get_id(ra), imapi_recorder_get_id(rb));

        if (r != 0)
                return r;
        return g_strcmp0(g_dbus_object_get_object_path(G_DBUS_OBJECT((gpointer) a)),
                         g_dbus_object_get_object_path(G_DBUS_OBJECT((gpointer) b)));
}

/**
 * imapi_client_get_recorders:
 * @client: an #ImapiClient
 *
 * Returns: (transfer full) (element-type ImapiObject): the recorders, real and virtual, sorted by their
 *   Id. Free with g_list_free_full (list, g_object_unref).
 */
GList *imapi_client_get_recorders(ImapiClient *client)
{
        GList *objects, *recorders = NULL;

        g_return_val_if_fail(IMAPI_IS_CLIENT(client), NULL);

        objects = g_dbus_object_manager_get_objects(client->object_manager);
        for (GList *l = objects; l; l = l->next)
                if (imapi_object_peek_recorder(IMAPI_OBJECT(l->data)))
                        recorders = g_list_prepend(recorders, g_object_ref(l->data));
        g_list_free_full(objects, g_object_unref);
        return g_list_sort(recorders, compare_recorder_ids);
}

/**
 * imapi_client_get_object:
 * @client: an #ImapiClient
 * @object_path: a D-Bus object path
 *
 * Returns: (transfer full) (nullable): the object at @object_path, or %NULL.
 */
ImapiObject *imapi_client_get_object(ImapiClient *client, const char *object_path)
{
        GDBusObject *object;

        g_return_val_if_fail(IMAPI_IS_CLIENT(client), NULL);
        g_return_val_if_fail(object_path != NULL, NULL);

        if (!g_variant_is_object_path(object_path))
                return NULL;
        object = g_dbus_object_manager_get_object(client->object_manager, object_path);
        return object ? IMAPI_OBJECT(object) : NULL;
}

/* The canonical path of a device node, or a copy of 'path' when it cannot be resolved. */
static char *device_canonicalize(const char *path)
{
        char *resolved = realpath(path, NULL);

        return resolved ? resolved : g_strdup(path);
}

static gboolean recorder_matches_device(ImapiRecorder *recorder, const char *canonical)
{
        const char *device = imapi_recorder_get_device(recorder);
        g_autofree char *d = NULL;

        if (!device || !device[0])
                return FALSE;
        d = device_canonicalize(device);
        return g_str_equal(d, canonical);
}

static ImapiObject *recorders_find(GList *recorders, const char *spec, gboolean as_device)
{
        g_autofree char *canonical = as_device ? device_canonicalize(spec) : NULL;
        g_autofree char *virtual_id = g_strconcat("virtual_", spec, NULL);

        for (GList *l = recorders; l; l = l->next) {
                ImapiRecorder *r = imapi_object_peek_recorder(l->data);

                if (as_device ? recorder_matches_device(r, canonical)
                              : g_strcmp0(imapi_recorder_get_id(r), spec) == 0)
                        return g_object_ref(l->data);
        }
        if (as_device)
                return NULL;
        for (GList *l = recorders; l; l = l->next)
                if (imapi_recorder_get_virtual(imapi_object_peek_recorder(l->data)) &&
                    g_strcmp0(imapi_recorder_get_id(imapi_object_peek_recorder(l->data)), virtual_id) == 0)
                        return g_object_ref(l->data);
        return NULL;
}

/**
 * imapi_client_lookup_recorder:
 * @client: an #ImapiClient
 * @recorder: a recorder's Id ("virtual_virtual0"), a virtual recorder's name ("virtual0"), its object
 *   path, or its device node ("/dev/sr0", also through a symbolic link such as "/dev/cdrom")
 *
 * Returns: (transfer full) (nullable): the recorder's object, or %NULL when none matches.
 */
ImapiObject *imapi_client_lookup_recorder(ImapiClient *client, const char *recorder)
{
        GList *recorders;
        ImapiObject *found = NULL;

        g_return_val_if_fail(IMAPI_IS_CLIENT(client), NULL);
        g_return_val_if_fail(recorder != NULL, NULL);

        recorders = imapi_client_get_recorders(client);
        if (recorder[0] == '/') {
                for (GList *l = recorders; l && !found; l = l->next)
                        if (g_str_equal(g_dbus_object_get_object_path(l->data), recorder))
                                found = g_object_ref(l->data);
                if (!found)
                        found = recorders_find(recorders, recorder, TRUE);
        } else
                found = recorders_find(recorders, recorder, FALSE);
        g_list_free_full(recorders, g_object_unref);
        return found;
}

/* ---- Open ---- */

static void open_got_proxy(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        ImapiClient *self = g_task_get_source_object(task);
        GError *error = NULL;
        ImapiDiscMaster *dm = imapi_disc_master_proxy_new_finish(result, &error);

        if (!dm) {
                imapi_error_normalize(error);
                g_task_return_error(task, error);
                return;
        }
        imapi_disc_master_set_call_flags(dm, imapi_client_get_call_flags(self));
        g_task_return_pointer(task, dm, g_object_unref);
}

static void open_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        ImapiClient *self = g_task_get_source_object(task);
        g_autofree char *path = NULL;
        GCancellable *cancellable;
        GError *error = NULL;

        if (!imapi_manager_call_open_finish(IMAPI_MANAGER(source), &path, result, &error)) {
                imapi_error_normalize(error);
                g_task_return_error(task, error);
                return;
        }
        /* (The cancellable is read before the task is handed on: argument order is unspecified.) */
        cancellable = g_task_get_cancellable(task);
        imapi_disc_master_proxy_new(self->connection, G_DBUS_PROXY_FLAGS_NONE, IMAPI_BUS_NAME, path,
                                    cancellable, open_got_proxy, g_steal_pointer(&task));
}

static GVariant *open_options(const char *client_name)
{
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        if (client_name && client_name[0])
                g_variant_builder_add(&b, "{sv}", "client-name", g_variant_new_string(client_name));
        return g_variant_builder_end(&b);
}

/**
 * imapi_client_open_disc_master:
 * @client: an #ImapiClient
 * @client_name: (nullable): the name others see as the owner of a recorder this disc master holds
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the disc master is open
 * @user_data: data for @callback
 *
 * Manager.Open(): a new disc master owned by this connection. It ends with Close() or when the
 * connection closes. The proxy uses the client's #ImapiClient:interactive-authorization for the calls
 * that need polkit (imapi_disc_master_set_call_flags()).
 */
void imapi_client_open_disc_master(ImapiClient *client, const char *client_name, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
        GTask *task;

        g_return_if_fail(IMAPI_IS_CLIENT(client));

        task = g_task_new(client, cancellable, callback, user_data);
        g_task_set_source_tag(task, imapi_client_open_disc_master);
        imapi_manager_call_open(client->manager, open_options(client_name), G_DBUS_CALL_FLAGS_NONE, -1,
                                cancellable, open_done, task);
}

/**
 * imapi_client_open_disc_master_finish:
 * @client: an #ImapiClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the disc master's proxy, or %NULL with @error set.
 */
ImapiDiscMaster *imapi_client_open_disc_master_finish(ImapiClient *client, GAsyncResult *result,
                                                      GError **error)
{
        g_return_val_if_fail(g_task_is_valid(result, client), NULL);
        return g_task_propagate_pointer(G_TASK(result), error);
}

/**
 * imapi_client_open_disc_master_sync:
 * @client: an #ImapiClient
 * @client_name: (nullable): the name others see as the owner of a recorder this disc master holds
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * The blocking twin of imapi_client_open_disc_master().
 *
 * Returns: (transfer full) (nullable): the disc master's proxy, or %NULL with @error set.
 */
ImapiDiscMaster *imapi_client_open_disc_master_sync(ImapiClient *client, const char *client_name,
                                                    GCancellable *cancellable, GError **error)
{
        g_autofree char *path = NULL;
        ImapiDiscMaster *dm;

        g_return_val_if_fail(IMAPI_IS_CLIENT(client), NULL);

        if (!imapi_manager_call_open_sync(client->manager, open_options(client_name), G_DBUS_CALL_FLAGS_NONE,
                                          -1, &path, cancellable, error))
                return error_normalize_null(error);
        dm = imapi_disc_master_proxy_new_sync(client->connection, G_DBUS_PROXY_FLAGS_NONE, IMAPI_BUS_NAME,
                                              path, cancellable, error);
        if (!dm)
                return error_normalize_null(error);
        imapi_disc_master_set_call_flags(dm, imapi_client_get_call_flags(client));
        return dm;
}
