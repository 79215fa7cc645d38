/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Burning and erasing: start the long operation, follow its progress signals until the completion signal. */
#include "imapi.h"
#include "imapi-private.h"

/* What differs between RecordDisc (on the disc master) and Erase (on the held recorder). */
typedef struct LongOpKind {
        const char *iface;
        const char *method;
        const char *complete_signal;
        gboolean cancellable; /* imapid can stop it (DiscMaster.Cancel) */
} LongOpKind;

static const LongOpKind record_kind = {IFACE_DISC_MASTER, "RecordDisc", "BurnComplete", TRUE};
static const LongOpKind erase_kind = {IFACE_RECORDER, "Erase", "EraseComplete", FALSE};

typedef struct LongOp {
        const LongOpKind *kind;
        DiscMasterAddress *address;
        char *object_path;    /* whose signals we follow: the disc master or its recorder */
        GVariant *parameters; /* of the method, floating until sent */
        ProgressSink *progress;
        guint signal_id;
        guint owner_id;
        GSource *cancel_source;
        gboolean started;        /* the method returned */
        gboolean cancel_pending; /* cancelled before it returned */
        gboolean cancel_sent;
        gboolean finished;
        GError *early_result; /* the completion signal arrived before the method's reply */
        gboolean early_done;
} LongOp;

static void long_op_free(gpointer p)
{
        LongOp *op = p;

        g_assert(op->signal_id == 0 && op->owner_id == 0 && op->cancel_source == NULL);
        disc_master_address_free(op->address);
        g_free(op->object_path);
        if (op->parameters)
                g_variant_unref(g_variant_ref_sink(op->parameters));
        progress_sink_unref(op->progress);
        g_clear_error(&op->early_result);
        g_free(op);
}

/* Ends the operation: no more signals, then the result. Takes 'error'. */
static void long_op_finish(GTask *task, GError *error)
{
        LongOp *op = g_task_get_task_data(task);
        GDBusConnection *c = op->address->connection;

        if (op->finished) {
                g_clear_error(&error);
                return;
        }
        op->finished = TRUE;
        g_dbus_connection_signal_unsubscribe(c, op->signal_id);
        g_dbus_connection_signal_unsubscribe(c, op->owner_id);
        op->signal_id = op->owner_id = 0;
        if (op->cancel_source) {
                g_source_destroy(op->cancel_source);
                g_clear_pointer(&op->cancel_source, g_source_unref);
        }
        if (error)
                g_task_return_error(task, error);
        else
                g_task_return_boolean(task, TRUE);
}

static GError *completion_error(const char *error_name, const char *message)
{
        GError *error;

        if (!error_name || !error_name[0])
                return NULL;
        error = g_dbus_error_new_for_dbus_error(error_name, message);
        imapi_error_normalize(error);
        return error;
}

static void send_cancel(GTask *task)
{
        LongOp *op = g_task_get_task_data(task);

        if (op->cancel_sent || op->finished || !op->kind->cancellable)
                return;
        op->cancel_sent = TRUE;
        /* The answer does not matter: BurnComplete says how the burn ended. */
        g_dbus_connection_call(op->address->connection, op->address->name, op->address->path,
                               IFACE_DISC_MASTER, "Cancel", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                               NULL, NULL);
}

static void on_progress_signal(LongOp *op, const char *member, GVariant *p)
{
        guint32 a = 0, b = 0;

        if (g_str_equal(member, "PreparingBurn") && g_variant_is_of_type(p, G_VARIANT_TYPE("(u)"))) {
                g_variant_get(p, "(u)", &b);
                progress_sink_report(op->progress, IMAPI_PROGRESS_PREPARING, 0, b);
        } else if (g_str_equal(member, "ClosingDisc") && g_variant_is_of_type(p, G_VARIANT_TYPE("(u)"))) {
                g_variant_get(p, "(u)", &b);
                progress_sink_report(op->progress, IMAPI_PROGRESS_CLOSING, 0, b);
        } else if (g_variant_is_of_type(p, G_VARIANT_TYPE("(uu)"))) {
                g_variant_get(p, "(uu)", &a, &b);
                if (g_str_equal(member, "BlockProgress"))
                        progress_sink_report(op->progress, IMAPI_PROGRESS_WRITING, a, b);
                else if (g_str_equal(member, "TrackProgress"))
                        progress_sink_report(op->progress, IMAPI_PROGRESS_TRACK, a, b);
                else if (g_str_equal(member, "EraseProgress"))
                        progress_sink_report(op->progress, IMAPI_PROGRESS_ERASING, a, b);
        }
}

