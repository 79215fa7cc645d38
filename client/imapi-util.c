/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libimapi internals: addressing a disc master from any thread, progress delivery, running sync twins. */
#include "imapi.h"
#include "imapi-private.h"

DiscMasterAddress *disc_master_address_new(ImapiDiscMaster *disc_master)
{
        GDBusProxy *proxy = G_DBUS_PROXY(disc_master);
        DiscMasterAddress *a = g_new0(DiscMasterAddress, 1);

        a->connection = g_object_ref(g_dbus_proxy_get_connection(proxy));
        a->name = g_strdup(g_dbus_proxy_get_name(proxy));
        a->path = g_strdup(g_dbus_proxy_get_object_path(proxy));
        a->call_flags = imapi_disc_master_get_call_flags(disc_master);
        a->batch_size = imapi_disc_master_get_batch_size(disc_master);
        return a;
}

void disc_master_address_free(DiscMasterAddress *a)
{
        if (!a)
                return;
        g_clear_object(&a->connection);
        g_free(a->name);
        g_free(a->path);
        g_free(a);
}

int call_timeout(GDBusCallFlags flags)
{
        return (flags & G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) ? G_MAXINT : -1;
}

GVariant *disc_master_call_sync(const DiscMasterAddress *a, const char *iface, const char *method,
                                GVariant *parameters, const GVariantType *reply_type, GUnixFDList *fd_list,
                                int timeout_msec, GCancellable *cancellable, GError **error)
{
        GVariant *r;

        r = g_dbus_connection_call_with_unix_fd_list_sync(a->connection, a->name, a->path, iface, method,
                                                          parameters, reply_type, a->call_flags,
                                                          timeout_msec, fd_list, NULL, cancellable, error);
        return r ? r : error_normalize_null(error);
}

GVariant *disc_master_get_property_sync(const DiscMasterAddress *a, const char *iface, const char *name,
                                        GCancellable *cancellable, GError **error)
{
        g_autoptr(GVariant) r = NULL;
        GVariant *v;

        r = g_dbus_connection_call_sync(a->connection, a->name, a->path, "org.freedesktop.DBus.Properties",
                                        "Get", g_variant_new("(ss)", iface, name), G_VARIANT_TYPE("(v)"),
                                        G_DBUS_CALL_FLAGS_NONE, -1, cancellable, error);
        if (!r)
                return error_normalize_null(error);
        g_variant_get(r, "(v)", &v);
        return v;
}

/* ---- progress ---- */

struct ProgressSink {
        ImapiProgressFunc func;
        gpointer data;
        GDestroyNotify data_free;
        GMainContext *context;
};

typedef struct ProgressReport {
        ProgressSink *sink;
        ImapiProgressKind kind;
        guint64 done, total;
} ProgressReport;

static void progress_sink_clear(gpointer p)
{
        ProgressSink *s = p;

        if (s->data_free)
                s->data_free(s->data);
        if (s->context)
                g_main_context_unref(s->context);
}

ProgressSink *progress_sink_new(ImapiProgressFunc func, gpointer data, GDestroyNotify data_free,
                                GMainContext *context)
{
        ProgressSink *s = g_atomic_rc_box_new0(ProgressSink);

        s->func = func;
        s->data = data;
        s->data_free = data_free;
        s->context = context ? g_main_context_ref(context) : NULL;
        return s;
}

ProgressSink *progress_sink_ref(ProgressSink *s)
{
        return s ? g_atomic_rc_box_acquire(s) : NULL;
}

void progress_sink_unref(ProgressSink *s)
{
        if (s)
                g_atomic_rc_box_release_full(s, progress_sink_clear);
}

static gboolean progress_report_deliver(gpointer user_data)
{
        ProgressReport *r = user_data;

        r->sink->func(r->kind, r->done, r->total, r->sink->data);
        return G_SOURCE_REMOVE;
}

static void progress_report_free(gpointer user_data)
{
        ProgressReport *r = user_data;

        progress_sink_unref(r->sink);
        g_free(r);
}

void progress_sink_report(ProgressSink *s, ImapiProgressKind kind, guint64 done, guint64 total)
{
        ProgressReport *r;
        GSource *idle;

        if (!s || !s->func)
                return;
        if (!s->context) {
                s->func(kind, done, total, s->data);
                return;
        }
        r = g_new(ProgressReport, 1);
        *r = (ProgressReport){progress_sink_ref(s), kind, done, total};
        /* Always through an idle: g_main_context_invoke() would run it right here when this worker thread
         * manages to acquire the (global default) context. */
        idle = g_idle_source_new();
        g_source_set_priority(idle, G_PRIORITY_DEFAULT);
        g_source_set_callback(idle, progress_report_deliver, r, progress_report_free);
        g_source_attach(idle, s->context);
        g_source_unref(idle);
}

/* ---- sync twins ---- */

void sync_context_run(GMainContext *context, gpointer *done)
{
        while (!*done)
                g_main_context_iteration(context, TRUE);
}

void sync_result_store(GObject *source, GAsyncResult *result, gpointer user_data)
{
        GAsyncResult **ret = user_data;

        *ret = g_object_ref(result);
}