static void on_signal(GDBusConnection *connection, const char *sender, const char *path, const char *iface,
                      const char *member, GVariant *parameters, gpointer user_data)
{
        GTask *task = user_data;
        LongOp *op = g_task_get_task_data(task);
        const char *name = NULL, *message = NULL;

        if (op->finished)
                return;
        if (!g_str_equal(member, op->kind->complete_signal)) {
                on_progress_signal(op, member, parameters);
                return;
        }
        if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ss)")))
                return;
        g_variant_get(parameters, "(&s&s)", &name, &message);
        if (op->started)
                long_op_finish(task, completion_error(name, message));
        else if (!op->early_done) {
                op->early_done = TRUE;
                op->early_result = completion_error(name, message);
        }
}

static void on_name_owner_changed(GDBusConnection *connection, const char *sender, const char *path,
                                  const char *iface, const char *member, GVariant *parameters,
                                  gpointer user_data)
{
        GTask *task = user_data;
        const char *name, *old_owner, *new_owner;

        if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sss)")))
                return;
        g_variant_get(parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
        if (new_owner[0] == '\0')
                long_op_finish(task, g_error_new(G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER,
                                                 "imapid left the bus before the operation ended"));
}

static gboolean on_cancelled(GCancellable *cancellable, gpointer user_data)
{
        GTask *task = user_data;
        LongOp *op = g_task_get_task_data(task);

        if (op->started)
                send_cancel(task);
        else
                op->cancel_pending = TRUE;
        return G_SOURCE_REMOVE;
}

static void method_done(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        LongOp *op = g_task_get_task_data(task);
        g_autoptr(GVariant) r = NULL;
        GError *error = NULL;

        r = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
        if (!r) {
                imapi_error_normalize(error);
                long_op_finish(task, error);
                return;
        }
        op->started = TRUE;
        if (op->early_done)
                long_op_finish(task, g_steal_pointer(&op->early_result));
        else if (op->cancel_pending)
                send_cancel(task);
}

static void long_op_subscribe(GTask *task)
{
        LongOp *op = g_task_get_task_data(task);
        GDBusConnection *c = op->address->connection;

        /* Each subscription holds a reference on the task until it is unsubscribed. */
        op->signal_id = g_dbus_connection_signal_subscribe(c, op->address->name, op->kind->iface, NULL,
                                                           op->object_path, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                           on_signal, g_object_ref(task), g_object_unref);
        op->owner_id = g_dbus_connection_signal_subscribe(
                c, "org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged",
                "/org/freedesktop/DBus", op->address->name, G_DBUS_SIGNAL_FLAGS_NONE, on_name_owner_changed,
                g_object_ref(task), g_object_unref);
        if (g_task_get_cancellable(task) && op->kind->cancellable) {
                op->cancel_source = g_cancellable_source_new(g_task_get_cancellable(task));
                g_source_set_callback(op->cancel_source, G_SOURCE_FUNC(on_cancelled), task, NULL);
                g_source_attach(op->cancel_source, g_task_get_context(task));
        }
}

static void long_op_start(GTask *task)
{
        LongOp *op = g_task_get_task_data(task);
        GDBusCallFlags flags = op->address->call_flags;

        long_op_subscribe(task);
        /* No cancellable on the call itself: once imapid has it, only Cancel() stops the burn. */
        g_dbus_connection_call(op->address->connection, op->address->name, op->object_path, op->kind->iface,
                               op->kind->method, g_steal_pointer(&op->parameters), NULL, flags,
                               call_timeout(flags), NULL, method_done, g_object_ref(task));
}

static GTask *long_op_new(ImapiDiscMaster *dm, const LongOpKind *kind, gpointer source_tag,
                          GVariant *parameters, ImapiProgressFunc progress, gpointer progress_data,
                          GDestroyNotify progress_data_free, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
        GTask *task = g_task_new(dm, cancellable, callback, user_data);
        LongOp *op = g_new0(LongOp, 1);

        g_task_set_source_tag(task, source_tag);
        /* The result is what imapid reports (UserAbort after a cancel), not G_IO_ERROR_CANCELLED. */
        g_task_set_check_cancellable(task, FALSE);
        op->kind = kind;
        op->address = disc_master_address_new(dm);
        op->object_path = g_strdup(op->address->path);
        op->parameters = parameters;
        op->progress = progress_sink_new(progress, progress_data, progress_data_free, NULL);
        g_task_set_task_data(task, op, long_op_free);
        return task;
}

static GVariant *record_parameters(ImapiRecordFlags flags, guint write_speed)
{
        GVariantBuilder b;

        g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
        if (flags & IMAPI_RECORD_FLAGS_CLOSE_DISC)
                g_variant_builder_add(&b, "{sv}", "close-disc", g_variant_new_boolean(TRUE));
        if (write_speed > 0)
                g_variant_builder_add(&b, "{sv}", "write-speed", g_variant_new_uint32(write_speed));
        return g_variant_new("(bb@a{sv})", !!(flags & IMAPI_RECORD_FLAGS_SIMULATE),
                             !!(flags & IMAPI_RECORD_FLAGS_EJECT), g_variant_builder_end(&b));
}

/**
 * imapi_disc_master_record:
 * @disc_master: a disc master with staged content and an active recorder
 * @flags: #ImapiRecordFlags
 * @write_speed: the x-factor for this burn; 0 for the recorder's setting
 * @progress: (nullable) (scope notified) (closure progress_data): called with %IMAPI_PROGRESS_PREPARING,
 *   %IMAPI_PROGRESS_WRITING, %IMAPI_PROGRESS_TRACK and %IMAPI_PROGRESS_CLOSING as the signals arrive
 * @progress_data: data for @progress
 * @progress_data_free: (nullable) (destroy progress_data): frees @progress_data
 * @cancellable: (nullable): cancelling it calls DiscMaster.Cancel(); the burn stops at a safe point and the
 *   operation fails with %IMAPI_ERROR_USER_ABORT
 * @callback: called when the burn has ended
 * @user_data: data for @callback
 *
 * DiscMaster.RecordDisc() (polkit: record-disc), then follows PreparingBurn, BlockProgress, TrackProgress
 * and ClosingDisc until BurnComplete, whose error becomes the result.
 */
void imapi_disc_master_record(ImapiDiscMaster *disc_master, ImapiRecordFlags flags, guint write_speed,
                              ImapiProgressFunc progress, gpointer progress_data,
                              GDestroyNotify progress_data_free, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
        g_autoptr(GTask) task = NULL;

        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));

        task = long_op_new(disc_master, &record_kind, imapi_disc_master_record,
                           record_parameters(flags, write_speed), progress, progress_data,
                           progress_data_free, cancellable, callback, user_data);
        long_op_start(task);
}

/**
 * imapi_disc_master_record_finish:
 * @disc_master: a disc master proxy
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when the burn succeeded.
 */
gboolean imapi_disc_master_record_finish(ImapiDiscMaster *disc_master, GAsyncResult *result, GError **error)
{
        g_return_val_if_fail(g_task_is_valid(result, disc_master), FALSE);
        return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * imapi_disc_master_record_sync:
 * @disc_master: a disc master with staged content and an active recorder
 * @flags: #ImapiRecordFlags
 * @write_speed: the x-factor for this burn; 0 for the recorder's setting
 * @progress: (nullable) (scope call) (closure progress_data): called in this thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): cancelling it (from another thread) cancels the burn
 * @error: return location for an error
 *
 * The blocking twin of imapi_disc_master_record(); it runs a private main context meanwhile.
 *
 * Returns: %TRUE when the burn succeeded.
 */
gboolean imapi_disc_master_record_sync(ImapiDiscMaster *disc_master, ImapiRecordFlags flags,
                                       guint write_speed, ImapiProgressFunc progress, gpointer progress_data,
                                       GCancellable *cancellable, GError **error)
{
        g_autoptr(GMainContext) context = g_main_context_new();
        GAsyncResult *result = NULL;
        gboolean ok;

        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), FALSE);

        g_main_context_push_thread_default(context);
        imapi_disc_master_record(disc_master, flags, write_speed, progress, progress_data, NULL, cancellable,
                                 sync_result_store, &result);
        sync_context_run(context, (gpointer *) &result);
        ok = imapi_disc_master_record_finish(disc_master, result, error);
        g_object_unref(result);
        while (g_main_context_iteration(context, FALSE))
                ;
        g_main_context_pop_thread_default(context);
        return ok;
}

/* ---- erase ---- */

static void erase_got_recorder(GObject *source, GAsyncResult *result, gpointer user_data)
{
        g_autoptr(GTask) task = user_data;
        LongOp *op = g_task_get_task_data(task);
        g_autoptr(GVariant) r = NULL, v = NULL;
        GError *error = NULL;

        r = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
        if (!r) {
                imapi_error_normalize(error);
                long_op_finish(task, error);
                return;
        }
        g_variant_get(r, "(v)", &v);
        if (!g_variant_is_of_type(v, G_VARIANT_TYPE_OBJECT_PATH) ||
            g_str_equal(g_variant_get_string(v, NULL), "/")) {
                long_op_finish(task, g_error_new_literal(IMAPI_ERROR, IMAPI_ERROR_NO_ACTIVE_RECORDER,
                                                         "The disc master holds no recorder to erase"));
                return;
        }
        g_free(op->object_path);
        op->object_path = g_variant_dup_string(v, NULL);
        long_op_start(task);
}

/**
 * imapi_disc_master_erase:
 * @disc_master: a disc master that holds the recorder to erase
 * @full: a full blank (or full format) instead of a quick one
 * @progress: (nullable) (scope notified) (closure progress_data): called with %IMAPI_PROGRESS_ERASING
 * @progress_data: data for @progress
 * @progress_data_free: (nullable) (destroy progress_data): frees @progress_data
 * @cancellable: (nullable): a #GCancellable; imapid cannot stop an erase, so it is not used once the erase
 *   has started
 * @callback: called when the erase has ended
 * @user_data: data for @callback
 *
 * Recorder.Erase() on the disc master's active recorder (polkit: erase-disc), then follows EraseProgress
 * until EraseComplete, whose error becomes the result.
 */
void imapi_disc_master_erase(ImapiDiscMaster *disc_master, gboolean full, ImapiProgressFunc progress,
                             gpointer progress_data, GDestroyNotify progress_data_free,
                             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
        GTask *task;
        LongOp *op;

        g_return_if_fail(IMAPI_IS_DISC_MASTER(disc_master));

        task = long_op_new(
                disc_master, &erase_kind, imapi_disc_master_erase,
                g_variant_new("(b@a{sv})", full, g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)),
                progress, progress_data, progress_data_free, cancellable, callback, user_data);
        g_task_set_check_cancellable(task, TRUE);
        op = g_task_get_task_data(task);
        g_dbus_connection_call(op->address->connection, op->address->name, op->address->path,
                               "org.freedesktop.DBus.Properties", "Get",
                               g_variant_new("(ss)", IFACE_DISC_MASTER, "ActiveRecorder"),
                               G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                               erase_got_recorder, task);
}

/**
 * imapi_disc_master_erase_finish:
 * @disc_master: a disc master proxy
 * @result: the #GAsyncResult given to the callback
 * @error: return location for an error
 *
 * Returns: %TRUE when the erase succeeded.
 */
gboolean imapi_disc_master_erase_finish(ImapiDiscMaster *disc_master, GAsyncResult *result, GError **error)
{
        g_return_val_if_fail(g_task_is_valid(result, disc_master), FALSE);
        return g_task_propagate_boolean(G_TASK(result), error);
}

/**
 * imapi_disc_master_erase_sync:
 * @disc_master: a disc master that holds the recorder to erase
 * @full: a full blank (or full format) instead of a quick one
 * @progress: (nullable) (scope call) (closure progress_data): called in this thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * The blocking twin of imapi_disc_master_erase().
 *
 * Returns: %TRUE when the erase succeeded.
 */
gboolean imapi_disc_master_erase_sync(ImapiDiscMaster *disc_master, gboolean full,
                                      ImapiProgressFunc progress, gpointer progress_data,
                                      GCancellable *cancellable, GError **error)
{
        g_autoptr(GMainContext) context = g_main_context_new();
        GAsyncResult *result = NULL;
        gboolean ok;

        g_return_val_if_fail(IMAPI_IS_DISC_MASTER(disc_master), FALSE);

        g_main_context_push_thread_default(context);
        imapi_disc_master_erase(disc_master, full, progress, progress_data, NULL, cancellable,
                                sync_result_store, &result);
        sync_context_run(context, (gpointer *) &result);
        ok = imapi_disc_master_erase_finish(disc_master, result, error);
        g_object_unref(result);
        while (g_main_context_iteration(context, FALSE))
                ;
        g_main_context_pop_thread_default(context);
        return ok;
}
